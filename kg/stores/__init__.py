"""The two backends of kg.store.Store: embedded Oxigraph and a remote SPARQL endpoint."""
