"""`occi os-template list|show`, `occi resource-template list|show`."""

from __future__ import annotations

import argparse
from typing import Any

from cliff.lister import Lister
from cliff.show import ShowOne

from occi_client.commands.base import SiteMixin, category_fields
from occi_client.site import OS_TPL, RESOURCE_TPL


class _List(SiteMixin, Lister):
    rel = ""

    def take_action(self, parsed_args: argparse.Namespace) -> tuple[tuple, list[tuple[Any, ...]]]:
        rows = [(c.term, c.title, c.scheme, c.location) for c in self.site.templates(self.rel)]
        return ("ID", "Name", "Scheme", "Location"), rows


class _Show(SiteMixin, ShowOne):
    rel = ""

    def get_parser(self, prog_name: str) -> argparse.ArgumentParser:
        parser = super().get_parser(prog_name)
        parser.add_argument("template", help="id (term), name (title), type id or location")
        return parser

    def take_action(self, parsed_args: argparse.Namespace) -> tuple[tuple, tuple]:
        return category_fields(self.site.template(self.rel, parsed_args.template))


class OsTemplateList(_List):
    """List the OS templates (images)."""

    rel = OS_TPL


class OsTemplateShow(_Show):
    """Show one OS template."""

    rel = OS_TPL


class ResourceTemplateList(_List):
    """List the resource templates (flavors)."""

    rel = RESOURCE_TPL


class ResourceTemplateShow(_Show):
    """Show one resource template."""

    rel = RESOURCE_TPL
