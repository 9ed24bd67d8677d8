"""In-tree plugins: each sub-package is one plugin (see mcpgateway.migrate.plugins)."""
