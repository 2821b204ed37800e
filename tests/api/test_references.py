"""References clients send, in their three forms, to model locations (pure)."""

from __future__ import annotations

import pytest

from ooi.api.references import entity_id, to_location
from ooi.occi.errors import InvalidInput

ENDPOINT = "http://cloud.example.org:8787/occi1.2/"


@pytest.mark.parametrize(
    "reference",
    [
        "http://cloud.example.org:8787/occi1.2/network/abc-1",
        "https://CLOUD.example.org:8787/occi1.2/network/abc-1",  # scheme changed by a proxy
        "/occi1.2/network/abc-1",  # IM: host-absolute with the prefix
        "/network/abc-1",  # rOCCI-cli: endpoint-relative
        "network/abc-1",
        " /network/abc-1 ",
        "/occi1.2/network/abc%2D1",
    ],
)
def test_every_form_names_the_same_location(reference):
    assert to_location(reference, ENDPOINT) == "network/abc-1"
    assert entity_id(reference, ENDPOINT, "network/") == "abc-1"


def test_default_ports_are_the_same_host():
    assert to_location("http://cloud/occi1.2/compute/1", "http://cloud:80/occi1.2/") == "compute/1"


def test_endpoint_at_the_root():
    assert to_location("http://h:1/network/x", "http://h:1/") == "network/x"
    assert to_location("/network/x", "http://h:1/") == "network/x"


def test_endpoint_given_as_a_path():
    assert to_location("/occi1.2/storage/v", "/occi1.2/") == "storage/v"


@pytest.mark.parametrize(
    ("reference", "fragment"),
    [
        ("http://elsewhere.org:8787/occi1.2/network/x", "another server"),
        ("http://cloud.example.org:8787/occi1.1/network/x", "outside this OCCI endpoint"),
        ("http://cloud.example.org:8787/occi1.2x/network/x", "outside this OCCI endpoint"),
        ("ftp://cloud.example.org:8787/occi1.2/network/x", "not an http(s) URL"),
        ("/network/x?action=up", "query or fragment"),
        ("", "Empty reference"),
        ("/occi1.2/", "endpoint itself"),
    ],
)
def test_references_outside_the_endpoint_are_refused(reference, fragment):
    with pytest.raises(InvalidInput) as error:
        to_location(reference, ENDPOINT)
    assert fragment in error.value.message
    assert error.value.status == 400
    if reference:
        assert reference in error.value.message


@pytest.mark.parametrize(
    "reference", ["/storage/x", "/network/", "/network/x/y", "/occi1.1/network/x"]
)
def test_entity_id_checks_the_kind_location(reference):
    with pytest.raises(InvalidInput) as error:
        entity_id(reference, ENDPOINT, "network/")
    assert reference in error.value.message
    assert "network" in error.value.message
