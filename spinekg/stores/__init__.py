"""Putting the graph into stores and serving it: the embedded Oxigraph store, any SPARQL 1.1 Graph
Store server, the loader that proves a load complete, the query-ready dataset, the read-only endpoint."""
