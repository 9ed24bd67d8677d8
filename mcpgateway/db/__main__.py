"""Entry point for ``python -m mcpgateway.db``."""

from mcpgateway.db.entry import main

raise SystemExit(main())
