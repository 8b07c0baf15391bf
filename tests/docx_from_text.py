"""Build Word letters (.docx) from committed text letters, the way staff have them in Word.

Test helper for ``vanban import``: the header goes into a two-column table
(issuer, number and subject left; motto and date right — either one row of
cells or one row per component), the distribution list and the signature into
a two-column table, Markdown emphasis into bold/italic runs, ``1.`` and ``- ``
paragraphs into Word numbering, and a page break after each paragraph the
export cut in two. Built with python-docx only, so the import reads a real
Word file, not a copy of our own text.
"""

from __future__ import annotations

import io
import re
from dataclasses import dataclass, field

from docx import Document
from docx.enum.text import WD_BREAK
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.table import _Cell
from docx.text.paragraph import Paragraph

_EMPHASIS = re.compile(
    r"(\*\*\*(?=\S)(.+?)(?<=\S)\*\*\*|\*\*(?=\S)(.+?)(?<=\S)\*\*|\*(?=\S)(.+?)(?<=\S)\*)", re.S
)


@dataclass
class Layout:
    """What a text letter is made of, for laying it out in Word."""

    issuer: list[str] = field(default_factory=list)
    motto: list[str] = field(default_factory=list)
    number: str = ""
    date: str = ""
    subject: list[str] = field(default_factory=list)
    marks: list[str] = field(default_factory=list)  # KHẨN, stamps: lines between header and body
    body: list[str] = field(default_factory=list)  # blocks: "Kính gửi:", items, paragraphs
    distribution: list[str] = field(default_factory=list)  # "Nơi nhận:" then items
    signature: list[list[str]] = field(default_factory=list)  # groups of lines (authority, name)
    bold_issuer: bool = True


def split_letter(text: str) -> Layout:
    """The components of a letter in the seed layout (blocks separated by blank lines)."""
    blocks = [b.strip("\n") for b in re.split(r"\n\s*\n", text) if b.strip()]
    layout = Layout()
    index = 0
    layout.issuer = _lines(blocks[index])
    index += 1
    layout.motto = _lines(blocks[index])
    index += 1
    while not re.match(r"\**Kính gửi", blocks[index]):
        lines = _lines(blocks[index])
        for position, line in enumerate(lines):
            plain = line.strip("* ")
            if plain.startswith("Số"):
                layout.number = line
            elif re.search(r"ngày .*tháng .*năm \d{4}", plain):
                layout.date = line
            elif plain.startswith("V/v"):
                layout.subject = lines[position:]
                break
            else:
                layout.marks.append(line)
        index += 1
    while not re.match(r"\**Nơi nhận", blocks[index]):
        layout.body.append(blocks[index])
        index += 1
    layout.distribution = [blocks[index], *_lines(blocks[index + 1])]
    layout.signature = [_lines(b) for b in blocks[index + 2 :]]
    return layout


def _lines(block: str) -> list[str]:
    """Lines of a block without Markdown hard-break spaces; a bold block's markers go to each line."""
    lines = [line.rstrip() for line in block.split("\n") if line.strip()]
    if len(lines) > 1 and lines[0].startswith("**") and lines[-1].endswith("**"):
        inner = "\n".join(lines)[2:-2]
        if "**" not in inner:
            return [f"**{line.strip()}**" for line in inner.split("\n")]
    return lines


def add_runs(paragraph: Paragraph, text: str, bold: bool = False, italic: bool = False) -> None:
    """Markdown emphasis as Word runs."""
    position = 0
    for match in _EMPHASIS.finditer(text):
        if match.start() > position:
            _run(paragraph, text[position : match.start()], bold, italic)
        if match.group(2) is not None:
            _run(paragraph, match.group(2), True, True)
        elif match.group(3) is not None:
            add_runs(paragraph, match.group(3), True, italic)
        else:
            add_runs(paragraph, match.group(4), bold, True)
        position = match.end()
    if position < len(text):
        _run(paragraph, text[position:], bold, italic)


def _run(paragraph: Paragraph, text: str, bold: bool, italic: bool) -> None:
    run = paragraph.add_run(text)
    run.bold = bold or None
    run.italic = italic or None


def _cell_lines(cell: _Cell, lines: list[str], first: bool, italic: bool = False) -> None:
    for line in lines:
        paragraph = cell.paragraphs[0] if first and not cell.paragraphs[0].text else cell.add_paragraph()
        first = False
        add_runs(paragraph, line, italic=italic)


def _continues(block: str, following: str | None) -> bool:
    """The export cut this paragraph at a page end (the seeds' page-break splits)."""
    plain = block.rstrip().rstrip("*").rstrip()
    if following is None or re.match(r"[-+]\s", following) or plain.endswith((".", ":", ";", "!", "?")):
        return False
    return (
        plain.endswith(",")
        or following[:1].islower()
        or following[:1].isdigit()
        or (block.count("(") > block.count(")"))
    )


def build_docx(
    text: str,
    *,
    header_rows: bool = False,
    word_numbering: bool = True,
    page_breaks: bool = True,
    tabbed_recipients: bool = False,
    font: str | None = None,
) -> bytes:
    """A .docx laid out the way Word letters are, from a letter in the committed text format.

    ``header_rows``: one table row per component (issuer|motto, number|date,
    subject|—) instead of one row of two cells; ``word_numbering``: "1." and
    "- " paragraphs use Word's list numbering; ``tabbed_recipients``: "Kính
    gửi:⇥- item" as a tab-indented list; ``font``: every run in that font.
    """
    layout = split_letter(text)
    document = Document()
    header = document.add_table(rows=3 if header_rows else 1, cols=2)
    left_lines = [*layout.issuer, "____", layout.number]
    right_lines = [*layout.motto, "______________"]
    subject_and_marks = [*layout.subject, *[m for m in layout.marks if m.strip("* ") == "KHẨN"]]
    stamps = [m for m in layout.marks if m.strip("* ") != "KHẨN"]
    if header_rows:
        _cell_lines(header.cell(0, 0), [*layout.issuer, "____"], True)
        _cell_lines(header.cell(0, 1), right_lines, True)
        _cell_lines(header.cell(1, 0), [layout.number], True)
        _cell_lines(header.cell(1, 1), [layout.date], True, italic=True)
        _cell_lines(header.cell(2, 0), subject_and_marks, True)
        _cell_lines(header.cell(2, 1), stamps, True)
    else:
        _cell_lines(header.cell(0, 0), [*left_lines, *subject_and_marks], True)
        _cell_lines(header.cell(0, 1), right_lines, True)
        _cell_lines(header.cell(0, 1), [layout.date], False, italic=True)
        _cell_lines(header.cell(0, 1), stamps, False)
    document.add_paragraph()
    body = layout.body
    numbered = _numbering(document) if word_numbering else None
    for position, block in enumerate(body):
        lines = [line for line in block.split("\n")]
        following = body[position + 1] if position + 1 < len(body) else None
        if block.startswith("Kính gửi:") and tabbed_recipients and position + 1 < len(body):
            continue
        if tabbed_recipients and position > 0 and body[position - 1].startswith("Kính gửi:"):
            items = [line for line in lines]
            first = document.add_paragraph()
            add_runs(first, body[position - 1].strip() + "\t\t" + items[0])
            for item in items[1:]:
                add_runs(document.add_paragraph(), "\t\t" + item)
            continue
        if all(re.match(r"[-+]\s", line) for line in lines) and len(lines) > 1:
            for line in lines:  # a tight list: one paragraph per item
                _list_paragraph(document, line, numbered)
            continue
        paragraph = _list_paragraph(document, " ".join(lines) if len(lines) > 1 else block, numbered)
        if page_breaks and _continues(block, following):
            paragraph.add_run().add_break(WD_BREAK.PAGE)
    signature = document.add_table(rows=1, cols=2)
    left, right = signature.cell(0, 0), signature.cell(0, 1)
    _cell_lines(left, layout.distribution[:1], True)
    for item in layout.distribution[1:]:
        paragraph = left.add_paragraph()
        add_runs(paragraph, item)
    first = True
    for group in layout.signature:
        if not first:
            right.add_paragraph()
            right.add_paragraph()
        _cell_lines(right, group, first)
        first = False
    if font:
        for run in _all_runs(document):
            run.font.name = font
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


def _all_runs(document):
    for paragraph in document.paragraphs:
        yield from paragraph.runs
    for table in document.tables:
        for row in table.rows:
            for cell in row.cells:
                for paragraph in cell.paragraphs:
                    yield from paragraph.runs


class _Lists:
    """Two Word lists in the document: decimal "%1." and a "-" bullet."""

    def __init__(self, decimal: str, bullet: str):
        self.decimal, self.bullet, self.next_number = decimal, bullet, 1


def _numbering(document) -> _Lists:
    """Add a decimal and a bullet list definition to numbering.xml."""
    numbering = document.part.numbering_part.element
    ids = []
    for fmt, text in (("decimal", "%1."), ("bullet", "-")):
        abstract_id = str(900 + len(ids))
        abstract = OxmlElement("w:abstractNum")
        abstract.set(qn("w:abstractNumId"), abstract_id)
        level = OxmlElement("w:lvl")
        level.set(qn("w:ilvl"), "0")
        for tag, value in (("w:start", "1"), ("w:numFmt", fmt), ("w:lvlText", text)):
            node = OxmlElement(tag)
            node.set(qn("w:val"), value)
            level.append(node)
        abstract.append(level)
        first_num = numbering.find(qn("w:num"))
        if first_num is not None:
            first_num.addprevious(abstract)
        else:
            numbering.append(abstract)
        num_id = str(900 + len(ids))
        num = OxmlElement("w:num")
        num.set(qn("w:numId"), num_id)
        ref = OxmlElement("w:abstractNumId")
        ref.set(qn("w:val"), abstract_id)
        num.append(ref)
        numbering.append(num)
        ids.append(num_id)
    return _Lists(*ids)


def _list_paragraph(document, line: str, lists: _Lists | None) -> Paragraph:
    """A paragraph; "N. text" and "- text" become Word list items when numbering is on."""
    paragraph = document.add_paragraph()
    match = re.match(r"(\d+)\.\s+(.*)", line, re.S)
    bullet = re.match(r"-\s+(.*)", line, re.S)
    if lists is not None and match and int(match.group(1)) == lists.next_number:
        _set_numbering(paragraph, lists.decimal)
        lists.next_number += 1
        add_runs(paragraph, match.group(2))
    elif lists is not None and bullet:
        _set_numbering(paragraph, lists.bullet)
        add_runs(paragraph, bullet.group(1))
    else:
        add_runs(paragraph, line)
    return paragraph


def _set_numbering(paragraph: Paragraph, num_id: str) -> None:
    ppr = paragraph._p.get_or_add_pPr()
    num_pr = OxmlElement("w:numPr")
    level = OxmlElement("w:ilvl")
    level.set(qn("w:val"), "0")
    number = OxmlElement("w:numId")
    number.set(qn("w:val"), num_id)
    num_pr.append(level)
    num_pr.append(number)
    ppr.append(num_pr)


__all__ = ["build_docx", "split_letter"]
