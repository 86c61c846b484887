"""The Danish employment-policy knowledge graph: loading, provenance, queries, service."""

__version__ = "0.1.0"
