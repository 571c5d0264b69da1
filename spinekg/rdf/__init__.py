"""RDF reading and writing shared by every layer: one way to parse a file, and deterministic serialisation."""
