"""Entry point for ``python -m mcpgateway.migrate``."""

from mcpgateway.migrate.cli import main

raise SystemExit(main())
