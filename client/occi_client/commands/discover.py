"""`occi discover`: the kinds, mixins and actions a site offers."""

from __future__ import annotations

import argparse
from typing import Any

from cliff.lister import Lister

from occi_client.commands.base import ListColumn, SiteMixin


class Discover(SiteMixin, Lister):
    """List the site's categories: kinds, mixins (templates among them) and actions."""

    def get_parser(self, prog_name: str) -> argparse.ArgumentParser:
        parser = super().get_parser(prog_name)
        parser.add_argument(
            "--class",
            dest="cls",
            choices=("kind", "mixin", "action"),
            help="only categories of this class",
        )
        return parser

    def take_action(self, parsed_args: argparse.Namespace) -> tuple[tuple, list[tuple[Any, ...]]]:
        found = [c for c in self.site.categories() if parsed_args.cls in (None, c.cls)]
        cols = ("Class", "Term", "Scheme", "Title", "Location", "Related")
        rows = [
            (c.cls, c.term, c.scheme, c.title, c.location, ListColumn(c.related)) for c in found
        ]
        return cols, rows
