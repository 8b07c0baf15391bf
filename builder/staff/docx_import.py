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
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from docx import Document
from docx.opc.constants import CONTENT_TYPE as CT
from docx.oxml import parse_xml
from lxml import etree
from slugify import slugify

from builder.letters.letter import Diagnostic, LetterError
from builder.staff.docx_layout import _arrange
from builder.staff.docx_reader import _diagnostic, _refuse, _WordReader
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
