"""The ranking model, written once: whoosh scores with it, the browser index stores its impacts,
and the browser reads the query weights from the index's manifest (never as literals in JS).

A letter's score is a sum over the query's terms of weight(term) × impact(term, letter). Terms
come in three kinds, told apart by their shape (``term_kind``):

- **plain** syllables (folded, ``phong``) and **specials** (``#2642/ubnd-vx``, ``@2021-08-26``):
  BM25F, the field scores summed with ``FIELD_BOOSTS``, so a letter's own number (``so``, 20)
  far outweighs a citation of it (``dan_chieu``) and a mention in the text (``noi_dung``);
- **evidence**: an accented syllable exactly as typed (``phòng``) or two adjacent syllables
  (``phong chong``). What a person typed with accents, or as neighbours, is what they meant;
  this evidence is scored in the *best* field only (``EVIDENCE_BOOSTS``), with a low saturation
  (``EVIDENCE_K1``): having the phrase counts, repeating it barely does. Its weights are high,
  so evidence dominates folded syllables scattered through a subject and a body.

An issuer's name is evidence in its own field (``co_quan``, boost 2): a query naming an issuer
ranks the issuer's own letters above letters that mention it.
"""

from __future__ import annotations

import functools

from builder.text.vietnamese import fold

FIELD_BOOSTS: dict[str, float] = {
    "so": 20.0,
    "trich_yeu": 3.0,
    "co_quan": 1.5,
    "nguoi_ky": 2.0,
    "noi_dung": 1.0,
    "dan_chieu": 1.5,
    "ngay": 8.0,
    "loai": 1.5,
}
"""Plain and special terms: how much a match in each field counts (summed over fields)."""

EVIDENCE_BOOSTS: dict[str, float] = {
    "so": 2.0,
    "trich_yeu": 1.25,
    "co_quan": 2.0,
    "nguoi_ky": 2.0,
    "noi_dung": 1.0,
    "dan_chieu": 1.0,
    "ngay": 1.0,
    "loai": 1.0,
}
"""Evidence terms: the boost of each field; a letter's evidence is its best field's score. A
phrase counts nearly alike in any field of the text, a little more in the subject (the same
phrase in a title and in a body: the title is what the letter is about); in a name (the
letter's own number, its issuer, its signer) twice."""

K1 = 1.2
B = 0.75
EVIDENCE_K1 = 0.05
EVIDENCE_B = 0.0
"""BM25's saturation and length normalization: plain terms, then evidence (nearly binary: a
phrase said once in a long body is as much evidence as the same phrase in a short subject)."""

QUERY_WEIGHTS: dict[str, float] = {
    "unigram": 1.0,
    "exact": 8.0,
    "bigram": 16.0,
    "special": 1.0,
    "trigram": 8.0,
    "partial": 0.5,
    "typed": 1.0,
}
"""Weights of a query's terms by the role they play: a folded syllable, the syllable as typed
with accents, two adjacent syllables, a number or date, the beginning of a longer number
(``2642/UBND`` for ``2642/UBND-VX``), a number restricted by its kind. A trigram (three
syllables in a row) adds to its two bigrams: a letter that says the words in the order typed
beats one that has the same pairs in another order or apart."""

SPELLED_OUT_FIELD = "trich_yeu"
"""The words an abbreviation of a letter's own symbol spells out (``chính phủ`` of ``52-CP``,
``hội đồng nhân dân`` of ``NQ-HĐND``) are not its number: they count as words of its title, not
with the number's boost (``so``: 20), which made every CP or HĐND letter outrank the letters
about ``hành chính`` or ``hội đồng``. The symbol's own codes (``VX`` of ``UBND-VX``) keep it."""


@functools.lru_cache(maxsize=200_000)
def is_evidence(term: str) -> bool:
    """An exact accented syllable, a bigram or a trigram (scored in the best field only)."""
    if term[:1] in ("#", "@"):
        return False
    return " " in term or fold(term) != term


def bm25_parameters(term: str) -> tuple[float, float]:
    """(K1, B) for a term."""
    return (EVIDENCE_K1, EVIDENCE_B) if is_evidence(term) else (K1, B)


@functools.cache
def _spelled_out_words() -> frozenset[str]:
    """Every word (exact and folded) of the long forms in the abbreviation table."""
    from builder.search.tokens import ABBREVIATIONS, fold_token

    return frozenset(
        form
        for long_form in ABBREVIATIONS.values()
        for word in long_form.split()
        for form in (word, fold_token(word))
    )


@functools.lru_cache(maxsize=200_000)
def _spelled_out(term: str) -> bool:
    """Whether every word of ``term`` is a word some abbreviation spells out."""
    words = _spelled_out_words()
    return term[:1] not in ("#", "@") and all(word in words for word in term.split(" "))


def field_boost(term: str, field: str) -> float:
    if field == "so" and _spelled_out(term):
        field = SPELLED_OUT_FIELD
    return (EVIDENCE_BOOSTS if is_evidence(term) else FIELD_BOOSTS)[field]


def manifest_weights() -> dict[str, float]:
    """What the browser needs of the model (the impacts carry the rest)."""
    return dict(QUERY_WEIGHTS)
