"""ooi's commands."""
