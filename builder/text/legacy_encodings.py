"""Vietnamese legacy encodings: exact tables, converters and a detector.

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

The staff teammate's Word import reuses ``tcvn3_to_unicode`` and
``vni_to_unicode`` for runs whose font name says which encoding they use.
"""

from __future__ import annotations

import functools
import re
import unicodedata
from collections import Counter
from dataclasses import dataclass

# --------------------------------------------------------------------------
# TCVN3 (TCVN 5712:1993, the ABC fonts)
# --------------------------------------------------------------------------

_TCVN3_HIGH = (
    # 0xA1-0xAF
    "ĂÂÊÔƠƯĐăâêôơưđẰ"
    # 0xB0-0xB4 are combining tone marks in VN1; in text they are the
    # Windows-1252 symbols ° ± ² ³ ´ (°C, m²) and stay as they are.
    "\0\0\0\0\0"
    # 0xB5-0xBF
    "àảãáạẲằẳẵắẴ"
    # 0xC0-0xCF
    "ẮẦẨẪẤỀặầẩẫấậèỂẻẽ"
    # 0xD0-0xDF
    "éẹềểễếệìỉỄẾỒĩíịò"
    # 0xE0-0xEF
    "Ổỏõóọồổỗốộờởỡớợù"
    # 0xF0-0xFF
    "Ỗủũúụừửữứựỳỷỹýỵ"
    "Ố"
)
"""TCVN3 bytes 0xA1-0xFF. ABC ``.VnTime`` fonts use the lower-case letters and
Ă Â Ê Ô Ơ Ư Đ; the other capitals are VN1's and convert the same way. Bytes
0x80-0x9F (VN1 capitals) are left alone: in pasted text they are Word's
quotes and dashes (“ ” – —)."""

TCVN3_TO_UNICODE: dict[str, str] = {
    bytes([0xA1 + i]).decode("latin-1"): ch for i, ch in enumerate(_TCVN3_HIGH) if ch != "\0"
}
"""Character as pasted (the byte read as Windows-1252/Latin-1) -> Unicode letter."""

UNICODE_TO_TCVN3: dict[str, str] = {uni: legacy for legacy, uni in TCVN3_TO_UNICODE.items()}

# Capital letters that ABC fonts lack: an upper-case font (.VnTimeH) draws the
# lower-case byte as a capital, so going back they use the lower-case byte.
for _upper in {ch.upper() for ch in TCVN3_TO_UNICODE.values()} - set(UNICODE_TO_TCVN3):
    UNICODE_TO_TCVN3[_upper] = UNICODE_TO_TCVN3[_upper.lower()]


def tcvn3_to_unicode(text: str, *, uppercase_font: bool = False) -> str:
    """Text typed in a TCVN3 (ABC) font, as Word exports it, to Unicode (NFC).

    ``uppercase_font`` is for runs in an ABC capitals font (``.VnTimeH``,
    ``.VnArialH``...), which draws every letter as a capital.
    """
    converted = "".join(TCVN3_TO_UNICODE.get(ch, ch) for ch in text)
    return converted.upper() if uppercase_font else converted


def unicode_to_tcvn3(text: str) -> str:
    """The inverse of ``tcvn3_to_unicode``: what an ABC font user would have typed."""
    return "".join(UNICODE_TO_TCVN3.get(ch, ch) for ch in unicodedata.normalize("NFC", text))


# --------------------------------------------------------------------------
# VNI (VNI Windows, the VNI-Times fonts)
# --------------------------------------------------------------------------

_VNI_TONES = {"\u0301": "ù", "\u0300": "ø", "\u0309": "û", "\u0303": "õ", "\u0323": "ï"}
"""Lower-case VNI bytes that follow a vowel to add a tone; the capital twin follows a capital."""
_VNI_CIRCUMFLEX = {"": "â", "\u0301": "á", "\u0300": "à", "\u0309": "å", "\u0303": "ã", "\u0323": "ä"}
"""a/e/o + these -> â ê ô with the tone."""
_VNI_BREVE = {"": "ê", "\u0301": "é", "\u0300": "è", "\u0309": "ú", "\u0303": "ü", "\u0323": "ë"}
"""a + these -> ă with the tone."""
_VNI_I = {"\u0301": "í", "\u0300": "ì", "\u0309": "æ", "\u0303": "ó", "\u0323": "ò"}
"""i with a tone is one byte."""
_VNI_SINGLE = {"ơ": "ô", "ư": "ö", "đ": "ñ", "ỵ": "î"}
"""Letters VNI writes as one byte (ơ and ư then take the tone bytes)."""


def _vni_table() -> dict[str, str]:
    """Unicode letter -> VNI sequence, for every Vietnamese letter, built from VNI's structure."""
    table: dict[str, str] = {}

    def add(letter: str, sequence: str) -> None:
        letter = unicodedata.normalize("NFC", letter)
        table[letter] = sequence
        table[letter.upper()] = sequence.upper()

    for single, byte in _VNI_SINGLE.items():
        add(single, byte)
    for tone, byte in _VNI_TONES.items():
        for base in "aeouy":
            if base + tone != "y\u0323":  # ỵ is the single byte î
                add(base + tone, base + byte)
        add("ơ" + tone, "ô" + byte)
        add("ư" + tone, "ö" + byte)
    for tone, byte in _VNI_CIRCUMFLEX.items():
        for base in "aeo":
            add(base + "\u0302" + tone, base + byte)
    for tone, byte in _VNI_BREVE.items():
        add("a\u0306" + tone, "a" + byte)
    for tone, byte in _VNI_I.items():
        add("i" + tone, byte)
    return table


UNICODE_TO_VNI: dict[str, str] = _vni_table()
"""Unicode letter -> VNI as pasted (each byte read as Windows-1252)."""
VNI_TO_UNICODE: dict[str, str] = {seq: letter for letter, seq in UNICODE_TO_VNI.items()}
_VNI_PATTERN = re.compile("|".join(re.escape(s) for s in sorted(VNI_TO_UNICODE, key=len, reverse=True)))


def vni_to_unicode(text: str) -> str:
    """Text typed in a VNI font, as Word exports it, to Unicode (NFC).

    A tone byte only combines with a letter of its own case ("UÛ", "uû"), as
    VNI keyboards type them; anything else is left as it is (and fails the
    round trip or the syllable check).
    """
    return _VNI_PATTERN.sub(lambda m: VNI_TO_UNICODE[m.group()], text)


def unicode_to_vni(text: str) -> str:
    """The inverse of ``vni_to_unicode``."""
    return "".join(UNICODE_TO_VNI.get(ch, ch) for ch in unicodedata.normalize("NFC", text))


# --------------------------------------------------------------------------
# VISCII (RFC 1456), raw bytes only
# --------------------------------------------------------------------------

_VISCII_HIGH = (
    "ẠẮẰẶẤẦẨẬẼẸẾỀỂỄỆỐỒỔỖỘỢỚỜỞỊỎỌỈỦŨỤỲ"
    "ÕắằặấầẩậẽẹếềểễệốồổỗỠƠộờởịỰỨỪỬơớƯ"
    "ÀÁÂÃẢĂẳẵÈÉÊẺÌÍĨỳĐứÒÓÔạỷừửÙÚỹỵÝỡư"
    "àáâãảăữẫèéêẻìíĩỉđựòóôõỏọụùúũủýợỮ"
)
"""VISCII 0x80-0xFF."""
_VISCII_LOW = {0x02: "Ẳ", 0x05: "Ẵ", 0x06: "Ẫ", 0x14: "Ỷ", 0x19: "Ỹ", 0x1E: "Ỵ"}
"""VISCII puts six capitals in C0 control positions."""
VISCII_DECODE: tuple[str, ...] = tuple(_VISCII_LOW.get(b, chr(b)) for b in range(128)) + tuple(_VISCII_HIGH)
VISCII_ENCODE: dict[str, int] = {ch: b for b, ch in enumerate(VISCII_DECODE)}


def viscii_decode(data: bytes) -> str:
    """VISCII bytes to Unicode; every byte has a meaning, so this never fails."""
    return "".join(VISCII_DECODE[b] for b in data)


def viscii_encode(text: str) -> bytes:
    """Unicode (NFC) to VISCII; raises ``ValueError`` for a character VISCII lacks."""
    try:
        return bytes(VISCII_ENCODE[ch] for ch in unicodedata.normalize("NFC", text))
    except KeyError as error:
        raise ValueError(f"VISCII has no {error.args[0]!r}") from None


# --------------------------------------------------------------------------
# UTF-8 read as Windows-1252 (or Latin-1) and saved again
# --------------------------------------------------------------------------


def _single_byte_tables() -> tuple[dict[str, int], dict[str, int]]:
    cp1252: dict[str, int] = {}
    for b in range(256):
        try:
            cp1252[bytes([b]).decode("cp1252")] = b
        except UnicodeDecodeError:  # 0x81 0x8D 0x8F 0x90 0x9D: Windows passes them through
            cp1252[chr(b)] = b
    latin1 = {chr(b): b for b in range(256)}
    return cp1252, latin1


_CP1252_BYTES, _LATIN1_BYTES = _single_byte_tables()
_LATIN1_TO_CP1252 = {b: ch for ch, b in _CP1252_BYTES.items() if ord(ch) != b}


def fix_utf8_mojibake(text: str) -> str | None:
    """``á»¦y ban`` -> ``Ủy ban``: undo UTF-8 that was read as Windows-1252 (or Latin-1).

    None unless the whole text maps back to bytes that are valid UTF-8 and
    the result, read the same wrong way again, gives exactly ``text``.
    """
    for table, codec in ((_CP1252_BYTES, "cp1252"), (_LATIN1_BYTES, "latin-1")):
        try:
            data = bytes(table[ch] for ch in text)
            fixed = data.decode("utf-8")
        except (KeyError, UnicodeDecodeError):
            continue
        if fixed != text and _read_as(fixed.encode("utf-8"), codec) == text:
            return fixed
    return None


def _read_as(data: bytes, codec: str) -> str:
    return data.decode("latin-1") if codec == "latin-1" else read_cp1252(data)


def read_cp1252(data: bytes) -> str:
    """Bytes read as Windows does in Word: Windows-1252, its five unused bytes passed through.

    This is how raw TCVN3 and VNI bytes become the text the converters take.
    """
    return data.decode("latin-1").translate(_LATIN1_TO_CP1252)


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
