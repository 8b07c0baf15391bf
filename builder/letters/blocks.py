"""The data a parse produces (``Line``, ``Block``, ``ParsedLetter``) and the Markdown read into blocks.

markdown-it-py reads the export into blocks (paragraphs, list items, headings) with their
source lines; emphasis is read from its tokens, never stripped with regexes.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from markdown_it import MarkdownIt
from markdown_it.token import Token

from builder.letters.header import is_component
from builder.letters.letter import CitedDocument, Correction, Withdrawal
from builder.letters.lines import (
    _BULLET,
    _is_upper,
    is_authority,
    is_distribution_heading,
    subject_start,
)
from builder.letters.rules import layout
from builder.letters.rules.number import (
    number_line,
)
from builder.text.dates import date_line
from builder.text.vietnamese import canonical_key, published

# --- the data a parse produces ------------------------------------------------------------------


@dataclass(slots=True)
class Line:
    """One source line (or one tab-separated cell of it) of the export."""

    text: str
    """Plain text as printed (NFC), emphasis removed, trimmed."""
    markdown: str
    """The line's Markdown source, emphasis kept, trimmed."""
    lineno: int
    """1-based line in the file."""
    block: int
    """Index of the block (paragraph, list item...) it belongs to."""
    index: int
    """Index of the line inside its block."""
    part: int = 0
    """Index of the cell inside its line (table cells side by side); 0 for a whole line."""

    @property
    def key(self) -> str:
        """Canonical key, for matching."""
        return canonical_key(self.text)


@dataclass(slots=True)
class Block:
    """A paragraph, list item, heading or code block, with its lines."""

    kind: str
    """"paragraph", "bullet", "ordered", "heading" or "code"."""
    lines: list[Line]
    marker: str = ""
    """The list number ("4") and delimiter ("." or ")") of an ordered item, "-" of a bullet."""


@dataclass(slots=True)
class ParsedLetter:
    """What the text says, before front matter, registry and checks make it a ``Letter``.

    Field names are those of ``Letter``; any may be missing here.
    """

    loai_van_ban: str | None = None
    so: int | None = None
    ky_hieu: str | None = None
    so_ky_hieu: str | None = None
    separator: str = "/"
    """"/" for state letters, "-" for party letters ("325-CV/TU")."""
    nam_so: int | None = None
    """The year inside a legal document's number ("04/2013/QĐ-UBND"); part of ``so_ky_hieu``."""
    so_in: str | None = None
    """The number as printed ("04"), so ``so_ky_hieu`` keeps its leading zeros."""
    co_quan_chu_quan: str | None = None
    co_quan_ban_hanh: str | None = None
    """The issuer as printed (lines joined); the registry makes it canonical."""
    dia_danh: str | None = None
    ngay_ban_hanh: str | None = None
    ngay_khong_hop_le: str | None = None
    """The printed date when it is not a real day (31 tháng 2)."""
    trich_yeu: str | None = None
    do_khan: str | None = None
    do_mat: str | None = None
    """Classification mark if any (then the letter is refused)."""
    kinh_gui: list[str] = field(default_factory=list)
    noi_nhan: list[str] = field(default_factory=list)
    tham_quyen_ky: list[str] = field(default_factory=list)
    chuc_vu_nguoi_ky: str | None = None
    nguoi_ky: str | None = None
    van_ban_dan_chieu: list[CitedDocument] = field(default_factory=list)
    thu_hoi: Withdrawal | None = None
    dinh_chinh: list[Correction] = field(default_factory=list)
    noi_dung: str = ""
    source_lines: dict[str, int] = field(default_factory=dict)
    """Line of each field, for messages."""
    stray_lines: list[Line] = field(default_factory=list)
    """Lines that fit no component (kept out of subject and body; reported as warnings)."""
    given: set[str] = field(default_factory=set)
    """Fields the front matter set (taken as given, not checked for plausibility)."""
    date_hints: list[tuple[int, str, str]] = field(default_factory=list)
    """Dates printed anywhere in the text (line, ISO, as printed), for a message that proposes one."""


@dataclass(slots=True)
class ParseState:
    """A letter being parsed, handed from rule to rule (markdown-it-py's ``StateBlock``): the steps
    of ``parsing.PARSE_STEPS``, the header rules and the footer rules each read it and write the
    letter through it; nothing outside them sets a field of the letter."""

    text: str
    """The text being parsed (composed, line ends made ``\\n``, a one-line copy cut into lines)."""
    origin: list[int] = field(default_factory=list)
    """For each line of ``text``, the file's line it came from (empty when nothing was cut)."""
    blocks: list[Block] = field(default_factory=list)
    letter: ParsedLetter = field(default_factory=ParsedLetter)
    cells: list[Line] = field(default_factory=list)
    """The lines the running pass reads: the header's, then the footer's."""
    pos: int = 0
    """The running pass's next line in ``cells``; a rule claims lines by moving it on."""
    # the header pass
    found: set[str] = field(default_factory=set)
    """Header parts found so far ("number", "date", "subject", "type", "recipients", "motto")."""
    issuer_lines: list[Line] = field(default_factory=list)
    authority_line: Line | None = None
    """The line under the title naming who decides ("ỦY BAN NHÂN DÂN TỈNH ĐĂK NÔNG")."""
    # the body, between header and footer
    body_start: tuple[int, int] = (0, 0)
    """Block and line where the body starts (the first line no header rule claimed)."""
    footer_from: int = 0
    """The first block of the footer (distribution list or signature)."""
    plain: list[str] = field(default_factory=list)
    """The body as plain text paragraphs (for citations)."""
    # the footer pass
    in_distribution: bool = False
    signature_started: bool = False
    titles: list[Line] = field(default_factory=list)
    names: list[Line] = field(default_factory=list)

    @property
    def cell(self) -> Line:
        return self.cells[self.pos]

    def read(self, cells: list[Line]) -> None:
        """Start a pass over ``cells`` from the first."""
        self.cells, self.pos = cells, 0

    def mark(self, component: str, line: Line, *fields: str) -> None:
        """Record that ``component`` was found on ``line``, which is where ``fields`` were read."""
        self.found.add(component)
        for name in fields:
            self.letter.source_lines.setdefault(name, line.lineno)


# --- reading the Markdown -----------------------------------------------------------------------

_MARKDOWN = MarkdownIt("commonmark", {"html": False}).disable(["reference", "html_block", "html_inline"])


def read_blocks(text: str) -> list[Block]:
    """The export's blocks in order, each with its lines, via markdown-it tokens.

    Word centres lines with leading spaces or tabs; that is layout, not an
    indented code block, so it is removed before Markdown reads the text.
    """
    text = "\n".join(line.lstrip() for line in text.split("\n"))
    tokens = _MARKDOWN.parse(text)
    source = text.split("\n")
    blocks: list[Block] = []
    lists: list[tuple[str, str]] = []  # (kind, marker) of open list items, innermost last
    item_fresh = False
    for token in tokens:
        if token.type in ("bullet_list_open", "ordered_list_open"):
            continue
        if token.type == "list_item_open":
            kind = "ordered" if token.info else "bullet"
            lists.append((kind, f"{token.info}{token.markup}" if token.info else "-"))
            item_fresh = True
        elif token.type == "list_item_close":
            lists.pop()
        elif token.type == "inline" and token.map:
            kind, marker = ("paragraph", "")
            if lists and item_fresh:
                kind, marker = lists[-1]
            elif lists:
                kind = "paragraph"
            item_fresh = False
            lines = _inline_lines(token, len(blocks))
            blocks.append(Block(kind, lines, marker))
        elif token.type in ("code_block", "fence") and token.map:
            start = token.map[0] + (1 if token.type == "fence" else 0)
            raw = source[start : token.map[1] - (1 if token.type == "fence" else 0)]
            lines = [
                Line(published(r.strip()), r.strip(), start + i + 1, len(blocks), i)
                for i, r in enumerate(raw)
                if r.strip()
            ]
            for i, line in enumerate(lines):
                line.index = i
            blocks.append(Block("code", lines))
    kept = [b for b in blocks if b.lines]  # an empty heading ("# ") has none
    for number, block in enumerate(kept):  # a line names its block by its place in this list
        for line in block.lines:
            line.block = number
    return kept


def _inline_lines(token: Token, block: int) -> list[Line]:
    """Split an inline token into lines: plain text from its children, Markdown from its source."""
    plain: list[str] = [""]
    for child in token.children or []:
        if child.type in ("softbreak", "hardbreak"):
            plain.append("")
        elif child.type in ("text", "code_inline", "image"):
            plain[-1] += child.content
    markdown = [m.rstrip().removesuffix("\\").rstrip() for m in token.content.split("\n")]
    if len(plain) != len(markdown):
        plain = markdown
    start = token.map[0] if token.map else 0
    lines = []
    for index, (text, md) in enumerate(zip(plain, markdown, strict=True)):
        lines.append(Line(published(text.strip()), md.strip(), start + index + 1, block, index))
    return [line for line in lines if line.text or line.markdown]


_CELL_GAP = re.compile(r"\t+| {3,}")


def cells(line: Line) -> list[Line]:
    """A line split at tabs or runs of 3+ spaces when that separates table cells side by side.

    Word exports a two-column header row as "ỦY BAN NHÂN DÂN<tab>CỘNG HÒA ...". Blank
    days are also typed as runs of spaces ("ngày     tháng 9"), so a line is only
    split when one of its parts is itself a component, or when capitals (a title)
    sit beside ordinary text ("- Như trên;<tab>PHÓ GIÁM ĐỐC").
    """
    parts = _cell_texts(line.text)
    if len(parts) <= 40:  # a header line, not a long paragraph: undo flattened columns and glued cells
        parts = [piece for part in parts for piece in layout.split_motto(part)]
        parts = [
            piece for part in parts for piece in layout.split_number_glued(part, number_line, _starts_part)
        ]
    if parts == [line.text]:
        return [line]
    return [Line(p, p, line.lineno, line.block, line.index, i) for i, p in enumerate(parts)] or [
        Line("", "", line.lineno, line.block, line.index)
    ]


def _starts_part(text: str) -> bool:
    """What may follow a number glued on its line: the date line or the subject."""
    return date_line(text) is not None or subject_start(text) is not None


def _cell_texts(text: str) -> list[str]:
    """The cells of a line: table pipes, tabs or wide gaps between a component and other text."""
    pipes = layout.split_pipes(text)
    if pipes is not None:
        return pipes
    if "\t" not in text and "   " not in text:
        return [text]  # nothing to split at (most lines)
    parts = [p.strip() for p in _CELL_GAP.split(text) if p.strip()]
    if len(parts) <= 1:
        return [text]
    mixed = any(_is_upper(part) for part in parts) and not all(_is_upper(part) for part in parts)
    if not (mixed or any(_is_cell_component(part) for part in parts)):
        return [text]
    return parts


def _is_cell_component(text: str) -> bool:
    """Whether a part of a line is something a header or footer rule recognises."""
    return (
        is_component(text) or is_distribution_heading(text) or is_authority(text) or bool(_BULLET.match(text))
    )
