"""Build time (Java): templates to modules, HermiT classification, direct edges, the release set, the
runtime index, profile overlays, the extension check, xrefs and the HermiT cross-check. Nothing that
answers a question imports from here."""
