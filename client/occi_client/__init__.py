"""occi: a command-line client for OCCI sites (OCCI 1.2 and 1.1), OpenStack-style.

It speaks OCCI over HTTP only and imports nothing of the `ooi` server.
"""

__version__ = "0.1.0"
