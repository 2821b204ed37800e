"""What the docs checks share: the fenced blocks of docs/*.md, and docs/options.md's table made
from ooi's options (`make docs-options`, i.e. `python -m tests.docs_check`, rewrites it)."""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

from oslo_config import cfg

from ooi import opts

ROOT = Path(__file__).resolve().parents[1]
DOCS = ROOT / "docs"
OPTIONS_PAGE = DOCS / "options.md"
TABLE_START = "<!-- options table: made by `make docs-options` -->"
TABLE_END = "<!-- end of the options table -->"

_FENCE = re.compile(r"^```([\w-]*)\n(.*?)^```$", re.S | re.M)


@dataclass(frozen=True)
class Block:
    page: Path
    language: str
    text: str
    line: int

    @property
    def where(self) -> str:
        return f"{self.page.relative_to(ROOT)}:{self.line}"


def pages() -> list[Path]:
    return sorted(DOCS.glob("*.md"))


def blocks(page: Path) -> list[Block]:
    text = page.read_text()
    return [
        Block(page, m.group(1), m.group(2), text.count("\n", 0, m.start()) + 1)
        for m in _FENCE.finditer(text)
    ]


def _default(opt: cfg.Opt) -> str:
    if opt.default in (None, {}, []):
        return "(unset)"
    if isinstance(opt.default, bool):
        return str(opt.default).lower()
    return f"`{opt.default}`"


def _what(opt: cfg.Opt) -> str:
    text = " ".join(opt.help.split())
    choices = getattr(opt.type, "choices", None) or {}
    if choices:
        text += " Values: " + "; ".join(
            f"`{value}`" + (f": {about}" if about else "") for value, about in choices.items()
        )
        text += "."
    return text.replace("|", "\\|")


def options_table() -> str:
    rows = ["| option | default | what it does |", "|---|---|---|"]
    rows += [f"| `{o.dest}` | {_default(o)} | {_what(o)} |" for o in opts.OPTS]
    return "\n".join([TABLE_START, *rows, TABLE_END])


def page_with_current_table(text: str) -> str:
    start, end = text.index(TABLE_START), text.index(TABLE_END) + len(TABLE_END)
    return text[:start] + options_table() + text[end:]


if __name__ == "__main__":
    OPTIONS_PAGE.write_text(page_with_current_table(OPTIONS_PAGE.read_text()))
    print(f"wrote {OPTIONS_PAGE.relative_to(ROOT)}")
