"""In-tree plugins: each sub-package is one plugin (see mcpgateway.db.plugins)."""
