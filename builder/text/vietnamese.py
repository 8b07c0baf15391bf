"""Vietnamese text rules: the one place where "the same text" is defined.

Letters arrive in NFC or NFD, with old-style (hòa, ủy) or new-style (hoà, uỷ)
tone placement, with look-alike letters and odd dashes and spaces. Matching,
de-duplication and search compare *canonical* text; pages show the text as
printed (only NFC-composed). The browser has the same rules in
``site_theme/assets/javascripts/vietnamese.js``; ``tests/test_parity.py``
proves the two agree.
"""

from __future__ import annotations

import functools
import re
import unicodedata

TONE_MARKS = frozenset("\u0300\u0301\u0303\u0309\u0323")
"""Grave, acute, tilde, hook above, dot below: at most one per syllable."""

VOWEL_MODIFIERS = frozenset("\u0306\u0302\u031b")
"""Breve (ă), circumflex (â ê ô), horn (ơ ư): they make a vowel 'marked'."""

VOWELS = frozenset("aeiouy")
FINAL_CONSONANTS = frozenset({"", "c", "ch", "m", "n", "ng", "nh", "p", "t"})

HIDDEN_BMP_CODES = (
    0x061C,  # Arabic letter mark
    0x200E,  # left-to-right mark
    0x200F,  # right-to-left mark
    *range(0x202A, 0x202F),  # embeddings and overrides: U+202E prints "txt.exe" as "exe.txt"
    *range(0x2066, 0x206A),  # isolates
    *range(0xFDD0, 0xFDF0),  # non-characters
    0xFFFE,
    0xFFFF,  # not allowed in XML: one in a subject made feed.xml unreadable
)
"""Characters that reorder or corrupt what is shown and are never part of a letter's text."""

HIDDEN = re.compile(
    "["
    + "".join(re.escape(chr(code)) for code in HIDDEN_BMP_CODES)
    + "".join(
        f"{re.escape(chr(plane + 0xFFFE))}{re.escape(chr(plane + 0xFFFF))}"
        for plane in range(0x10000, 0x110000, 0x10000)
    )
    + "\ud800-\udfff"
    + "]"
)
"""``HIDDEN_BMP_CODES``, the non-characters of the other planes and lone surrogates. C0 and C1
controls are not here: the decoding refuses them, or reads them as line breaks."""


def without_hidden(text: str) -> tuple[str, list[int]]:
    """``text`` without ``HIDDEN`` characters, and the index in ``text`` of each one removed."""
    found = [match.start() for match in HIDDEN.finditer(text)]
    return (HIDDEN.sub("", text) if found else text), found


LOOK_ALIKES = str.maketrans(
    {
        "\u00d0": "\u0110",  # Ð eth (CP1252 misreading of 0xD0) -> Đ
        "\u0189": "\u0110",  # Ɖ African D -> Đ
        "\u00f0": "\u0111",  # ð eth -> đ
        "\u0256": "\u0111",  # ɖ -> đ
        "\u00a0": " ",
        "\u2007": " ",
        "\u202f": " ",
        "\u200b": None,  # zero-width space
        "\u200c": None,
        "\u200d": None,
        "\u2060": None,
        "\ufeff": None,  # BOM / zero-width no-break space
        "\u00ad": None,  # soft hyphen
        **dict.fromkeys(map(chr, HIDDEN_BMP_CODES)),  # bidi controls, non-characters: never text
        "\u2010": "-",
        "\u2011": "-",
        "\u2012": "-",
        "\u2013": "-",
        "\u2014": "-",
        "\u2015": "-",
        "\u2212": "-",
        "\u2044": "/",
        "\u2215": "/",
        "\uff0f": "/",
    }
)
"""Characters that print like another one and must match it."""

_WORD = re.compile(r"(?:[^\W\d_]|[\u0300-\u036f])+")


def published(text: str) -> str:
    """Text as printed, only composed (NFC): what pages show."""
    return unicodedata.normalize("NFC", text)


def canonical(text: str) -> str:
    """Text for matching: NFKC, look-alikes, dashes, spaces, one tone style.

    Idempotent; case and line breaks are kept.
    """
    if text.isascii():
        return text  # no compatibility forms, look-alikes, odd spaces or marks: nothing to change
    return _canonical_line(text) if len(text) <= CACHED_LINE else _canonical(text)


CACHED_LINE = 1000
"""Texts up to this long have their canonical form cached (a line: the parser's rules ask for
the same line's several times, and headers, mottos and signatures repeat between letters)."""


@functools.lru_cache(maxsize=1 << 14)
def _canonical_line(text: str) -> str:
    return _canonical(text)


def _canonical(text: str) -> str:
    text = unicodedata.normalize("NFKC", text)
    if _LOOK_ALIKE.search(text):  # translate() looks up every character; most texts have none
        text = text.translate(LOOK_ALIKES)
    text = _ODD_SPACES.sub(" ", text)
    decomposed = unicodedata.normalize("NFD", text)
    placed = _WORD.sub(_place_tone_of_match, decomposed)
    return unicodedata.normalize("NFC", placed)


_ODD_SPACES = re.compile(r"[\u2000-\u200a\u205f\u3000]")
_LOOK_ALIKE = re.compile("[" + "".join(re.escape(chr(code)) for code in LOOK_ALIKES) + "]")


def _place_tone_of_match(match: re.Match[str]) -> str:
    return _place_tone(match.group())


def canonical_key(text: str) -> str:
    """Canonical, lower case, runs of white space as one space: for equality."""
    return " ".join(canonical(text).lower().split())


def fold(text: str) -> str:
    """Canonical key without any marks, đ as d: what a diacritic-free query types."""
    stripped = "".join(
        ch for ch in unicodedata.normalize("NFD", canonical_key(text)) if not unicodedata.combining(ch)
    )
    # Stripping a stand-alone mark (NFKC turns ¸ into space + U+0327) can leave a run of spaces.
    return " ".join(stripped.replace("đ", "d").split())


@functools.lru_cache(maxsize=1 << 17)
def _place_tone(word: str) -> str:
    """Move a syllable's single tone mark onto the vowel the rules choose.

    Cached: an archive has a few thousand distinct words, met millions of times.

    ``word`` is NFD. Anything that is not one Vietnamese syllable (foreign
    words, two tone marks, marks on consonants) is returned unchanged.
    """
    letters: list[tuple[str, str]] = []  # (base letter, its non-tone marks)
    tones: list[str] = []
    for ch in word:
        if ch in TONE_MARKS:
            if not letters:
                return word
            tones.append(ch)
        elif unicodedata.combining(ch):
            if not letters or ch not in VOWEL_MODIFIERS:
                return word
            base, marks = letters[-1]
            letters[-1] = (base, marks + ch)
        else:
            letters.append((ch, ""))
    if len(tones) != 1:
        return word
    target = _tone_position([(base.lower(), marks) for base, marks in letters])
    if target is None:
        return word
    out = []
    for index, (base, marks) in enumerate(letters):
        out.append(base + marks + (tones[0] if index == target else ""))
    return "".join(out)


def _tone_position(letters: list[tuple[str, str]]) -> int | None:
    """Index of the letter that carries the tone, or None if not a syllable."""
    bases = "".join(base for base, _ in letters)
    start = 0
    while start < len(bases) and bases[start] not in VOWELS:
        start += 1
    if bases[:2] == "qu" or (bases[:2] == "gi" and len(bases) > 2 and bases[2] in VOWELS):
        start = max(start, 2)
    end = start
    while end < len(bases) and bases[end] in VOWELS:
        end += 1
    nucleus = range(start, end)
    if not nucleus or bases[end:] not in FINAL_CONSONANTS or len(nucleus) > 3:
        return None
    if any(marks for _, marks in letters[:start]) or any(marks for _, marks in letters[end:]):
        return None
    marked = [i for i in nucleus if letters[i][1]]
    if marked:
        return marked[-1]
    if len(nucleus) == 1:
        return start
    if bases[end:]:
        return end - 1
    if len(nucleus) == 3:
        return start + 1
    # Open pair (mía, lúa). For oa, oe, uy the two styles differ; the canonical
    # one is the old style (hòa, khỏe, thủy, ủy), tone on the first vowel.
    return start
