"""The pure parts of network links: inline links of a compute create → nova's networks."""

from __future__ import annotations

from ooi.api.network_links import requested_networks
from ooi.occi import infrastructure as infra
from ooi.occi.documents import LinkDoc
from tests.api.test_compute_changes import ENDPOINT, IMAGE, TINY, resolved


def test_network_links_in_every_form():
    links = [
        LinkDoc(target="/network/n1", kind=infra.NETWORKINTERFACE.type_id),
        LinkDoc(
            target="http://cloud:8787/occi1.2/network/n2",
            kind=infra.NETWORKINTERFACE.type_id,
            mixins=[infra.IPNETWORKINTERFACE.type_id],
            attributes={"occi.networkinterface.address": "10.0.0.9"},
        ),
    ]
    entity = resolved([IMAGE, TINY], links=links)
    assert requested_networks(entity.links, ENDPOINT) == [
        {"uuid": "n1"},
        {"uuid": "n2", "fixed_ip": "10.0.0.9"},
    ]
