"""Reading a Word document: paragraphs and tables with their effective formatting, numbering
and legacy fonts, as ``Para`` and ``Grid`` items in reading order.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import cast

from docx.document import Document as DocxDocument
from docx.oxml.ns import qn
from docx.styles.style import BaseStyle
from lxml import etree

from builder.letters.letter import Diagnostic, LetterError, Severity

_MC = "http://schemas.openxmlformats.org/markup-compatibility/2006"
_W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"


@dataclass(slots=True)
class Segment:
    """A stretch of text with one formatting."""

    text: str
    bold: bool = False
    italic: bool = False


@dataclass(slots=True)
class Para:
    """One Word paragraph, reduced to what the text format keeps."""

    segments: list[Segment] = field(default_factory=list)
    marker: str = ""
    """List marker from Word numbering ("1. ", "- "), empty when none."""
    break_before: bool = False
    break_after: bool = False
    """A page (or section) break right after the text: the next paragraph may continue the sentence."""

    @property
    def plain(self) -> str:
        return self.marker + "".join(s.text for s in self.segments)

    @property
    def is_blank(self) -> bool:
        return not self.plain.strip()

    def all(self, attribute: str) -> bool:
        """Every visible character has the formatting (bold / italic)."""
        visible = [s for s in self.segments if s.text.strip()]
        return bool(visible) and all(getattr(s, attribute) for s in visible)

    def markdown(self, drop_bold: bool = False) -> str:
        """The paragraph as Markdown inline text (bold/italic kept unless dropped)."""
        return self.marker + _emphasize(
            [Segment(s.text, s.bold and not drop_bold, s.italic) for s in self.segments]
        )


@dataclass(slots=True)
class Grid:
    """A Word table: rows of cells, each cell a list of paragraphs (nested tables flattened)."""

    rows: list[list[list[Para]]]

    def columns(self) -> list[list[Para]]:
        """Cells read top to bottom, column by column (merged cells once)."""
        width = max((len(row) for row in self.rows), default=0)
        return [[p for row in self.rows if col < len(row) for p in row[col]] for col in range(width)]

    def paragraphs(self) -> Iterator[Para]:
        for row in self.rows:
            for cell in row:
                yield from cell


# --- reading the document ---------------------------------------------------------------------------


class _WordReader:
    """Reads paragraphs and tables with their effective formatting, numbering and legacy fonts."""

    def __init__(self, document: DocxDocument, path: str):
        self.document = document
        self.path = path
        self.styles = {style.style_id: style for style in document.styles}
        self.numbering = _Numbering(document)
        defaults = document.styles.element.find(qn("w:docDefaults"))
        rpr = defaults.find(qn("w:rPrDefault") + "/" + qn("w:rPr")) if defaults is not None else None
        self.default_font = _font_of(rpr)

    def blocks(self) -> list[Para | Grid]:
        """Body content in document order."""
        out: list[Para | Grid] = []
        for child in self.document.element.body.iterchildren():
            if child.tag == qn("w:p"):
                out.append(self.paragraph(child))
            elif child.tag == qn("w:tbl"):
                out.append(self.table(child))
            elif child.tag == qn("w:sdt"):  # content control around block content
                content = child.find(qn("w:sdtContent"))
                for inner in content.iterchildren() if content is not None else ():
                    if inner.tag == qn("w:p"):
                        out.append(self.paragraph(inner))
                    elif inner.tag == qn("w:tbl"):
                        out.append(self.table(inner))
        return out

    def paragraph_lines(self, root: etree._Element) -> Iterator[str]:
        """The printed text of every paragraph under ``root``, text boxes and watermarks included,
        legacy fonts converted as far as they go (a mark is looked for, nothing is written)."""
        for p in root.iter(qn("w:p")):
            ppr = p.find(qn("w:pPr"))
            style = self._style(ppr, "w:pStyle")
            pieces = []
            for run in p.iter(qn("w:r")):
                if _in_nested_paragraph(run, p):
                    continue
                text = "".join(
                    child.text or "" if child.tag == qn("w:t") else " "
                    for child in run.iterchildren(qn("w:t"), qn("w:tab"), qn("w:br"))
                )
                pieces.append(_best_effort_unicode(text, self._font(run.find(qn("w:rPr")), style)))
            yield from "".join(pieces).splitlines()
        for path in _TEXT_PATHS(root):  # WordArt and VML watermarks keep their text in an attribute
            yield path.get("string") or ""

    def text_box_lines(self, root: etree._Element) -> Iterator[str]:
        """The printed text of the text boxes (and watermarks) placed in ``root``."""
        for box in _TEXT_BOXES(root):
            yield from self.paragraph_lines(box)
        for path in _TEXT_PATHS(root):
            yield path.get("string") or ""

    def table(self, tbl: etree._Element) -> Grid:
        """Rows of cells placed on the table grid: a cell spanning columns sits in its first one."""
        rows = []
        for tr in tbl.iterchildren(qn("w:tr")):
            row: list[list[Para]] = [
                [] for _ in range(_int_val(tr.find(qn("w:trPr") + "/" + qn("w:gridBefore"))))
            ]
            for tc in tr.iterchildren(qn("w:tc")):
                span = _int_val(tc.find(qn("w:tcPr") + "/" + qn("w:gridSpan")), 1)
                merge = tc.find(qn("w:tcPr") + "/" + qn("w:vMerge"))
                continued = merge is not None and merge.get(qn("w:val")) in (None, "continue")
                # a continued vertical merge was read with its first cell
                row.append([] if continued else list(self._cell_paragraphs(tc)))
                row += [[] for _ in range(span - 1)]
            rows.append(row)
        return Grid(rows)

    def _cell_paragraphs(self, tc: etree._Element) -> Iterator[Para]:
        for child in tc.iterchildren():
            if child.tag == qn("w:p"):
                yield self.paragraph(child)
            elif child.tag == qn("w:tbl"):
                yield from self.table(child).paragraphs()

    def paragraph(self, p: etree._Element) -> Para:
        ppr = p.find(qn("w:pPr"))
        style = self._style(ppr, "w:pStyle")
        para = Para(marker=self.numbering.marker(ppr, style, self.styles))
        para.break_before = self._on(ppr, "w:pageBreakBefore") or self._style_flag(style, "w:pageBreakBefore")
        raw: list[tuple[str, bool, bool, str | None]] = []
        for run in _RUNS(p):
            if run.getparent() is not p and _in_nested_paragraph(run, p):
                continue
            rpr = run.find(qn("w:rPr"))
            bold = self._flag(rpr, ppr, style, "w:b")
            italic = self._flag(rpr, ppr, style, "w:i")
            font = self._font(rpr, style)
            for piece in self._run_text(run):
                if piece is _PAGE_BREAK:
                    raw.append(("\f", False, False, None))
                else:
                    raw.append((cast(str, piece), bold, italic, font))
        para.segments = self._decode_segments(raw)
        text = "".join(s.text for s in para.segments)
        if "\f" in text:
            core = text.strip(" \t\n")
            para.break_after = core.endswith("\f")
            para.break_before = para.break_before or core.startswith("\f")
            para.segments = _join_page_breaks(para.segments)
        if ppr is not None and ppr.find(qn("w:sectPr")) is not None:
            para.break_after = True  # a section break ends the page too
        return para

    def _run_text(self, run: etree._Element) -> Iterator[object]:
        """Text of a run with Word's special characters turned into text (page break as a marker)."""
        field_code = False
        for child in run.iterchildren():
            tag = etree.QName(child).localname
            if tag == "t":
                if not field_code:
                    yield child.text or ""
            elif tag == "tab":
                yield "\t"
            elif tag == "br":
                kind = child.get(qn("w:type"))
                yield _PAGE_BREAK if kind == "page" else ("\n" if kind in (None, "textWrapping") else " ")
            elif tag == "cr":
                yield "\n"
            elif tag == "noBreakHyphen":
                yield "-"
            elif tag == "instrText":
                field_code = True  # field instructions (PAGE, HYPERLINK ...) are not text

    def _decode_segments(self, raw: list[tuple[str, bool, bool, str | None]]) -> list[Segment]:
        """Merge runs of equal formatting and font, converting legacy-font text to Unicode."""
        merged: list[tuple[list[str], bool, bool, str | None]] = []
        for text, bold, italic, font in raw:
            if merged and merged[-1][1:] == (bold, italic, font):
                merged[-1][0].append(text)  # pieces joined once: '+=' on a shared string is quadratic
            else:
                merged.append(([text], bold, italic, font))
        return [
            Segment(_from_legacy("".join(pieces), font, self.path), bold, italic)
            for pieces, bold, italic, font in merged
        ]

    # formatting resolution: run → character style → paragraph style → document defaults

    def _style(self, pr: etree._Element | None, tag: str) -> BaseStyle | None:
        node = pr.find(qn(tag)) if pr is not None else None
        return self.styles.get(node.get(qn("w:val"))) if node is not None else None

    def _flag(
        self, rpr: etree._Element | None, ppr: etree._Element | None, style: BaseStyle | None, tag: str
    ) -> bool:
        own = _toggle(rpr, tag)
        if own is not None:
            return own
        for chain in (self._chain(self._style(rpr, "w:rStyle")), self._chain(style)):
            for link in chain:
                value = _toggle(link.element.find(qn("w:rPr")), tag)
                if value is not None:
                    return value
        return False

    def _style_flag(self, style: BaseStyle | None, tag: str) -> bool:
        return any(self._on(link.element.find(qn("w:pPr")), tag) for link in self._chain(style))

    @staticmethod
    def _on(pr: etree._Element | None, tag: str) -> bool:
        return bool(_toggle(pr, tag))

    def _font(self, rpr: etree._Element | None, style: BaseStyle | None) -> str | None:
        own = _font_of(rpr)
        if own:
            return own
        for chain in (self._chain(self._style(rpr, "w:rStyle")), self._chain(style)):
            for link in chain:
                name = _font_of(link.element.find(qn("w:rPr")))
                if name:
                    return name
        return self.default_font

    @staticmethod
    def _chain(style: BaseStyle | None) -> Iterator[BaseStyle]:
        seen = set()
        while style is not None and style.style_id not in seen:
            seen.add(style.style_id)
            yield style
            style = style.base_style  # type: ignore[attr-defined]  # every style python-docx makes has it


_PAGE_BREAK = object()


def _int_val(node: etree._Element | None, default: int = 0) -> int:
    """The integer ``w:val`` of an optional property element."""
    try:
        return int(node.get(qn("w:val"))) if node is not None else default
    except (TypeError, ValueError):
        return default


_RUNS = etree.XPath(
    ".//w:r[not(ancestor::w:del) and not(ancestor::w:moveFrom) and not(ancestor::w:txbxContent)"
    " and not(ancestor::mc:Fallback)]",
    namespaces={"w": _W, "mc": _MC},
)
"""Runs of a paragraph that show: not deleted or moved away (tracked changes), not in text boxes,
not a duplicate fallback."""


_TEXT_BOXES = etree.XPath("//w:txbxContent[not(ancestor::w:txbxContent)]", namespaces={"w": _W})
_TEXT_PATHS = etree.XPath(".//v:textpath", namespaces={"v": "urn:schemas-microsoft-com:vml"})


def _best_effort_unicode(text: str, font: str | None) -> str:
    """Text in a legacy font converted without the exactness check (only to look for a mark)."""
    encoding = legacy_encoding(font)
    if encoding is None or not text.strip():
        return text
    from builder.text import legacy_tables

    if encoding == "TCVN3":
        converted = legacy_tables.tcvn3_to_unicode(text)
        return converted.upper() if _is_capitals_font(font) else converted
    return legacy_tables.vni_to_unicode(text)


def _in_nested_paragraph(run: etree._Element, p: etree._Element) -> bool:
    """A run inside a paragraph nested in this one (text boxes, etc.) belongs to that paragraph."""
    node = run.getparent()
    while node is not None and node is not p:
        if node.tag == qn("w:p"):
            return True
        node = node.getparent()
    return False


def _toggle(pr: etree._Element | None, tag: str) -> bool | None:
    """A Word on/off property: absent None, present True unless val is false/0/off."""
    if pr is None:
        return None
    node = pr.find(qn(tag))
    if node is None:
        return None
    return node.get(qn("w:val"), "true").lower() not in ("0", "false", "off", "none")


def _font_of(rpr: etree._Element | None) -> str | None:
    """The font a run's Latin text is drawn in (legacy fonts put their bytes in the Latin range)."""
    if rpr is None:
        return None
    fonts = rpr.find(qn("w:rFonts"))
    if fonts is None:
        return None
    return fonts.get(qn("w:hAnsi")) or fonts.get(qn("w:ascii"))


def legacy_encoding(font: str | None) -> str | None:
    """``TCVN3`` for the ``.Vn*`` fonts, ``VNI`` for the ``VNI-*`` fonts, else None."""
    if not font:
        return None
    name = font.strip()
    if re.match(r"\.?Vn[A-Z]", name):
        return "TCVN3"
    if re.match(r"VNI[- ]", name, re.IGNORECASE):
        return "VNI"
    return None


def _from_legacy(text: str, font: str | None, path: str) -> str:
    """Unicode for text drawn in a legacy font, converted only when the conversion is exact.

    The decoding stage's tables convert; the result must map back to exactly
    the characters Word stored, or the file is refused. ABC capitals fonts
    (``.VnTimeH``) draw every letter as a capital.
    """
    encoding = legacy_encoding(font)
    if encoding is None or not text.strip():
        return text
    from builder.text import legacy_encodings as legacy
    from builder.text import legacy_tables

    capitals = encoding == "TCVN3" and _is_capitals_font(font)
    if encoding == "TCVN3":
        converted, back = legacy_tables.tcvn3_to_unicode(text), legacy_tables.unicode_to_tcvn3
    else:
        converted, back = legacy_tables.vni_to_unicode(text), legacy_tables.unicode_to_vni
    if back(converted) != unicodedata.normalize("NFC", text):
        bad = next(
            (
                w
                for w in text.split()
                if back(
                    legacy_tables.tcvn3_to_unicode(w)
                    if encoding == "TCVN3"
                    else legacy_tables.vni_to_unicode(w)
                )
                != unicodedata.normalize("NFC", w)
            ),
            text.strip()[:30],
        )
        name = legacy.ENCODING_NAMES.get(encoding, encoding)
        raise _refuse(
            path,
            f"Chữ gõ bằng phông {font} (bảng mã {name}) không chuyển chính xác được sang Unicode "
            f"(ở chữ “{bad}”)",
            f"Mở bằng Word, chuyển mã sang Unicode (Unikey › Công cụ chuyển mã, nguồn {encoding}, "
            "đích Unicode), đổi phông sang Times New Roman, lưu lại .docx rồi chạy lại lệnh",
        )
    return converted.upper() if capitals else converted


def _is_capitals_font(font: str | None) -> bool:
    """TCVN3 has no capitals with tone marks: ``.VnTimeH`` draws the small letters as capitals."""
    return font is not None and font.rstrip().endswith("H") and legacy_encoding(font) == "TCVN3"


_PAGE_BREAK_SPACE = re.compile(r"(?<![ \t])[ \t]*+\f[\s\f]*+")
"""Spaces, a page break and what follows it; a match starts only where a run of spaces does
(linear on a paragraph of 100,000 tabs)."""


def _join_page_breaks(segments: list[Segment]) -> list[Segment]:
    """A page break inside a paragraph is no break in the text: the words around it join."""
    out = [Segment(_PAGE_BREAK_SPACE.sub(" ", s.text), s.bold, s.italic) for s in segments]
    if out:
        out[0].text = out[0].text.lstrip(" ")
        out[-1].text = out[-1].text.rstrip(" ")
    return [s for s in out if s.text]


class _Numbering:
    """Word list numbering (numbering.xml) turned into the markers staff would type: "1.", "a)", "- "."""

    def __init__(self, document: DocxDocument):
        self.levels: dict[tuple[str, int], tuple[str, str, int]] = {}
        self.counters: dict[str, list[int]] = {}
        try:
            root = document.part.numbering_part.element
        except (KeyError, NotImplementedError, AttributeError):
            return
        abstract: dict[str, dict[int, tuple[str, str, int]]] = {}
        for node in root.iterchildren(qn("w:abstractNum")):
            abstract[node.get(qn("w:abstractNumId"))] = {
                int(lvl.get(qn("w:ilvl"))): _level(lvl) for lvl in node.iterchildren(qn("w:lvl"))
            }
        for num in root.iterchildren(qn("w:num")):
            num_id = num.get(qn("w:numId"))
            ref = num.find(qn("w:abstractNumId"))
            levels = dict(abstract.get(ref.get(qn("w:val")) if ref is not None else "", {}))
            for override in num.iterchildren(qn("w:lvlOverride")):
                ilvl = int(override.get(qn("w:ilvl")))
                lvl = override.find(qn("w:lvl"))
                if lvl is not None:
                    levels[ilvl] = _level(lvl)
                start = override.find(qn("w:startOverride"))
                if start is not None and ilvl in levels:
                    fmt, text, _ = levels[ilvl]
                    levels[ilvl] = (fmt, text, int(start.get(qn("w:val"))))
            for ilvl, spec in levels.items():
                self.levels[(num_id, ilvl)] = spec

    def marker(self, ppr: etree._Element | None, style: BaseStyle | None, styles: dict) -> str:
        """The list marker of a paragraph, counting as Word does; empty when not a list item."""
        num_pr = ppr.find(qn("w:numPr")) if ppr is not None else None
        seen = set()
        while num_pr is None and style is not None and style.style_id not in seen:
            seen.add(style.style_id)
            style_ppr = style.element.find(qn("w:pPr"))
            num_pr = style_ppr.find(qn("w:numPr")) if style_ppr is not None else None
            style = style.base_style  # type: ignore[attr-defined]  # every style python-docx makes has it
        if num_pr is None:
            return ""
        num_node, lvl_node = num_pr.find(qn("w:numId")), num_pr.find(qn("w:ilvl"))
        num_id = num_node.get(qn("w:val")) if num_node is not None else None
        ilvl = int(lvl_node.get(qn("w:val"))) if lvl_node is not None else 0
        if not num_id or num_id == "0" or (num_id, ilvl) not in self.levels:
            return ""
        counters = self.counters.setdefault(num_id, [0] * 9)
        fmt, text, start = self.levels[(num_id, ilvl)]
        counters[ilvl] = counters[ilvl] + 1 if counters[ilvl] else start
        for deeper in range(ilvl + 1, 9):
            counters[deeper] = 0
        if fmt == "bullet":
            return "- "
        if fmt == "none":
            return ""

        def number(match: re.Match[str]) -> str:
            level = int(match.group(1)) - 1
            spec = self.levels.get((num_id, level), ("decimal", "", 1))
            value = counters[level] or spec[2]
            return _format_number(value, spec[0])

        return re.sub(r"%(\d)", number, text).strip() + " "


def _level(lvl: etree._Element) -> tuple[str, str, int]:
    fmt = lvl.find(qn("w:numFmt"))
    text = lvl.find(qn("w:lvlText"))
    start = lvl.find(qn("w:start"))
    return (
        fmt.get(qn("w:val")) if fmt is not None else "decimal",
        text.get(qn("w:val")) if text is not None else "%1.",
        int(start.get(qn("w:val"))) if start is not None else 1,
    )


def _format_number(value: int, fmt: str) -> str:
    if fmt in ("lowerLetter", "upperLetter"):
        letters = ""
        while value > 0:
            value, rest = divmod(value - 1, 26)
            letters = chr(ord("a") + rest) + letters
        return letters.upper() if fmt == "upperLetter" else letters
    if fmt in ("lowerRoman", "upperRoman"):
        numerals = [(1000, "m"), (900, "cm"), (500, "d"), (400, "cd"), (100, "c"), (90, "xc")]
        numerals += [(50, "l"), (40, "xl"), (10, "x"), (9, "ix"), (5, "v"), (4, "iv"), (1, "i")]
        roman = ""
        for size, numeral in numerals:
            count, value = divmod(value, size)
            roman += numeral * count
        return roman.upper() if fmt == "upperRoman" else roman
    return str(value)


def _emphasize(segments: list[Segment]) -> str:
    """Markdown for formatted segments: ``**bold**``, ``*italic*``, ``***both***``.

    Markers hug the text (spaces go outside), and literal asterisks are escaped
    so they are not read as emphasis.
    """
    merged: list[Segment] = []
    for segment in segments:
        text = segment.text.replace("*", "\\*")
        if merged and (merged[-1].bold, merged[-1].italic) == (segment.bold, segment.italic):
            merged[-1].text += text
        elif not text.strip() and merged:
            merged[-1].text += text  # whitespace takes the formatting before it
        else:
            merged.append(Segment(text, segment.bold, segment.italic))
    out = []
    for segment in merged:
        marker = "*" * ((2 if segment.bold else 0) + (1 if segment.italic else 0))
        if not marker or not segment.text.strip():
            out.append(segment.text)
            continue
        lines = segment.text.split("\n")
        wrapped = []
        for line in lines:
            core = line.strip()
            if not core:
                wrapped.append(line)
                continue
            lead = line[: len(line) - len(line.lstrip())]
            trail = line[len(line.rstrip()) :]
            wrapped.append(f"{lead}{marker}{core}{marker}{trail}")
        out.append("\n".join(wrapped))
    return "".join(out)


def _diagnostic(path: str, message: str, fix: str) -> Diagnostic:
    return Diagnostic(path=path, line=1, severity=Severity.ERROR, message=message, fix=fix)


def _refuse(path: str, message: str, fix: str) -> LetterError:
    return LetterError([_diagnostic(path, message, fix)])
