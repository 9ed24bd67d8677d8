"""Entry point for ``python -m mcpgateway.migrate``."""

import gc

from mcpgateway.migrate.cli import main

code = main()
# What the run built is left to the process's end as it is: the collector does not walk it again
# while the interpreter shuts down (some 75,000 objects, a tenth of a second of every command).
# Exit handlers still run and files are still flushed and closed.
gc.freeze()
raise SystemExit(code)
