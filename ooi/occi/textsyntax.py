"""The lexical layer of the OCCI text renderings (text/plain, text/occi).

Grammar: occi-spec/1.2/text_rendering.tex §ABNF Definitions and occi-spec/1.1/http_rendering.tex
§Syntax and Semantics of the Rendering; quoted-string as in RFC 7230 §3.2.6 (``\\"`` and ``\\\\``
are the escapes that matter). Everything here is pure string work shared by the text renderers
and parsers: quoting, splitting header values outside quotes, the term and attribute-name
grammars, and attribute values.

Rendering is strict (what the ABNF allows, nothing more); parsing is lenient but only ever raises
`InvalidInput`. No regular expression here has nested quantifiers that could backtrack badly.
"""

from __future__ import annotations

import math
import re
from decimal import Decimal
from typing import Any

from ooi.occi.errors import InvalidInput

# -- grammars ---------------------------------------------------------------------------------

# 1.2: term = (ALPHA | DIGIT) *(ALPHA | DIGIT | "-" | "_" | "."), attribute names likewise.
_TERM_12 = re.compile(r"[A-Za-z0-9][A-Za-z0-9._-]*")
# 1.1: term = LOALPHA *(LOALPHA | DIGIT | "-" | "_"); attribute names are dot-separated
# components of that shape.
_TERM_11 = re.compile(r"[a-z][a-z0-9_-]*")
_ATTRIBUTE_NAME_11 = re.compile(r"[a-z][a-z0-9_-]*(?:\.[a-z][a-z0-9_-]*)*")


def is_term(text: str, version: str = "1.2") -> bool:
    """True when ``text`` is a Category term in the grammar of OCCI ``version``."""
    return bool((_TERM_11 if version == "1.1" else _TERM_12).fullmatch(text))


def is_attribute_name(text: str, version: str = "1.2") -> bool:
    """True when ``text`` is an attribute name in the grammar of OCCI ``version``."""
    return bool((_ATTRIBUTE_NAME_11 if version == "1.1" else _TERM_12).fullmatch(text))


# -- quoted strings ---------------------------------------------------------------------------

# Characters a quoted-string cannot carry even escaped (RFC 7230 §3.2.6 allows HTAB, SP, VCHAR
# and obs-text only): CR and LF would also break the line framing of text/plain.
_UNQUOTABLE = re.compile(r"[\x00-\x08\x0a-\x1f\x7f]")
_NEEDS_ESCAPE = re.compile(r'["\\]')
_ESCAPED = re.compile(r"\\(.)", re.DOTALL)
# A whole quoted-string; possessive quantifiers in an unrolled loop: no backtracking.
_QUOTED = re.compile(r'"([^"\\]*+(?:\\.[^"\\]*+)*+)"', re.DOTALL)


def quote(text: str) -> str:
    """``text`` as an RFC 7230 quoted-string.

    Control characters (CR, LF, ...) have no representation in a quoted-string, not even
    escaped; each is rendered as a space so that a value can never break a line or a header.
    """
    if _UNQUOTABLE.search(text):
        text = _UNQUOTABLE.sub(" ", text)
    if _NEEDS_ESCAPE.search(text):
        text = _NEEDS_ESCAPE.sub(r"\\\g<0>", text)
    return f'"{text}"'


def unquote(text: str) -> str:
    """The content of the quoted-string ``text`` (which must be exactly one quoted-string)."""
    match = _QUOTED.fullmatch(text)
    if match is None:
        if text.startswith('"'):
            raise InvalidInput(f"unterminated or malformed quoted string: {excerpt(text)}")
        raise InvalidInput(f"expected a quoted string, got: {excerpt(text)}")
    content = match.group(1)
    return _ESCAPED.sub(r"\1", content) if "\\" in content else content


def unquote_lenient(text: str) -> str:
    """``text`` unquoted when it is a quoted-string, else as it is (a bare token, which cannot
    hold a quote)."""
    if text.startswith('"'):
        return unquote(text)
    if '"' in text:
        raise InvalidInput(f"stray quote in an unquoted value: {excerpt(text)}")
    return text


# -- URIs -------------------------------------------------------------------------------------

# Characters allowed in a URI reference (RFC 3986) minus "," and ";", which separate values and
# parameters in the text renderings, so that a rendered URI never needs quotes to stay whole.
_URI_UNSAFE = re.compile(r"[^A-Za-z0-9\-._~:/?#\[\]@!$&'()*+=%]")


def _percent_encode(match: re.Match[str]) -> str:
    return "".join(f"%{byte:02X}" for byte in match.group().encode("utf-8"))


def safe_uri(uri: str) -> str:
    """``uri`` with every character that is not plain URI syntax (spaces, quotes, ``,``, ``;``,
    ``<``, ``>``, non-ASCII) percent-encoded as UTF-8."""
    if _URI_UNSAFE.search(uri) is None:
        return uri
    return _URI_UNSAFE.sub(_percent_encode, uri)


# -- header values ----------------------------------------------------------------------------

# One parameter of a header value and the separator after it: runs of ordinary characters,
# quoted-strings (possibly unterminated: the value parser reports it) and <URI>s (possibly
# unterminated), up to a "," or ";" outside them. Possessive quantifiers: no backtracking.
_PARAMETER = re.compile(
    r'\s*+((?:[^",;<]++|"[^"\\]*+(?:\\.[^"\\]*+)*+"?|<[^>]*+>?)*+)([,;]?)', re.DOTALL
)
# The same without ";" as a separator (a list of URIs).
_LIST_ITEM = re.compile(
    r'\s*+((?:[^",<]++|"[^"\\]*+(?:\\.[^"\\]*+)*+"?|<[^>]*+>?)*+)(,?)', re.DOTALL
)


def split_value(value: str, parameters: bool = True) -> list[list[str]]:
    """Split a header field value into elements at commas and each element into parameters at
    semicolons, both outside quoted-strings and ``<URI>``s; parameters are stripped and empty
    ones dropped, elements without parameters dropped. With ``parameters=False`` semicolons
    do not separate (a URI list), and each element is a one-item list.

    ``a; b="x,y", <u;v>; c`` gives ``[["a", 'b="x,y"'], ["<u;v>", "c"]]``.
    """
    if '"' not in value and "<" not in value:
        if parameters:
            split = [[p.strip() for p in e.split(";")] for e in value.split(",")]
        else:
            split = [[e.strip()] for e in value.split(",")]
        return [kept for kept in ([p for p in e if p] for e in split) if kept]
    elements: list[list[str]] = []
    params: list[str] = []
    for param, separator in (_PARAMETER if parameters else _LIST_ITEM).findall(value):
        param = param.rstrip()
        if param:
            params.append(param)
        if separator != ";" and params:
            elements.append(params)
            params = []
    return elements


def split_parameter(param: str) -> tuple[str, str | None]:
    """``name=value`` as (name, raw value); a parameter without ``=`` gives (param, None).

    Lenient: a parameter quoted as a whole (``"class=kind"``, a slip in
    occi-spec/1.1/http_rendering.tex) is unquoted first.
    """
    if param.startswith('"') and _QUOTED.fullmatch(param):
        param = unquote(param)
    name, equals, value = param.partition("=")
    if not equals:
        return param, None
    return name.strip(), value.strip()


# -- attribute values -------------------------------------------------------------------------

_INTEGER = re.compile(r"[+-]?[0-9]+")
# Lenient: signs, exponents and a missing integer or fraction part are accepted.
# Possessive, unambiguous quantifiers: a long run of digits cannot make it backtrack.
_FLOAT = re.compile(r"[+-]?(?:[0-9]++(?:\.[0-9]*+)?|\.[0-9]++)(?:[eE][+-]?[0-9]++)?")


def render_number(value: int | float) -> str:
    """An int or float as the ABNF's ``int`` / ``float``: digits, a float always with ``.``,
    never an exponent. Negative values keep their ``-``, which the ABNF cannot express."""
    if isinstance(value, int):
        return str(value)
    text = repr(value)
    if "e" in text or "E" in text:
        text = format(Decimal(text), "f")
    return text if "." in text else text + ".0"


def render_value(value: Any) -> str:
    """An attribute value as the ABNF's attribute-value.

    str → quoted-string; bool → bare ``true`` / ``false``; int and float → number. Values the
    text rendering has no syntax for (NaN and infinities, lists, dicts, ...) are rendered as
    quoted strings (lists and dicts as JSON) so that nothing is lost silently; the parser gives
    them back as str, and the layer above, which knows the attribute's type, may decode them.
    """
    if isinstance(value, str):
        return quote(value)
    if value is True:
        return "true"
    if value is False:
        return "false"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float):
        if math.isfinite(value):
            return render_number(value)
        return quote(repr(value))
    if isinstance(value, list | tuple | dict):
        import json  # rare path: keep the hot path free of it

        return quote(json.dumps(value, separators=(",", ":"), ensure_ascii=False, default=str))
    return quote(str(value))


def parse_value(raw: str) -> Any:
    """A typed attribute value from its text: quoted-string → str, ``true`` / ``false`` → bool,
    int → int, float → float; any other bare token → str (lenient)."""
    if not raw:
        raise InvalidInput("expected a value after '='")
    first = raw[0]
    if first == '"':
        return unquote(raw)
    if raw == "true":
        return True
    if raw == "false":
        return False
    if first.isdigit() or first in "+-.":
        if _INTEGER.fullmatch(raw):
            try:
                return int(raw)
            except ValueError:  # more digits than Python converts (sys.int_info)
                raise InvalidInput(f"integer too long: {excerpt(raw, 40)}") from None
        if _FLOAT.fullmatch(raw):
            number = float(raw)
            # 1e999 parses as inf, which no rendering can carry back: keep the text.
            return number if math.isfinite(number) else raw
    if '"' in raw:
        raise InvalidInput(f"stray quote in an unquoted value: {excerpt(raw)}")
    return raw


def excerpt(text: str, limit: int = 100) -> str:
    """``text`` shortened for an error message."""
    return text if len(text) <= limit else text[: limit - 3] + "..."
