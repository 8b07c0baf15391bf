"""The subject (trích yếu) under a type line, in the forms real documents print it.

Under ``QUYẾT ĐỊNH`` / ``NGHỊ QUYẾT`` / ``KẾ HOẠCH`` … the subject follows on one or
more lines, wrapped anywhere (a PDF's hard wraps, a web page's cells), in capitals
or in sentence case, and then the document goes on with the authority line
(``CHỦ TỊCH ỦY BAN NHÂN DÂN TỈNH …``, ``HỘI ĐỒNG NHÂN DÂN QUẬN 3 KHÓA IX …``) or the
first ``Căn cứ``. Some sites print the title as one sentence: ``CỦA HỘI ĐỒNG BỘ
TRƯỞNG SỐ 64-HĐBT NGÀY 6 THÁNG 4 NĂM 1982 VỀ VIỆC …``, whose subject is what follows
``VỀ VIỆC``; ``QUYẾT ĐỊNH CỦA UBND TỈNH LÀO CAI`` names the issuer, not the subject.

``collect`` decides where the subject ends; it never takes a line it is unsure of
(a sentence, a body heading): a subject cut short is reported, a body glued to
the subject would be published wrong.
"""

from __future__ import annotations

import re

from builder.text.vietnamese import canonical_key

MAX_SUBJECT_LINES = 16
"""A subject wrapped over more lines than this is not read (NĐ 30/2020 caps it at 500 characters): a
subject that goes on past it is left empty, never published cut short."""
MAX_SUBJECT_CHARS = 600

AUTHORITY_STARTS = (
    "chủ tịch",
    "ủy ban",
    "hội đồng",
    "bộ trưởng",
    "thủ tướng",
    "chính phủ",
    "ban thường vụ",
    "ban chấp hành",
    "giám đốc",
    "trưởng ban",
    "trưởng phòng",
    "chánh văn phòng",
    "tổng cục trưởng",
    "cục trưởng",
    *(
        f"bộ {name}"
        for name in (
            "nội vụ",
            "tài chính",
            "y tế",
            "tư pháp",
            "công an",
            "quốc phòng",
            "ngoại giao",
            "xây dựng",
            "công thương",
            "giáo dục",
            "lao động",
            "nông nghiệp",
            "kế hoạch",
            "tài nguyên",
            "giao thông",
            "văn hóa",
            "khoa học",
            "thông tin",
        )
    ),
)
"""How the line naming who decides (under the subject of a decision or resolution) starts."""

BODY_STARTS = re.compile(
    r"^(căn cứ|thực hiện|xét|theo|để|nhằm|trên cơ sở|sau khi|điều\s+\d|chương\s+[ivxlc\d]|phần\s+[ivxlc\d]|"
    r"[ivxlc]+\s*[.:-]|\d+\s*[.)]|kính gửi|quyết định\s*:|quyết nghị\s*:|chỉ thị\s*:|nghị định\s*:)",
)
"""Lines that open the body (canonical keys): never part of a subject."""

CONNECTORS = frozenset(
    {"của", "và", "về", "cho", "tại", "thuộc", "trên", "với", "các", "đối", "năm", "giai", "-", "đến"}
)
"""Words a wrapped subject line may end on: the next line continues it, whatever it starts with."""

_ABOUT = re.compile(r"^(?:V/v|V/V|v/v|về\s*việc)\s*[:.]?\s*", re.IGNORECASE)


def is_upper(text: str) -> bool:
    letters = [ch for ch in text if ch.isalpha()]
    return bool(letters) and all(ch.isupper() for ch in letters)


def is_authority_line(text: str) -> bool:
    """ "CHỦ TỊCH ỦY BAN NHÂN DÂN TỈNH THANH HÓA", "HỘI ĐỒNG BỘ TRƯỞNG", "Ủy ban nhân dân tỉnh …"."""
    key = canonical_key(text).strip(" .:")
    if " về " in f" {key} " or "việc" in key.split():
        return False  # "CHÍNH PHỦ VỀ VIỆC PHÁT …": a subject wrapped after "THỦ TƯỚNG"
    return len(key.split()) <= 16 and any(key.startswith(word) for word in AUTHORITY_STARTS)


def ends_open(text: str) -> bool:
    """A line cut mid-phrase ("… CỦA", "… VÀ"): the next line belongs to it."""
    words = canonical_key(text).split()
    return bool(words) and words[-1] in CONNECTORS


def opens_body(text: str) -> bool:
    return bool(BODY_STARTS.match(canonical_key(text)))


def continues(previous: str, line: str, capitals: bool, same_block: bool = False) -> bool:
    """Whether ``line`` goes on with a subject whose last line is ``previous``.

    A subject in capitals goes on with capitals; one in sentence case with the
    rest of its paragraph, or a next paragraph that starts in lower case. A line
    cut after a connector ("… CỦA") always goes on; a body opening ("Căn cứ …")
    or the authority line ("HỘI ĐỒNG NHÂN DÂN TỈNH …") never does.
    """
    upper = is_upper(line)
    if upper and line.rstrip().endswith(":"):
        return False  # "QUYẾT NGHỊ:", "QUYẾT ĐỊNH:"
    if ends_open(previous):
        return True
    if not upper and opens_body(line) and not line[:1].islower():
        return False  # a lowercase "để …", "thực hiện …" is a wrapped line of the subject itself
    if upper and is_authority_line(line):
        return False
    if capitals:
        return upper or not any(ch.isalpha() for ch in line)  # "-2026" cut from "2021 -2026"
    if upper and (len(line.split()) >= 3 or not same_block):
        return False
    if same_block:
        return True
    if previous.rstrip()[-1:] in ".;:!?":
        return False
    return line[:1].islower() or line[:1].isdigit()


def may_start(line: str) -> bool:
    """Whether a line may be a subject's first line (not the body, not the authority line)."""
    upper = is_upper(line)
    if upper:
        return not is_authority_line(line) and not line.rstrip().endswith(":")
    return not opens_body(line)


def is_title_sentence(text: str) -> bool:
    """A title line that carries issuer, number or date: "CỦA HỘI ĐỒNG BỘ TRƯỞNG SỐ 64-HĐBT NGÀY …",
    "SỐ: 09/2008/QĐ-UBND NGÀY 27 THÁNG 3 NĂM 2008. VỀ VIỆC …", "của Chính phủ số 159/2005/NĐ-CP ngày …"."""
    if re.match(r"^(?:số|SỐ)\s*:?\s*\d", text):
        return True
    return bool(re.match(r"^(?:của|CỦA)\s", text)) and bool(re.search(r"\b(?:số|SỐ)\s*:?\s*\d", text))


def subject_of_title_sentence(text: str) -> str | None:
    """ "CỦA HỘI ĐỒNG BỘ TRƯỞNG SỐ 64-HĐBT NGÀY … VỀ VIỆC ĐỔI TÊN …" -> "ĐỔI TÊN …" (None if not so)."""
    if not re.match(r"^(?:của|CỦA|số|SỐ)\b", text):
        return None
    about = re.search(r"\b(?:về\s*việc|VỀ\s*VIỆC)\s*[:.]?\s*", text)
    if about:
        return text[about.end() :].strip() or None
    bare = re.search(r"\s(VỀ|Về|về)\s", text)  # "CỦA HỘI ĐỒNG NHÂN DÂN TỈNH VỀ PHÂN CẤP …": Về is kept
    return text[bare.start() :].strip() if bare else None


def issuer_suffix(text: str) -> bool:
    """ "QUYẾT ĐỊNH CỦA UBND TỈNH LÀO CAI": a type line that names its issuer, not a subject."""
    return bool(re.match(r"^(của|CỦA)\s", text)) and len(text.split()) <= 12 and "VIỆC" not in text.upper()


def clean(text: str) -> str:
    """The subject without a leading "V/v", "Về việc", "VỀ VIỆC" or a glued "VỀVIỆC"."""
    text = " ".join(text.split())
    return _ABOUT.sub("", text, count=1).strip()
