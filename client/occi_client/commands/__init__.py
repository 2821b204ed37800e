"""The `occi <object> <verb>` commands (cliff)."""
