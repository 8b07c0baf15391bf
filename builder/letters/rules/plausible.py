"""Checks a value read from a document must pass before it is published.

A rule that recognised a form can still be fooled by a form it has not met: a web
page's cell glued to the issuer, the motto read as the issuer, a title read as the
signer. A wrong issuer or number on a government portal is worse than none (lists
by issuer, search by number and open data all repeat it), so each core value is
checked for what it must look like; a value that fails is not published, and the
message says which line it came from and which front-matter key fixes it.

Each function returns what is wrong (Vietnamese, for the message) or None.
"""

from __future__ import annotations

import re

from builder.letters.lines import POSITION_WORDS
from builder.letters.rules.number import DOCUMENT_TYPES
from builder.text.vietnamese import canonical_key

BODY_WORDS = (
    "ủy ban",
    "ubnd",
    "hội đồng",
    "hđnd",
    "sở",
    "phòng",
    "bộ",
    "ban",
    "đảng ủy",
    "đảng bộ",
    "tỉnh ủy",
    "huyện ủy",
    "thành ủy",
    "quận ủy",
    "thị ủy",
    "văn phòng",
    "chính phủ",
    "thủ tướng",
    "chủ tịch",
    "cục",
    "tổng cục",
    "trung tâm",
    "trường",
    "viện",
    "mặt trận",
    "đoàn",
    "hội",
    "công an",
    "bộ chỉ huy",
    "kho bạc",
    "chi cục",
    "quốc hội",
    "tòa án",
    "viện kiểm sát",
    "liên đoàn",
    "bảo hiểm",
    "ủy ban kiểm tra",
    "phủ",
    "nha",
)
"""Words that name a body: an issuer without one of them is not an issuer's name."""

MOTTO_WORDS = ("cộng hòa", "chủ nghĩa", "độc lập", "tự do", "hạnh phúc", "dân chủ cộng hòa")

_PLACE_NUMBER = re.compile(r"\b(?:quận|phường|khu vực|tổ|ấp|thôn)\s+\d{1,3}\b")


def issuer_problem(name: str) -> str | None:
    """Why ``name`` cannot be an issuer ("có dấu '|'", "là quốc hiệu"...), or None when it can."""
    key = canonical_key(name)
    if re.search(r"[|*#<>{}\[\]=_]", name):
        return "có ký tự của bảng hoặc đường kẻ"
    if any(word in key for word in MOTTO_WORDS):
        return "lẫn quốc hiệu, tiêu ngữ"
    if re.search(r"\bsố\s*:|\bngày\s+\d|\bv/v\b", key):
        return "lẫn số, ngày hoặc trích yếu"
    if re.search(r"\d", _PLACE_NUMBER.sub("", key)):
        return "có chữ số không thuộc tên quận, phường"
    if len(key.split()) > 20:
        return "quá dài để là tên cơ quan"
    if not any(re.search(rf"(?:^|\s){re.escape(word)}(?:\s|$|,)", key) for word in BODY_WORDS):
        return "không có từ chỉ cơ quan (Ủy ban, Hội đồng, Sở, Phòng, Bộ, Đảng ủy …)"
    return None


def type_of_symbol(ky_hieu: str | None) -> str | None:
    """The type a symbol's first part names ("QĐ-UBND" -> Quyết định), None when it names none."""
    for part in re.split(r"[/-]", ky_hieu or ""):
        if part and not part.isdigit():
            return DOCUMENT_TYPES.get(part)
    return None


def type_conflict(printed_type: str | None, ky_hieu: str | None) -> str | None:
    """The type the symbol names when it disagrees with the type line, else None."""
    named = type_of_symbol(ky_hieu)
    if not printed_type or not named or named == "Công văn":
        return None
    return None if canonical_key(named) == canonical_key(printed_type) else named


TITLE_WORDS = (*POSITION_WORDS, "thủ tướng", "tm.", "kt.")
"""Whole words that make a signer's name implausible: the positions, and an authority prefix
glued to the name. Not "tổng" (a name may hold the syllable)."""


def signer_problem(name: str) -> str | None:
    """Why ``name`` is not a person's name (a title, a body, a glued title), or None."""
    key = canonical_key(name)
    words = name.split()
    if not 2 <= len(words) <= 6 or re.search(r"[\d|*:;()]", name):
        return "không có dạng họ tên"
    if any(f" {word} " in f" {key} " for word in TITLE_WORDS):
        return "lẫn chức vụ"
    if any(ch.isupper() for word in words for ch in word[1:]) and not name.isupper():
        return "có chữ hoa giữa từ (chức vụ dính vào tên?)"
    return None


def subject_problem(subject: str) -> str | None:
    """Why ``subject`` is not a subject (the body ran into it), or None."""
    if len(subject) > 600:
        return "quá dài (trích yếu không quá 500 ký tự)"
    if re.search(r"(?:^|[\s;,.])(?:Căn cứ|Điều \d+\.|QUYẾT ĐỊNH:|QUYẾT NGHỊ:|Nơi nhận:)", subject):
        return "lẫn phần nội dung văn bản"
    if subject.count("(") != subject.count(")") or subject.count("“") != subject.count("”"):
        return "có ngoặc mở mà không đóng (một dòng có thể đã bị đọc thành gạch đầu dòng)"
    return None


def year_problem(iso: str, newest: int) -> str | None:
    """A year no document of the portal can have."""
    year = int(iso[:4])
    if year < 1945 or year > newest:
        return f"năm {year} không thể là năm ban hành"
    return None
