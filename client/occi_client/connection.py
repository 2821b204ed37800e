"""From the global options to a client of the site's OCCI endpoint."""

from __future__ import annotations

import argparse

from keystoneauth1 import session

from occi_client import auth
from occi_client.errors import UsageError
from occi_client.http import OCCIClient


def connect(options: argparse.Namespace) -> OCCIClient:
    """Authenticated (unless --no-auth) at the endpoint given or found in the catalog."""
    found = auth.settings(options)
    if options.no_auth:
        if not options.endpoint:
            raise UsageError("--no-auth needs --endpoint")
        sess = session.Session(verify=found.verify, timeout=options.timeout)
        return OCCIClient(sess, options.endpoint, options.media_type, authenticated=False)
    sess = auth.make_session(found, options.endpoint, options.timeout)
    endpoint = options.endpoint or auth.catalog_endpoint(sess, found)
    return OCCIClient(sess, endpoint, options.media_type)
