"""Documents a letter cites (number, type, date, issuer), read from its subject and body."""

from __future__ import annotations

import datetime as dt
import re

from builder.letters.letter import CitedDocument
from builder.letters.rules.number import (
    DOCUMENT_TYPES,
    TYPE_BY_KEY,
    TYPE_NAMES,
    canonical_symbol,
)
from builder.text.dates import without_look_alikes
from builder.text.vietnamese import canonical_key, published

# --- citations ----------------------------------------------------------------------------------

_PART = r"[^\W\d_][^\W_]*(?:&[^\W_]+)*"
_SPACED_DASH = r"\s-\s(?=[A-ZĐ][A-ZĐ])"
"""A dash with spaces inside a symbol ("5658/TTr – UBND"), before a part in capitals only."""
_CITATION = re.compile(
    rf"(?<![\w/.-])(?:(?P<so>\d{{1,6}}[A-Z]?)(?:"
    rf"(?P<state>(?:/\d{{4}})?\s?/(?=[^\W\d_]){_PART}(?:(?:-|{_SPACED_DASH}){_PART})*)"
    rf"|(?P<party>-{_PART}/{_PART}(?:-{_PART})*)"
    rf")|(?<=[Ss]ố )(?P<old>\d{{1,6}}-[A-ZĐ][A-ZĐa-z]{{0,7}}))(?![\w/])"
)
"""State numbers ("68/NQ-CP", "117/2020/NĐ-CP", "64B/HĐBT"), party ones ("325-CV/TU") and, after
"số", the old hyphen style ("số 214-CP")."""
_GLUED_WORD = re.compile(r"(?<=[A-ZĐ])(?:ngày|về|của|và|tại|năm)$")
_CITED_DATE = re.compile(
    r"^\s*+,?\s*+(?:ban hành\s++)?(?:ngày\s*+)?(?:"
    r"(?P<d1>\d{1,2})\s*[/.-]\s*(?P<m1>\d{1,2})\s*[/.-]\s*(?P<y1>\d{4})"
    r"|(?P<d2>\d{1,2})\s+tháng\s+(?P<m2>\d{1,2})\s+năm\s+(?P<y2>\d{4}))",
    re.IGNORECASE,
)
_CITED_ISSUER = re.compile(
    r"^\s*+,?\s*+của\s++(?P<issuer>[^;,.:()\n]{1,200}?)"
    r"(?=\s+(?:về|ngày|tại|theo|đã|đến|nhằm|để|trong|với|thông báo|hướng dẫn|quy định)\b|\s*[;,.:()\n]|\s*$)",
    re.IGNORECASE,
)
_CITED_TYPE = re.compile(
    "(?P<type>" + "|".join(re.escape(canonical_key(n)) for n in TYPE_NAMES) + r")(?:\s+số)?\s*:?\s*$"
)


def find_citations(texts: list[str], own: str | None, own_year: int | None = None) -> list[CitedDocument]:
    """Every document cited in ``texts``, once each, in order of first mention (not the letter itself).

    A mention of the letter's own number and symbol (``own``) is the letter
    itself, unless its date says another year (``own_year`` is the letter's):
    registers restart every year, so 646/QĐ-UBND of 2022 may cite 646/QĐ-UBND of 2021.
    """
    found: dict[str, CitedDocument] = {}
    own_key = symbol_key(own) if own else None
    for raw in texts:
        text = without_look_alikes(published(raw))
        for match in _CITATION.finditer(text):
            symbol = canonical_symbol(_GLUED_WORD.sub("", match.group(0)))
            key = symbol_key(symbol)
            if own_key and _same_number(key, own_key) and not _other_year(text, match, symbol, own_year):
                continue
            cited = CitedDocument(
                loai_van_ban=_cited_type(text[max(0, match.start() - 40) : match.start()]),
                so_ky_hieu=re.sub(r"^0+(?=\d)", "", symbol),
                ngay_ban_hanh=None,
                co_quan_ban_hanh=None,
            )
            after = text[match.end() : match.end() + 160]
            date = _CITED_DATE.match(after)
            if date:
                cited = _with(cited, ngay_ban_hanh=_cited_iso(date))
                after = after[date.end() :]
            issuer = _CITED_ISSUER.match(after)
            if issuer and len(issuer["issuer"].split()) <= 10:
                cited = _with(cited, co_quan_ban_hanh=" ".join(issuer["issuer"].split()))
            found[key] = _merge(found.get(key), cited)
    return list(found.values())


def _same_number(key: str, own_key: str) -> bool:
    """The letter's own number, also when printed with its year ("1114/2003/QĐ-UB" for "1114/QĐ-UB")."""
    return key == own_key or re.sub(r"/(?:19|20)\d\d/", "/", key) == re.sub(r"/(?:19|20)\d\d/", "/", own_key)


def _other_year(text: str, match: re.Match[str], symbol: str, own_year: int | None) -> bool:
    """Whether a mention of the letter's own number is dated in another year than the letter."""
    if own_year is None:
        return False
    date = _CITED_DATE.match(text[match.end() : match.end() + 160])
    year = cited_year(_cited_iso(date) if date else None, symbol)
    return year is not None and year != own_year


def cited_year(date: str | None, symbol: str) -> int | None:
    """Year of a citation: its date, else a year inside the symbol ("117/2020/NĐ-CP")."""
    if date:
        return int(date[:4])
    inside = re.search(r"/((?:19|20)\d\d)/", symbol)
    return int(inside[1]) if inside else None


def symbol_key(symbol: str) -> str:
    """Key to compare numbers and symbols: canonical, no leading zeros, case-folded."""
    compact = canonical_symbol(symbol)
    return canonical_key(re.sub(r"^0+(?=\d)", "", compact))


def _cited_type(before: str) -> str | None:
    """The type name printed just before a cited number ("Thông báo số"), title case."""
    match = _CITED_TYPE.search(canonical_key(before))
    if not match or match["type"] == "văn bản":
        return None
    return TYPE_BY_KEY.get(match["type"])


def _cited_iso(match: re.Match[str]) -> str | None:
    """ISO date of a citation's date match, None when it is not a real day."""
    day, month, year = (
        (match["d1"], match["m1"], match["y1"]) if match["y1"] else (match["d2"], match["m2"], match["y2"])
    )
    try:
        return dt.date(int(year), int(month), int(day)).isoformat()
    except ValueError:
        return None


def _with(cited: CitedDocument, **changes: str | None) -> CitedDocument:
    fields_ = {name: getattr(cited, name) for name in CitedDocument.__slots__}
    fields_.update(changes)
    return CitedDocument(**fields_)


def _merge(first: CitedDocument | None, later: CitedDocument) -> CitedDocument:
    """The first mention, completed with what later mentions add."""
    if first is None:
        return later
    return CitedDocument(
        loai_van_ban=first.loai_van_ban or later.loai_van_ban,
        so_ky_hieu=first.so_ky_hieu,
        ngay_ban_hanh=first.ngay_ban_hanh or later.ngay_ban_hanh,
        co_quan_ban_hanh=first.co_quan_ban_hanh or later.co_quan_ban_hanh,
    )


def _type_without_type_line(ky_hieu: str | None, found: set[str]) -> str | None:
    """The type when no type line was read: the one the symbol names ("TB-UBND"), else Công văn
    only when the letter has a công văn's marks ("V/v" subject or "Kính gửi"), else None."""
    for part in re.split(r"[/-]", ky_hieu or ""):
        if part and not part.isdigit():
            if part in DOCUMENT_TYPES:
                return DOCUMENT_TYPES[part]
            break
    return "Công văn" if found & {"about", "recipients"} else None


def type_from_symbol(ky_hieu: str | None) -> str:
    """The type a symbol names ("TB-UBND" -> Thông báo); Công văn has no abbreviation."""
    for part in re.split(r"[/-]", ky_hieu or ""):
        if part.isdigit():
            continue
        return DOCUMENT_TYPES.get(part, "Công văn")
    return "Công văn"
