"""Stage 2: a letter's text (the Word export, which is Markdown) becomes a ``ParsedLetter``.

markdown-it-py reads the export into blocks (paragraphs, list items, headings)
with their source lines; emphasis is read from its tokens, never stripped with
regexes. Three passes follow the layout of NĐ 30/2020 letters:

* the *header* rules (``HEADER_RULES``) claim lines one at a time from the
  top — issuer, motto, number, date, type and subject, urgency, recipients —
  in whatever order the export put them; the first line no rule claims starts
  the body. Short lines stranded between header parts (an OCR'd routing
  stamp) are set aside and reported;
* the *footer* (distribution list and signature) starts at ``Nơi nhận:`` or
  the first signing-authority line, and ``FOOTER_RULES`` sort its lines;
* the *body* between them becomes clean Markdown, with paragraphs that a page
  break split in two joined again; citations are read from subject and body.

Each rule is a small function ``rule(state) -> bool`` with a one-line
docstring; it claims lines by advancing ``state.pos`` and returns True, or
returns False to let the next rule try. To support a new layout, add or fix
one rule in its table. Matching uses ``builder.text.vietnamese`` (canonical keys),
so both tone styles, NFD and look-alike dashes read the same.
"""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass, field, replace

from markdown_it import MarkdownIt
from markdown_it.token import Token

from builder.letters.letter import CitedDocument, Correction, Withdrawal
from builder.letters.rules import layout, title
from builder.letters.rules.number import (
    DOCUMENT_TYPES as DOCUMENT_TYPES,
)
from builder.letters.rules.number import (
    SYMBOL_WORDS as SYMBOL_WORDS,
)
from builder.letters.rules.number import (
    TYPE_BY_KEY,
    TYPE_NAMES,
    canonical_symbol,
    number_line,
)
from builder.letters.rules.number import (
    NumberSymbol as NumberSymbol,
)
from builder.letters.rules.number import (
    parse_number_symbol as parse_number_symbol,
)
from builder.text.vietnamese import LOOK_ALIKES, canonical_key, fold, published

PARSER_VERSION = 1
"""Bump when parsing changes in a way the source-hash cache key would not notice."""

# --- vocabulary ---------------------------------------------------------------------------------

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
_DATE_LINE = re.compile(  # possessive runs (*+): a long run of dots is never split two ways
    r"^(?:(?P<place>[^,\d][^,]{1,59}?)\s*,\s*)?ngày(?!\w)[\s.…_]*+(?P<d>[0-9]{1,2})?[\s.…_/-]*+"
    r"tháng(?![^\W\d])[\s.…_]*+(?P<m>[0-9]{1,2})?[\s.…_]*+năm(?![^\W\d])[\s.…_]*+(?P<y>[0-9]{4})?",
    re.IGNORECASE,
)
_NUMERIC_DATE_LINE = re.compile(
    r"^(?:(?P<place>[^,\d]{2,60}?)\s*,\s*)?ngày\s*(?P<d>[0-9]{1,2})\s*[/.-]\s*(?P<m>[0-9]{1,2})\s*[/.-]\s*(?P<y>[0-9]{4})\W*+$",
    re.IGNORECASE,
)

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


@dataclass(slots=True)
class DateLine:
    """Place and date of issue as printed; blank day or month stay None."""

    place: str | None
    day: int | None
    month: int | None
    year: int | None

    def iso(self) -> str | None:
        """ "2021-08-26", "2021-09" (blank day), "2021" (blank month) or None (blank year)."""
        if self.year is None:
            return None
        if self.month is None:
            return f"{self.year:04d}"
        if self.day is None:
            return f"{self.year:04d}-{self.month:02d}"
        return f"{self.year:04d}-{self.month:02d}-{self.day:02d}"

    def valid(self) -> bool:
        """Whether the printed day exists."""
        try:
            dt.date(self.year or 2000, self.month or 1, self.day or 1)
        except ValueError:
            return False
        return True


def date_line(text: str) -> DateLine | None:
    """ "Lai Châu, ngày 26 tháng 8 năm 2021" (day and month may be blank)."""
    printed = _without_look_alikes(published(text)).strip()
    match = _DATE_LINE.match(printed) or _NUMERIC_DATE_LINE.match(printed)
    if not match or not (match["y"] or match["place"]):
        return None
    place = match["place"].strip(" *_") if match["place"] else None

    def number(value: str | None) -> int | None:
        return int(value) if value else None

    return DateLine(place or None, number(match["d"]), number(match["m"]), number(match["y"]))


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


def component_of(text: str) -> str | None:
    """Which header component a line is ("number", "date", ...), or None."""
    recognisers: tuple[tuple[str, Callable[[str], object]], ...] = (
        ("classification", classification_of),
        ("urgency", urgency_of),
        ("motto", lambda t: is_motto(t) or None),
        ("number", number_line),
        ("date", date_line),
        ("subject", subject_start),
        ("type", type_line),
        ("recipients", recipients_start),
    )
    return next((name for name, test in recognisers if test(text) is not None), None)


def is_component(text: str) -> bool:
    """Whether any header component claims the line (used to stop multi-line components)."""
    return component_of(text) is not None


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


# --- header rules -------------------------------------------------------------------------------


@dataclass(slots=True)
class HeaderState:
    """Where the header pass is, and what it found."""

    cells: list[Line]
    blocks: list[Block]
    letter: ParsedLetter
    pos: int = 0
    issuer_lines: list[Line] = field(default_factory=list)
    authority_line: Line | None = None
    """The line under the title naming who decides ("ỦY BAN NHÂN DÂN TỈNH ĐĂK NÔNG")."""
    found: set[str] = field(default_factory=set)
    """Components found so far ("number", "date", "subject", "type", "recipients", "motto")."""

    @property
    def cell(self) -> Line:
        return self.cells[self.pos]

    def rest_of_block(self) -> list[Line]:
        """The cells after the current one in the same block."""
        block = self.cell.block
        out = []
        for cell in self.cells[self.pos + 1 :]:
            if cell.block != block:
                break
            out.append(cell)
        return out

    def next_block_cells(self, after: int) -> list[Line]:
        """All cells of the block that follows cell index ``after``."""
        if after + 1 >= len(self.cells):
            return []
        block = self.cells[after + 1].block
        return [c for c in self.cells[after + 1 :] if c.block == block]

    def mark(self, component: str, line: Line, *fields: str) -> None:
        """Record that ``component`` was found on ``line``, which is where ``fields`` were read."""
        self.found.add(component)
        for name in fields:
            self.letter.source_lines.setdefault(name, line.lineno)


def rule_decoration(state: HeaderState) -> bool:
    """Skip rules and stars printed under the issuer and motto."""
    if not is_decoration(state.cell.text):
        return False
    state.pos += 1
    return True


def rule_classification(state: HeaderState) -> bool:
    """MẬT / TỐI MẬT / TUYỆT MẬT: recorded so the letter is refused."""
    mark = classification_of(state.cell.text)
    if not mark:
        return False
    state.letter.do_mat = mark
    state.letter.source_lines.setdefault("do_mat", state.cell.lineno)
    state.pos += 1
    return True


def rule_urgency(state: HeaderState) -> bool:
    """KHẨN / THƯỢNG KHẨN / HỎA TỐC (HOẢ TỐC) on a line of its own, anywhere in the header."""
    level = urgency_of(state.cell.text)
    if not level:
        return False
    state.letter.do_khan = level
    state.mark("urgency", state.cell, "do_khan")
    state.pos += 1
    return True


def rule_motto(state: HeaderState) -> bool:
    """Quốc hiệu and tiêu ngữ (or "ĐẢNG CỘNG SẢN VIỆT NAM"): recognised, not stored."""
    if not is_motto(state.cell.text):
        return False
    state.found.add("motto")
    state.pos += 1
    return True


def rule_number(state: HeaderState) -> bool:
    """ "Số: 2642/UBND-VX" (blank number, spaced dashes, party "Số 325-CV/TU" too)."""
    number = number_line(state.cell.text)
    if number is None or "number" in state.found:
        return False
    letter = state.letter
    letter.so, letter.ky_hieu, letter.separator = number.so, number.ky_hieu, number.separator
    letter.nam_so, letter.so_in = number.nam, number.digits
    letter.so_ky_hieu = number.so_ky_hieu
    state.mark("number", state.cell, "so", "ky_hieu", "so_ky_hieu")
    state.pos += 1
    return True


def rule_place_and_date(state: HeaderState) -> bool:
    """ "Mường Tè, ngày 26 tháng 8 năm 2021"; a blank day or month makes a partial date."""
    found = date_line(state.cell.text)
    if found is None or "date" in state.found:
        return False
    letter = state.letter
    letter.dia_danh = found.place
    if found.valid():
        letter.ngay_ban_hanh = found.iso()
    else:
        letter.ngay_khong_hop_le = state.cell.text
    state.mark("date", state.cell, "dia_danh", "ngay_ban_hanh")
    state.pos += 1
    return True


def rule_subject(state: HeaderState) -> bool:
    """ "V/v …" or "Về việc …", continued on the following lines of its block."""
    first = subject_start(state.cell.text)
    if first is None or "subject" in state.found:
        return False
    line = state.cell
    parts = [first] if first else []
    state.found.add("about")
    state.pos += 1
    if parts:
        state.pos = _collect_title_subject(state, parts)
    else:
        state.pos = _take_subject_lines(state, line.block, parts)
    _set_subject(state, parts, line)
    return True


def rule_bare_subject(state: HeaderState) -> bool:
    """A subject in capitals under number and date, its type line dropped by a web page (type from symbol)."""
    text = state.cell.text
    if not {"number", "date"} <= state.found or state.found & {"type", "subject", "recipients"}:
        return False
    if not _is_upper(text) or len(text.split()) < 4 or is_component(text) or not title.may_start(text):
        return False
    line = state.cell
    parts = [text]
    state.pos = _collect_title_subject_from(state, state.pos + 1, parts)
    subject = title.clean(" ".join(parts))
    if len(subject) > title.MAX_SUBJECT_CHARS:
        return False
    _set_subject(state, [subject], line)
    return True


def rule_document_type(state: HeaderState) -> bool:
    """A type in capitals ("QUYẾT ĐỊNH", "THÔNG BÁO", "KẾ HOẠCH") with the subject below it."""
    name, rest = type_line_and_rest(state.cell.text)
    if name is None or "type" in state.found or state.letter.loai_van_ban:
        return False
    line = state.cell
    state.letter.loai_van_ban = name
    state.mark("type", line, "loai_van_ban")
    state.pos += 1
    parts: list[str] = []
    if rest and title.is_title_sentence(rest):
        rest, state.pos = _whole_title_sentence(state, rest, state.pos)
        _read_title_sentence(state, rest, line)
        sentence = title.subject_of_title_sentence(rest)
        if sentence:
            parts.append(sentence)
    elif rest and not title.issuer_suffix(rest):
        parts.append(rest)  # "QUY CHẾ LÀM VIỆC …": type and subject on one line
    state.pos = _collect_title_subject(state, parts)
    if parts:
        text = title.clean(" ".join(parts))
        if len(text) <= title.MAX_SUBJECT_CHARS:
            _set_subject(state, [text], line)
    return True


def type_line_and_rest(text: str) -> tuple[str | None, str]:
    """The type of a type line and what follows it on the line ("QUYẾT ĐỊNH CỦA UBND TỈNH LÀO CAI")."""
    name = type_line(text)
    if name is not None:
        return name, ""
    if not _is_upper(text[:40]):
        return None, ""
    for key in sorted(TYPE_BY_KEY, key=len, reverse=True):
        head = text[: len(key)]
        if (
            canonical_key(head) == key
            and text[len(key) : len(key) + 1] in (" ", ":")
            and head == head.upper()
        ):
            rest = text[len(key) :].strip(" :")
            if _is_upper(rest) and not is_component(rest):
                return TYPE_BY_KEY[key], rest
    return None, ""


def _whole_title_sentence(state: HeaderState, text: str, pos: int) -> tuple[str, int]:
    """A title sentence with the lines a wrap cut from it ("… NĂM 1982 VỀ" / "VIỆC ĐỔI TÊN …")."""
    capitals, taken = _is_upper(text), 0
    while (
        pos < len(state.cells)
        and not is_decoration(state.cells[pos].text)
        and taken < title.MAX_SUBJECT_LINES
    ):
        taken += 1
        following = state.cells[pos].text
        same_block = state.cells[pos].block == state.cells[pos - 1].block
        if not capitals or not title.continues(text, following, True, same_block):
            break
        text = f"{text} {following}"
        pos += 1
    return text, pos


def _read_title_sentence(state: HeaderState, text: str, line: Line) -> None:
    """ "SỐ: 09/2008/QĐ-UBND NGÀY 27 THÁNG 3 NĂM 2008 VỀ VIỆC …" in a title: number and date, if unread."""
    letter = state.letter
    number = re.search(r"\bsố\s*:?\s*(\d[\w/.\-–&]*[^\W_])", text, re.IGNORECASE)
    if number and "number" not in state.found:
        found = parse_number_symbol(number[1])
        if found is not None and found.so is not None:
            letter.so, letter.ky_hieu, letter.separator = found.so, found.ky_hieu, found.separator
            letter.nam_so, letter.so_in, letter.so_ky_hieu = found.nam, found.digits, found.so_ky_hieu
            state.mark("number", line, "so", "ky_hieu", "so_ky_hieu")
    day = re.search(r"\bngày\s+(\d{1,2})\s+tháng\s+(\d{1,2})\s+năm\s+(\d{4})", text, re.IGNORECASE)
    if day and "date" not in state.found:
        found_date = DateLine(None, int(day[1]), int(day[2]), int(day[3]))
        if found_date.valid():
            letter.ngay_ban_hanh = found_date.iso()
            state.mark("date", line, "ngay_ban_hanh")


def _collect_title_subject(state: HeaderState, parts: list[str]) -> int:
    """The subject lines under a type line; returns the position after them (see ``rules.title``)."""
    return _collect_title_subject_from(state, state.pos, parts)


def _collect_title_subject_from(state: HeaderState, pos: int, parts: list[str]) -> int:
    capitals = bool(parts) and _is_upper(parts[0])
    sentence_read = False
    while pos < len(state.cells) and len(parts) < title.MAX_SUBJECT_LINES:
        cell = state.cells[pos]
        text = cell.text
        if is_decoration(text):
            break
        if not parts:
            if not title.may_start(text):
                break
            if is_component(text) and subject_start(text) is None:
                break
            if re.match(r"^(?:của|CỦA)(?:\s|$)", text):  # "của Chính phủ số 159/2005/NĐ-CP ngày …"
                text, pos = _whole_title_sentence(state, text, pos + 1)
                if title.is_title_sentence(text):
                    _read_title_sentence(state, text, cell)
                sentence = title.subject_of_title_sentence(text)
                if sentence:
                    parts.append(sentence)
                    capitals = _is_upper(sentence)
                sentence_read = title.is_title_sentence(text) or not _is_upper(text)  # "CỦA UBND …": free
                continue
            if sentence_read and not (_is_upper(text) or re.match(r"^(?:về|VỀ)\s", text, re.IGNORECASE)):
                break  # after "của Chính phủ số … ngày …" only a "Về …" line or capitals is the subject
            parts.append(text)
            capitals = _is_upper(text)
            pos += 1
            continue
        if is_component(text) and subject_start(text) is None and not title.ends_open(parts[-1]):
            break
        same_block = cell.block == state.cells[pos - 1].block
        if not title.continues(parts[-1], text, capitals, same_block):
            break
        parts.append(text)
        pos += 1
    if len(parts) >= title.MAX_SUBJECT_LINES and pos < len(state.cells):
        following = state.cells[pos]
        same_block = following.block == state.cells[pos - 1].block
        if title.continues(parts[-1], following.text, capitals, same_block):
            parts.clear()  # longer than any subject: never publish it cut short
    if pos < len(state.cells) and parts and title.is_authority_line(state.cells[pos].text):
        state.authority_line = state.cells[pos]
    return pos


def _take_subject_lines(state: HeaderState, block: int, parts: list[str]) -> int:
    """Extend a subject with the lines after it in its block and a lowercase next block."""
    pos = state.pos
    while (
        pos < len(state.cells) and state.cells[pos].block == block and not is_component(state.cells[pos].text)
    ):
        parts.append(state.cells[pos].text)
        pos += 1
    while pos < len(state.cells) and parts and parts[-1][-1:] not in TERMINAL:
        following = state.cells[pos]
        if state.blocks[following.block].kind != "paragraph" or not following.text[:1].islower():
            break
        block = following.block
        while pos < len(state.cells) and state.cells[pos].block == block:
            parts.append(state.cells[pos].text)
            pos += 1
    return pos


def _set_subject(state: HeaderState, parts: list[str], line: Line) -> None:
    """Join subject lines with single spaces; drop a leading "V/v" / "Về việc"."""
    text = " ".join(" ".join(parts).split())
    start = subject_start(text)
    text = start if start is not None else text
    if text:
        state.letter.trich_yeu = text
    state.mark("subject", line, "trich_yeu")


def rule_recipients(state: HeaderState) -> bool:
    """ "Kính gửi: X" on one line, or "Kính gửi:" followed by a "- …;" list."""
    first = recipients_start(state.cell.text)
    if first is None or "recipients" in state.found:
        return False
    line = state.cell
    items: list[str] = []
    if first:
        items.extend(p for p in re.split(r";\s*", _BULLET.sub("", first)) if p.strip(" .;,"))
    state.pos += 1
    listed_block = line.block
    while state.pos < len(state.cells) and not (items and items[-1].rstrip().endswith(".")):
        cell = state.cells[state.pos]
        kind = state.blocks[cell.block].kind
        first_cell = cell.index == 0 and cell.part == 0
        if cell.block == listed_block or (kind == "bullet" and first_cell) or _BULLET.match(cell.text):
            items.append(_BULLET.sub("", cell.text))
        elif kind == "bullet" and items and cell.text[:1].islower():
            items[-1] = f"{items[-1]} {cell.text}"  # a recipient's name wrapped onto the next line
        elif not items and kind == "paragraph" and not is_component(cell.text):
            items.append(cell.text)  # "Kính gửi:" with the recipient in the next paragraph
            listed_block = cell.block
        else:
            break
        state.pos += 1
    state.letter.kinh_gui = [_clean_item(i) for i in items if _clean_item(i)]
    state.mark("recipients", line, "kinh_gui")
    return True


def rule_issuer(state: HeaderState) -> bool:
    """The issuer block at the top (with its parent body above it), before number and date."""
    if state.found & {"number", "date", "subject", "type", "recipients"}:
        return False
    text = _DECORATION_TAIL.sub("", state.cell.text)
    if "motto" in state.found and not _is_upper(text):
        return False
    if len(text) > MAX_ISSUER_LINE or text[-1:] in ".;:!?" or len(state.issuer_lines) >= MAX_ISSUER_LINES:
        return False
    state.issuer_lines.append(state.cell if text == state.cell.text else replace(state.cell, text=text))
    state.pos += 1
    return True


_DECORATION_TAIL = re.compile(r"(?<![\s*_=~•])\s*[*_=~•]{3,}$")  # tried from a run's start only
"""Stars or rules glued to the end of a header line ("UỶ BAN NHÂN DÂN TỈNH AN GIANG******")."""

MAX_ISSUER_LINE = 100
"""Longer lines are sentences, not the issuer's name."""
MAX_ISSUER_LINES = 5
"""Parent body and issuer together never take more lines."""

STRAY_LOOKAHEAD = 6
"""How many short unclaimed lines may sit between two header parts and still be stray lines."""


def rule_stray(state: HeaderState) -> bool:
    """Short lines stranded between header parts (an OCR'd stamp): set aside, reported."""
    pos = state.pos
    while pos < len(state.cells) and pos - state.pos < STRAY_LOOKAHEAD:
        text = state.cells[pos].text
        if is_decoration(text):
            pos += 1
            continue
        component = component_of(text)
        if component and component not in state.found and "recipients" not in state.found:
            break
        if len(text) > 60 or text[-1:] in ".!?" or state.blocks[state.cells[pos].block].kind != "paragraph":
            return False
        if title.opens_body(text):
            return False  # "Căn cứ Luật …" wrapped: the body, not a stamp
        pos += 1
    else:
        return False
    if pos >= len(state.cells) or pos == state.pos:
        return False
    state.letter.stray_lines.extend(c for c in state.cells[state.pos : pos] if not is_decoration(c.text))
    state.pos = pos
    return True


HeaderRule = Callable[[HeaderState], bool]

HEADER_RULES: tuple[HeaderRule, ...] = (
    rule_decoration,
    rule_classification,
    rule_urgency,
    rule_motto,
    rule_number,
    rule_place_and_date,
    rule_subject,
    rule_document_type,
    rule_recipients,
    rule_bare_subject,
    rule_issuer,
    rule_stray,
)
"""Tried in order on each header line; the first line none claims starts the body."""


# --- footer rules -------------------------------------------------------------------------------


@dataclass(slots=True)
class FooterState:
    """Where the footer pass is, and what it found."""

    cells: list[Line]
    blocks: list[Block]
    letter: ParsedLetter
    pos: int = 0
    in_distribution: bool = False
    signature_started: bool = False
    titles: list[Line] = field(default_factory=list)
    names: list[Line] = field(default_factory=list)

    @property
    def cell(self) -> Line:
        return self.cells[self.pos]


def footer_decoration(state: FooterState) -> bool:
    """Skip empty and decorative lines."""
    if not is_decoration(state.cell.text):
        return False
    state.pos += 1
    return True


def footer_distribution_heading(state: FooterState) -> bool:
    """ "Nơi nhận:" (maybe bold or italic) opens the distribution list."""
    if not is_distribution_heading(state.cell.text):
        return False
    state.in_distribution = True
    state.letter.source_lines.setdefault("noi_nhan", state.cell.lineno)
    rest = _DISTRIBUTION.sub("", state.cell.text).strip()
    if rest:
        state.letter.noi_nhan.append(_clean_item(_BULLET.sub("", rest)))
    state.pos += 1
    return True


def footer_authority(state: FooterState) -> bool:
    """ "TM. …", "KT. …", "TL. …", "TUQ. …", "Q. …": signing authority, top to bottom."""
    if not is_authority(state.cell.text):
        return False
    text = " ".join(state.cell.text.split())
    state.letter.tham_quyen_ky.append(re.sub(r"^(TM|KT|TL|TUQ|Q)\s*\.\s*", r"\1. ", text))
    state.letter.source_lines.setdefault("tham_quyen_ky", state.cell.lineno)
    state.signature_started = True
    state.pos += 1
    return True


def footer_placeholder(state: FooterState) -> bool:
    """ "(Đã ký)" and similar marks where the signature and seal were."""
    if not is_signature_placeholder(state.cell.text):
        return False
    state.pos += 1
    return True


def footer_distribution_item(state: FooterState) -> bool:
    """ "- Như trên;" … "- Lưu: VT, VX1." under "Nơi nhận:"."""
    cell = state.cell
    if not state.in_distribution:
        return False
    bulleted = (state.blocks[cell.block].kind == "bullet" and cell.part == 0) or bool(
        _BULLET.match(cell.text)
    )
    listed = not state.signature_started and cell.text[-1:] in ";.,"
    if not (bulleted or listed):
        return False
    block = state.blocks[cell.block]
    item = _BULLET.sub("", cell.text)
    previous = state.cells[state.pos - 1].text if state.pos else ""
    if block.kind == "bullet" and cell.index > 0 and previous[-1:] in ".;" and is_name(cell.text):
        return False  # "- Lưu: VT." then the signer's name under it: not the item going on
    if block.kind == "bullet" and cell.index > 0 and state.letter.noi_nhan:
        state.letter.noi_nhan[-1] = _clean_item(f"{state.letter.noi_nhan[-1]} {item}")
    elif _clean_item(item):
        state.letter.noi_nhan.append(_clean_item(item))
    state.pos += 1
    return True


def footer_title(state: FooterState) -> bool:
    """A line in capitals ("PHÓ CHỦ TỊCH"): the signer's title (the last such line wins)."""
    if not _is_upper(state.cell.text) or len(state.cell.text.split()) > 8:
        return False
    state.titles.append(state.cell)
    state.signature_started = True
    state.pos += 1
    return True


def footer_title_in_sentence_case(state: FooterState) -> bool:
    """A title in sentence case ("Phó Chủ tịch"), as web copies print the signature block."""
    if _is_upper(state.cell.text) or not is_position(state.cell.text):
        return False
    state.titles.append(state.cell)
    state.signature_started = True
    state.pos += 1
    return True


def footer_name(state: FooterState) -> bool:
    """The signer's name as printed ("Tổng Thanh Hải")."""
    if not is_name(state.cell.text):
        return False
    state.names.append(state.cell)
    state.pos += 1
    return True


def footer_stray(state: FooterState) -> bool:
    """Anything else in the footer: set aside and reported."""
    state.letter.stray_lines.append(state.cell)
    state.pos += 1
    return True


FooterRule = Callable[[FooterState], bool]

FOOTER_RULES: tuple[FooterRule, ...] = (
    footer_decoration,
    footer_distribution_heading,
    footer_authority,
    footer_placeholder,
    footer_distribution_item,
    footer_title,
    footer_title_in_sentence_case,
    footer_name,
    footer_stray,
)
"""Tried in order on each footer line (distribution list and signature, in either order)."""

_POSITION_WORDS = (
    "chủ tịch",
    "giám đốc",
    "trưởng",
    "bí thư",
    "phó",
    "chánh",
    "thủ trưởng",
    "ủy viên",
    "tổng",
)


def _finish_signature(state: FooterState) -> None:
    """Title from the last capitals line; name from the last name line (or a name in capitals)."""
    titles, names = list(state.titles), list(state.names)
    if not names and len(titles) >= 2 and not any(w in titles[-1].key for w in _POSITION_WORDS):
        names.append(titles.pop())
    letter = state.letter
    if titles:
        letter.chuc_vu_nguoi_ky = position_title(titles[-1].text)
        letter.source_lines["chuc_vu_nguoi_ky"] = titles[-1].lineno
        letter.stray_lines.extend(t for t in titles[:-1])
    if names:
        letter.nguoi_ky = " ".join(names[-1].text.split())
        letter.source_lines["nguoi_ky"] = names[-1].lineno
        letter.stray_lines.extend(n for n in names[:-1])


# --- body ---------------------------------------------------------------------------------------

_MARKDOWN_START = re.compile(r"^(\d{1,9}[.)]\s|[-+*]\s|#{1,6}\s|>|={3,}|-{3,}|`{3,}|~{3,})")


def _block_markdown(block: Block, lines: list[Line]) -> str:
    """One block as a line of clean Markdown (its lines joined; list marker kept)."""
    text = " ".join(line.markdown for line in lines if line.markdown)
    if block.kind == "code":
        text = _escape_text(" ".join(line.text for line in lines))
    if block.kind == "ordered" and lines[0].index == 0:
        return f"{block.marker} {text}"
    if block.kind == "bullet" and lines[0].index == 0:
        return f"- {text}"
    if _MARKDOWN_START.match(text):
        text = "\\" + text
    return text


def _escape_text(text: str) -> str:
    """Escape Markdown punctuation in plain text (from code blocks)."""
    return re.sub(r"([\\`*_\[\]<>#|])", r"\\\1", text)


def continues_sentence(previous: str, following: Block) -> bool:
    """Whether ``following`` is the rest of ``previous``'s sentence, split by a page break.

    The previous paragraph ends without terminal punctuation, and the next one
    is a plain paragraph that starts in lower case or with a digit, or the
    previous one ends on a comma or dash or leaves a bracket or quote open.
    """
    if following.kind not in ("paragraph", "code"):
        return False
    end = previous.rstrip(" *_")
    if not end or end[-1] in TERMINAL or end.endswith("./."):
        return False
    first = following.lines[0].text.lstrip(' "“‘(*_')[:1]
    if first.islower() or first.isdigit():
        return True
    if end[-1] in ",-–(":
        return True
    return previous.count("(") > previous.count(")") or previous.count("“") > previous.count("”")


def render_body(blocks: list[Block], start: tuple[int, int], end: int) -> tuple[str, list[str]]:
    """The body as Markdown paragraphs (page-break splits joined), and its plain text per paragraph."""
    pieces: list[tuple[str, str]] = []  # (markdown, plain)
    for number in range(start[0], end):
        block = blocks[number]
        lines = [line for line in block.lines if number != start[0] or line.index >= start[1]]
        if not lines:
            continue
        markdown = _block_markdown(block, lines)
        plain = " ".join(line.text for line in lines)
        if pieces and continues_sentence(pieces[-1][1], Block(block.kind, lines, block.marker)):
            last_md, last_plain = pieces[-1]
            pieces[-1] = (f"{last_md} {markdown.removeprefix(chr(92))}", f"{last_plain} {plain}")
        else:
            pieces.append((markdown, plain))
    return "\n\n".join(md for md, _ in pieces), [plain for _, plain in pieces]


# --- citations ----------------------------------------------------------------------------------

_PART = r"[^\W\d_][^\W_]*(?:&[^\W_]+)*"
_SPACED_DASH = r"\s-\s(?=[A-ZĐ][A-ZĐ])"
"""A dash with spaces inside a symbol ("5658/TTr – UBND"), before a part in capitals only."""
_CITATION = re.compile(
    rf"(?<![\w/.-])(?:(?P<so>\d{{1,6}}[A-Z]?)(?:"
    rf"(?P<state>(?:/\d{{4}})?\s?/(?=[^\W\d_]){_PART}(?:(?:-|{_SPACED_DASH}){_PART})*)"
    rf"|(?P<party>-{_PART}/{_PART}(?:-{_PART})*)"
    rf")|(?<=[Ss]ố )(?P<old>\d{{1,6}}-[A-ZĐ][A-ZĐa-z]{{0,7}}))(?![\w/])"
)
"""State numbers ("68/NQ-CP", "117/2020/NĐ-CP", "64B/HĐBT"), party ones ("325-CV/TU") and, after
"số", the old hyphen style ("số 214-CP")."""
_GLUED_WORD = re.compile(r"(?<=[A-ZĐ])(?:ngày|về|của|và|tại|năm)$")
_CITED_DATE = re.compile(
    r"^\s*+,?\s*+(?:ban hành\s++)?(?:ngày\s*+)?(?:"
    r"(?P<d1>\d{1,2})\s*[/.-]\s*(?P<m1>\d{1,2})\s*[/.-]\s*(?P<y1>\d{4})"
    r"|(?P<d2>\d{1,2})\s+tháng\s+(?P<m2>\d{1,2})\s+năm\s+(?P<y2>\d{4}))",
    re.IGNORECASE,
)
_CITED_ISSUER = re.compile(
    r"^\s*+,?\s*+của\s++(?P<issuer>[^;,.:()\n]{1,200}?)"
    r"(?=\s+(?:về|ngày|tại|theo|đã|đến|nhằm|để|trong|với|thông báo|hướng dẫn|quy định)\b|\s*[;,.:()\n]|\s*$)",
    re.IGNORECASE,
)
_CITED_TYPE = re.compile(
    "(?P<type>" + "|".join(re.escape(canonical_key(n)) for n in TYPE_NAMES) + r")(?:\s+số)?\s*:?\s*$"
)


_LOOK_ALIKE = re.compile("[" + "".join(re.escape(chr(code)) for code in LOOK_ALIKES) + "]")


def _without_look_alikes(text: str) -> str:
    """``text.translate(LOOK_ALIKES)``, skipped when no character would change (the usual case)."""
    return text.translate(LOOK_ALIKES) if _LOOK_ALIKE.search(text) else text


def find_citations(texts: list[str], own: str | None, own_year: int | None = None) -> list[CitedDocument]:
    """Every document cited in ``texts``, once each, in order of first mention (not the letter itself).

    A mention of the letter's own number and symbol (``own``) is the letter
    itself, unless its date says another year (``own_year`` is the letter's):
    registers restart every year, so 646/QĐ-UBND of 2022 may cite 646/QĐ-UBND of 2021.
    """
    found: dict[str, CitedDocument] = {}
    own_key = symbol_key(own) if own else None
    for raw in texts:
        text = _without_look_alikes(published(raw))
        for match in _CITATION.finditer(text):
            symbol = canonical_symbol(_GLUED_WORD.sub("", match.group(0)))
            key = symbol_key(symbol)
            if own_key and _same_number(key, own_key) and not _other_year(text, match, symbol, own_year):
                continue
            cited = CitedDocument(
                loai_van_ban=_cited_type(text[max(0, match.start() - 40) : match.start()]),
                so_ky_hieu=re.sub(r"^0+(?=\d)", "", symbol),
                ngay_ban_hanh=None,
                co_quan_ban_hanh=None,
            )
            after = text[match.end() : match.end() + 160]
            date = _CITED_DATE.match(after)
            if date:
                cited = _with(cited, ngay_ban_hanh=_cited_iso(date))
                after = after[date.end() :]
            issuer = _CITED_ISSUER.match(after)
            if issuer and len(issuer["issuer"].split()) <= 10:
                cited = _with(cited, co_quan_ban_hanh=" ".join(issuer["issuer"].split()))
            found[key] = _merge(found.get(key), cited)
    return list(found.values())


def _same_number(key: str, own_key: str) -> bool:
    """The letter's own number, also when printed with its year ("1114/2003/QĐ-UB" for "1114/QĐ-UB")."""
    return key == own_key or re.sub(r"/(?:19|20)\d\d/", "/", key) == re.sub(r"/(?:19|20)\d\d/", "/", own_key)


def _other_year(text: str, match: re.Match[str], symbol: str, own_year: int | None) -> bool:
    """Whether a mention of the letter's own number is dated in another year than the letter."""
    if own_year is None:
        return False
    date = _CITED_DATE.match(text[match.end() : match.end() + 160])
    year = cited_year(_cited_iso(date) if date else None, symbol)
    return year is not None and year != own_year


def cited_year(date: str | None, symbol: str) -> int | None:
    """Year of a citation: its date, else a year inside the symbol ("117/2020/NĐ-CP")."""
    if date:
        return int(date[:4])
    inside = re.search(r"/((?:19|20)\d\d)/", symbol)
    return int(inside[1]) if inside else None


def symbol_key(symbol: str) -> str:
    """Key to compare numbers and symbols: canonical, no leading zeros, case-folded."""
    compact = canonical_symbol(symbol)
    return canonical_key(re.sub(r"^0+(?=\d)", "", compact))


def _cited_type(before: str) -> str | None:
    """The type name printed just before a cited number ("Thông báo số"), title case."""
    match = _CITED_TYPE.search(canonical_key(before))
    if not match or match["type"] == "văn bản":
        return None
    return TYPE_BY_KEY.get(match["type"])


def _cited_iso(match: re.Match[str]) -> str | None:
    """ISO date of a citation's date match, None when it is not a real day."""
    day, month, year = (
        (match["d1"], match["m1"], match["y1"]) if match["y1"] else (match["d2"], match["m2"], match["y2"])
    )
    try:
        return dt.date(int(year), int(month), int(day)).isoformat()
    except ValueError:
        return None


def _with(cited: CitedDocument, **changes: str | None) -> CitedDocument:
    fields_ = {name: getattr(cited, name) for name in CitedDocument.__slots__}
    fields_.update(changes)
    return CitedDocument(**fields_)


def _merge(first: CitedDocument | None, later: CitedDocument) -> CitedDocument:
    """The first mention, completed with what later mentions add."""
    if first is None:
        return later
    return CitedDocument(
        loai_van_ban=first.loai_van_ban or later.loai_van_ban,
        so_ky_hieu=first.so_ky_hieu,
        ngay_ban_hanh=first.ngay_ban_hanh or later.ngay_ban_hanh,
        co_quan_ban_hanh=first.co_quan_ban_hanh or later.co_quan_ban_hanh,
    )


def _type_without_type_line(ky_hieu: str | None, found: set[str]) -> str | None:
    """The type when no type line was read: the one the symbol names ("TB-UBND"), else Công văn
    only when the letter has a công văn's marks ("V/v" subject or "Kính gửi"), else None."""
    for part in re.split(r"[/-]", ky_hieu or ""):
        if part and not part.isdigit():
            if part in DOCUMENT_TYPES:
                return DOCUMENT_TYPES[part]
            break
    return "Công văn" if found & {"about", "recipients"} else None


def type_from_symbol(ky_hieu: str | None) -> str:
    """The type a symbol names ("TB-UBND" -> Thông báo); Công văn has no abbreviation."""
    for part in re.split(r"[/-]", ky_hieu or ""):
        if part.isdigit():
            continue
        return DOCUMENT_TYPES.get(part, "Công văn")
    return "Công văn"


# --- the whole letter ---------------------------------------------------------------------------


def _clean_item(text: str) -> str:
    """A list item without bullet, trailing ";" "," "." and extra spaces."""
    return " ".join(_BULLET.sub("", text).split()).rstrip(" ;,.")


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


_POSITION = re.compile(
    r"^(?:phó\s+|q\.\s*|quyền\s+)?(?:chủ tịch|bộ trưởng|thứ trưởng|giám đốc|trưởng ban|trưởng phòng|bí thư|"
    r"thủ tướng|chánh văn phòng|chánh án|viện trưởng|cục trưởng|tổng cục trưởng|hiệu trưởng|trưởng)\b"
)


def is_position(text: str) -> bool:
    """A signer's title as printed in sentence case ("Phó Chủ tịch", "Bộ trưởng Tổng thư ký")."""
    key = canonical_key(text).strip(" .:")
    return len(key.split()) <= 8 and text.rstrip()[-1:] not in ".;," and bool(_POSITION.match(key))


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


def _finish_issuer(state: HeaderState) -> None:
    """Split the issuer block into parent body and issuer (lines joined with spaces)."""
    groups: list[list[Line]] = []
    for line in state.issuer_lines:
        if groups and (_continues_name(line.key) or not _is_complete_name(_key_of(groups[-1]))):
            groups[-1].append(line)
        else:
            groups.append([line])
    letter = state.letter
    if not groups and state.authority_line is not None and "motto" not in state.found:
        line = state.authority_line  # no header: the authority line under the title names the issuer
        letter.co_quan_ban_hanh = " ".join(line.text.split())
        letter.source_lines["co_quan_ban_hanh"] = line.lineno
        return
    if not groups:
        return
    letter.co_quan_ban_hanh = _name_of(groups[-1])
    letter.source_lines["co_quan_ban_hanh"] = groups[-1][0].lineno
    if len(groups) > 1:
        letter.co_quan_chu_quan = " ".join(_name_of(g) for g in groups[:-1])
        letter.source_lines["co_quan_chu_quan"] = groups[0][0].lineno


_UNITS = ("tỉnh", "huyện", "quận", "xã", "phường", "thị xã", "thị trấn", "thành phố")


def _name_of(lines: list[Line]) -> str:
    return " ".join(" ".join(line.text for line in lines).split())


def _key_of(lines: list[Line]) -> str:
    return canonical_key(_name_of(lines))


def _continues_name(key: str) -> bool:
    """A line starting with a unit word ("HUYỆN MƯỜNG TÈ") continues the name above it."""
    return any(key.startswith(unit + " ") and not key.startswith(unit + " ủy") for unit in _UNITS)


def _is_complete_name(key: str) -> bool:
    """A name that already says which body it is: a unit word followed by a place."""
    words = key.split()
    for index, word in enumerate(words[:-1]):
        if word in ("tỉnh", "huyện", "quận", "xã", "phường", "trấn", "phố") and (
            words[index + 1] != "ủy" or index + 2 < len(words)
        ):
            return True
    return False
