"""`occi mixin list|create|delete`: user mixins (tags) of the project."""

from __future__ import annotations

import argparse

from cliff.command import Command
from cliff.lister import Lister
from cliff.show import ShowOne

from occi_client import tags
from occi_client.commands.base import SiteMixin, category_fields
from occi_client.errors import Conflict


class MixinList(SiteMixin, Lister):
    """List the user mixins (tags)."""

    def take_action(self, parsed_args: argparse.Namespace) -> tuple[tuple, list[tuple]]:
        rows = [(c.term, c.scheme, c.title, c.location) for c in tags.tags(self.site)]
        return ("Term", "Scheme", "Title", "Location"), rows


class MixinCreate(SiteMixin, ShowOne):
    """Define a user mixin (a tag computes can carry)."""

    def get_parser(self, prog_name: str) -> argparse.ArgumentParser:
        parser = super().get_parser(prog_name)
        parser.add_argument("term", help="its name: letters, digits, _ and -")
        parser.add_argument("--title", help="a description")
        return parser

    def take_action(self, parsed_args: argparse.Namespace) -> tuple[tuple, tuple]:
        if any(c.term == parsed_args.term for c in tags.tags(self.site)):
            raise Conflict(f"mixin {parsed_args.term} exists already")
        return category_fields(tags.define(self.site, parsed_args.term, parsed_args.title))


class MixinDelete(SiteMixin, Command):
    """Delete user mixins (computes keep running, without the tag)."""

    def get_parser(self, prog_name: str) -> argparse.ArgumentParser:
        parser = super().get_parser(prog_name)
        parser.add_argument("mixins", nargs="+", metavar="mixin", help="term or type id")
        return parser

    def take_action(self, parsed_args: argparse.Namespace) -> None:
        for ref in parsed_args.mixins:
            tags.delete(self.site, self.site.pick(tags.tags(self.site), ref, "mixin"))
