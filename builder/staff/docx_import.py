"""A Word letter (.docx) becomes the committed text format, as the Word export would write it.

Staff have the letter as a Word file. A letter in Word is laid out in two
tables that a plain "Save as text" reads in the wrong order: the header table
(issuer and number on the left, national motto and date on the right) and the
signature table (distribution list on the left, signature on the right). This
module reads the document itself (python-docx): it puts the header components
in the order the reader expects (issuer, motto, ``Số:``, date, subject), the
distribution list before the signature, keeps bold and italic as Markdown,
writes Word numbering as ``1.`` / ``- `` and joins paragraphs a page break cut
in two. Letters typed in legacy Vietnamese fonts (``.VnTime`` → TCVN3,
``VNI-Times`` → VNI) are converted from the font information by the decoding
stage's tables, or refused; old binary ``.doc`` files and anything else that is
not a ``.docx`` are refused with advice. Every message is in Vietnamese.
"""

from __future__ import annotations

import io
import re
import unicodedata
import zipfile
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import cast

from docx import Document
from docx.document import Document as DocxDocument
from docx.opc.constants import CONTENT_TYPE as CT
from docx.oxml import parse_xml
from docx.oxml.ns import qn
from docx.styles.style import BaseStyle
from lxml import etree
from slugify import slugify

from builder.letters.letter import Diagnostic, LetterError, Severity
from builder.text.limits import clip

OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
"""Compound File Binary: Word 97–2003 .doc (and password-protected .docx)."""

MAX_DOCX_BYTES = 50_000_000
"""A Word letter larger than this is not read (a letter with its images is a few MB)."""
MAX_DOCX_UNZIPPED = 200_000_000
"""All the parts of the package, unzipped: python-docx reads every part into memory (a 1 MB
zip bomb unzipped to 1 GB)."""
MAX_DOCX_XML = 50_000_000
"""One XML part unzipped (a 1,000-page document.xml is ~20 MB); lxml needs several times that."""

SAVE_AS_DOCX = (
    "Mở tệp bằng Word, chọn Tệp › Lưu thành › Tài liệu Word (*.docx), rồi chạy lại lệnh với tệp .docx"
)

_MC = "http://schemas.openxmlformats.org/markup-compatibility/2006"
_W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"

_URGENCY = {"KHẨN", "THƯỢNG KHẨN", "HỎA TỐC", "HOẢ TỐC"}
_SENTENCE_END = (".", "!", "?", ":", ";", "./.")
_DECORATION = re.compile(r"^[\s_\-–—=*.·•]*$")
"""Lines drawn with underscores or dashes under the issuer and the motto."""


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


def import_docx(data: bytes, path: str) -> str:
    """The letter in ``data`` (a .docx) as committed text; raises ``LetterError`` in Vietnamese."""
    _refuse_non_docx(data, path)
    try:
        document = Document(io.BytesIO(data))
    except Exception as error:  # python-docx raises several kinds for broken packages
        raise _refuse(
            path,
            f"Không đọc được tệp Word: {clip(str(error), 200)}",
            "Mở tệp bằng Word, lưu lại dạng .docx rồi thử lại",
        ) from None
    reader = _WordReader(document, path)
    _refuse_hidden_classification(reader, path)
    blocks = reader.blocks()
    text = _arrange(blocks)
    text = unicodedata.normalize("NFC", text)
    _refuse_mojibake(text, path)
    _refuse_classification(text.splitlines(), "nội dung văn bản", path)
    if not text.strip():
        raise _refuse(path, "Tệp Word không có chữ nào", "Kiểm tra lại tệp (có thể là ảnh chụp văn bản)")
    return text


@dataclass(slots=True)
class Imported:
    """One imported file: where it was written, or why it was refused."""

    source: Path
    target: Path | None
    diagnostics: list[Diagnostic]


def import_files(sources: Iterable[Path], out_dir: Path, content_dir: Path | None = None) -> list[Imported]:
    """Convert each .docx and write ``out_dir/<year>/<name>.txt``; never overwrites a file.

    Each written file is then checked as ``vanban check`` would (against the
    letters in ``content_dir``, default ``out_dir``), so staff see at once what
    to fix — a number already used, a draft without a day, a stray line.
    """
    results = []
    for source in sources:
        try:
            if source.stat().st_size > MAX_DOCX_BYTES:
                raise _refuse(
                    str(source),
                    f"Tệp Word quá lớn ({source.stat().st_size / 1e6:.0f} MB; tối đa "
                    f"{MAX_DOCX_BYTES / 1e6:.0f} MB)",
                    "Mở bằng Word, nén hoặc bỏ ảnh lớn (Tệp › Nén ảnh), lưu lại .docx rồi chạy lại",
                )
            text = import_docx(source.read_bytes(), str(source))
            target = target_path(out_dir, source, text)
            target.parent.mkdir(parents=True, exist_ok=True)
            try:
                with target.open("x", encoding="utf-8", newline="\n") as out:
                    out.write(text)
            except FileExistsError:
                raise _refuse(
                    str(source),
                    f"Tệp {target} đã có, không ghi đè",
                    "Đổi tên tệp .docx, hoặc xóa/sửa trực tiếp tệp đã có",
                ) from None
            results.append(Imported(source, target, []))
        except LetterError as error:
            results.append(Imported(source, None, error.diagnostics))
        except OSError as error:
            results.append(
                Imported(
                    source, None, [_diagnostic(str(source), f"Không đọc được tệp: {error.strerror}", "")]
                )
            )
    written = [r.target for r in results if r.target is not None]
    if written:
        from builder.archive.read import diagnostics_for

        found = diagnostics_for(written, content_dir or out_dir)
        for result in results:
            if result.target is not None:
                shown = {str(result.target), result.target.resolve().as_posix()}
                result.diagnostics = [
                    d for d in found if d.path in shown or Path(d.path).resolve() == result.target.resolve()
                ]
    return results


def target_path(out_dir: Path, source: Path, text: str) -> Path:
    """``out_dir/<year of the date line>/<slug of the file name>.txt`` (no year: ``out_dir/``)."""
    year = re.search(r"ngày[^\n]{0,20}tháng[^\n]{0,12}năm\s+(\d{4})", text)
    stem = slugify(source.stem.replace("đ", "d").replace("Đ", "D")) or "van-ban"
    return (out_dir / year.group(1) if year else out_dir) / f"{stem}.txt"


# --- refusing what is not a .docx -------------------------------------------------------------------


def _refuse_non_docx(data: bytes, path: str) -> None:
    """Name the kind of file and say how to get a .docx from it."""
    if data.startswith(OLE_MAGIC):
        if "EncryptedPackage".encode("utf-16-le") in data:
            raise _refuse(
                path,
                "Tệp Word có đặt mật khẩu nên không đọc được",
                "Mở bằng Word, bỏ mật khẩu (Tệp › Thông tin › Bảo vệ tài liệu), lưu lại .docx "
                "rồi chạy lại lệnh",
            )
        raise _refuse(path, "Đây là tệp Word cũ (.doc, Word 97–2003), lệnh này chỉ đọc .docx", SAVE_AS_DOCX)
    if data.startswith(b"{\\rtf"):
        raise _refuse(path, "Đây là tệp RTF, không phải .docx", SAVE_AS_DOCX)
    if data.startswith(b"%PDF-"):
        raise _refuse(
            path,
            "Đây là tệp PDF, không phải .docx",
            "Dùng tệp Word gốc của văn bản (.docx), không dùng bản PDF",
        )
    if not data:
        raise _refuse(path, "Tệp rỗng", "Chọn đúng tệp Word (.docx) của văn bản")
    if not data.startswith(b"PK\x03\x04"):
        raise _refuse(
            path,
            "Đây không phải tệp Word .docx",
            "Chọn tệp Word (.docx); nếu đã có văn bản thuần (.txt) UTF-8 thì đưa thẳng tệp đó vào content/",
        )
    try:
        members = zipfile.ZipFile(io.BytesIO(data)).infolist()
    except (zipfile.BadZipFile, ValueError, EOFError):
        raise _refuse(path, "Tệp .docx bị hỏng (không mở được gói ZIP)", SAVE_AS_DOCX) from None
    unzipped = sum(member.file_size for member in members)
    largest_xml = max((m.file_size for m in members if m.filename.endswith(".xml")), default=0)
    if unzipped > MAX_DOCX_UNZIPPED or largest_xml > MAX_DOCX_XML:
        raise _refuse(
            path,
            f"Tệp .docx giải nén ra quá lớn ({unzipped / 1e6:.0f} MB, phần chữ {largest_xml / 1e6:.0f} MB;"
            f" tối đa {MAX_DOCX_UNZIPPED / 1e6:.0f} MB, phần chữ {MAX_DOCX_XML / 1e6:.0f} MB)",
            "Tệp có thể bị hỏng hoặc cố ý làm phình to; mở bằng Word, bỏ ảnh lớn, lưu lại .docx rồi chạy lại",
        )
    names = {member.filename for member in members}
    if "word/document.xml" in names:
        return
    if "content.xml" in names:
        kind = "tệp OpenDocument (.odt)"
    elif any(name.startswith("xl/") for name in names):
        kind = "tệp Excel"
    elif any(name.startswith("ppt/") for name in names):
        kind = "tệp PowerPoint"
    else:
        kind = "tệp nén ZIP"
    raise _refuse(path, f"Đây là {kind}, không phải tệp Word .docx", SAVE_AS_DOCX)


def _refuse_mojibake(text: str, path: str) -> None:
    """Legacy-encoded text in a font that does not say so is refused, never published."""
    from builder.text.legacy_encodings import ENCODING_NAMES, examine, word_at

    found = examine(text)
    if found is None:
        return
    raise _refuse(
        path,
        f"Văn bản có chữ gõ bằng bảng mã cũ {ENCODING_NAMES.get(found.encoding, found.encoding)} "
        f"(ví dụ “{word_at(text, found.first_word)}”), không phải Unicode, mà phông chữ trong tệp "
        "không cho biết đúng bảng mã",
        "Mở bằng Word, chuyển mã sang Unicode (Unikey › Công cụ chuyển mã, nguồn "
        f"{found.encoding}, đích Unicode), lưu lại .docx rồi chạy lại lệnh",
    )


# --- classification marks, wherever Word prints them ----------------------------------------------

_PRINTED_PARTS = {
    CT.WML_HEADER: "đầu trang (header)",
    CT.WML_FOOTER: "chân trang (footer)",
    CT.WML_FOOTNOTES: "chú thích cuối trang (footnote)",
    CT.WML_ENDNOTES: "chú thích cuối văn bản (endnote)",
}
"""Parts Word prints besides the body, and where staff would look for them."""

_TEXT_BOX = "hộp văn bản (text box) hoặc hình mờ (watermark)"


def _refuse_hidden_classification(reader: _WordReader, path: str) -> None:
    """A classification mark printed outside the body (page header or footer, text box, footnote,
    endnote, watermark) is refused like one in the body: the text written from the body would
    not show it, and the letter would be published."""
    _refuse_classification(reader.text_box_lines(reader.document.element), _TEXT_BOX, path)
    for part in reader.document.part.package.iter_parts():
        where = _PRINTED_PARTS.get(part.content_type)
        if where is None:
            continue
        element = getattr(part, "element", None)
        if element is None:
            try:
                element = parse_xml(part.blob)
            except etree.XMLSyntaxError:
                raise _refuse(path, f"Không đọc được phần {where} của tệp Word", SAVE_AS_DOCX) from None
        _refuse_classification(reader.paragraph_lines(element), where, path)


def _refuse_classification(lines: Iterable[str], where: str, path: str) -> None:
    """Refuse before anything is written: a classified letter must never reach ``content/``."""
    from builder.letters.lines import classification_of

    for line in lines:
        mark = classification_of(line)
        if mark:
            raise _refuse(
                path,
                f"Tệp Word có dấu độ mật '{mark.upper()}' ở {where}: "
                "văn bản mật không bao giờ được đăng công khai, không ghi tệp nào",
                "Không đưa văn bản mật lên cổng; nếu dấu đặt nhầm, xóa nó trong Word (kể cả ở đầu trang, "
                "chân trang, hộp văn bản, chú thích), lưu lại rồi chạy lại lệnh",
            )


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


# --- putting the letter in order --------------------------------------------------------------------


def _arrange(items: list[Para | Grid]) -> str:
    """The letter's text: header in reading order, body, distribution list, then signature."""
    blocks: list[str] = []
    pending: list[Para] = []  # body paragraphs, written by _flush (page-break joins, groups)
    header_done = body_started = False
    index = 0
    while index < len(items):
        item = items[index]
        if isinstance(item, Grid):
            _flush(pending, blocks)
            if not header_done and not body_started and _is_header(item):
                blocks += _header_blocks(item.columns())
                header_done = True
            elif _is_signature(item):
                blocks += _signature_blocks(item.columns())
            elif _is_recipients(item):
                blocks += _recipient_blocks(list(item.paragraphs()))
            else:
                blocks += _table_blocks(item)
            index += 1
            continue
        if not header_done and not body_started and _header_ahead(items, index):
            end = _header_end(items, index)
            region = [p for p in items[index:end] if isinstance(p, Para)]
            tabbed = any("\t" in p.plain.strip() for p in region)
            _flush(pending, blocks)
            blocks += _header_blocks(_split_columns(region) if tabbed else [region])
            header_done = True
            index = end
            continue
        if _is_distribution_start(item) and "\t" in item.plain.strip():
            rest = [p for p in items[index:] if isinstance(p, Para)]
            _flush(pending, blocks)
            blocks += _signature_blocks(_split_columns(rest))
            break
        if not item.is_blank:
            body_started = body_started or _starts_body(item)
        pending.append(item)
        index += 1
    _flush(pending, blocks)
    return _tighten(blocks)


def _header_end(items: list[Para | Grid], start: int) -> int:
    """Where a header typed as paragraphs ends: after number, date and the V/v lines."""
    seen_number = seen_date = in_subject = False
    index = start
    while index < len(items):
        item = items[index]
        if isinstance(item, Grid) or _starts_body(item):
            break
        text = item.plain.strip()
        if seen_number and seen_date:
            if re.match(r"[*_]*V/v\b", text):
                in_subject = True
            elif item.is_blank:
                if in_subject:
                    return index + 1
            elif not in_subject:
                break
        seen_number = seen_number or any(re.match(r"[*_\s]*Số\b", cell) for cell in text.split("\t"))
        seen_date = seen_date or _is_date_line(text)
        index += 1
    return index


def _flush(pending: list[Para], blocks: list[str]) -> None:
    """Body paragraphs as blocks: page-break cuts joined, signature lines grouped, "Kính gửi:⇥" split."""
    joined: list[Para] = []
    for para in pending:
        if para.is_blank:
            if para.break_after and joined:
                joined[-1].break_after = True
            if joined:
                joined.append(para)  # keeps groups apart
            continue
        previous = next((p for p in reversed(joined) if not p.is_blank), None)
        if (
            previous is not None
            and (previous.break_after or para.break_before)
            and _continues(previous, para)
        ):
            previous.segments = [*previous.segments, Segment(" "), *para.segments]
            previous.break_after = para.break_after
            while joined[-1] is not previous:
                joined.pop()
            continue
        joined.append(para)
    group: list[Para] = []
    for para in [*joined, Para()]:
        if _is_signature_line(para):
            group.append(para)
            continue
        if group:
            blocks.append(_group(group))
            group = []
        if para.is_blank:
            continue
        if re.match(r"[*_\s]*Kính\s+gửi\b", para.plain) and "\t" in para.plain.strip():
            blocks += _recipient_blocks([p for p in _split_at_tabs(para) if p is not None])
            continue
        blocks.append(_clean(para.markdown()))
    pending.clear()


def _is_signature_line(para: Para) -> bool:
    """Short, bold, in capitals: a signing-authority or title line ("KT. CHỦ TỊCH")."""
    text = para.plain.strip()
    return bool(text) and len(text) <= 60 and text == text.upper() and para.all("bold") and not para.marker


def _continues(previous: Para, para: Para) -> bool:
    """The sentence goes on across the break: no sentence end before it, no list item after it."""
    before = previous.plain.rstrip().rstrip("*_").rstrip()
    after = para.plain.lstrip()
    if not before or before.endswith(_SENTENCE_END) or para.marker:
        return False
    return not re.match(r"([-+•]\s|\d+[.)]\s|[a-zđ][)]\s)", after)


def _is_header(grid: Grid) -> bool:
    text = " ".join(p.plain for p in grid.paragraphs()).upper()
    return (
        "CỘNG HÒA" in text
        or "CỘNG HOÀ" in text
        or "ĐẢNG CỘNG SẢN" in text
        or bool(re.search(r"\bSỐ\b", text))
    )


def _is_signature(grid: Grid) -> bool:
    return any(_is_distribution_start(p) for p in grid.paragraphs())


def _is_distribution_start(para: Para) -> bool:
    return bool(re.match(r"[*_\s]*Nơi\s+nhận", unicodedata.normalize("NFC", para.plain)))


def _header_ahead(items: list[Para | Grid], start: int) -> bool:
    """A header typed as paragraphs starts here: the motto comes within the next few lines."""
    seen = 0
    for item in items[start:]:
        if isinstance(item, Grid) or _starts_body(item) or seen >= 8:
            return False
        if _is_motto(item):
            return True
        seen += not item.is_blank
    return False


def _starts_body(para: Para) -> bool:
    return bool(re.match(r"\s*(Kính\s+gửi|\d+\.\s|[-+]\s)", para.plain))


def _split_columns(paragraphs: list[Para]) -> list[list[Para]]:
    """Lines laid out with tabs as two columns: the text before the tabs left, after them right."""
    left: list[Para] = []
    right: list[Para] = []
    for para in paragraphs:
        before, after = _split_at_tabs(para)
        if before is not None:
            left.append(before)
        if after is not None:
            right.append(after)
    return [left, right]


def _split_at_tabs(para: Para) -> tuple[Para | None, Para | None]:
    """Split one paragraph at its first run of tabs (leading tabs put everything on the right)."""
    plain = para.marker + "".join(s.text for s in para.segments)
    stripped = plain.lstrip(" ")
    if stripped.startswith("\t"):
        return None, Para(_strip_segments(para.segments, "\t "))
    if "\t" not in plain:
        return para, None
    left, right, seen_tab = [], [], False
    for segment in para.segments:
        if seen_tab:
            right.append(segment)
            continue
        if "\t" in segment.text:
            head, _, tail = segment.text.partition("\t")
            left.append(Segment(head, segment.bold, segment.italic))
            right.append(Segment(tail.lstrip("\t "), segment.bold, segment.italic))
            seen_tab = True
        else:
            left.append(segment)
    right_para = Para(_strip_segments(right, "\t "))
    return Para(left, marker=para.marker), (None if right_para.is_blank else right_para)


def _strip_segments(segments: list[Segment], chars: str) -> list[Segment]:
    out = [Segment(s.text, s.bold, s.italic) for s in segments]
    while out and not out[0].text.strip(chars):
        out.pop(0)
    if out:
        out[0].text = out[0].text.lstrip(chars)
    return out


def _header_blocks(columns: list[list[Para]]) -> list[str]:
    """Issuer, motto, number, date, subject: the order the reader expects, whatever the table layout."""
    issuer: list[Para] = []
    motto: list[Para] = []
    number: list[Para] = []
    date: list[Para] = []
    subject: list[Para] = []
    other: list[Para] = []
    for column in columns:
        state = "issuer"
        for para in column:
            text = para.plain.strip()
            if para.is_blank or _DECORATION.match(text):
                continue
            if _is_motto(para):
                motto.append(para)
                state = "motto" if not _is_motto_end(para) else "after"
            elif state == "motto":
                motto.append(para)  # "Độc lập - Tự do - Hạnh phúc"
                state = "after"
            elif re.match(r"[*_\s]*Số\b", text):
                number.append(para)
                state = "subject"
            elif _is_date_line(text):
                date.append(para)
                state = "after"
            elif text.upper().strip("*_ ") in _URGENCY:
                other.append(para)
            elif re.match(r"[*_]*V/v\b", text):
                subject.append(para)
                state = "subject"
            else:
                {"issuer": issuer, "subject": subject}.get(state, other).append(para)
    blocks = [_group(issuer), _group(motto)]
    blocks += [_clean(p.markdown()) for p in number + date]
    blocks.append(_group(subject))
    blocks += [_clean(p.markdown()) for p in other]
    return [b for b in blocks if b.strip()]


def _is_motto(para: Para) -> bool:
    text = para.plain.upper()
    return "CỘNG HÒA XÃ HỘI" in text or "CỘNG HOÀ XÃ HỘI" in text or "ĐẢNG CỘNG SẢN" in text


def _is_motto_end(para: Para) -> bool:
    text = para.plain.upper()
    return "HẠNH PHÚC" in text or "ĐẢNG CỘNG SẢN" in text


def _is_date_line(text: str) -> bool:
    return bool(re.search(r",\s*ngày\b.*\btháng\b.*\bnăm\s+\d{4}", text.replace("*", "").replace("_", " ")))


def _signature_blocks(columns: list[list[Para]]) -> list[str]:
    """Distribution list (the column with "Nơi nhận") first, then the signature column."""
    columns = [column for column in columns if any(not p.is_blank for p in column)]
    distribution = [c for c in columns if any(_is_distribution_start(p) for p in c)]
    others = [c for c in columns if not any(_is_distribution_start(p) for p in c)]
    blocks: list[str] = []
    for column in distribution:
        items = [p for p in column if not p.is_blank]
        blocks.append(_clean(items[0].markdown()))
        blocks += [_clean(p.markdown()) for p in items[1:]]
    for column in others:
        groups: list[list[Para]] = [[]]
        for para in column:
            if para.is_blank:
                if groups[-1]:
                    groups.append([])
            else:
                groups[-1].append(para)
        groups = [g for g in groups if g]
        if len(groups) == 1 and len(groups[0]) > 1:
            groups = [groups[0][:-1], groups[0][-1:]]  # no blank lines: the last line is the name
        blocks += [_group(g) for g in groups]
    return blocks


def _is_recipients(grid: Grid) -> bool:
    first = next((p for p in grid.paragraphs() if not p.is_blank), None)
    return first is not None and bool(re.match(r"[*_\s]*Kính\s+gửi\b", first.plain))


def _recipient_blocks(paragraphs: list[Para]) -> list[str]:
    """ "Kính gửi:" laid out in two columns: one recipient on the same line, several as a list."""
    lines = [p for p in paragraphs if not p.is_blank]
    head, items = _clean(lines[0].markdown()), [_clean(p.markdown()) for p in lines[1:]]
    if len(items) == 1 and not re.match(r"[-+•]\s", items[0]):
        return [f"{head} {items[0]}"]
    return [head, *[item if re.match(r"[-+]\s", item) else f"- {item.lstrip('• ')}" for item in items]]


def _table_blocks(grid: Grid) -> list[str]:
    """Any other table: a Markdown table when it is a grid of short cells, else its paragraphs in order."""
    rows = [[" ".join(p.markdown() for p in cell if not p.is_blank) for cell in row] for row in grid.rows]
    width = max((len(row) for row in rows), default=0)
    simple = (
        len(rows) >= 2
        and width >= 2
        and all(len([p for p in cell if not p.is_blank]) <= 1 for row in grid.rows for cell in row)
    )
    if simple:
        cells = [
            [c.replace("|", "\\|").replace("\n", " ").strip() for c in row + [""] * (width - len(row))]
            for row in rows
        ]
        lines = ["| " + " | ".join(cells[0]) + " |", "|" + "---|" * width]
        lines += ["| " + " | ".join(row) + " |" for row in cells[1:]]
        return ["\n".join(lines)]
    blocks: list[str] = []
    _flush([p for p in grid.paragraphs()], blocks)
    return blocks


def _group(paragraphs: list[Para]) -> str:
    """Lines that form one component (issuer, motto, signature): one bold block when all bold."""
    paragraphs = [p for p in paragraphs if not p.is_blank]
    if not paragraphs:
        return ""
    if all(p.all("bold") for p in paragraphs):
        inner = "\n".join(_clean(p.markdown(drop_bold=True)) for p in paragraphs)
        return f"**{inner}**"
    return "\n".join(_clean(p.markdown()) for p in paragraphs)


def _clean(text: str) -> str:
    """Tabs and runs of spaces as one space, line breaks kept, no trailing spaces."""
    lines = [re.sub(r"[ \t\u00a0]+", " ", line).strip() for line in text.split("\n")]
    return "\n".join(line for line in lines if line)


def _tighten(blocks: list[str]) -> str:
    """Blocks separated by blank lines; the items under "Kính gửi:" and "Nơi nhận:" as tight lists."""
    out: list[str] = []
    intro = in_list = False
    for block in blocks:
        if not block.strip():
            continue
        is_item = bool(re.match(r"[-+] ", block)) and "\n" not in block
        if is_item and in_list:
            out[-1] += "\n" + block
            continue
        in_list = is_item and intro
        intro = bool(re.fullmatch(r"(Kính\s+gửi|Nơi\s+nhận)\s*:", re.sub(r"[*_]", "", block).strip()))
        out.append(block)
    return "\n\n".join(out) + "\n"


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
