"""What a single line of a letter is: the document vocabulary and the recognisers the rules ask.

Each recogniser takes a line's text and answers one question (a date line? a signing
authority? a type line?), matching on canonical keys (``builder.text.vietnamese``) so both
tone styles, NFD and look-alike dashes read the same.
"""

from __future__ import annotations

import re
import unicodedata

from builder.letters.rules.number import (
    TYPE_BY_KEY,
)
from builder.text.vietnamese import canonical_key, fold, published

# --- vocabulary ---------------------------------------------------------------------------------

POSITION_WORDS = ("chủ tịch", "giám đốc", "trưởng", "bí thư", "phó", "chánh", "ủy viên")
"""Words of a signer's position, as canonical keys: the footer tells a position line from a name
in capitals by them, and a signer's name that holds one is implausible (``rules.plausible``).
Each adds its own few words: the two questions differ at the edges."""

URGENCY = {"khẩn": "Khẩn", "thượng khẩn": "Thượng khẩn", "hỏa tốc": "Hỏa tốc", "hỏa tốc hẹn giờ": "Hỏa tốc"}
"""Urgency marks (canonical key) and the value stored."""

CLASSIFICATION = {"mật": "Mật", "tối mật": "Tối mật", "tuyệt mật": "Tuyệt mật"}
"""Classification marks: a letter carrying one must never be published."""

MOTTO_KEYS = frozenset(
    {
        "cộng hòa xã hội chủ nghĩa việt nam",
        "độc lập - tự do - hạnh phúc",
        "đảng cộng sản việt nam",
        "việt nam dân chủ cộng hòa",
        "cộng hòa xã hội",  # the Quốc hiệu wrapped in a narrow cell: its halves on two rows
        "chủ nghĩa việt nam",
        "độc lập -",
        "tự do - hạnh phúc",
    }
)
"""National motto and the party header, as canonical keys."""

AUTHORITY = re.compile(r"^(?:TM|KT|TL|TUQ|Q|T/M|K/T|T/L)(?:\s*[.:/]\s*|\s+)(?=\S)", re.IGNORECASE)
"""Signing-authority prefixes (they stack: "TM. ỦY BAN NHÂN DÂN" / "KT. CHỦ TỊCH")."""

TERMINAL = ".!?:;…"
"""Punctuation that ends a sentence (a paragraph ending otherwise may continue after a page break)."""

SHORT_LINE = 30
"""Marks and type names are short lines; longer ones are not even canonicalised for them."""

_BULLET = re.compile(r"^[-+•–]\s*")
_DECORATION = re.compile(r"^[\s*_=~\-–—•.|]*$")
_SUBJECT_START = re.compile(r"^(?:V/v|V/V|v/v|Về\s+việc|VỀ\s+VIỆC)\s*[:.]?\s*", re.IGNORECASE)
_RECIPIENTS = re.compile(r"^kính\s+gửi\s*[:.]?\s*", re.IGNORECASE)
_DISTRIBUTION = re.compile(r"^nơi\s+nhận\s*[:.]?\s*", re.IGNORECASE)


# --- recognisers: what a single line is ---------------------------------------------------------


def is_decoration(text: str) -> bool:
    """Rules, stars and dashes under headers, or an empty line."""
    return bool(_DECORATION.match(text))


_MARK_SEPARATORS = re.compile(r"[|()\[\]{}<>/\\,;:+–—]|\s-+\s|\s{3,}|\t")
_COMPACT_CLASSIFICATION = {re.sub(r"\s+", "", key): mark for key, mark in CLASSIFICATION.items()}
_MARK_LETTER = "m"
assert all(_MARK_LETTER in mark for mark in _COMPACT_CLASSIFICATION)
MAX_MARK_LINE = 400
"""Longer lines are sentences or bodies, not a mark or a table row carrying one."""


def classification_of(text: str) -> str | None:
    """ "Mật", "Tối mật" or "Tuyệt mật" when the line is, or has as a cell or bracketed part, such a
    mark, however spaced, punctuated or emphasised: "M Ậ T", "(MẬT)", "*** MẬT ***", "M.Ậ.T",
    "MẬT - KHẨN", "| TỐI MẬT |". "Bí mật", "mật khẩu", "thân mật" are words, not marks."""
    if len(text) > MAX_MARK_LINE or _MARK_LETTER not in unicodedata.normalize("NFKC", text).lower():
        return None  # every mark has an 'm', and folding to the canonical key cannot make one
    key = canonical_key(text)
    for part in _MARK_SEPARATORS.split(key):
        compact = re.sub(r"[\W\d_]+", "", part)
        compact = compact.removeprefix("độmật") or compact
        if len(compact) <= 12 and compact in _COMPACT_CLASSIFICATION:
            return _COMPACT_CLASSIFICATION[compact]
    return None


def urgency_of(text: str) -> str | None:
    """ "Khẩn", "Thượng khẩn" or "Hỏa tốc" when the line is an urgency mark (either tone style)."""
    if len(text) > SHORT_LINE:
        return None
    key = canonical_key(text).strip(" .:")
    key = re.sub(r"^độ khẩn\s*:?\s*", "", key)
    return URGENCY.get(key)


def is_motto(text: str) -> bool:
    """National motto or the party header line."""
    if len(text) > 2 * SHORT_LINE:
        return False
    return canonical_key(_DECORATION_TAIL.sub("", text)).strip(" .") in MOTTO_KEYS


def subject_start(text: str) -> str | None:
    """The subject after "V/v" or "Về việc", or None when the line does not start so."""
    match = _SUBJECT_START.match(text)
    return text[match.end() :].strip() if match else None


def type_line(text: str) -> str | None:
    """The type name (title case) when the line is a type printed in capitals ("QUYẾT ĐỊNH")."""
    if len(text) > SHORT_LINE or text != text.upper():
        return None
    return TYPE_BY_KEY.get(canonical_key(text).strip(" .:"))


def recipients_start(text: str) -> str | None:
    """What follows "Kính gửi:" on its line, or None when the line is not the recipients line."""
    match = _RECIPIENTS.match(text)
    return text[match.end() :].strip() if match else None


def is_distribution_heading(text: str) -> bool:
    """The "Nơi nhận:" line (maybe bold or italic), alone or with the first item."""
    match = _DISTRIBUTION.match(text)
    if not match:
        return False
    rest = text[match.end() :].strip()
    return not rest or bool(_BULLET.match(rest)) or canonical_key(rest).startswith("như trên")


def is_authority(text: str) -> bool:
    """A signing-authority line: "TM. ỦY BAN NHÂN DÂN", "KT. CHỦ TỊCH", "TL.", "TUQ.", "Q."."""
    match = AUTHORITY.match(text)
    return match is not None and _is_upper(text[match.end() :])


def _is_upper(text: str) -> bool:
    """Letters present and all capitals."""
    if text.isascii():
        return text.isupper()  # every ASCII letter is cased: the same test, in C
    letters = "".join(filter(str.isalpha, text))
    return bool(letters) and all(map(str.isupper, letters))


def is_name(text: str) -> bool:
    """A person's name: 2-6 capitalised words, no digits or sentence punctuation."""
    words = text.split()
    if not 2 <= len(words) <= 6 or any(ch.isdigit() for ch in text) or text[-1:] in TERMINAL + ",":
        return False
    return all(word[:1].isupper() for word in words)


def is_signature_placeholder(text: str) -> bool:
    """ "(Đã ký)", "[đã ký]", "(Ký, ghi rõ họ tên)": marks where the signature was."""
    folded = fold(text).strip()
    return bool(
        re.fullmatch(
            r"[(\[]\s*(da ky|ky|ky ten|chu ky|ky,? ghi ro ho ten|ky va dong dau|da ky va dong dau)"
            r"[^)\]]*[)\]]|da ky|daky",
            folded,
        )
    )


def position_title(text: str) -> str:
    """A signer's title in title case: "PHÓ CHỦ TỊCH" -> "Phó Chủ tịch"."""
    words = published(" ".join(text.split())).lower().split(" ")
    if not words or not words[0]:
        return text
    out: list[str] = []
    index = 0
    while index < len(words) and words[index] in ("phó", "q.", "quyền"):
        out.append(words[index].capitalize())
        index += 1
    rest = words[index:]
    if rest:
        rest[0] = rest[0][:1].upper() + rest[0][1:]
        joined = " ".join(rest)
        joined = re.sub(r"^(Chánh|Phó chánh) văn phòng", lambda m: f"{m[1]} Văn phòng", joined)
        out.append(joined)
    return " ".join(out)


_DECORATION_TAIL = re.compile(r"(?<![\s*_=~•])\s*[*_=~•]{3,}$")  # tried from a run's start only
"""Stars or rules glued to the end of a header line ("UỶ BAN NHÂN DÂN TỈNH AN GIANG******")."""


# --- the whole letter ---------------------------------------------------------------------------


def _clean_item(text: str) -> str:
    """A list item without bullet, trailing ";" "," "." and extra spaces."""
    return " ".join(_BULLET.sub("", text).split()).rstrip(" ;,.")


_POSITION = re.compile(
    r"^(?:phó\s+|q\.\s*|quyền\s+)?(?:chủ tịch|bộ trưởng|thứ trưởng|giám đốc|trưởng ban|trưởng phòng|bí thư|"
    r"thủ tướng|chánh văn phòng|chánh án|viện trưởng|cục trưởng|tổng cục trưởng|hiệu trưởng|trưởng)\b"
)


def is_position(text: str) -> bool:
    """A signer's title as printed in sentence case ("Phó Chủ tịch", "Bộ trưởng Tổng thư ký")."""
    key = canonical_key(text).strip(" .:")
    return len(key.split()) <= 8 and text.rstrip()[-1:] not in ".;," and bool(_POSITION.match(key))
