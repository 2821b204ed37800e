"""The lexical layer of the text renderings: quoting, splitting, grammars, attribute values."""

from __future__ import annotations

import pytest

from ooi.occi.errors import InvalidInput
from ooi.occi.textsyntax import (
    is_attribute_name,
    is_term,
    parse_value,
    quote,
    render_number,
    render_value,
    safe_uri,
    split_parameter,
    split_value,
    unquote,
    unquote_lenient,
)

# -- quoted strings -----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "quoted"),
    [
        ("", '""'),
        ("plain", '"plain"'),
        ('say "hi"', r'"say \"hi\""'),
        ("back\\slash", r'"back\\slash"'),
        ('\\"', r'"\\\""'),
        ("a, b; c=d", '"a, b; c=d"'),
        ("ünïcödé ☃", '"ünïcödé ☃"'),
        ("tab\there", '"tab\there"'),
    ],
)
def test_quote_escapes_quotes_and_backslashes(text: str, quoted: str) -> None:
    assert quote(text) == quoted
    assert unquote(quoted) == text


@pytest.mark.parametrize(
    ("text", "quoted"),
    [
        ("line\nbreak", '"line break"'),
        ("crlf\r\nend", '"crlf  end"'),
        ("nul\x00", '"nul "'),
        ("del\x7f", '"del "'),
    ],
)
def test_quote_turns_control_characters_into_spaces(text: str, quoted: str) -> None:
    # RFC 7230 quoted-strings cannot carry them, even escaped; a line break would end the field.
    assert quote(text) == quoted


def test_unquote_takes_any_escaped_character() -> None:
    assert unquote(r'"\a\b\\"') == "ab\\"


@pytest.mark.parametrize("bad", ['"open', '"a" trailing', 'x"a"', '"a\\"', '"', "bare"])
def test_unquote_refuses_what_is_not_one_quoted_string(bad: str) -> None:
    with pytest.raises(InvalidInput):
        unquote(bad)


def test_unquote_lenient_keeps_bare_tokens() -> None:
    assert unquote_lenient("kind") == "kind"
    assert unquote_lenient('"kind"') == "kind"
    with pytest.raises(InvalidInput):
        unquote_lenient('ki"nd')


def test_unquote_is_linear_on_pathological_input() -> None:
    # A regex with nested quantifiers would take ages on this; ours answers at once.
    with pytest.raises(InvalidInput):
        unquote('"' + "\\a" * 50_000 + "\\")
    assert split_value('"' + "\\" * 100_001) == [['"' + "\\" * 100_001]]


# -- splitting ----------------------------------------------------------------------------


def test_split_value_at_commas_and_semicolons_outside_quotes() -> None:
    value = 'a; b="x,y;z"; c, <http://h/p;q,r>; rel="t", d'
    assert split_value(value) == [
        ["a", 'b="x,y;z"', "c"],
        ["<http://h/p;q,r>", 'rel="t"'],
        ["d"],
    ]


def test_split_value_keeps_escaped_quotes_inside() -> None:
    assert split_value(r'a="x\",y", b=1') == [[r'a="x\",y"'], ["b=1"]]


def test_split_value_drops_empty_parameters_and_elements() -> None:
    # The 1.1 text/occi example ends a Category with ";," (http_rendering.tex §Content-type).
    assert split_value('compute; scheme="s"; class="kind";, my; scheme="t";') == [
        ["compute", 'scheme="s"', 'class="kind"'],
        ["my", 'scheme="t"'],
    ]
    assert split_value("  ,  ; ,") == []


def test_split_value_without_parameters_splits_at_commas_only() -> None:
    assert split_value("/a;b, /c", parameters=False) == [["/a;b"], ["/c"]]
    assert split_value('"/a,b";x, /c', parameters=False) == [['"/a,b";x'], ["/c"]]


def test_split_value_unterminated_quote_runs_to_the_end() -> None:
    assert split_value('a="x, b=2') == [['a="x, b=2']]


def test_split_parameter() -> None:
    assert split_parameter('scheme="a=b"') == ("scheme", '"a=b"')
    assert split_parameter("class = kind") == ("class", "kind")
    assert split_parameter("compute") == ("compute", None)
    # A slip in occi-spec/1.1/http_rendering.tex: the whole parameter quoted.
    assert split_parameter('"class=kind"') == ("class", "kind")


# -- grammars -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("term", "v12", "v11"),
    [
        ("compute", True, True),
        ("os_tpl", True, True),
        ("my-stuff2", True, True),
        ("Ubuntu", True, False),
        ("8b3a0c1e-uuid", True, False),
        ("m1.small", True, False),
        ("_x", False, False),
        ("", False, False),
        ("a b", False, False),
        ("a,b", False, False),
    ],
)
def test_term_grammars(term: str, v12: bool, v11: bool) -> None:
    assert is_term(term, "1.2") is v12
    assert is_term(term, "1.1") is v11


@pytest.mark.parametrize(
    ("name", "v12", "v11"),
    [
        ("occi.compute.cores", True, True),
        ("org.openstack.compute.user_data", True, True),
        ("method", True, True),
        ("occi.compute.state.message", True, True),
        ("occi..x", True, False),
        ("Occi.x", True, False),
        ("occi.x.", True, False),
        ("a=b", False, False),
        ("", False, False),
    ],
)
def test_attribute_name_grammars(name: str, v12: bool, v11: bool) -> None:
    assert is_attribute_name(name, "1.2") is v12
    assert is_attribute_name(name, "1.1") is v11


# -- URIs ---------------------------------------------------------------------------------


def test_safe_uri_leaves_plain_uris_alone() -> None:
    uri = "http://h:8787/occi1.2/compute/42?action=stop#x"
    assert safe_uri(uri) is uri
    assert safe_uri("urn:uuid:1-2") == "urn:uuid:1-2"
    assert safe_uri("/a/%41") == "/a/%41"


def test_safe_uri_encodes_separators_and_non_ascii() -> None:
    assert safe_uri("/a,b;c d") == "/a%2Cb%3Bc%20d"
    assert safe_uri('/"<>') == "/%22%3C%3E"
    assert safe_uri("/é") == "/%C3%A9"


# -- attribute values ---------------------------------------------------------------------


@pytest.mark.parametrize(
    ("value", "text"),
    [
        (2, "2"),
        (0, "0"),
        (2.0, "2.0"),
        (1.33, "1.33"),
        (1e20, "100000000000000000000.0"),
        (1.5e-7, "0.00000015"),
        (-3, "-3"),
        (-0.5, "-0.5"),
    ],
)
def test_render_number_never_uses_an_exponent(value: float, text: str) -> None:
    assert render_number(value) == text
    assert parse_value(text) == value
    assert type(parse_value(text)) is type(value)


@pytest.mark.parametrize(
    ("value", "text"),
    [
        ("x86", '"x86"'),
        ("", '""'),
        ("true", '"true"'),
        ("2", '"2"'),
        (True, "true"),
        (False, "false"),
        (4, "4"),
        (2.5, "2.5"),
        (["a", 1], '"[\\"a\\",1]"'),
        ({"k": "v"}, '"{\\"k\\":\\"v\\"}"'),
        (float("nan"), '"nan"'),
        (float("inf"), '"inf"'),
    ],
)
def test_render_value(value: object, text: str) -> None:
    assert render_value(value) == text


@pytest.mark.parametrize("value", ["x", "", 'a "b" \\ c, d; e=f', True, False, 0, 7, 0.25, 3.0])
def test_render_then_parse_value_gives_it_back_typed(value: object) -> None:
    parsed = parse_value(render_value(value))
    assert parsed == value
    assert type(parsed) is type(value)


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("+2", 2),
        ("-2", -2),
        ("2.", 2.0),
        (".5", 0.5),
        ("1e3", 1000.0),
        ("1.5E-2", 0.015),
        ("foobar", "foobar"),  # a bare token, as in the 1.1 text/occi example
        ("x86_64", "x86_64"),
        ("1e999", "1e999"),  # no finite float: kept as text
        ("True", "True"),
        ("1.2.3", "1.2.3"),
        ("-", "-"),
    ],
)
def test_parse_value_is_lenient(text: str, value: object) -> None:
    parsed = parse_value(text)
    assert parsed == value
    assert type(parsed) is type(value)


def test_parse_value_is_linear_on_long_digit_runs() -> None:
    # An ambiguous float expression would need quadratic time to reject this.
    digits = "1" * 200_000
    assert parse_value(digits + "x") == digits + "x"
    assert parse_value(digits[:300] + ".5") == float(digits[:300] + ".5")


def test_parse_value_quoted_true_stays_a_string() -> None:
    assert parse_value('"true"') == "true"
    assert parse_value('"2"') == "2"


@pytest.mark.parametrize("bad", ["", '"open', '"a"b', 'a"b"'])
def test_parse_value_refuses(bad: str) -> None:
    with pytest.raises(InvalidInput):
        parse_value(bad)


def test_parse_value_refuses_absurdly_long_integers() -> None:
    # int() refuses more than 4300 digits with ValueError; that must become InvalidInput.
    with pytest.raises(InvalidInput):
        parse_value("9" * 5000)
