"""Cells an export split or glued, put back as a reader sees them, before the header rules run.

Real documents reach the portal through web pages and PDF extracts that break
the two-column header of NĐ 30/2020 in a few recurring ways:

* table pipes: cells dumped one per line with a trailing ``|`` (``Số: 44/2025/QĐ-CTUBND |``)
  or a lone ``|`` line between cells, or a whole row on one line (``A | B |``);
* both columns flattened onto shared lines: ``ỦY BAN NHÂN DÂN CỘNG HÒA XÃ HỘI …`` /
  ``HUYỆN CHÂU THÀNH Độc lập - Tự do - Hạnh phúc``;
* a cell wrapped mid-phrase: ``CỘNG`` / ``HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM``, a date line split
  after ``ngày`` (``Quảng Nam, ngày`` / ``13 tháng 7 năm 2023``);
* two cells glued on one line: number and date (``Số: 476/UBND Châu Thành, ngày 14 …``),
  number and subject (``Số: 2597/VPCP-NCV/v tổ chức …``).

Each function takes the header's cells (``blocks.Line``) and returns them repaired; a
piece cut from a line keeps the line's number, so every message still names the right line.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import replace
from functools import lru_cache
from typing import TYPE_CHECKING

from builder.text.dates import opens_date_line
from builder.text.vietnamese import fold

if TYPE_CHECKING:
    from builder.letters.blocks import Line

MOTTOS: tuple[tuple[str, ...], ...] = (
    ("cong", "hoa", "xa", "hoi", "chu", "nghia", "viet", "nam"),
    ("doc", "lap", "tu", "do", "hanh", "phuc"),
    ("dang", "cong", "san", "viet", "nam"),
    ("viet", "nam", "dan", "chu", "cong", "hoa"),
)
"""The Quốc hiệu and tiêu ngữ (today's and 1945-1976's) and the party header, word by word, folded."""

HEADER_REACH = 60
"""Cells from the top that may belong to the header: the joins below look no further."""


@lru_cache(maxsize=1 << 16)
def _folded_word(word: str) -> str:
    """One word folded, without dashes: cached, since every header line is scanned word by word
    and the same syllables recur (folding each anew made reading a letter ~50× slower)."""
    return fold(word).strip("-–—,.")


def _words(text: str) -> tuple[str, ...]:
    """Folded words without dashes (the tiêu ngữ's dashes come in every form)."""
    return tuple(w for w in map(_folded_word, text.split()) if w)


MOTTO_MAX_TOKENS = 2 * max(len(motto) for motto in MOTTOS)
"""A cell with more words than this (dashes counted) cannot be part of a wrapped motto."""


def split_pipes(text: str) -> list[str] | None:
    """A line holding table pipes as its cells ("A | B |", "Số: 44/QĐ |", "|"); None without pipes."""
    if "|" not in text:
        return None
    return [part.strip() for part in text.split("|") if part.strip()]


FLATTENED_LINE = 200
"""A header row flattened onto one line is short; longer lines are sentences."""


def split_motto(text: str) -> list[str]:
    """A line with the Quốc hiệu or tiêu ngữ beside the issuer column, cut into issuer, motto, rest.

    Only when what stands before the motto is in capitals (the issuer's column) or
    nothing: a sentence that names the Republic is not a flattened header.
    """
    if len(text) > FLATTENED_LINE:
        return [text]
    raw = text.split()
    flat = [(i, w) for i, word in enumerate(raw) if (w := _folded_word(word))]
    words = [w for _, w in flat]
    for motto in MOTTOS:
        for start in range(len(flat) - len(motto) + 1):
            if words[start] != motto[0] or tuple(words[start : start + len(motto)]) != motto:
                continue
            first, last = flat[start][0], flat[start + len(motto) - 1][0]
            before, middle, after = raw[:first], raw[first : last + 1], raw[last + 1 :]
            if not before and not after:
                return [text]
            if before and not _is_upper(" ".join(before)):
                return [text]
            return [" ".join(p) for p in (before, middle, after) if p]
    return [text]


def _is_upper(text: str) -> bool:
    letters = [ch for ch in text if ch.isalpha()]
    return bool(letters) and all(ch.isupper() for ch in letters)


def join_wrapped_motto(cells: list[Line]) -> list[Line]:
    """ "CỘNG" / "HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM" and "Độc lập -" / "Tự do - Hạnh phúc": one cell each."""
    out: list[Line] = []
    index = 0
    while index < len(cells):
        joined = None
        for width in (2, 3):
            group = cells[index : index + width]
            if len(group) < width or any(len(c.text.split()) > MOTTO_MAX_TOKENS for c in group):
                break
            pieces = [_words(c.text) for c in group]
            words = tuple(w for piece in pieces for w in piece)
            if words in MOTTOS and all(pieces) and pieces[0] not in MOTTOS:
                joined = group
                break
        if joined:
            text = " ".join(c.text for c in joined)
            out.append(replace(joined[0], text=text, markdown=text))
            index += len(joined)
        else:
            out.append(cells[index])
            index += 1
    return out


GLUED_NUMBER_REACH = 80
"""A number and symbol end within this many characters of "Số": cuts are tried there only (a long
line would otherwise cost a parse per space)."""


def split_number_glued(
    text: str, number_line: Callable[[str], object], rest_ok: Callable[[str], bool]
) -> list[str]:
    """ "Số: 476/UBND Châu Thành, ngày …" or "Số: 2597/VPCP-NCV/v …": the number, then the rest."""
    if not re.match(r"^\s*số\b", text, re.IGNORECASE) or number_line(text) is not None:
        return [text]
    glued = re.search(r"(?<=[A-ZĐ0-9])(?=V/v\s)", text)
    if glued and number_line(text[: glued.start()]) is not None:
        return [text[: glued.start()].strip(), text[glued.start() :].strip()]
    spaces = [m.start() for m in re.finditer(r"\s+", text[:GLUED_NUMBER_REACH])]
    for cut in spaces:
        head, tail = text[:cut].strip(), text[cut:].strip()
        if number_line(head) is not None and rest_ok(tail):
            return [head, tail]
    return [text]


def join_split_date(cells: list[Line], date_line: Callable[[str], object]) -> list[Line]:
    """ "Quảng Nam, ngày" / "13 tháng 7 năm 2023": a date line cut by a wrap or a cell, joined."""
    out: list[Line] = []
    index = 0
    while index < len(cells):
        cell = cells[index]
        if opens_date_line(cell.text) and index + 1 < len(cells):
            following = index + 1
            while following < len(cells) and cells[following].text.strip("| ") == "":
                following += 1
            if following < len(cells):
                text = f"{cell.text} {cells[following].text}"
                found = date_line(text)
                if found is not None and getattr(found, "year", None):
                    out.append(replace(cell, text=text, markdown=text))
                    index = following + 1
                    continue
        out.append(cell)
        index += 1
    return out


def _glued_title_name(text: str) -> tuple[str, str] | None:
    """Where a title in capitals runs into a name with no space ("PHÒNGThái"), the two parts."""
    for index in range(1, len(text) - 1):
        if text[index - 1].isupper() and text[index].isupper() and text[index + 1].islower():
            title, name = text[:index].strip(), text[index:].strip()
            words = name.split()
            named = 2 <= len(words) <= 6 and all(w[:1].isupper() and w[1:].islower() for w in words)
            return (title, name) if named and _is_upper(title) and len(title.split()) <= 8 else None
    return None


def split_title_name(cells: list[Line]) -> list[Line]:
    """ "CHÁNH VĂN PHÒNGThái Hữu Phép": a signer's title with the name glued on, as two cells."""
    out: list[Line] = []
    for cell in cells:
        glued = _glued_title_name(cell.text)
        if glued:
            title, name = glued
            out.append(replace(cell, text=title, markdown=title))
            out.append(replace(cell, text=name, markdown=name, part=cell.part + 1))
        else:
            out.append(cell)
    return out


# --- a whole document on one line ----------------------------------------------------------------

ONE_LINE_FROM = 400
"""A line this long that holds the header's parts is a document copied onto one line."""

_TYPE_WORDS = (
    "QUYẾT ĐỊNH",
    "NGHỊ QUYẾT",
    "KẾ HOẠCH",
    "CHỈ THỊ",
    "THÔNG BÁO",
    "THÔNG TƯ",
    "NGHỊ ĐỊNH",
    "QUY CHẾ",
    "QUY ĐỊNH",
    "HƯỚNG DẪN",
    "CHƯƠNG TRÌNH",
    "BÁO CÁO",
    "TỜ TRÌNH",
    "CÔNG ĐIỆN",
    "GIẤY MỜI",
    "ĐỀ ÁN",
    "PHƯƠNG ÁN",
)
_BODY_BREAKS = re.compile(
    r"\s(?=(?:Căn cứ|Xét đề nghị|Theo đề nghị|Thực hiện|Kính gửi\s*:|QUYẾT ĐỊNH\s*:|QUYẾT NGHỊ\s*:|"
    r"Điều\s+\d+\s*[.:]|Nơi nhận\s*:|(?:TM|KT|TL|TUQ)\s*[./]\s*[A-ZĐ]|[IVX]+\.\s+[A-ZĐ]))"
    r"|(?<!Điều)\s(?=\d+\.\s+[A-ZĐ])"
    r"|(?<=[;:.])\s(?=-\s)"
    r"|\s(?=[_=*~-]{4,})|(?<=[_=*~-]{4})\s"
)
_AUTHORITY_PHRASE = re.compile(
    r"\s(?=(?:CHỦ TỊCH|ỦY BAN NHÂN DÂN|UỶ BAN NHÂN DÂN|HỘI ĐỒNG NHÂN DÂN|HỘI ĐỒNG BỘ TRƯỞNG|"
    r"HỘI ĐỒNG CHÍNH PHỦ|BỘ TRƯỞNG|GIÁM ĐỐC SỞ|THỦ TƯỚNG CHÍNH PHỦ|CHÍNH PHỦ)\b)"
)


def is_one_line_document(line: str) -> bool:
    """A long line whose first part holds at least two of motto, number line and date line."""
    if len(line) < ONE_LINE_FROM:
        return False
    head = fold(line[:600])
    marks = (
        "cong hoa xa hoi chu nghia viet nam" in head or "doc lap - tu do - hanh phuc" in head,
        bool(re.search(r"\bso\s*:?\s*\d+\s*/", head)),
        bool(re.search(r",\s*ngay\s+\d{1,2}\s+thang\s+\d{1,2}\s+nam\s+\d{4}", head)),
    )
    return sum(marks) >= 2


def unflatten(line: str) -> list[str]:
    """A document copied onto one line, cut back into the lines of its parts.

    Cuts go before and after the motto and tiêu ngữ, before the number line, around
    the date line, around the type line, before the authority line under the title
    ("CHỦ TỊCH ỦY BAN NHÂN DÂN …"), and before the body's openings ("Căn cứ", "Điều 1.",
    "Nơi nhận:", "TM."). The header rules then read the lines as usual; where a cut
    is missing, they read less, never more (a subject cut short is checked like any).
    """
    text = " ".join(line.split())
    cuts: set[int] = set()

    def cut_around(match: re.Match[str] | None) -> None:
        if match:
            cuts.update((match.start(), match.end()))

    cut_around(
        re.search(r"C[ỘộO]NG\s+H[OÒ][ÀA]?\s+X[ÃA]\s+H[ỘO]I\s+CH[ỦU]\s+NGH[ĨI]A\s+VI[ỆE]T\s+NAM", text, re.I)
    )
    cut_around(re.search(r"Độc\s+lập\s*[-–—]\s*Tự\s+do\s*[-–—]\s*Hạnh\s+phúc", text, re.I))
    for about in re.finditer(r"V/v\s", text):
        cuts.add(about.start())
    number = re.search(r"\bSố\s*:?\s*\d*\s*[/-]\s*\S+?(?:\s*[/-]\s*\S+?)*(?=V/v\s|\s|$)", text)
    if number:
        cuts.update((number.start(), number.end()))
    date = _date_in_line(text, number.end() if number else 0)
    if date:
        cuts.update(date)
    start = max(date[1] if date else -1, number.end() if number else -1, 0)
    types = "|".join(_TYPE_WORDS)
    kind = re.compile(rf"\s(?P<t>{types})(?=\s)").search(text, start)
    rest = start
    if kind and kind.start() - start < 3:
        cuts.update((kind.start("t"), kind.end("t")))
        rest = kind.end("t")
        mixed = _first_lowercase_word(text, rest)
        if mixed is not None and _is_upper(text[rest:mixed]) and not _ends_open(text[rest:mixed]):
            cuts.add(mixed)  # "QUYẾT ĐỊNH CỦA UBND TỈNH LÀO CAI Ban hành …": where capitals end
    if rest:
        for authority in _AUTHORITY_PHRASE.finditer(text, rest, rest + 700):
            cuts.add(authority.start() + 1)  # inside a subject too: a cut after "CỦA" is joined again
    body = _BODY_BREAKS.search(text, start)
    while body:
        cuts.add(body.start() + 1)
        body = _BODY_BREAKS.search(text, body.end() + 1)
    pieces, last = [], 0
    for at in sorted(c for c in cuts if 0 < c < len(text)):
        pieces.append(text[last:at].strip())
        last = at
    pieces.append(text[last:].strip())
    return [piece for piece in pieces if piece]


def _date_in_line(text: str, start: int) -> tuple[int, int] | None:
    """Where "Place, ngày d tháng m năm yyyy" is in ``text`` after ``start``: the place is the
    capitalised words before the comma, not a symbol's tail ("UBND Bắc Ninh" -> "Bắc Ninh")."""
    date = re.compile(r",\s*ngày\s+\d{1,2}\s+tháng\s+\d{1,2}\s+năm\s+\d{4}").search(text, start)
    if not date:
        return None
    words = text[start : date.start()].split(" ")
    place: list[str] = []
    for word in reversed(words):
        if not word or len(place) >= 5:
            break
        if not (word[:1].isupper() or word.isdigit() or (place and word in ("phố", "xã", "trấn", "thị"))):
            break
        if len(word) > 1 and _is_upper(word) and word.lower() != "tp.":
            break  # a symbol's tail ("UBND"), not the place
        place.insert(0, word)
    if not place:
        return None
    return date.start() - len(" ".join(place)), date.end()


def _ends_open(text: str) -> bool:
    """Whether a run of capitals stops on a word that needs a continuation ("… CỦA", "… VÀ")."""
    words = fold(text).split()
    return bool(words) and words[-1] in ("cua", "va", "ve", "cho", "tai", "thuoc", "tren", "voi", "cac", "-")


def _first_lowercase_word(text: str, start: int) -> int | None:
    """Where the first word after ``start`` that has a lower-case letter begins."""
    for match in re.finditer(r"\S+", text[start:]):
        if any(ch.islower() for ch in match[0]):
            return start + match.start()
    return None
