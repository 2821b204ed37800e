"""ooi, the OpenStack OCCI Interface."""

__version__ = "2.0.0.dev0"
