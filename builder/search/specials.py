"""Dates and numbers as special terms (``@2021-08-26``, ``#2642/ubnd-vx``, ``#chi thi 16``), found
in a token stream the same way in letters and in queries.
"""

from __future__ import annotations

import functools
import itertools

from builder.search.tokens import (
    DATE_FORMS,
    DAY,
    DIGITS,
    DOCUMENT_TYPES,
    MONTH,
    NOT_TYPES_BEFORE,
    SYMBOL_CHARS,
    SYMBOL_TYPES,
    YEAR,
    DateForm,
    _may_start_date,
    _Token,
    fold_token,
)


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


def _forms_by_start() -> dict[str, tuple[DateForm, ...]]:
    """``DATE_FORMS`` by their first token (``#`` for a number, else the word), so that each token
    tries only the forms it can start (most tokens none: the dates are a hot path of the build)."""
    starts: dict[str, list[DateForm]] = {}
    for form in DATE_FORMS:
        first = form.parts[0]
        starts.setdefault("#" if first in (DAY, MONTH, YEAR) else first, []).append(form)
    return {first: tuple(forms) for first, forms in starts.items()}


_DATE_STARTS = _forms_by_start()


@functools.cache
def _numbers_either_side(form: DateForm) -> tuple[bool, ...]:
    """For each gap between ``form``'s parts: whether a number stands on both sides (the form's
    separator goes there; beside a word, spaces). A property of the form, worked out once."""
    numeric = (DAY, MONTH, YEAR)
    return tuple(a in numeric and b in numeric for a, b in itertools.pairwise(form.parts))


def _date_at(tokens: list[_Token], i: int, form: DateForm) -> str | None:
    """The term of the date of ``form`` written from token ``i``, or None."""
    end = i + len(form.parts)
    if end > len(tokens):
        return None
    numbers: dict[str, str] = {}
    for part, token in zip(form.parts, tokens[i:end], strict=True):
        if part in (DAY, MONTH, YEAR):
            if not _is_digits(token.text, *((4, 4) if part == YEAR else (1, 2))):
                return None
            numbers[part] = token.text
        elif fold_token(token.text) != part:
            return None
    gaps = [token.gap for token in tokens[i + 1 : end]]
    sides = _numbers_either_side(form)
    between = [gap for gap, numeric in zip(gaps, sides, strict=True) if numeric]
    if form.separators is None or not between:
        beside, separator = gaps, gaps[0]
    else:
        beside = [gap for gap, numeric in zip(gaps, sides, strict=True) if not numeric]
        separator = between[0]
        if separator not in form.separators or any(gap != separator for gap in between):
            return None
    if not all(_spaces(gap) for gap in beside):
        return None
    if form.ends and end < len(tokens) and tokens[end].gap == separator:
        return None
    if DAY in numbers:
        return _date_term(numbers[DAY], numbers[MONTH], numbers[YEAR])
    return _month_term(numbers[MONTH], numbers[YEAR])


def _find_dates(tokens: list[_Token], specials: list[str]) -> None:
    """The dates of ``DATE_FORMS``, each a term of its day (``@2021-09-24``) or month (``@2021-09``)."""
    following = 0  # tokens before this one belong to a date already found
    for i in [k for k, token in enumerate(tokens) if _may_start_date(token.text[0])]:
        if i < following:
            continue
        first = tokens[i].text
        for form in _DATE_STARTS.get("#" if first.isdigit() else fold_token(first), ()):
            term = _date_at(tokens, i, form)
            if term:
                specials.append(term)
                following = i + len(form.parts)
                for token in tokens[i:following]:
                    token.consumed = True
                break


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
    # Only a number's start or a run of digits can be one (the others were skipped one by one).
    digits = [k for k, token in enumerate(t) if len(token.text) <= 9 and token.text.isdigit()]
    for i in sorted({*numbers, *digits}):
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
