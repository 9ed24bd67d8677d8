"""Entry point for ``python -m mcpgateway.db``."""

from mcpgateway.db.cli import main

raise SystemExit(main())
