"""What staff type into ``vanban new``, checked one answer at a time so a bad one is asked again.

Each function takes an answer and returns the value ``builder.staff.new_letter.NewLetter``
holds, or raises ValueError with a Vietnamese message saying what to type.
"""

from __future__ import annotations

from builder.letters.lines import is_authority
from builder.staff.new_letter import ADDRESSED_TYPES, TYPE_ABBREVIATIONS, URGENCIES, parse_date, parse_number
from builder.text.vietnamese import canonical_key

__all__ = [
    "check_authorities",
    "check_recipients",
    "check_symbol",
    "check_type",
    "check_urgency",
    "parse_date",
    "parse_number",
]


def check_type(answer: str) -> str:
    """A type of NĐ 30/2020 in its canonical spelling ("thong bao" is not enough: accents count)."""
    found = next((t for t in TYPE_ABBREVIATIONS if canonical_key(t) == canonical_key(answer)), None)
    if found is None:
        raise ValueError(f"Loại văn bản không có: {answer!r} (có: {', '.join(TYPE_ABBREVIATIONS)})")
    return found


def check_symbol(answer: str) -> str:
    symbol = answer.strip()
    if not symbol or "/" in symbol or " " in symbol:
        raise ValueError(f"Ký hiệu {answer!r} chỉ là phần sau dấu / và không có dấu cách, ví dụ UBND-VP")
    return symbol


def check_urgency(answer: str) -> str | None:
    if not answer.strip():
        return None
    found = next((u for u in URGENCIES if canonical_key(u) == canonical_key(answer)), None)
    if found is None:
        raise ValueError(f"Độ khẩn không có: {answer!r} (có: {', '.join(URGENCIES)}, hoặc để trống)")
    return found


def check_recipients(kind: str, items: list[str]) -> list[str]:
    """Recipients; a công văn, tờ trình, công điện, giấy mời must have some, other types may not."""
    if not items and kind in ADDRESSED_TYPES:
        raise ValueError(f"{kind} phải ghi nơi gửi (Kính gửi)")
    return items


def check_authorities(items: list[str]) -> list[str]:
    for line in items:
        if not is_authority(line):
            raise ValueError(
                f"Dòng thẩm quyền ký {line!r} phải bắt đầu bằng TM., KT., TL., TUQ. hoặc Q."
                " (chức vụ người ký nhập riêng)"
            )
    return items
