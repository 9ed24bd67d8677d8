"""The gateway's data layer: the declarative base (``base``), the models (``models``), and the
engine and session factories (``session``). It knows nothing of migrations: the toolkit in
``mcpgateway.migrate`` reads it, never the other way round."""
