"""SPARQL: the competency questions, the two engines (rdflib, Oxigraph) and engine-independent results."""
