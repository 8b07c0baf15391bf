"""The one Vietnamese analyzer: text to index terms, and a query to clauses.

Everything the index stores and everything a query asks for goes through this
module (and its JavaScript twin ``site_theme/assets/javascripts/analysis.js``,
proven identical by ``tests/test_parity.py``), so a document and a query can
only disagree when the words differ. Canonical text comes from
``builder.text.vietnamese``; nothing here re-implements those rules.

Terms are plain strings in one namespace, told apart by their shape:

- ``phòng`` / ``phong``: a syllable, exact (canonical, lower case) and folded
  (no marks, đ→d); the exact form is only emitted when it differs;
- ``phong chong``: two adjacent syllables (a bigram; one space), folded only
  (folded pairs are nearly as precise as accented ones, and accents are
  already scored by the exact syllables); bigrams cross commas and dashes,
  not sentence ends;
- ``tang cuong ky``: three adjacent syllables (a trigram, folded): the words
  in the order typed (``kỷ cương, kỷ luật`` is not ``kỷ luật, kỷ cương``);
  one ends on a word as written, not inside an abbreviation's long form
  (``UBND`` is not three words in an order someone chose);
- ``#2642/ubnd-vx``, ``#117/2020/nd-cp``: a document number (folded symbol);
- ``@2021-09-24`` and ``@2021-09``: a date and a month.

No stop words, no minimum length, no stemming: IDF does that work.
"""

from __future__ import annotations

import functools
import itertools
import json
import re
import sys
import unicodedata
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

from builder.letters.letter import Letter
from builder.search.ranking import QUERY_WEIGHTS
from builder.text.vietnamese import canonical, fold

TERMS_FILE = (
    Path(__file__).resolve().parents[2] / "site_theme" / "assets" / "javascripts" / "vietnamese-terms.json"
)
"""Abbreviations and kinds of letters: one data file, read here and by ``analysis.js``."""
_TERMS = json.loads(TERMS_FILE.read_text(encoding="utf-8"))

BIGRAM_GAP = frozenset(" \t,-*_")
"""Characters that may stand between two syllables of one bigram (commas cross, sentence ends don't)."""

SYMBOL_CHARS = frozenset("abcdefghijklmnopqrstuvwxyz0123456789đ")
"""Letters of a document symbol part (``UBND``, ``NĐ``, ``VX1``), after lower-casing."""

DIGITS = frozenset("0123456789")


@functools.lru_cache(maxsize=10_000)
def _may_start_date(first: str) -> bool:
    """Whether a token beginning with ``first`` can start a date (a digit, ngày, tháng): a fast skip."""
    folded = fold_token(first)
    return first in DIGITS or folded == "" or folded[0] in "nt"


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


def _is_digits(text: str, lo: int = 1, hi: int = 99) -> bool:
    return lo <= len(text) <= hi and text.isascii() and text.isdigit()


def _is_symbol_part(text: str) -> bool:
    return len(text) <= 12 and all(ch in SYMBOL_CHARS for ch in text) and any(ch not in DIGITS for ch in text)


def _date_term(day: str, month: str, year: str) -> str | None:
    d, m, y = int(day), int(month), int(year)
    if 1 <= d <= 31 and 1 <= m <= 12 and 1000 <= y <= 2999:
        return f"@{y:04d}-{m:02d}-{d:02d}"
    return None


def _month_term(month: str, year: str) -> str | None:
    m, y = int(month), int(year)
    if 1 <= m <= 12 and 1000 <= y <= 2999:
        return f"@{y:04d}-{m:02d}"
    return None


def _spaces(gap: str) -> bool:
    return gap != "" and all(ch == " " or ch == "\t" for ch in gap)


def _find_dates(tokens: list[_Token], specials: list[str]) -> None:
    """Days (``24/9/2021``, ``24-09-2021``, ``24.9.2021``, ``ngày 24 tháng 9 năm 2021``) and
    months (``tháng 9 năm 2021``, ``9/2021``)."""
    n = len(tokens)
    t = tokens
    following = 0  # tokens before this one belong to a date already found
    for i in [k for k, token in enumerate(tokens) if _may_start_date(token.text[0])]:
        if i < following:
            continue
        if (
            i + 2 < n
            and _is_digits(t[i].text, 1, 2)
            and _is_digits(t[i + 1].text, 1, 2)
            and _is_digits(t[i + 2].text, 4, 4)
            and t[i + 1].gap in ("/", "-", ".")
            and t[i + 2].gap == t[i + 1].gap
        ):
            term = _date_term(t[i].text, t[i + 1].text, t[i + 2].text)
            if term:
                specials.append(term)
                for k in range(i, i + 3):
                    t[k].consumed = True
                following = i + 3
                continue
        if (
            i + 5 < n
            and fold_token(t[i].text) == "ngay"
            and _is_digits(t[i + 1].text, 1, 2)
            and fold_token(t[i + 2].text) == "thang"
            and _is_digits(t[i + 3].text, 1, 2)
            and fold_token(t[i + 4].text) == "nam"
            and _is_digits(t[i + 5].text, 4, 4)
            and all(_spaces(t[k].gap) for k in range(i + 1, i + 6))
        ):
            term = _date_term(t[i + 1].text, t[i + 3].text, t[i + 5].text)
            if term:
                specials.append(term)
                for k in range(i, i + 6):
                    t[k].consumed = True
                following = i + 6
                continue
        if (
            i + 3 < n
            and fold_token(t[i].text) == "thang"
            and _is_digits(t[i + 1].text, 1, 2)
            and fold_token(t[i + 2].text) == "nam"
            and _is_digits(t[i + 3].text, 4, 4)
            and all(_spaces(t[k].gap) for k in range(i + 1, i + 4))
        ):
            term = _month_term(t[i + 1].text, t[i + 3].text)
            if term:
                specials.append(term)
                for k in range(i, i + 4):
                    t[k].consumed = True
                following = i + 4
                continue
        if (
            i + 1 < n
            and _is_digits(t[i].text, 1, 2)
            and _is_digits(t[i + 1].text, 4, 4)
            and t[i + 1].gap == "/"
            and not (i + 2 < n and t[i + 2].gap == "/")
        ):
            term = _month_term(t[i].text, t[i + 1].text)
            if term:
                specials.append(term)
                t[i].consumed = t[i + 1].consumed = True
                following = i + 2
                continue


def _find_numbers(tokens: list[_Token], specials: list[str]) -> dict[int, str]:
    """``2642/UBND-VX``, ``117/2020/NĐ-CP``, ``325-CV/TU`` as one folded term each.

    Returns where each number starts -> the first part of its symbol (folded)."""
    found: dict[int, str] = {}
    n = len(tokens)
    t = tokens
    following = 0  # tokens before this one belong to a number already found
    digits = [k for k, token in enumerate(tokens) if len(token.text) <= 9 and token.text.isdigit()]
    for i in digits:
        if i < following or t[i].consumed or not _is_digits(t[i].text, 1, 9):
            continue
        j = i + 1
        year = ""
        parts: list[str] = []
        if j < n and t[j].gap.strip(" ") == "/" and not t[j].consumed:
            if (
                j + 1 < n
                and _is_digits(t[j].text, 4, 4)
                and t[j + 1].gap.strip(" ") == "/"
                and _is_symbol_part(t[j + 1].text)
            ):
                year = t[j].text
                j += 1
        elif not (j + 1 < n and t[j].gap == "-" and t[j + 1].gap.strip(" ") == "/"):
            continue
        while j < n and not t[j].consumed and _is_symbol_part(t[j].text):
            separator = t[j].gap.strip(" ")
            if parts and separator not in ("-", "/"):
                break
            parts.append(t[j].text)
            j += 1
        if not parts or (t[i + 1].gap == "-" and len(parts) < 2):
            continue
        symbol = "-".join(fold_token(p) for p in parts)
        number = str(int(t[i].text))
        specials.append(f"#{number}/{year}/{symbol}" if year else f"#{number}/{symbol}")
        for k in range(i, j):
            t[k].consumed = True
            t[k].number_part = True
        following = j
        found[i] = fold_token(parts[0])
    return found


ATTACHED = ("/", "-", ".", ",", ":")


def _type_before(tokens: list[_Token], i: int) -> tuple[str, int] | None:
    """The kind of letter written just before token ``i`` (``Chỉ thị số``, ``công văn``) and
    where it starts, or None."""
    t = tokens
    k = i
    if k >= 1 and fold_token(t[k - 1].text) == "so" and _spaces(t[k].gap):
        k -= 1
    if (
        k >= 2
        and _spaces(t[k].gap)
        and _spaces(t[k - 1].gap)
        and not t[k - 2].consumed
        and not t[k - 1].consumed
    ):
        kind = f"{fold_token(t[k - 2].text)} {fold_token(t[k - 1].text)}"
        if kind in DOCUMENT_TYPES:
            return kind, k - 2
    return None


def _find_typed_numbers(
    tokens: list[_Token], numbers: dict[int, str], specials: list[str], query: bool
) -> None:
    """``#chi thi 16``: a number with the kind of letter it numbers, from the words before it
    (``Chỉ thị số 16``, ``công văn 2642``) or its symbol (``16/CT-TTg``). In a query the kind's
    words are taken by the term: ``chỉ thị 16`` asks for a Chỉ thị numbered 16."""
    t = tokens
    n = len(t)
    for i in range(n):
        symbol_first = numbers.get(i)
        if symbol_first is None:
            if t[i].consumed or not _is_digits(t[i].text, 1, 9):
                continue
            if i + 1 < n and (t[i + 1].gap in ATTACHED or fold_token(t[i + 1].text) in NOT_TYPES_BEFORE):
                continue  # 16/2020, 16.5, 16-20: not a letter's number; 5 năm: a quantity
        before = _type_before(t, i)
        kinds = [before[0]] if before else []
        # A query's symbol already asks for the number; a letter's names its kind for queries by kind.
        if not query and symbol_first in SYMBOL_TYPES and SYMBOL_TYPES[symbol_first] not in kinds:
            kinds.append(SYMBOL_TYPES[symbol_first])
        number = str(int(t[i].text))
        if query and symbol_first is None and _looks_like_a_year(t[i].text):
            # "kế hoạch 2024" may mean the plans of 2024: the number only ranks, it restricts nothing.
            specials.extend(f"{MAYBE}#{kind} {number}" for kind in kinds)
            continue
        specials.extend(f"#{kind} {number}" for kind in kinds)
        if query and before:
            for k in range(before[1], i + 1):
                t[k].consumed = True


MAYBE = "?"
"""Marks a query's special term that adds to the score without being required."""


def _looks_like_a_year(digits: str) -> bool:
    return len(digits) == 4 and 1945 <= int(digits) <= 2099


def _spelling(token: str) -> str:
    """One spelling for i/y variants (lí→lý, kĩ→kỹ, qui→quy)."""
    if len(token) > 3 or token[-1] not in _I_TO_Y:
        return token
    for onset in _I_Y_ONSETS:
        if len(token) == len(onset) + 1 and token.startswith(onset) and token[-1] in _I_TO_Y:
            return onset + _I_TO_Y[token[-1]]
    return token


@functools.lru_cache(maxsize=500_000)
def _expand(token: str) -> tuple[tuple[tuple[str, str], ...], bool]:
    """A token as the (exact, folded) syllables it stands for (abbreviations, spellings),
    and whether it carries diacritics."""
    long_form = ABBREVIATIONS.get(fold_token(token))
    words = long_form.split(" ") if long_form is not None else [_spelling(token)]
    return tuple((word, fold_token(word)) for word in words), fold_token(token) != token


_V_V: tuple[tuple[tuple[str, str], ...], bool] = ((("về", "ve"), ("việc", "viec")), False)


def _joins(gap: str) -> bool:
    return gap == " " or all(ch in BIGRAM_GAP for ch in gap)


def _analyze(text: str, query: bool) -> _Analysis:
    """Shared core: tokens, specials, compounds and items for one text."""
    tokens = _scan(canonical_lower(text))
    result = _Analysis()
    _find_dates(tokens, result.specials)
    _find_typed_numbers(tokens, _find_numbers(tokens, result.specials), result.specials, query)
    spans: list[tuple[int, int]] = []
    previous_kept = False
    i = 0
    n = len(tokens)
    while i < n:
        token = tokens[i]
        if query and token.consumed:
            spans.append((-1, -1))
            previous_kept = False
            i += 1
            continue
        joins = previous_kept and _joins(token.gap)
        if token.text == "v" and i + 1 < n and tokens[i + 1].text == "v" and tokens[i + 1].gap == "/":
            words, accented = _V_V
            span = (len(result.items), len(result.items) + 2)
            spans.extend((span, span))
            i += 2
        else:
            words, accented = _expand(token.text)
            spans.append((len(result.items), len(result.items) + len(words)))
            i += 1
        for k, (word, folded) in enumerate(words):
            result.items.append(_Item(word, folded, accented, joins if k == 0 else True, k > 0))
        previous_kept = True
    _find_compounds(tokens, spans, result)
    return result


def _compound_runs(tokens: list[_Token]) -> Iterator[tuple[int, int]]:
    """Token ranges ``[i, j)`` of hyphenated words (covid-19) outside numbers and dates."""
    i = 0
    n = len(tokens)
    while i < n:
        j = i + 1
        while j < n and tokens[j].gap == "-" and not tokens[j].number_part and not tokens[j - 1].number_part:
            j += 1
        if j - i >= 2 and not any(tokens[k].consumed for k in range(i, j)):
            yield i, j
        i = j


def _find_compounds(tokens: list[_Token], spans: list[tuple[int, int]], result: _Analysis) -> None:
    """Hyphenated words: the joined form, and where each part starts."""
    for i, j in _compound_runs(tokens):
        joined = "".join(tokens[k].text for k in range(i, j))
        result.compounds.append((joined, [spans[k] for k in range(i, j)]))


def _compound_words(tokens: list[_Token]) -> list[str]:
    """The joined forms ``_find_compounds`` finds (for documents, which need no item ranges)."""
    return ["".join(tokens[k].text for k in range(i, j)) for i, j in _compound_runs(tokens)]


def _with_fold(exact: str) -> list[str]:
    folded = fold_token(exact) if " " not in exact else " ".join(fold_token(w) for w in exact.split(" "))
    return [folded] if folded == exact else [folded, exact]


def analyze_document(text: str) -> list[str]:
    """Index terms of one field's text, repeated as often as they occur (term frequency).

    The terms ``_analyze(text, query=False)`` yields, in the same order, computed without
    its per-syllable objects (this runs over every letter of the archive).
    """
    tokens = _scan(canonical_lower(text))
    specials: list[str] = []
    _find_dates(tokens, specials)
    _find_typed_numbers(tokens, _find_numbers(tokens, specials), specials, False)
    terms: list[str] = []
    folds: list[str] = []
    joined_from: list[int] = []  # item numbers that make a bigram with the item before
    joins_at: list[bool] = []  # per item: whether it makes a bigram with the item before
    word_starts: list[int] = []  # item numbers of a word's first syllable that join the one before
    append = terms.append
    expand = _expand
    n = len(tokens)
    i = 0
    while i < n:
        token = tokens[i]
        gap = token.gap
        joins = i > 0 and (gap == " " or all(ch in BIGRAM_GAP for ch in gap))
        if token.text == "v" and i + 1 < n and tokens[i + 1].text == "v" and tokens[i + 1].gap == "/":
            words = _V_V[0]
            i += 2
        else:
            words = expand(token.text)[0]
            i += 1
        first = len(folds)
        for word, folded in words:
            append(folded)
            if word != folded:
                append(word)
            folds.append(folded)
            joins_at.append(True)
        joins_at[first] = joins
        if joins:
            joined_from.append(first)
            word_starts.append(first)
        joined_from.extend(range(first + 1, len(folds)))
    terms.extend([f"{folds[k - 1]} {folds[k]}" for k in joined_from])
    terms.extend(
        [f"{folds[k - 2]} {folds[k - 1]} {folds[k]}" for k in word_starts if k > 1 and joins_at[k - 1]]
    )
    for joined in _compound_words(tokens):
        terms.extend(_with_fold(joined))
    for special in specials:
        terms.append(special)
        if len(special) == 11 and special[0] == "@":
            terms.append(special[:8])  # a day is also in its month
        elif special[0] == "#" and "/" in special:
            terms.extend(_number_variants(special))
    return terms


def _number_variants(special: str) -> list[str]:
    """Other forms a person may type of a number: ``117/2020/NĐ-CP`` is also ``117/NĐ-CP``;
    the beginnings of its symbol, ``117/2020/NĐ`` and ``117/NĐ``, are marked ``~`` (partial:
    ``2642/UBND`` finds ``2642/UBND-VX``, after a letter numbered ``2642/UBND`` itself)."""
    parts = special.split("/")
    number, symbol = parts[0], parts[-1]
    pieces = symbol.split("-")
    prefixes = ["-".join(pieces[:k]) + PARTIAL for k in range(len(pieces) - 1, 0, -1)]
    variants = [f"{number}/{parts[1]}/{prefix}" for prefix in prefixes] if len(parts) == 3 else []
    if len(parts) == 3:
        variants.append(f"{number}/{symbol}")
    return variants + [f"{number}/{prefix}" for prefix in prefixes]


PARTIAL = "~"
"""Marks a term of the beginning of a number's symbol (``#2642/ubnd~``)."""


def date_terms(iso: str) -> list[str]:
    """Terms of an ISO issue date (``2021-08-26``, ``2021-09`` or ``2021``): day, month, year."""
    terms = [iso[:4]]
    if len(iso) >= 7:
        terms.append(f"@{iso[:7]}")
    if len(iso) >= 10:
        terms.append(f"@{iso[:10]}")
    return terms


@dataclass(slots=True)
class Query:
    """A query as clauses over index terms, the same for whoosh and the browser.

    A letter matches when it has at least one term of every group; its score
    is the sum, over every term in ``weights`` it has, of weight × the term's
    BM25F impact in the letter.
    """

    groups: list[list[str]] = field(default_factory=list)
    """Required: each group is a set of alternatives."""
    weights: dict[str, float] = field(default_factory=dict)
    """Every term that adds to the score, with its weight."""
    highlight: list[str] = field(default_factory=list)
    """Folded syllables to mark in snippets."""

    @property
    def empty(self) -> bool:
        return not self.groups

    def terms(self) -> list[str]:
        """Every term the query needs, scoring or required, each once, in first-use order."""
        seen = dict.fromkeys(self.weights)
        for group in self.groups:
            seen.update(dict.fromkeys(group))
        return list(seen)

    def to_json(self) -> dict[str, object]:
        return {"groups": self.groups, "weights": self.weights, "highlight": self.highlight}


def _split_quotes(text: str) -> list[tuple[str, bool]]:
    """The query in pieces outside and inside double quotes (an unclosed quote runs to the end)."""
    pieces = text.translate(PHRASE_QUOTES).split('"')
    return [(piece, index % 2 == 1) for index, piece in enumerate(pieces) if piece.strip()]


def analyze_query(text: str, weights: dict[str, float] | None = None) -> Query:
    """Clauses for what a person typed: every syllable must match (folded), accents add an
    exact clause, adjacent syllables a bigram; quoted text is a phrase; numbers and dates
    match as a whole. ``weights``: the term weights by role (``ranking.QUERY_WEIGHTS``)."""
    weight_of = QUERY_WEIGHTS if weights is None else weights
    query = Query()
    groups: dict[tuple[str, ...], None] = {}

    def add_group(*alternatives: str) -> None:
        groups.setdefault(tuple(alternatives), None)

    def add_weight(term: str, weight: float) -> None:
        query.weights[term] = query.weights.get(term, 0.0) + weight

    for piece, quoted in _split_quotes(text):
        analysis = _analyze(piece, query=True)
        items = analysis.items
        for special in analysis.specials:
            if special.startswith(MAYBE):
                add_weight(special[1:], weight_of["typed"])
            elif " " in special:  # a kind and a number
                add_group(special)
                add_weight(special, weight_of["typed"])
            elif special[0] == "#":  # a number: itself, or the beginning of a longer one
                add_group(special, special + PARTIAL)
                add_weight(special, weight_of["special"])
                add_weight(special + PARTIAL, weight_of["partial"])
            else:
                add_group(special)
                add_weight(special, weight_of["special"])
        in_compound = {k for _, parts in analysis.compounds for k in range(parts[0][0], parts[-1][1])}
        for index, item in enumerate(items):
            add_weight(item.folded, weight_of["unigram"])
            if item.folded not in query.highlight:
                query.highlight.append(item.folded)
            exact = item.accented and item.exact != item.folded
            if exact:
                add_weight(item.exact, weight_of["exact"])
            if index not in in_compound or quoted:
                add_group(item.folded)
            if quoted and exact:
                add_group(item.exact)
            if index and item.joins_previous:
                before = items[index - 1]
                bigram = f"{before.folded} {item.folded}"
                add_weight(bigram, weight_of["bigram"])
                if quoted or item.inner:
                    add_group(bigram)
                if index > 1 and before.joins_previous and not item.inner:
                    add_weight(f"{items[index - 2].folded} {bigram}", weight_of["trigram"])
        if not quoted:
            for joined, parts in analysis.compounds:
                joined_folded = _with_fold(joined)[0]
                add_weight(joined_folded, weight_of["unigram"])
                for (_, end), (start, _) in itertools.pairwise(parts):
                    add_group(f"{items[end - 1].folded} {items[start].folded}", joined_folded)
    query.groups = [list(group) for group in groups]
    return query


FIELDS: tuple[str, ...] = ("so", "trich_yeu", "co_quan", "nguoi_ky", "noi_dung", "dan_chieu", "ngay", "loai")
"""Search fields of a letter: own number and symbol, subject, issuer, signer, body, cited
numbers, issue date, type."""


def letter_sources(letter: Letter) -> dict[str, tuple[str, list[str]]]:
    """Per search field of ``letter``: the text to analyze and terms added as they are.

    Small and picklable, so the whoosh writer's worker processes can analyze in parallel.
    """
    own = f"số {letter.so_ky_hieu}" if letter.so_ky_hieu else f"số /{letter.ky_hieu}"
    # The issuer field names the issuer only: its parent body (printed above it) is text, so
    # a query naming the parent ranks the parent's own letters first.
    issuer = [letter.co_quan_ban_hanh, letter.dia_danh or ""]
    signer = [letter.nguoi_ky or "", letter.chuc_vu_nguoi_ky or ""]
    body = [letter.noi_dung, *letter.kinh_gui, *letter.noi_nhan, letter.co_quan_chu_quan or ""]
    cited = [
        " ".join(part for part in (c.loai_van_ban, "số", c.so_ky_hieu, c.co_quan_ban_hanh) if part)
        for c in letter.van_ban_dan_chieu
    ]
    cited_dates = [
        term
        for cited_doc in letter.van_ban_dan_chieu
        if cited_doc.ngay_ban_hanh
        for term in date_terms(cited_doc.ngay_ban_hanh)
    ]
    kind = " ".join(fold_token(word) for word in canonical_lower(letter.loai_van_ban).split())
    own_typed = [f"#{kind} {letter.so}"] if letter.so is not None and kind in DOCUMENT_TYPES else []
    return {
        "so": (own, own_typed),
        "trich_yeu": (letter.trich_yeu, []),
        "co_quan": ("\n".join(issuer), []),
        "nguoi_ky": ("\n".join(signer), []),
        "noi_dung": ("\n".join(body), []),
        "dan_chieu": ("\n".join(cited), cited_dates),
        "ngay": ("", date_terms(letter.ngay_ban_hanh)),
        "loai": (letter.loai_van_ban, []),
    }


def source_terms(source: tuple[str, list[str]]) -> list[str]:
    """The terms of one field source: its text analyzed, then the given terms."""
    text, extra = source
    terms = analyze_document(text) if text else []
    # A letter's own kind and number is said once, whether or not its symbol says it too.
    return [*terms, *(term for term in extra if term[0] != "#" or term not in terms)]


def letter_fields(letter: Letter) -> dict[str, list[str]]:
    """The index terms of each search field of ``letter`` (whoosh and the browser index read these)."""
    return {name: source_terms(source) for name, source in letter_sources(letter).items()}
