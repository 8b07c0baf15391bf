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

Each function takes the header's cells (``parsing.Line``) and returns them repaired; a
piece cut from a line keeps the line's number, so every message still names the right line.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import replace
from typing import TYPE_CHECKING

from builder.vietnamese import fold

if TYPE_CHECKING:
    from builder.parsing import Line

MOTTOS: tuple[tuple[str, ...], ...] = (
    ("cong", "hoa", "xa", "hoi", "chu", "nghia", "viet", "nam"),
    ("doc", "lap", "tu", "do", "hanh", "phuc"),
    ("dang", "cong", "san", "viet", "nam"),
    ("viet", "nam", "dan", "chu", "cong", "hoa"),
)
"""The Quốc hiệu and tiêu ngữ (today's and 1945-1976's) and the party header, word by word, folded."""

_PIPE_ROW = re.compile(r"\s*\|\s*")


def _words(text: str) -> list[str]:
    """Folded words without dashes (the tiêu ngữ's dashes come in every form)."""
    return [w for w in (fold(word).strip("-–—,.") for word in text.split()) if w]


def split_pipes(text: str) -> list[str] | None:
    """A line holding table pipes as its cells ("A | B |", "Số: 44/QĐ |", "|"); None without pipes."""
    if "|" not in text:
        return None
    return [part.strip() for part in _PIPE_ROW.split(text) if part.strip()]


def split_motto(text: str) -> list[str]:
    """A line with the Quốc hiệu or tiêu ngữ beside the issuer column, cut into issuer, motto, rest.

    Only when what stands before the motto is in capitals (the issuer's column) or
    nothing: a sentence that names the Republic is not a flattened header.
    """
    raw = text.split()
    flat = [(i, w) for i, word in enumerate(raw) for w in _words(word)]
    for motto in MOTTOS:
        for start in range(len(flat) - len(motto) + 1):
            if tuple(w for _, w in flat[start : start + len(motto)]) != motto:
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
            if len(group) < width:
                break
            words = _words(" ".join(c.text for c in group))
            pieces = [_words(c.text) for c in group]
            if tuple(words) in MOTTOS and all(pieces) and tuple(pieces[0]) not in MOTTOS:
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


def split_number_glued(
    text: str, number_line: Callable[[str], object], rest_ok: Callable[[str], bool]
) -> list[str]:
    """ "Số: 476/UBND Châu Thành, ngày …" or "Số: 2597/VPCP-NCV/v …": the number, then the rest."""
    if not re.match(r"^\s*số\b", text, re.IGNORECASE) or number_line(text) is not None:
        return [text]
    glued = re.search(r"(?<=[A-ZĐ0-9])(?=V/v\s)", text)
    if glued and number_line(text[: glued.start()]) is not None:
        return [text[: glued.start()].strip(), text[glued.start() :].strip()]
    spaces = [m.start() for m in re.finditer(r"\s+", text)]
    for cut in spaces:
        head, tail = text[:cut].strip(), text[cut:].strip()
        if number_line(head) is not None and rest_ok(tail):
            return [head, tail]
    return [text]


_DATE_OPEN = re.compile(
    r"(?:^|,)\s*ngày(?:\s+\d{1,2})?(?:\s+tháng(?:\s+\d{1,2})?)?(?:\s+năm)?\s*$", re.IGNORECASE
)


def join_split_date(cells: list[Line], date_line: Callable[[str], object]) -> list[Line]:
    """ "Quảng Nam, ngày" / "13 tháng 7 năm 2023": a date line cut by a wrap or a cell, joined."""
    out: list[Line] = []
    index = 0
    while index < len(cells):
        cell = cells[index]
        if _DATE_OPEN.search(cell.text) and index + 1 < len(cells):
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
