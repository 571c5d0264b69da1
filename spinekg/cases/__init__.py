"""Case records: the record model and a synthetic generator, and the verdicts derived for each case
(the same triples the SHACL-AF rules derive, computed from the runtime composer)."""
