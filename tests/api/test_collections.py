"""Filtering and pagination of entity collections (the pure parts)."""

from __future__ import annotations

import pytest

from ooi.api.collections import CollectionQuery, _query_pairs, _typed
from ooi.occi import core, openstack
from ooi.occi import infrastructure as infra
from ooi.occi.model import Resource

IMAGE = openstack.os_template("img-1", "an image")
VM = Resource(
    kind=infra.COMPUTE,
    id="s1",
    title="web",
    mixins=[IMAGE],
    attributes={"occi.compute.cores": 2, "occi.compute.state": "active"},
)


@pytest.mark.parametrize(
    ("categories", "attributes", "matches"),
    [
        ({infra.COMPUTE.type_id}, {}, True),
        ({core.RESOURCE.type_id}, {}, True),  # a parent kind
        ({IMAGE.type_id}, {}, True),
        ({infra.OS_TPL.type_id}, {}, True),  # a mixin it depends on
        ({infra.STORAGE.type_id}, {}, False),
        ({infra.RESOURCE_TPL.type_id}, {}, False),
        (set(), {"occi.core.title": "web"}, True),
        (set(), {"occi.core.id": "s1", "occi.compute.cores": 2.0}, True),
        (set(), {"occi.compute.cores": "2"}, True),
        (set(), {"occi.compute.cores": 4}, False),
        (set(), {"occi.compute.hostname": "web"}, False),  # not set
        ({IMAGE.type_id}, {"occi.compute.state": "inactive"}, False),
    ],
)
def test_filters_match_kinds_mixins_and_rendered_values(categories, attributes, matches):
    query = CollectionQuery(frozenset(categories), attributes)
    assert query.filters == bool(categories or attributes)
    assert query.matches(VM) is matches


def test_pages_count_from_one_and_end_empty():
    items = list(range(25))
    assert CollectionQuery(page=1, number=10).page_of(items) == (list(range(10)), True)
    assert CollectionQuery(page=3, number=10).page_of(items) == (list(range(20, 25)), False)
    assert CollectionQuery(page=4, number=10).page_of(items) == ([], False)
    assert CollectionQuery().page_of(items) == (items, False)


def test_query_strings_split_at_ampersands_and_semicolons():
    assert _query_pairs("page=1;number=100&attribute=occi.core.title%3Dweb+1") == [
        ("page", "1"),
        ("number", "100"),
        ("attribute", "occi.core.title=web 1"),
    ]
    assert [_typed(v) for v in ("3", "1.5", "true", "web")] == [3, 1.5, True, "web"]
