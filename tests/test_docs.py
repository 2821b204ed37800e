"""The docs (docs/*.md) checked without the cloud in a box: every block is of a kind the checks
know, every option they name exists, the paste sections are the box's, options.md is current.
The `sh` blocks run against the box in tests/functional/test_docs.py."""

from __future__ import annotations

import configparser
import re
from pathlib import Path

import pytest

from ooi import opts
from tests import docs_check
from tests.docs_check import ROOT, Block, blocks, pages

# How each kind of block is checked (docs/README.md says the same to the reader).
CHECKED = {
    "sh": "run against the box by tests/functional/test_docs.py",
    "ini": "parsed here",
    "shell": "names the test that does the same",
    "text": "an example of a message, not a command",
    "nginx": "its forwarded header checked against the ini block here",
    "haproxy": "its forwarded header checked against the ini block here",
}
OPTION_NAMES = {o.dest for o in opts.OPTS}
# Words that look like options but are something else.
NOT_OPTIONS = {"ooi_schema_version"}


def _all_blocks() -> list[Block]:
    return [block for page in pages() for block in blocks(page)]


def _ini(block: Block) -> configparser.RawConfigParser:
    parser = configparser.RawConfigParser(strict=False)
    parser.optionxform = str  # type: ignore[assignment,method-assign]
    parser.read_string(block.text)
    return parser


def test_every_page_is_in_the_index_and_the_index_is_in_the_readme() -> None:
    index = (docs_check.DOCS / "README.md").read_text()
    for page in pages():
        if page.name != "README.md":
            assert f"({page.name})" in index, page.name
    assert "docs/" in (ROOT / "README.md").read_text()


def test_every_block_is_of_a_kind_the_checks_know() -> None:
    for block in _all_blocks():
        assert block.language in CHECKED, f"{block.where}: ```{block.language}"


def test_every_shell_block_names_the_test_that_checks_it() -> None:
    for block in _all_blocks():
        if block.language == "shell":
            found = re.search(r"^# checked by: (\S+)", block.text, re.M)
            assert found, f"{block.where}: no '# checked by:' line"
            assert (ROOT / found.group(1)).exists(), f"{block.where}: {found.group(1)}"


def test_every_ini_block_parses_and_names_real_options() -> None:
    for block in _all_blocks():
        if block.language != "ini":
            continue
        parser = _ini(block)
        for key in parser.defaults():
            if key.startswith("ooi_") or key == "neutron_ooi_endpoint":
                assert key in OPTION_NAMES, f"{block.where}: no option {key}"


def test_every_option_the_prose_names_exists() -> None:
    for page in pages():
        for name in re.findall(r"`(ooi_[a-z_]+)", page.read_text()):
            assert name in OPTION_NAMES | NOT_OPTIONS, f"{page.name}: {name}"


def test_the_options_page_lists_every_option() -> None:
    text = docs_check.OPTIONS_PAGE.read_text()
    assert text == docs_check.page_with_current_table(text), "run `make docs-options`"


def _pipeline_blocks() -> tuple[configparser.RawConfigParser, configparser.RawConfigParser]:
    ini = [b for b in blocks(docs_check.DOCS / "nova-pipeline.md") if b.language == "ini"]
    sections = next(b for b in ini if "[filter:occi]" in b.text)
    urlmap = next(b for b in ini if "[composite:osapi_compute]" in b.text)
    return _ini(sections), _ini(urlmap)


def test_the_paste_sections_are_the_ones_the_box_runs_nova_with() -> None:
    pytest.importorskip("nova")
    from ooi.cloud import paste
    from ooi.cloud.settings import shipped_etc

    shipped = (shipped_etc("nova") / "api-paste.ini").read_text()
    box = configparser.RawConfigParser(strict=False)
    box.optionxform = str  # type: ignore[assignment,method-assign]
    box.read_string(paste.with_occi_mounts(shipped) + paste.ooi_sections(shipped))
    sections, urlmap = _pipeline_blocks()
    assert sections.sections()
    for name in sections.sections():
        assert dict(sections.items(name)) == dict(box.items(name)), name
    documented = dict(urlmap.items("composite:osapi_compute"))
    assert documented == dict(box.items("composite:osapi_compute"))


def test_the_proxies_set_the_header_ooi_is_told_to_read() -> None:
    page = docs_check.DOCS / "tls-proxy.md"
    found = {b.language: b for b in blocks(page)}
    option = _ini(found["ini"]).defaults()["ooi_secure_proxy_ssl_header"]
    header = option.removeprefix("HTTP_").replace("_", "-").lower()
    assert f"proxy_set_header {header} $scheme;" in found["nginx"].text.lower()
    assert f"set-header {header} https" in found["haproxy"].text.lower()


def test_make_knows_the_docs_target() -> None:
    assert "docs-options:" in Path(ROOT / "Makefile").read_text()
