"""The one Vietnamese analyzer: text to index terms, and a query to clauses.

Everything the index stores and everything a query asks for goes through this
module, helped by ``tokens`` (the scanner and the shared vocabulary) and ``specials`` (dates
and numbers as terms) (and its JavaScript twin ``site_theme/assets/javascripts/analysis.js``,
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
from collections.abc import Iterator
from dataclasses import dataclass, field

from builder.letters.letter import Letter
from builder.search.ranking import QUERY_WEIGHTS
from builder.search.specials import (
    MAYBE,
    PARTIAL,
    _find_dates,
    _find_numbers,
    _find_typed_numbers,
    _number_variants,
    date_terms,
)
from builder.search.tokens import (
    _I_TO_Y,
    _I_Y_ONSETS,
    ABBREVIATIONS,
    BIGRAM_GAP,
    DOCUMENT_TYPES,
    PHRASE_QUOTES,
    _Analysis,
    _Item,
    _scan,
    _Token,
    canonical_lower,
    fold_token,
)


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


def _inside_number(tokens: list[_Token], i: int) -> bool:
    """Whether token ``i`` follows the one before it inside a letter's number across a slash
    (``316/KH``): its parts are as adjacent as the hyphen's (``316-KH``), so a number typed
    loosely (``316 kh ubnd``) finds ``316/KH-UBND`` as a phrase, as it finds ``316-KH/HU``."""
    return tokens[i].gap == "/" and tokens[i].number_part and tokens[i - 1].number_part


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
        joins = previous_kept and (_joins(token.gap) or _inside_number(tokens, i))
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
        joins = i > 0 and (gap == " " or all(ch in BIGRAM_GAP for ch in gap) or _inside_number(tokens, i))
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
    # The subject is read as the title is printed, its kind first ("Quy chế" + "làm việc của …"):
    # a query typing the title finds the phrase across the two ("quy chế làm việc").
    title = f"{letter.loai_van_ban} {letter.trich_yeu}" if letter.loai_van_ban else letter.trich_yeu
    own_typed = [f"#{kind} {letter.so}"] if letter.so is not None and kind in DOCUMENT_TYPES else []
    return {
        "so": (own, own_typed),
        "trich_yeu": (title, []),
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
