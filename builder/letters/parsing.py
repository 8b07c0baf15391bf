"""Stage 2: a letter's text (the Word export, which is Markdown) becomes a ``ParsedLetter``.

``parse_letter`` runs ``PARSE_STEPS`` in order over one ``ParseState`` (``blocks``), which
carries the letter from step to step and rule to rule (markdown-it-py's ``StateBlock``):

* ``read_markdown``: markdown-it-py reads the export into blocks with their source lines
  (``blocks``: the data types ``Line``, ``Block``, ``ParsedLetter``, ``ParseState``);
* ``read_header`` (``header``): the rules of the table ``HEADER_RULES`` claim lines one at a
  time from the top (issuer, motto, number, date, type and subject, urgency, recipients) in
  whatever order the export put them; the first line no rule claims starts the body. The same
  table says which lines end a multi-line part (a rule's ``claims``: ``component_of``). Short
  lines stranded between header parts (an OCR'd routing stamp) are set aside and reported;
* ``read_body`` (``body``): the text down to the footer becomes clean Markdown, with
  paragraphs a page break split joined again;
* ``read_footer`` (``footer``): the distribution list and signature start at ``Nơi nhận:`` or
  the first signing-authority line, and ``FOOTER_RULES`` sort their lines;
* then a classification mark anywhere, the type from the symbol, ``citations`` from subject
  and body, and the dates printed in a letter that has none.

Both rule tables ask ``lines``, the recognisers of a single line (a type line, a signing
authority …) and the document vocabulary, and ``builder.text.dates`` (a date line); the rule
modules of ``rules/`` handle the forms real documents arrive in. Each rule is a small function
``rule(state) -> bool`` with a one-line docstring; it claims lines by advancing ``state.pos`` and
returns True, or returns False to let the next rule try. To support a new layout, add or fix one
rule in its table. Matching uses ``builder.text.vietnamese`` (canonical keys), so both tone
styles, NFD and look-alike dashes read the same.
"""

from __future__ import annotations

import re
from collections.abc import Callable

from builder.letters.blocks import Block, ParsedLetter, ParseState, cells, read_blocks
from builder.letters.body import render_body
from builder.letters.citations import _type_without_type_line, find_citations
from builder.letters.footer import read_footer
from builder.letters.header import read_header
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
from builder.text.dates import date_line, printed_dates
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
    state = ParseState(text, origin)
    for step in PARSE_STEPS:
        step(state)
    return state.letter


def read_markdown(state: ParseState) -> None:
    """The export read into blocks; the header's lines with a wrapped motto and a cut date line joined."""
    state.blocks = read_blocks(state.text)
    header_cells = [c for b in state.blocks for line in b.lines for c in cells(line)]
    head, tail = header_cells[: layout.HEADER_REACH], header_cells[layout.HEADER_REACH :]
    state.read(layout.join_split_date(layout.join_wrapped_motto(head), date_line) + tail)


def read_body(state: ParseState) -> None:
    """From the first line no header rule claimed to the footer: the body, as clean Markdown."""
    blocks, letter = state.blocks, state.letter
    if state.pos < len(state.cells):
        first = state.cells[state.pos]
        body_start = (first.block, first.index)
    else:
        body_start = (len(blocks), 0)
    footer_from = max(_footer_start(blocks, body_start[0] + (1 if body_start[1] else 0)), body_start[0])
    if body_start[1] and footer_from == body_start[0]:
        footer_from = body_start[0] + 1
    letter.noi_dung, state.plain = render_body(blocks, body_start, footer_from)
    if state.plain:
        letter.source_lines.setdefault("noi_dung", blocks[body_start[0]].lines[0].lineno)
    state.body_start, state.footer_from = body_start, footer_from


def read_classification(state: ParseState) -> None:
    """A classification mark on any line, not only in the header: the letter is refused."""
    letter = state.letter
    for line in (line for b in state.blocks for line in b.lines):
        mark = classification_of(line.text)
        if mark and not letter.do_mat:
            letter.do_mat = mark
            letter.source_lines["do_mat"] = line.lineno


def type_from_symbol(state: ParseState) -> None:
    """No type line: the type the symbol or the header's parts say ("QĐ-UBND": Quyết định)."""
    if not state.letter.loai_van_ban:
        state.letter.loai_van_ban = _type_without_type_line(state.letter.ky_hieu, state.found)


def read_citations(state: ParseState) -> None:
    """The documents the subject and the body cite."""
    letter = state.letter
    subject = [letter.trich_yeu] if letter.trich_yeu else []
    own_year = int(letter.ngay_ban_hanh[:4]) if letter.ngay_ban_hanh else None
    letter.van_ban_dan_chieu = find_citations(subject + state.plain, letter.so_ky_hieu, own_year)


def order_stray_lines(state: ParseState) -> None:
    """Stray lines in the order of the file, header's and footer's together."""
    state.letter.stray_lines.sort(key=lambda line: line.lineno)


def hint_dates(state: ParseState) -> None:
    """No date read: the first dates printed in the text, for the message that proposes one."""
    if not state.letter.ngay_ban_hanh:
        state.letter.date_hints = _date_hints(state.blocks)


def back_to_file_lines(state: ParseState) -> None:
    """A one-line copy cut into lines: every line number back to the file's line."""
    if state.origin:
        _renumber(state.letter, state.origin)


ParseStep = Callable[[ParseState], None]

PARSE_STEPS: tuple[ParseStep, ...] = (
    read_markdown,
    read_header,
    read_body,
    read_footer,
    read_classification,
    type_from_symbol,
    read_citations,
    order_stray_lines,
    hint_dates,
    back_to_file_lines,
)
"""The parse, in order: each step reads the state the ones before it left."""


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


_CITING = re.compile(r"^\W*(?:căn cứ|theo|xét|thực hiện|trên cơ sở)\b", re.IGNORECASE)


def _date_hints(blocks: list[Block], most: int = 3) -> list[tuple[int, str, str]]:
    """The first dates printed in the text (line, ISO, as printed), for the missing-date message."""
    hints: list[tuple[int, str, str]] = []
    for line in (line for block in blocks for line in block.lines):
        if _CITING.match(line.text):
            continue  # "Căn cứ Luật … ngày 26 tháng 11 năm 2003": another document's date
        for iso, printed in printed_dates(line.text[:2000]):
            hints.append((line.lineno, iso, printed))
            if len(hints) >= most:
                return hints
    return hints
