"""Vietnamese legacy encodings as exact tables and converters: TCVN3 (ABC, ``.VnTime``), VNI
(``VNI-Times``), VISCII, and UTF-8 read as Windows-1252.

Each converter maps both ways, so a conversion can be proven by mapping its result back
(``builder.text.legacy_encodings`` does). The Word import reuses ``tcvn3_to_unicode`` and
``vni_to_unicode`` for runs whose font name says which encoding they use.
"""

from __future__ import annotations

import re
import unicodedata

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
