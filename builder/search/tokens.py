"""The analyzer's raw material: the shared vocabulary file (abbreviations, kinds of letters), a
text scanned into tokens with the gaps between them, and a token folded and canonicalised.
"""

from __future__ import annotations

import functools
import json
import re
import sys
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path
from typing import NamedTuple

from builder.text.vietnamese import canonical, fold

TERMS_FILE = (
    Path(__file__).resolve().parents[2] / "site_theme" / "assets" / "javascripts" / "vietnamese-terms.json"
)
"""Abbreviations, kinds of letters, the forms of dates: one data file, read here and by ``analysis.js``."""
_TERMS = json.loads(TERMS_FILE.read_text(encoding="utf-8"))

BIGRAM_GAP = frozenset(" \t,-*_")
"""Characters that may stand between two syllables of one bigram (commas cross, sentence ends don't)."""

SYMBOL_CHARS = frozenset("abcdefghijklmnopqrstuvwxyz0123456789đ")
"""Letters of a document symbol part (``UBND``, ``NĐ``, ``VX1``), after lower-casing."""

DIGITS = frozenset("0123456789")


DAY, MONTH, YEAR = "DD", "MM", "YYYY"
"""A date form's numbers: the day and month of 1-2 digits, the year of 4 (no folded word is upper case)."""


class DateForm(NamedTuple):
    """One way a date is written: its parts (``DAY``, ``MONTH``, ``YEAR``, or a word as folded),
    what stands between two numbers (None: spaces and tabs; else one of these separators, the same
    one throughout the date; beside a word there are always spaces and tabs), and whether the date
    must end there (not followed by its separator)."""

    parts: tuple[str, ...]
    separators: tuple[str, ...] | None
    ends: bool


DATE_FORMS: tuple[DateForm, ...] = tuple(
    DateForm(
        tuple(form["parts"]), None if form["separators"] is None else tuple(form["separators"]), form["ends"]
    )
    for form in _TERMS["date_forms"]
)
"""The dates of letters and queries (``24/9/2021``, ``ngày 24 tháng 9 năm 2021``, ``9/2021``), tried
in this order at each token; the shared file's ``date_forms``."""

_DATE_INITIALS = frozenset(form.parts[0][0] for form in DATE_FORMS if form.parts[0] not in (DAY, MONTH, YEAR))


@functools.lru_cache(maxsize=10_000)
def _may_start_date(first: str) -> bool:
    """Whether a token beginning with ``first`` can start a date (a digit, ngày, tháng): a fast skip."""
    folded = fold_token(first)
    return first in DIGITS or folded == "" or folded[0] in _DATE_INITIALS


ABBREVIATIONS: dict[str, str] = dict(_TERMS["abbreviations"])
"""Folded short form -> the words it stands for; both sides index the long form,
so a query in either form finds letters written in either form."""
DOCUMENT_TYPES: frozenset[str] = frozenset(_TERMS["document_types"])
"""Kinds of letters, folded, that a number may follow: ``Chỉ thị (số) 16``."""
SYMBOL_TYPES: dict[str, str] = dict(_TERMS["symbol_types"])
"""First part of a symbol (folded) -> the kind it names: ``16/CT-TTg`` is a Chỉ thị."""
NOT_TYPES_BEFORE: frozenset[str] = frozenset(_TERMS["not_types_before"])
"""Words after a bare number that make it a quantity (``kế hoạch 5 năm``), not a number."""

_I_TO_Y = {"i": "y", "ì": "ỳ", "í": "ý", "ỉ": "ỷ", "ĩ": "ỹ", "ị": "ỵ"}
_I_Y_ONSETS = ("qu", "l", "k", "m", "s", "t", "h")
"""quy/qui, lý/lí, kỹ/kĩ, Mỹ/Mĩ, sỹ/sĩ, tỷ/tỉ, hy/hi: one spelling (y) for both."""

PHRASE_QUOTES = str.maketrans({"\u201c": '"', "\u201d": '"', "\u201e": '"', "\u00ab": '"', "\u00bb": '"'})


def is_token_char(ch: str) -> bool:
    """Letters, combining marks and decimal digits make words (JS: ``[\\p{L}\\p{M}\\p{Nd}]``)."""
    category = unicodedata.category(ch)
    return category[0] in "LM" or category == "Nd"


@functools.lru_cache(maxsize=200_000)
def fold_token(token: str) -> str:
    """Folded form of one already canonical, lower-case token (cached: vocabularies are small)."""
    return fold(token)


@dataclass(slots=True)
class _Token:
    text: str
    """Canonical, lower case."""
    gap: str
    """The characters between the previous token and this one."""
    consumed: bool = False
    """Part of a number or a date: the query asks for the special term instead."""
    number_part: bool = False


@dataclass(slots=True)
class _Item:
    """One syllable of the running text, after abbreviations and spellings are resolved."""

    exact: str
    folded: str
    accented: bool
    """The user typed diacritics on it (only then does a query ask for the exact form)."""
    joins_previous: bool
    """A bigram links it with the item before."""
    inner: bool = False
    """Second or later word of one expanded token (UBND -> ủy ban nhân dân): a fixed phrase."""


@dataclass(slots=True)
class _Analysis:
    items: list[_Item] = field(default_factory=list)
    specials: list[str] = field(default_factory=list)
    """Number, date and month terms; for queries, each a required clause."""
    compounds: list[tuple[str, list[tuple[int, int]]]] = field(default_factory=list)
    """(joined exact form, item range of each part) for hyphenated words (covid-19)."""


@functools.cache
def _token_pattern() -> re.Pattern[str]:
    """A regex of runs of ``is_token_char`` characters (Python's ``re`` has no ``\\p{..}``)."""
    ranges: list[str] = []
    start = -1
    # Planes 3-13 and 15-16 hold no letters, marks or digits: skip them for a fast start-up.
    codes = [*range(0x40000), *range(0xE0000, 0xF0000), 0x110000]
    for code in codes:
        inside = code <= sys.maxunicode and is_token_char(chr(code))
        if inside and start < 0:
            start = code
        elif not inside and start >= 0:
            ranges.append(f"{re.escape(chr(start))}-{re.escape(chr(code - 1))}")
            start = -1
    return re.compile(f"([{''.join(ranges)}]+)")


@functools.lru_cache(maxsize=500_000)
def _canonical_piece(piece: str) -> str:
    return canonical(piece).lower()


def canonical_lower(text: str) -> str:
    """``canonical(text).lower()``, computed per space-separated piece and cached.

    Exact because U+0020 is a boundary for every step (normalization forms,
    look-alikes, tone placement, final sigma): no rule looks across it.
    """
    return " ".join(_canonical_piece(piece) for piece in text.split(" "))


_ALNUM_RUNS = re.compile(r"([^\W_]+)")
"""Runs of ``str.isalnum`` characters: ``_token_pattern`` wherever the two classes agree, and
several times faster (``re`` tests a class of thousands of ranges slowly)."""


@functools.cache
def _alnum_disagrees() -> frozenset[str]:
    """Characters where ``str.isalnum`` and ``is_token_char`` differ (marks, Nl and No numbers)."""
    codes = [*range(0x40000), *range(0xE0000, 0xF0000)]  # the planes ``_token_pattern`` reads
    return frozenset(chr(code) for code in codes if chr(code).isalnum() != is_token_char(chr(code)))


def _scan(text: str) -> list[_Token]:
    """Split canonical lower-case text into word tokens, each with the gap before it."""
    pattern = _ALNUM_RUNS if _alnum_disagrees().isdisjoint(text) else _token_pattern()
    parts = pattern.split(text)  # gap, token, gap, token, ..., gap
    return [_Token(parts[k + 1], parts[k]) for k in range(0, len(parts) - 1, 2)]
