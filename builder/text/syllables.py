"""Vietnamese syllables (onset, rhyme, tone): the proof that a conversion produced Vietnamese.

A legacy text is converted only when what comes out is made of valid syllables; ``score``
says how much of a text is.
"""

from __future__ import annotations

import functools
import re
import unicodedata
from collections import Counter
from dataclasses import dataclass

# --------------------------------------------------------------------------
# Vietnamese syllables: the proof that a conversion produced Vietnamese
# --------------------------------------------------------------------------

ONSETS = (
    "ngh", "ng", "nh", "ch", "gh", "gi", "kh", "ph", "qu", "th", "tr",
    "b", "c", "d", "đ", "g", "h", "k", "l", "m", "n", "p", "r", "s", "t", "v", "x", "",
)  # fmt: skip
"""Initial consonants, longest first (an empty onset last)."""
_OPEN_RHYMES = frozenset((
    "a", "e", "ê", "i", "o", "ô", "ơ", "u", "ư", "y", "ai", "ao", "au", "ay", "âu", "ây", "eo", "êu",
    "ia", "iu", "oa", "oe", "oi", "ôi", "ơi", "ua", "uê", "ui", "uy", "ưa", "ưi", "ưu", "ươi", "ươu",
    "iêu", "yêu", "oai", "oao", "oay", "oeo", "uây", "uôi", "uya", "uyu", "uơ",
))  # fmt: skip
_CODAS = {
    "a": "c ch m n ng nh p t k",
    "ă": "c m n ng p t k",
    "â": "c m n ng p t",
    "e": "c m n ng p t",
    "ê": "ch m n nh p t",
    "i": "ch m n nh p t",
    "o": "c m n ng p t",
    "ô": "c m n ng p t",
    "ơ": "m n p t",
    "u": "c m n ng p t",
    "ư": "c m n ng t",
    "iê": "c m n ng p t",
    "yê": "m n ng t",
    "uô": "c m n ng t",
    "ươ": "c m n ng p t",
    "oa": "c ch m n ng nh p t",
    "oă": "c m n ng t",
    "oe": "n t",
    "oo": "c ng",
    "uâ": "n ng t",
    "uê": "ch nh n t",
    "uy": "ch nh n p t",
    "uyê": "n t",
}
RHYMES = _OPEN_RHYMES | {nucleus + coda for nucleus, codas in _CODAS.items() for coda in codas.split()}
"""Every rhyme (vowels + final consonant, no tone) a Vietnamese syllable may have."""
_STOPS = ("c", "ch", "p", "t", "k")
_TONES = frozenset("\u0300\u0301\u0303\u0309\u0323")
_FRONT = ("e", "ê", "i", "y")
"""k, gh, ngh come only before these; c and ng never do, g only as gi (gì, gìn)."""


@functools.lru_cache(maxsize=1 << 16)
def is_vietnamese_syllable(word: str) -> bool:
    """True for one well-formed Vietnamese syllable in lower, Title or UPPER case.

    Onset, rhyme, at most one tone mark, on a vowel the spelling rules allow
    (old or new style for open oa, oe, uy), and only sắc or nặng before
    c, ch, p, t. Typos like "tòan" fail, so do legacy readings like "Bôì".
    """
    word = unicodedata.normalize("NFC", word)
    if not word or word not in (word.lower(), word.upper(), word[:1].upper() + word[1:].lower()):
        return False
    units: list[str] = []  # base letter + vowel modifiers, NFD
    tone, tone_at = "", -1
    for ch in unicodedata.normalize("NFD", word.lower()):
        if ch in _TONES:
            if tone or not units:
                return False
            tone, tone_at = ch, len(units) - 1
        elif unicodedata.combining(ch):
            if not units:
                return False
            units[-1] += ch
        else:
            units.append(ch)
    letters = [unicodedata.normalize("NFC", unit) for unit in units]
    if any(len(letter) != 1 for letter in letters):
        return False
    bare = "".join(letters)
    for onset in ONSETS:
        if not bare.startswith(onset):
            continue
        rhyme = bare[len(onset) :]
        if onset == "gi" and (not rhyme or rhyme[0] not in "aăâeêoôơuưy"):
            continue  # gì, gìn: g + i
        if rhyme not in RHYMES:
            continue
        if onset in ("k", "gh", "ngh") and not rhyme.startswith(_FRONT):
            continue
        if onset in ("c", "ng") and rhyme.startswith(_FRONT):
            continue
        if onset == "g" and rhyme.startswith(("e", "ê", "y")):
            continue
        if rhyme.endswith(_STOPS) and tone not in ("\u0301", "\u0323"):
            continue
        if tone and tone_at - len(onset) not in _tone_places(rhyme):
            continue
        return True
    return False


def _tone_places(rhyme: str) -> set[int]:
    """Indexes in the rhyme where its tone mark may sit."""
    size = 0
    while size < len(rhyme) and rhyme[size] in "aăâeêioôơuưy":
        size += 1
    nucleus = rhyme[:size]
    marked = [i for i, ch in enumerate(nucleus) if ch in "ăâêôơư"]
    if marked:
        return {marked[-1]}
    if size == 1:
        return {0}
    if size < len(rhyme):
        return {size - 1}
    if size == 3:
        return {1}
    return {0, 1} if nucleus in ("oa", "oe", "uy") else {0}


_SPLIT = re.compile(r"[\s!-/:-@\[-`{-~0-9\u2000-\u206f\u00a0\u3000]+")
"""Words are what is left between white space, ASCII punctuation, digits and general punctuation.

Latin-1 symbols stay inside words: in TCVN3 text © is â and ® is đ."""


@dataclass(frozen=True, slots=True)
class SyllableScore:
    """How Vietnamese a text reads: only words with a non-ASCII character count."""

    valid: int
    invalid: int

    @property
    def ratio(self) -> float:
        total = self.valid + self.invalid
        return self.valid / total if total else 1.0


def score(text: str) -> SyllableScore:
    """Count the words with a non-ASCII character that are / are not Vietnamese syllables.

    Pure-ASCII words are left out: they are numbers' neighbours, abbreviations
    (UBND), foreign words and unaccented syllables, which every encoding shares.
    """
    return _score_words(_SPLIT.split(unicodedata.normalize("NFC", text)))


def _score_words(words: list[str]) -> SyllableScore:
    """``score`` of a text already split into words (each distinct word checked once)."""
    valid = invalid = 0
    for word, count in Counter(words).items():
        if word.isascii():
            continue
        if is_vietnamese_syllable(word):
            valid += count
        else:
            invalid += count
    return SyllableScore(valid, invalid)
