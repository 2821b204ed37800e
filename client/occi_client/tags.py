"""User mixins (tags): found among the site's mixins, defined on the site when missing."""

from __future__ import annotations

from occi_client import parse
from occi_client.model import Category
from occi_client.site import Site

# Schemes of the site's own mixins; a tag is any other mixin.
_SITE_SCHEMES = ("http://schemas.ogf.org/", "http://schemas.openstack.org/")


def is_tag(category: Category) -> bool:
    return category.cls == "mixin" and not category.scheme.startswith(_SITE_SCHEMES)


def tags(site: Site) -> list[Category]:
    return [c for c in site.categories() if is_tag(c)]


def default_scheme(site: Site) -> str:
    """Tags made by this client live in the endpoint's own namespace."""
    return site.client.endpoint + "/tags#"


def definition(term: str, scheme: str, title: str | None = None) -> str:
    """A mixin definition for POST or DELETE on /-/, in text/plain (every server reads it)."""
    line = f'Category: {term}; scheme="{scheme}"; class="mixin"'
    if title:
        line += f"; title={parse_quote(title)}"
    return line + f'; location="/{term}/"\n'


def parse_quote(value: str) -> str:
    return '"' + value.replace("\\", "\\\\").replace('"', '\\"') + '"'


def define(site: Site, term: str, title: str | None = None) -> Category:
    """Define tag `term` on the site; the site's categories are read again afterwards."""
    body = definition(term, default_scheme(site), title)
    site.client.request("POST", "-/", body=body, headers={"Content-Type": parse.TEXT})
    site.forget()
    return site.pick(tags(site), term, "mixin")


def find_or_define(site: Site, ref: str) -> Category:
    found = [c for c in tags(site) if ref in (c.term, c.type_id)]
    if found:
        return site.pick(found, ref, "mixin")
    return define(site, ref)


def delete(site: Site, category: Category) -> None:
    body = definition(category.term, category.scheme)
    site.client.request("DELETE", "-/", body=body, headers={"Content-Type": parse.TEXT})
    site.forget()
