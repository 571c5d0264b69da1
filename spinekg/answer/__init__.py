"""The Java-free runtime that answers a question: the runtime index, levels, the text reader, the
composer and its Verdict, and profile composers. No rdflib, owlready2, networkx or pyshacl at import."""
