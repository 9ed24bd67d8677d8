"""The audit plugin: who did what to which tool, per team."""
