"""Core models, one module per concern; ``mcpgateway.db.registry`` imports every module here."""
