"""What every command shares: the site of the run, named things, output columns."""

from __future__ import annotations

import argparse
from typing import Any

from cliff import columns
from cliff.command import Command
from cliff.lister import Lister
from cliff.show import ShowOne

from occi_client import operations
from occi_client.model import Category, Entity, Link
from occi_client.site import Site
from occi_client.wait import DEFAULT_TIMEOUT


class SiteMixin:
    """Commands that talk to the site (connected on first use)."""

    app: Any

    @property
    def site(self) -> Site:
        return self.app.site


def add_wait(parser: argparse.ArgumentParser, what: str) -> None:
    parser.add_argument("--wait", action="store_true", help=f"wait until {what}")
    parser.add_argument(
        "--wait-timeout",
        type=float,
        default=DEFAULT_TIMEOUT,
        metavar="SECONDS",
        help=f"give up waiting after this long (default {DEFAULT_TIMEOUT:g}; exit status 7)",
    )


class ForEach(SiteMixin, Command):
    """Commands that act on each of several things named on the command line."""

    noun = "resource"
    what = "done"  # what --wait waits for

    def get_parser(self, prog_name: str) -> argparse.ArgumentParser:
        parser = super().get_parser(prog_name)
        parser.add_argument("refs", nargs="+", metavar=self.noun, help="id, name or URL")
        add_wait(parser, self.what)
        return parser

    def act(self, ref: str, args: argparse.Namespace) -> None:
        raise NotImplementedError

    def take_action(self, parsed_args: argparse.Namespace) -> None:
        for ref in parsed_args.refs:
            self.act(ref, parsed_args)


class DeleteEach(ForEach):
    """Delete the resources of `kind` named on the command line."""

    kind = ""
    what = "they are gone"

    def act(self, ref: str, args: argparse.Namespace) -> None:
        found = self.site.find(self.kind, ref)
        timeout = args.wait_timeout if args.wait else None
        operations.delete(self.site, found.location or "", self.kind, timeout)


class TriggerEach(ForEach):
    """Trigger `action` on the resources of `kind` named on the command line; --wait waits
    for `state`."""

    kind = ""
    action = ""
    state = ""

    def act(self, ref: str, args: argparse.Namespace) -> None:
        found = self.site.find(self.kind, ref)
        operations.trigger(self.site, found, self.kind, self.action)
        if args.wait:
            location = found.location or ""
            operations.wait_for(self.site, location, self.kind, self.state, args.wait_timeout)


class ResourceList(SiteMixin, Lister):
    """List the resources of `kind`: id, name, the `columns` and location."""

    kind = ""
    columns: tuple[tuple[str, str], ...] = ()  # (heading, attribute)

    def take_action(self, parsed_args: argparse.Namespace) -> tuple[tuple, list[tuple]]:
        headings = ("ID", "Name", *(h for h, _ in self.columns), "Location")
        rows = [
            (e.id, e.title, *(e.attributes.get(a) for _, a in self.columns), e.location)
            for e in self.site.entities(self.kind)
        ]
        return headings, rows


class ResourceShow(SiteMixin, ShowOne):
    """Show one resource of `kind`, named by id, name or URL."""

    kind = ""

    def get_parser(self, prog_name: str) -> argparse.ArgumentParser:
        parser = super().get_parser(prog_name)
        parser.add_argument("resource", help="id, name or URL")
        return parser

    def fields(self, entity: Entity) -> tuple[tuple[str, ...], tuple[Any, ...]]:
        return entity_fields(entity)

    def take_action(self, parsed_args: argparse.Namespace) -> tuple[tuple, tuple]:
        return self.fields(self.site.find(self.kind, parsed_args.resource))


class LinksColumn(columns.FormattableColumn):
    """Links: one line each for people, objects for JSON and YAML."""

    def human_readable(self) -> str:
        return "\n".join(
            f"{(link.get('kind') or '').rpartition('#')[2]} -> {link.get('target')}"
            for link in self._value
        )

    def machine_readable(self) -> Any:
        return self._value


class ListColumn(columns.FormattableColumn):
    def human_readable(self) -> str:
        return "\n".join(str(v) for v in self._value)

    def machine_readable(self) -> Any:
        return list(self._value)


def link_dict(link: Link) -> dict[str, Any]:
    return {
        "kind": link.kind,
        "target": link.target,
        "target_kind": link.target_kind,
        "location": link.location,
        "mixins": link.mixins,
        "attributes": link.attributes,
    }


def entity_fields(entity: Entity) -> tuple[tuple[str, ...], tuple[Any, ...]]:
    """A resource for ShowOne: core members, then every attribute by its OCCI name."""
    names = ["id", "title", "kind", "location", "mixins", "actions", "links"]
    values: list[Any] = [
        entity.id,
        entity.title,
        entity.kind,
        entity.location,
        ListColumn(entity.mixins),
        ListColumn(entity.actions),
        LinksColumn([link_dict(link) for link in entity.links]),
    ]
    if entity.source or entity.target:  # a link
        names += ["source", "target"]
        values += [entity.source, entity.target]
    for name in sorted(entity.attributes):
        if name not in ("occi.core.id", "occi.core.title"):
            names.append(name)
            values.append(entity.attributes[name])
    return tuple(names), tuple(values)


def category_fields(category: Category) -> tuple[tuple[str, ...], tuple[Any, ...]]:
    return (
        ("term", "scheme", "class", "title", "location", "related", "attributes", "actions"),
        (
            category.term,
            category.scheme,
            category.cls,
            category.title,
            category.location,
            ListColumn(category.related),
            ListColumn(category.attributes),
            ListColumn(category.actions),
        ),
    )
