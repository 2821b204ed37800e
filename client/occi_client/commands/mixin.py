"""`occi mixin list|create|delete`: user mixins (tags) of the project."""

from __future__ import annotations

import argparse
import json

from cliff.command import Command
from cliff.lister import Lister
from cliff.show import ShowOne

from occi_client import parse, tags
from occi_client.commands.base import SiteMixin, category_fields
from occi_client.errors import Conflict
from occi_client.site import COMPUTE


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


class _Membership(SiteMixin, Command):
    method = ""

    def get_parser(self, prog_name: str) -> argparse.ArgumentParser:
        parser = super().get_parser(prog_name)
        parser.add_argument("mixin", help="term or type id")
        parser.add_argument("computes", nargs="+", metavar="compute", help="id, name or URL")
        return parser

    def take_action(self, parsed_args: argparse.Namespace) -> None:
        site = self.site
        category = site.pick(tags.tags(site), parsed_args.mixin, "mixin")
        urls = [site.find(COMPUTE, ref).location or "" for ref in parsed_args.computes]
        if parse.is_json(site.media_type):
            body = json.dumps({"locations": urls})
        else:
            body = "".join(f"X-OCCI-Location: {url}\n" for url in urls)
        location = category.location or f"/{category.term}/"
        site.client.request(self.method, location, body=body)


class MixinAdd(_Membership):
    """Tag computes with a user mixin."""

    method = "POST"


class MixinRemove(_Membership):
    """Take a user mixin off computes."""

    method = "DELETE"
