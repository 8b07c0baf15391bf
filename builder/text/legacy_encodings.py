"""Vietnamese legacy encodings: which one a text is in, and its conversion when it can be proven.

The tables and converters are in ``legacy_tables``, the syllable rules that prove a conversion
produced Vietnamese in ``syllables``; this module is the detector that uses both.

Before TCVN 6909:2001 made Unicode mandatory, district offices typed with
8-bit font encodings: TCVN3 (ABC, ``.VnTime`` fonts) and VNI (``VNI-Times``).
Such text shows up today either as raw single bytes or, far more often, as
"Unicode" that Word wrote by reading the font's bytes as Windows-1252
(``Uû ban nh©n d©n``, ``UÛy ban nhaân daân``). A third kind of mojibake is
UTF-8 read as Windows-1252 and saved again (``á»¦y ban``).

A conversion is only offered when it can be *proven*: the table is complete,
mapping the result back reproduces the input exactly, and what comes out is
made of valid Vietnamese syllables. Anything else is reported, never guessed,
because a wrong letter in an official letter is worse than no letter.

"""

from __future__ import annotations

import functools
import re
import unicodedata
from collections import Counter
from dataclasses import dataclass

from builder.text.legacy_tables import (
    TCVN3_TO_UNICODE,
    fix_utf8_mojibake,
    read_cp1252,
    tcvn3_to_unicode,
    unicode_to_tcvn3,
    unicode_to_vni,
    vni_to_unicode,
)
from builder.text.syllables import _SPLIT, _TONES, _score_words, is_vietnamese_syllable, score

# --------------------------------------------------------------------------
# Detection
# --------------------------------------------------------------------------

TCVN3 = "TCVN3"
VNI = "VNI"
CP1252_MOJIBAKE = "CP1252-mojibake"
UNKNOWN = "unknown"
"""Reads like no language's syllables and no table converts it: legacy or broken, but which is unclear."""

ENCODING_NAMES = {
    TCVN3: "TCVN3 (ABC, phông .VnTime)",
    VNI: "VNI Windows (phông VNI-Times)",
    CP1252_MOJIBAKE: "UTF-8 bị đọc nhầm thành Windows-1252 (lỗi kiểu “á»¦y ban”)",
    UNKNOWN: "không xác định",
}
"""How staff know each encoding: what messages call it."""


def _uppercase_ascii_caps(original: str, converted: str) -> str:
    """Restore capitals that ABC capitals fonts (.VnTimeH) lose in pasted text.

    Those fonts draw a lower-case byte as a capital, so ``HUYÖN`` (printed
    HUYỆN) pastes as HUY + ệ + N. A word is in such a font when it has no
    ASCII small letter and either two ASCII capitals or an ASCII capital after
    its first character (``ñY``); a line without ASCII small letters that has
    such a word is all in capitals (``X· HéI``: XÃ HỘI). Only the case
    changes: the letters are those the exact table gave.
    """
    lines_in, lines_out = original.split("\n"), converted.split("\n")
    if len(lines_in) != len(lines_out):  # the tables never add or drop a line break
        return converted
    result = []
    for line_in, line_out in zip(lines_in, lines_out, strict=True):
        words_in, words_out = re.split(r"(\s+)", line_in), re.split(r"(\s+)", line_out)
        if len(words_in) != len(words_out):
            result.append(line_out)
            continue
        caps = [_capitals_font(word) for word in words_in]
        if any(caps) and not any(ch.isascii() and ch.islower() for ch in line_in):
            result.append(line_out.upper())
        else:
            result.append("".join(w.upper() if cap else w for w, cap in zip(words_out, caps, strict=True)))
    return "\n".join(result)


def _capitals_font(word: str) -> bool:
    """Whether a TCVN3 word was typed in a capitals font (see ``_uppercase_ascii_caps``)."""
    if not any(ch in TCVN3_TO_UNICODE for ch in word) or any(ch.isascii() and ch.islower() for ch in word):
        return False
    capitals = [i for i, ch in enumerate(word) if ch.isascii() and ch.isupper()]
    return len(capitals) >= 2 or any(i > 0 for i in capitals)


def _convert_tcvn3(text: str) -> str | None:
    exact = tcvn3_to_unicode(text)
    if unicode_to_tcvn3(exact) != unicodedata.normalize("NFC", text):
        return None
    return _uppercase_ascii_caps(text, exact)


def _convert_vni(text: str) -> str | None:
    converted = vni_to_unicode(text)
    return converted if unicode_to_vni(converted) == unicodedata.normalize("NFC", text) else None


_CONVERTERS = (
    (CP1252_MOJIBAKE, fix_utf8_mojibake),
    (TCVN3, _convert_tcvn3),
    (VNI, _convert_vni),
)


@dataclass(frozen=True, slots=True)
class LegacyText:
    """What ``examine`` found: the encoding, and the exact conversion when there is one."""

    encoding: str
    """TCVN3, VNI or CP1252-mojibake."""
    text: str | None
    """The proven conversion, or None when the text cannot be converted exactly."""
    first_word: int
    """Index in the input of the first word that gave the encoding away."""


def legacy_words(text: str, words: list[str] | None = None) -> list[tuple[int, str, str]]:
    """Words that are mojibake of one legacy encoding: (index, word, encoding), in text order.

    A word counts only if it is not a Vietnamese syllable, has a non-ASCII
    character, is not one lone symbol or Vietnamese letter, and the encoding's exact conversion of it
    *is* a Vietnamese syllable. Typos and foreign words in Unicode letters
    ("MUỜNG", "Café") do not turn into syllables that way. UTF-8 read as
    Windows-1252 is also found by its byte pattern, because its continuation
    bytes include punctuation (‡ “ ”) that splits words.
    """
    found = {index: (index, word, CP1252_MOJIBAKE) for index, word in _utf8_mojibake_sequences(text)}
    words = _SPLIT.split(text) if words is None else words  # ``words``: the caller split ``text`` already
    if not any(map(_legacy_encoding_of, set(words))):
        return [found[index] for index in sorted(found)]  # clean Unicode: no word needs its index
    position = 0
    for word in words:
        index = text.index(word, position) if word else position
        position = index + len(word)
        name = _legacy_encoding_of(word)
        if name is not None:
            found.setdefault(index, (index, word, name))
    return [found[index] for index in sorted(found)]


@functools.lru_cache(maxsize=1 << 16)
def _legacy_encoding_of(word: str) -> str | None:
    """The encoding whose exact conversion turns this non-syllable word into a syllable, if any.

    Cached: a letter repeats its words, an archive repeats its vocabulary.
    """
    if not word or word.isascii() or is_vietnamese_syllable(word):
        return None
    if len(word) == 1 and (not word.isalpha() or _is_vietnamese_letter(word)):
        return None  # "ª" alone may be an ordinal sign; but "ë" alone is TCVN3's ở
    for name, convert in _CONVERTERS:
        converted = convert(word)
        if converted is not None and converted != word and is_vietnamese_syllable(converted):
            return name
    return None


_CONTINUATION = "".join(sorted({*read_cp1252(bytes(range(0x80, 0xC0))), *map(chr, range(0x80, 0xC0))}))
_UTF8_AS_CP1252 = re.compile(
    f"[\u00c2-\u00df][{re.escape(_CONTINUATION)}]|[\u00e0-\u00ef][{re.escape(_CONTINUATION)}]{{2}}"
)
"""A UTF-8 lead byte's character and its continuation bytes' characters, as Windows-1252 shows them."""


MAX_WORD = 40
"""Characters of context either side of a hit: longer than any Vietnamese word."""


def _utf8_mojibake_sequences(text: str) -> list[tuple[int, str]]:
    """(index, word around it) of every Vietnamese letter written as UTF-8 read as Windows-1252."""
    hits = []
    for match in _UTF8_AS_CP1252.finditer(text):
        fixed = fix_utf8_mojibake(match.group())
        if fixed is not None and fixed.isalpha() and not fixed.isascii() and _is_vietnamese_letter(fixed):
            # The word around it, at most MAX_WORD characters each way: a 100 KB "word" full of
            # hits would otherwise be scanned once per hit (quadratic).
            start, floor = match.start(), max(0, match.start() - MAX_WORD)
            while start > floor and not text[start - 1].isspace():
                start -= 1
            end, ceiling = match.end(), min(len(text), match.end() + MAX_WORD)
            while end < ceiling and not text[end].isspace():
                end += 1
            hits.append((start, text[start:end]))
    return hits


_VIETNAMESE_LETTERS = frozenset(
    unicodedata.normalize("NFC", vowel + tone)
    for vowel in (
        "a",
        "a\u0306",
        "a\u0302",
        "e",
        "e\u0302",
        "i",
        "o",
        "o\u0302",
        "o\u031b",
        "u",
        "u\u031b",
        "y",
    )
    for tone in ("", *_TONES)
) | frozenset("bcdđghklmnpqrstvx")
"""The Vietnamese alphabet in lower case, every toned vowel included."""


def _is_vietnamese_letter(ch: str) -> bool:
    return ch.lower() in _VIETNAMESE_LETTERS


def examine(text: str) -> LegacyText | None:
    """Whether ``text`` is legacy Vietnamese, and its exact conversion if one is proven.

    None for a text that reads as Unicode Vietnamese (or any other language).
    A conversion is returned only when it round-trips, at least two words
    become Vietnamese syllables, at least 95% of the non-ASCII words are
    syllables afterwards, no other encoding comes close, and nothing in the
    result still looks like legacy text.
    """
    split = _SPLIT.split(text)
    words = legacy_words(text, split)
    normalized = unicodedata.normalize("NFC", text)
    before = _score_words(split if normalized is text else _SPLIT.split(normalized))
    suspicious = bool(words) or (before.invalid >= 3 and before.ratio < 0.8)
    if not suspicious:
        mixed = _mixed_script_word(text)
        return None if mixed is None else LegacyText(encoding=UNKNOWN, text=None, first_word=mixed)
    results = []
    for name, convert in _CONVERTERS:
        converted = convert(text)
        if converted is None or converted == text:
            continue
        after = score(converted)
        if (
            after.valid >= 2
            and after.ratio >= 0.95
            and after.ratio > before.ratio
            and _few_good_words_changed(text, converted)
            and not legacy_words(converted)
        ):
            results.append((after.ratio, after.valid, name, converted))
    results.sort(reverse=True)
    first = words[0][0] if words else _first_invalid_word(text)
    if results and (len(results) == 1 or results[1][0] < results[0][0] - 0.2):
        _, _, name, converted = results[0]
        return LegacyText(encoding=name, text=converted, first_word=first)
    if words:
        name = Counter(name for _, _, name in words).most_common(1)[0][0]
    elif results:
        name = results[0][2]
    else:
        name = _guess(text)
    return LegacyText(encoding=name, text=None, first_word=first)


_ASCII_SPACE = re.compile(r"[ \t\n\r\f\v]+")
_PUNCTUATION = "".join(map(chr, range(0x21, 0x30))) + ":;<=>?@[\\]^_`{|}~" + "“”‘’–—…•"


def _few_good_words_changed(text: str, converted: str) -> bool:
    """Whether the conversion repaired broken words rather than rewriting good Unicode ones.

    In real TCVN3 or VNI text fewer than one changed word in ten was already
    a syllable by chance (TCVN3 "cã" is "có"). Unicode words that use only
    Latin-1 letters ("Nhân", "các") are inside both tables and round-trip, so
    a text mixing them with legacy words would have them rewritten; such a
    text is refused when over a third of the changed words were syllables
    already, or a line changes two or more words that all were.
    """
    lines_before, lines_after = text.split("\n"), converted.split("\n")
    if len(lines_before) != len(lines_after):
        return False
    changed = good = 0
    for line_before, line_after in zip(lines_before, lines_after, strict=True):
        before, after = _ASCII_SPACE.split(line_before), _ASCII_SPACE.split(line_after)
        if len(before) != len(after):
            return False
        words = [old.strip(_PUNCTUATION) for old, new in zip(before, after, strict=True) if old != new]
        line_good = sum(1 for word in words if not word.isascii() and is_vietnamese_syllable(word))
        if len(words) >= 2 and line_good == len(words):
            return False
        changed += len(words)
        good += line_good
    return good <= 0.35 * changed


def detect_legacy(text: str) -> str | None:
    """The legacy encoding ``text`` appears to be in ("TCVN3", "VNI", "CP1252-mojibake"), or None."""
    found = examine(text)
    return found.encoding if found else None


def _mixed_script_word(text: str) -> int | None:
    """Index of the first word mixing Latin letters with another script's ("v߾ng").

    No real word does that; legacy bytes that happen to be valid UTF-8 do.
    """
    if not any(map(_foreign, set(text))):
        return None  # no character of another script anywhere: no word can mix them
    position = 0
    for word in _SPLIT.split(text):
        index = text.index(word, position) if word else position
        position = index + len(word)
        if word.isascii():
            continue
        if any(ch.isascii() and ch.isalpha() for ch in word) and any(map(_foreign, word)):
            return index
    return None


@functools.lru_cache(maxsize=1 << 12)
def _foreign(ch: str) -> bool:
    """A character that has no business inside a Latin word: another script's letter or sign."""
    code = ord(ch)
    if code <= 0xFF or 0x2000 <= code <= 0x214F or unicodedata.combining(ch):
        return False
    return not unicodedata.name(ch, "?").startswith("LATIN")


def word_at(text: str, index: int) -> str:
    """The word starting at ``index``, up to the next white space (for messages that quote it)."""
    match = re.compile(r"\s").search(text, index)
    return text[index : match.start() if match else len(text)].rstrip(".,;:!?)")


def _first_invalid_word(text: str) -> int:
    position = 0
    for word in _SPLIT.split(text):
        index = text.index(word, position) if word else position
        position = index + len(word)
        if word and not word.isascii() and not is_vietnamese_syllable(word):
            return index
    return 0


def _guess(text: str) -> str:
    """Name the encoding of a text no table converts, word by word or whole.

    Only UTF-8 read as Windows-1252 has a signature strong enough (a lead
    byte's character followed by a continuation byte's); otherwise the
    encoding is not named, rather than named wrongly.
    """
    return CP1252_MOJIBAKE if _UTF8_AS_CP1252.search(text) else UNKNOWN
