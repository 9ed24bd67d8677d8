"""Entry point for ``python -m mcpgateway.migrate``."""

import gc
import sys

try:
    from mcpgateway.migrate.cli import main
except KeyboardInterrupt:  # Ctrl-C while the command is still being imported: nothing ran yet
    print("error: interrupted", file=sys.stderr)
    raise SystemExit(130) from None

try:
    code = main()
except KeyboardInterrupt:  # a second Ctrl-C while the first was being reported
    print("error: interrupted", file=sys.stderr)
    code = 130
# What the run built is left to the process's end as it is: the collector does not walk it again
# while the interpreter shuts down (some 75,000 objects, a tenth of a second of every command).
# Exit handlers still run and files are still flushed and closed.
gc.freeze()
raise SystemExit(code)
