"""Stage 2: a letter's text (the Word export, which is Markdown) becomes a ``ParsedLetter``.

``parse_letter`` runs the parser's parts in order, each in its own module:

* ``blocks``: markdown-it-py reads the export into blocks with their source lines (the data
  types ``Line``, ``Block``, ``ParsedLetter`` live there too);
* ``header``: the header rules (``HEADER_RULES``) claim lines one at a time from the top
  (issuer, motto, number, date, type and subject, urgency, recipients) in whatever order the
  export put them; the first line no rule claims starts the body. Short lines stranded between
  header parts (an OCR'd routing stamp) are set aside and reported;
* ``footer``: the distribution list and signature start at ``Nơi nhận:`` or the first
  signing-authority line, and ``FOOTER_RULES`` sort their lines;
* ``body``: the text between them becomes clean Markdown, with paragraphs a page break split
  joined again; ``citations`` are read from subject and body.

Both rule tables ask ``lines``, the recognisers of a single line (a date line, a type line, a
signing authority …) and the document vocabulary; the rule modules of ``rules/`` handle the
forms real documents arrive in. Each rule is a small function ``rule(state) -> bool`` with a
one-line docstring; it claims lines by advancing ``state.pos`` and returns True, or returns
False to let the next rule try. To support a new layout, add or fix one rule in its table.
Matching uses ``builder.text.vietnamese`` (canonical keys), so both tone styles, NFD and
look-alike dashes read the same.
"""

from __future__ import annotations

import datetime as dt
import re

from builder.letters.blocks import Block, ParsedLetter, cells, read_blocks
from builder.letters.body import render_body
from builder.letters.citations import _type_without_type_line, find_citations
from builder.letters.footer import FOOTER_RULES, FooterState, _finish_signature
from builder.letters.header import HEADER_RULES, HeaderState, _finish_issuer
from builder.letters.lines import (
    _is_upper,
    classification_of,
    is_authority,
    is_decoration,
    is_distribution_heading,
    is_name,
    is_position,
    is_signature_placeholder,
)
from builder.letters.rules import layout
from builder.text.dates import date_line
from builder.text.vietnamese import published

PARSER_VERSION = 1
"""Bump when parsing changes in a way the source-hash cache key would not notice."""


def _footer_start(blocks: list[Block], first: int) -> int:
    """Index of the first footer block (distribution list or signature) at or after ``first``."""
    for number in range(first, len(blocks)):
        head = cells(blocks[number].lines[0])[0].text
        if is_distribution_heading(head) or is_authority(head):
            return number
    content = [n for n in range(first, len(blocks)) if not is_decoration(blocks[n].lines[0].text)]
    while content and all(is_signature_placeholder(line.text) for line in blocks[content[-1]].lines):
        content.pop()  # "(Đã ký)" under the name
    if not content:
        return len(blocks)
    last = blocks[content[-1]]
    if is_name(last.lines[-1].text):
        if len(last.lines) > 1 and (_is_upper(last.lines[0].text) or is_position(last.lines[0].text)):
            return content[-1]
        above = [
            n for n in content[:-1] if not all(is_signature_placeholder(x.text) for x in blocks[n].lines)
        ]
        if above:
            before = blocks[above[-1]]
            if all(_is_upper(line.text) for line in before.lines) and len(before.lines) <= 4:
                return above[-1]
            if all(is_position(line.text) for line in before.lines):
                return above[-1]  # "Phó Chủ tịch" / "(Đã ký)" / "Hoàng Ngọc Lâm"
    return len(blocks)


def parse_letter(text: str) -> ParsedLetter:
    """Parse a letter's text (front matter already blanked) into its components."""
    text = published(text).replace("\r\n", "\n").replace("\r", "\n")
    text, origin = _one_line_documents(text)
    blocks = read_blocks(text)
    letter = ParsedLetter()
    header_cells = [c for b in blocks for line in b.lines for c in cells(line)]
    head, tail = header_cells[: layout.HEADER_REACH], header_cells[layout.HEADER_REACH :]
    header_cells = layout.join_split_date(layout.join_wrapped_motto(head), date_line) + tail
    header = HeaderState(header_cells, blocks, letter)
    while header.pos < len(header.cells):
        if not any(rule(header) for rule in HEADER_RULES):
            break
    _finish_issuer(header)
    if header.pos < len(header.cells):
        first = header.cells[header.pos]
        body_start = (first.block, first.index)
    else:
        body_start = (len(blocks), 0)
    footer_from = max(_footer_start(blocks, body_start[0] + (1 if body_start[1] else 0)), body_start[0])
    if body_start[1] and footer_from == body_start[0]:
        footer_from = body_start[0] + 1
    letter.noi_dung, plain = render_body(blocks, body_start, footer_from)
    if plain:
        letter.source_lines.setdefault("noi_dung", blocks[body_start[0]].lines[0].lineno)
    footer_cells = [c for b in blocks[footer_from:] for line in b.lines for c in cells(line)]
    footer = FooterState(layout.split_title_name(footer_cells), blocks, letter)
    while footer.pos < len(footer.cells):
        any(rule(footer) for rule in FOOTER_RULES)
    _finish_signature(footer)
    for line in (line for b in blocks for line in b.lines):
        mark = classification_of(line.text)
        if mark and not letter.do_mat:
            letter.do_mat = mark
            letter.source_lines["do_mat"] = line.lineno
    if not letter.loai_van_ban:
        letter.loai_van_ban = _type_without_type_line(letter.ky_hieu, header.found)
    subject = [letter.trich_yeu] if letter.trich_yeu else []
    own_year = int(letter.ngay_ban_hanh[:4]) if letter.ngay_ban_hanh else None
    letter.van_ban_dan_chieu = find_citations(subject + plain, letter.so_ky_hieu, own_year)
    letter.stray_lines.sort(key=lambda line: line.lineno)
    if not letter.ngay_ban_hanh:
        letter.date_hints = _date_hints(blocks)
    if origin:
        _renumber(letter, origin)
    return letter


def _one_line_documents(text: str) -> tuple[str, list[int]]:
    """A document copied onto one line, cut into its parts' lines (``rules.layout.unflatten``);
    and for each new line the line it came from (empty when nothing was cut)."""
    lines = text.split("\n")
    if not any(layout.is_one_line_document(line) for line in lines):
        return text, []
    out: list[str] = []
    origin: list[int] = [0]  # 1-based: origin[new line] = line in the file
    for number, line in enumerate(lines, start=1):
        pieces = layout.unflatten(line) if layout.is_one_line_document(line) else [line]
        for piece in pieces:
            out.extend((piece, ""))
            origin.extend((number, number))
    return "\n".join(out), origin


def _renumber(letter: ParsedLetter, origin: list[int]) -> None:
    """Lines of a cut one-line document back to the file's lines, so messages name the right one."""

    def back(line: int) -> int:
        return origin[line] if 0 < line < len(origin) else line

    letter.source_lines = {key: back(line) for key, line in letter.source_lines.items()}
    for line in letter.stray_lines:
        line.lineno = back(line.lineno)
    letter.date_hints = [(back(line), iso, printed) for line, iso, printed in letter.date_hints]


_ANY_DATE = re.compile(
    r"ngày\s*(\d{1,2})\s*tháng\s*(\d{1,2})\s*năm\s*(\d{4})|\b(\d{1,2})/(\d{1,2})/((?:19|20)\d\d)\b",
    re.IGNORECASE,
)


_CITING = re.compile(r"^\W*(?:căn cứ|theo|xét|thực hiện|trên cơ sở)\b", re.IGNORECASE)


def _date_hints(blocks: list[Block], most: int = 3) -> list[tuple[int, str, str]]:
    """The first dates printed in the text (line, ISO, as printed), for the missing-date message."""
    hints: list[tuple[int, str, str]] = []
    for line in (line for block in blocks for line in block.lines):
        if _CITING.match(line.text):
            continue  # "Căn cứ Luật … ngày 26 tháng 11 năm 2003": another document's date
        for match in _ANY_DATE.finditer(line.text[:2000]):
            day, month, year = (match[1], match[2], match[3]) if match[1] else (match[4], match[5], match[6])
            try:
                iso = dt.date(int(year), int(month), int(day)).isoformat()
            except ValueError:
                continue
            hints.append((line.lineno, iso, match[0]))
            if len(hints) >= most:
                return hints
    return hints
