"""Per-tool rate limits: a policy per tool (optionally per team) and fixed-window counters."""
