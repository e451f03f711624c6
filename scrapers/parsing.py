"""Strict parsing helpers shared by the Minnesota scrapers.

Everything here fails loudly: a page that changed shape raises
:class:`ParseError` naming the URL and the reason, instead of yielding records
with silently missing fields.  Nothing here touches the network.
"""

from __future__ import annotations

import codecs
import dataclasses
import datetime as dt
import re
import threading
from typing import Any, TypedDict, TypeVar, cast

from lxml import etree, html

__all__ = [
    "ParseError",
    "local_name",
    "many",
    "normalize_bill_id",
    "one",
    "parse_date",
    "parse_html",
    "parse_html_plain",
    "parse_xml",
    "parse_xml_keeping_namespaces",
    "record",
    "record_fields",
    "xml_parser",
]


class ParseError(ValueError):
    """A source document did not have the shape the parser expects."""

    def __init__(self, reason: str, *, source_url: str | None = None) -> None:
        self.reason = reason
        self.source_url = source_url
        where = source_url or "<unknown source>"
        super().__init__(f"{where}: {reason}")


# --- XML / HTML -------------------------------------------------------------

# The XML declaration must go before lxml parses a ``str``, and the declared
# charset must be ignored anyway: the Revisor labels UTF-8 bodies wrongly.  Bytes
# that start with the declaration (or with an element) are parsed as they are by
# a parser whose encoding is forced to UTF-8.
_XML_DECL = re.compile(r"^\s*<\?xml[^>]*\?>", re.IGNORECASE)
_XML_DECL_BYTES = re.compile(rb"<\?xml[^>]*\?>", re.IGNORECASE)


class _XMLOptions(TypedDict):
    """The keyword arguments of ``etree.XMLParser`` set below (typed for ``**``)."""

    resolve_entities: bool
    no_network: bool
    load_dtd: bool
    dtd_validation: bool
    huge_tree: bool
    recover: bool
    remove_comments: bool
    remove_pis: bool


_XML_OPTIONS: _XMLOptions = {
    # Hardened like defusedxml: no entity expansion, no DTD loading, no network
    # access, no huge-tree mode, and no error recovery (truncated input must fail).
    "resolve_entities": False,
    "no_network": True,
    "load_dtd": False,
    "dtd_validation": False,
    "huge_tree": False,
    "recover": False,
    "remove_comments": True,
    "remove_pis": True,
}
_local = threading.local()


def _xml_parser() -> etree.XMLParser:
    return etree.XMLParser(**_XML_OPTIONS)


def xml_parser() -> etree.XMLParser:
    """This thread's hardened parser for UTF-8 bytes (the declared charset is ignored).

    lxml parsers may be reused but not shared between threads, so there is one per
    thread; creating one costs more than parsing a small document.
    """
    parser: etree.XMLParser | None = getattr(_local, "xml_parser", None)
    if parser is None:
        parser = _local.xml_parser = etree.XMLParser(encoding="utf-8", **_XML_OPTIONS)
    return parser


def _decode_utf8(content: bytes | str, *, source_url: str) -> str:
    if isinstance(content, str):
        text = content
    else:
        try:  # "utf-8-sig" without its Python-level wrapper: a BOM is dropped first
            text = (content[3:] if content[:3] == codecs.BOM_UTF8 else content).decode("utf-8")
        except UnicodeDecodeError as exc:
            raise ParseError(
                f"body is not valid UTF-8 (byte {exc.start})", source_url=source_url
            ) from exc
    if not text or text.isspace():
        raise ParseError("empty body", source_url=source_url)
    return text


# The elements with an attribute in a namespace (most have none).
_NAMESPACED_ATTRIBUTES = etree.XPath("descendant-or-self::*[@*[namespace-uri()]]")


def local_name(tag: str) -> str:
    """A tag without its namespace: ``{urn:x}BILL`` -> ``BILL`` (etree.QName's
    localname); the tag of an entity reference (not a str) is returned as it is."""
    if isinstance(tag, str) and tag[0] == "{":
        return tag[tag.index("}") + 1 :]
    return tag


def _strip_namespaces(root: etree._Element) -> None:
    for el in root.iter(etree.Element):  # not comments / processing instructions
        tag = el.tag
        if tag[0] == "{":
            el.tag = local_name(tag)
    # The XPath selects elements only, and attribute names are str (the lxml stubs
    # allow any XPath result and bytes names).
    for el in cast("list[etree._Element]", _NAMESPACED_ATTRIBUTES(root)):
        for name in cast("list[str]", el.keys()):
            if name[0] == "{":
                value = el.attrib.pop(name)
                el.attrib[name[name.index("}") + 1 :]] = value
    etree.cleanup_namespaces(root)


def _xml_bytes(content: bytes | str, *, source_url: str) -> bytes | None:
    """The bytes of ``content`` to parse as they are (a BOM and the XML declaration
    dropped, the charset forced to UTF-8), after checking that they are UTF-8, when
    they start with an element or the declaration; None when the body must be
    decoded to a str first (whose checks then raise)."""
    if not isinstance(content, bytes):
        return None
    data = content[3:] if content[:3] == codecs.BOM_UTF8 else content
    if data[:1] != b"<":
        return None
    if data[1:2] == b"?":
        decl = _XML_DECL_BYTES.match(data)
        if decl is None:
            return None
        data = data[decl.end() :]
    if not content.isascii():  # ASCII is UTF-8, and not empty: nothing else to check
        _decode_utf8(content, source_url=source_url)
    return data


def parse_xml(content: bytes | str, *, source_url: str) -> etree._Element:
    """Parse an XML body into its root element, namespaces stripped.

    The bytes are always decoded as UTF-8 whatever the declaration says (the
    Revisor serves UTF-8 as ``text/xml`` without a charset, and names such as
    ``Pérez-Vega`` must survive).  Empty, truncated or malformed input raises
    :class:`ParseError`.
    """
    root, namespaced = parse_xml_keeping_namespaces(content, source_url=source_url)
    if namespaced:
        _strip_namespaces(root)
    return root


def parse_xml_keeping_namespaces(
    content: bytes | str, *, source_url: str
) -> tuple[etree._Element, bool]:
    """:func:`parse_xml` without the stripping of namespaces, and whether the body may
    declare any (if not, every tag is a local name already).

    Renaming every element costs several times the parse: a caller that matches
    tags with ``{*}name`` patterns and :func:`local_name` saves it.
    """
    data = _xml_bytes(content, source_url=source_url)  # no copy to a str
    try:
        # Safe: the parsers never resolve entities, load DTDs or touch the
        # network, and they refuse to recover from malformed input.
        if data is not None:
            root = etree.fromstring(data, parser=xml_parser())  # noqa: S320
        else:
            text = _decode_utf8(content, source_url=source_url)  # validates the UTF-8 too
            text = _XML_DECL.sub("", text, count=1)
            root = etree.fromstring(text, parser=_xml_parser())  # noqa: S320
    except etree.XMLSyntaxError as exc:
        raise ParseError(f"malformed XML: {exc}", source_url=source_url) from exc
    if root is None:
        raise ParseError("no root element", source_url=source_url)
    return root, _may_declare_namespaces(content if data is None else data)


def _may_declare_namespaces(content: bytes | str) -> bool:
    """Whether an XML body may declare a namespace: namespaces can only come from an
    ``xmlns`` attribute.  In bytes an ``=`` is looked for first (one byte is found
    many times faster than a word; ``data`` has no XML declaration left to hold one)."""
    if isinstance(content, bytes):
        return b"=" in content and b"xmlns" in content
    return "xmlns" in content


def parse_html(content: bytes | str, *, source_url: str) -> html.HtmlElement:
    """Parse an HTML page (decoded as UTF-8) into its root element."""
    text = _decode_utf8(content, source_url=source_url)
    text = _XML_DECL.sub("", text, count=1)
    parser = html.HTMLParser(no_network=True, remove_comments=True, remove_pis=True)
    try:
        root = html.document_fromstring(text, parser=parser)
    except (etree.ParserError, ValueError) as exc:
        raise ParseError(f"malformed HTML: {exc}", source_url=source_url) from exc
    return root


def _html_parser(name: str, encoding: str | None = None) -> etree.HTMLParser:
    """This thread's HTML parser of ``parse_html``'s options (one per thread, as
    :func:`xml_parser`), reading bytes as ``encoding`` when one is given."""
    parser: etree.HTMLParser | None = getattr(_local, name, None)
    if parser is None:
        parser = etree.HTMLParser(
            no_network=True, remove_comments=True, remove_pis=True, encoding=encoding
        )
        setattr(_local, name, parser)
    return parser


def _html_bytes(content: bytes | str, *, source_url: str) -> bytes | None:
    """The bytes of an HTML body to parse as they are (a BOM dropped, the charset
    forced to UTF-8, whatever a ``<meta>`` says), after checking that they are
    UTF-8, when they start with a tag other than an XML declaration; None when the
    body must be decoded to a str first (whose checks then raise).  libxml2 reads
    UTF-8 bytes into the tree it makes of the decoded text, a tenth faster."""
    if not isinstance(content, bytes):
        return None
    data = content[3:] if content[:3] == codecs.BOM_UTF8 else content
    if data[:1] != b"<" or data[1:2] == b"?":
        return None
    if not data.isascii():  # ASCII is UTF-8
        _decode_utf8(data, source_url=source_url)  # raises on a byte that is not
    return data


def parse_html_plain(content: bytes | str, *, source_url: str) -> etree._Element:
    """The tree :func:`parse_html` gives, made of plain lxml elements.

    ``lxml.html`` elements are found by a Python class lookup each time one is
    touched, which costs more than the parse on a page of a thousand cells; the
    parse itself is the same (same options, same errors).  Plain elements have
    no ``text_content()``: ``"".join(el.itertext())`` is the same text.
    """
    data = _html_bytes(content, source_url=source_url)  # no copy to a str
    body: bytes | str
    if data is not None:
        body, parser = data, _html_parser("html_parser_utf8", encoding="utf-8")
    else:
        body = _XML_DECL.sub("", _decode_utf8(content, source_url=source_url), count=1)
        parser = _html_parser("html_parser")
    try:
        root = etree.fromstring(body, parser=parser)  # noqa: S320 (HTML, no entities)
        if root is None:  # as lxml.html.document_fromstring says it
            raise etree.ParserError("Document is empty")
    except (etree.ParserError, ValueError) as exc:
        raise ParseError(f"malformed HTML: {exc}", source_url=source_url) from exc
    return root


def one(root: etree._Element, xpath: str, *, source_url: str) -> Any:
    """The single result of ``xpath``; zero or several results raise ParseError."""
    found = root.xpath(xpath)
    if not isinstance(found, list):
        return found
    if len(found) != 1:
        raise ParseError(
            f"expected exactly one match for {xpath!r}, found {len(found)}",
            source_url=source_url,
        )
    return found[0]


def many(root: etree._Element, xpath: str, *, source_url: str, min: int = 1) -> list[Any]:
    """All results of ``xpath``; fewer than ``min`` raise ParseError."""
    result = root.xpath(xpath)
    found: list[Any] = result if isinstance(result, list) else [result]
    if len(found) < min:
        raise ParseError(
            f"expected at least {min} match(es) for {xpath!r}, found {len(found)}",
            source_url=source_url,
        )
    return found


# --- records ------------------------------------------------------------------

_Record = TypeVar("_Record")
_FIELDS: dict[type, frozenset[str] | None] = {}


def record_fields(cls: type) -> frozenset[str] | None:
    """The field names of a frozen dataclass whose instances may be made by filling
    their ``__dict__`` (no ``__post_init__``, no slots); None for any other class."""
    if cls not in _FIELDS:
        params = getattr(cls, "__dataclass_params__", None)
        plain = (
            params is not None
            and params.frozen
            and not hasattr(cls, "__post_init__")
            and not hasattr(cls, "__slots__")
        )
        _FIELDS[cls] = frozenset(f.name for f in dataclasses.fields(cls)) if plain else None
    return _FIELDS[cls]


def record(cls: type[_Record], values: dict[str, Any]) -> _Record:
    """``cls(**values)`` for a frozen dataclass given every field: the instance's
    ``__dict__`` is filled in one step instead of one ``object.__setattr__`` per
    field (the same instance, three times cheaper).  Any other class, or missing or
    unknown fields, go through ``cls(**values)``."""
    names = record_fields(cls)
    if names is not None and values.keys() == names:
        made: _Record = object.__new__(cls)
        made.__dict__.update(values)
        return made
    return cls(**values)


# --- identifiers and dates ----------------------------------------------------

_BILL_ID = re.compile(
    r"""^\s*
    ([HS])\s*\.?\s*       # chamber letter: H or S
    ([FRC])\s*\.?\s*      # F bill, R resolution, C concurrent resolution
    (?:No\s*\.?\s*)?      # "H.F. No. 123"
    0*(\d{1,5})           # number, zero padding dropped
    \s*$""",
    re.IGNORECASE | re.VERBOSE | re.ASCII,
)


def normalize_bill_id(text: str) -> tuple[str, int]:
    """``HF 123``, ``HF0123``, ``hf0123``, ``H.F. No. 123``, ``S.F. 5`` -> (``HF``, 123).

    Raises ValueError for anything else, including number 0.
    """
    match = _BILL_ID.match(text or "")
    if not match:
        raise ValueError(f"not a Minnesota bill identifier: {text!r}")
    number = int(match.group(3))
    if number == 0:
        raise ValueError(f"bill number must be positive: {text!r}")
    return (match.group(1) + match.group(2)).upper(), number


_ISO_DATETIME = re.compile(r"^(\d{4})-(\d{2})-(\d{2})[ T](\d{2}):(\d{2})(?::(\d{2})(?:\.\d+)?)?$")
_ISO_DATE = re.compile(r"^(\d{4})-(\d{2})-(\d{2})$")
_US_DATE = re.compile(r"^(\d{1,2})/(\d{1,2})/(\d{4}|\d{2})$")
# The Revisor's own form (most dates), in ASCII digits, with a valid time of day:
# a shorter road to what _ISO_DATETIME and dt.time/dt.date give it.
_REVISOR_DATETIME = re.compile(r"\d{4}-\d\d-\d\d (?:[01]\d|2[0-3]):[0-5]\d:[0-5]\d", re.ASCII)


_DATES: dict[str, dt.date] = {}  # dates seen, by their stripped text (they repeat a lot)


def parse_date(text: str | None, *, source_url: str | None = None) -> dt.date | None:
    """Parse a Revisor date; empty -> None.

    Accepts ``YYYY-MM-DD HH:MM:SS`` (the time is dropped), ``YYYY-MM-DD``,
    ``MM/DD/YYYY`` and ``MM/DD/YY`` (years 2000-2099).  Anything else, including
    the Revisor's typos such as ``05/272026`` or ``1/5/225``, raises
    :class:`ParseError` (a ValueError): dates are never guessed.
    """
    if text is None:
        return None
    value = text.strip()
    if not value:
        return None
    known = _DATES.get(value)
    if known is not None:
        return known
    date = _revisor_datetime(value) or _date_of(value, source_url=source_url)
    if len(_DATES) >= 8192:
        _DATES.clear()
    _DATES[value] = date
    return date


def _revisor_datetime(value: str) -> dt.date | None:
    """The date :func:`_date_of` gives a valid ``YYYY-MM-DD HH:MM:SS`` in ASCII digits
    (the Revisor's own form, most dates), by a shorter road; None for anything else."""
    if _REVISOR_DATETIME.fullmatch(value):
        try:
            return dt.date.fromisoformat(value[:10])  # the checks of dt.date()
        except ValueError:
            return None  # _date_of reports it
    return None


def _date_of(value: str, *, source_url: str | None) -> dt.date:
    try:
        if m := _ISO_DATETIME.match(value):
            hour, minute, second = int(m.group(4)), int(m.group(5)), int(m.group(6) or 0)
            dt.time(hour, minute, second)  # validates the time part
            return dt.date(int(m.group(1)), int(m.group(2)), int(m.group(3)))
        if m := _ISO_DATE.match(value):
            return dt.date(int(m.group(1)), int(m.group(2)), int(m.group(3)))
        if m := _US_DATE.match(value):
            year = int(m.group(3))
            if len(m.group(3)) == 2:
                year += 2000
            return dt.date(year, int(m.group(1)), int(m.group(2)))
    except ValueError as exc:
        raise ParseError(f"invalid date {value!r}: {exc}", source_url=source_url) from exc
    raise ParseError(f"unrecognised date {value!r}", source_url=source_url)
