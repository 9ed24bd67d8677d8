"""Revision files that each trigger one db-lint rule, or none (the safe forms)."""
