"""Stage 1: the bytes of a committed file become one clean text.

Staff export letters from Word, which writes UTF-8 (with or without BOM),
UTF-16 ("Unicode text"), CRLF line ends, sometimes decomposed (NFD) letters,
and — from old district machines — legacy Vietnamese encodings. Every later
stage reads ``DecodedText.text`` and can rely on: NFC, ``\\n`` line ends, no
BOM, no control characters. Anything that cannot be read *exactly* is refused
with a Vietnamese message saying how to fix the file; mojibake is never let
through, because a published letter cannot be taken back quietly.
"""

from __future__ import annotations

import codecs
import re
import unicodedata
from dataclasses import dataclass

from builder.letters.letter import Diagnostic, LetterError, Severity
from builder.text import legacy_encodings as legacy
from builder.text import legacy_tables, syllables
from builder.text.limits import MARKUP_CHARACTERS, MAX_LINES, MAX_MARKUP
from builder.text.vietnamese import without_hidden

SAVE_AS_UTF8 = "Lưu lại tệp với mã hóa UTF-8 (Word: Tệp › Lưu thành › Văn bản thuần › Unicode UTF-8)"


@dataclass(frozen=True, slots=True)
class DecodedText:
    """A file's text as every later stage reads it."""

    text: str
    """NFC, ``\\n`` line ends, BOM removed."""
    encoding: str
    """How the bytes were read: "utf-8", "utf-8-sig", "utf-16-le", "utf-32-be", "cp1258", "VISCII",
    "TCVN3" or "VNI" (raw bytes), or "<unicode>+<legacy>" for legacy text inside Unicode
    ("utf-16-le+TCVN3", "utf-8+CP1252-mojibake")."""
    notes: tuple[str, ...] = ()
    """Vietnamese warnings about the reading (e.g. "đã chuyển từ CP1258"), for the staff."""
    hidden: tuple[tuple[int, int, int], ...] = ()
    """(line, first code point, count) of each line that had bidi controls or non-characters,
    removed from ``text`` (``vietnamese.HIDDEN``): the staff are told, nothing is silent."""


_BOMS: tuple[tuple[bytes, str], ...] = (
    (codecs.BOM_UTF32_LE, "utf-32-le"),
    (codecs.BOM_UTF32_BE, "utf-32-be"),
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF16_LE, "utf-16-le"),
    (codecs.BOM_UTF16_BE, "utf-16-be"),
)
"""UTF-32 first: its little-endian BOM starts with the UTF-16 one."""

_LINE_BREAKS = re.compile(r"\r\n|[\r\x0b\x0c\x1c\x1d\x1e\x85\u2028\u2029]")
"""Every separator ``str.splitlines`` honours, so ``split("\\n")`` and ``splitlines()`` agree."""
_ANY_BREAK = re.compile(r"\r\n|[\n\r\x0b\x0c\x1c\x1d\x1e\x85\u2028\u2029]")

_CONTROL = re.compile(r"[\x00-\x08\x0e-\x1b\x1f\x7f-\x84\x86-\x9f]")
"""Control characters that have no place in a letter (tab and line breaks excepted)."""

_MAGIC: tuple[tuple[bytes, str, str], ...] = (
    (b"%PDF-", "tệp PDF", "Mở văn bản gốc trong Word và xuất lại dạng văn bản thuần UTF-8"),
    (b"\x89PNG\r\n\x1a\n", "ảnh PNG", "Đây là ảnh, không phải văn bản: hãy đưa tệp văn bản của công văn"),
    (b"\xff\xd8\xff", "ảnh JPEG", "Đây là ảnh, không phải văn bản: hãy đưa tệp văn bản của công văn"),
    (b"GIF87a", "ảnh GIF", "Đây là ảnh, không phải văn bản: hãy đưa tệp văn bản của công văn"),
    (b"GIF89a", "ảnh GIF", "Đây là ảnh, không phải văn bản: hãy đưa tệp văn bản của công văn"),
    (b"II*\x00", "ảnh TIFF", "Đây là ảnh, không phải văn bản: hãy đưa tệp văn bản của công văn"),
    (b"MM\x00*", "ảnh TIFF", "Đây là ảnh, không phải văn bản: hãy đưa tệp văn bản của công văn"),
    (
        b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1",
        "tệp Word cũ (.doc)",
        "Mở bằng Word, lưu thành .docx rồi dùng lệnh `vanban import`, hoặc "
        + SAVE_AS_UTF8[0].lower()
        + SAVE_AS_UTF8[1:],
    ),
    (b"{\\rtf", "tệp RTF", SAVE_AS_UTF8),
    (b"\x1f\x8b", "tệp nén gzip", "Giải nén và đưa tệp văn bản thuần UTF-8"),
    (b"Rar!", "tệp nén RAR", "Giải nén và đưa tệp văn bản thuần UTF-8"),
    (b"7z\xbc\xaf\x27\x1c", "tệp nén 7z", "Giải nén và đưa tệp văn bản thuần UTF-8"),
)
"""Magic bytes of files that get committed as ``.txt`` by mistake."""


def decode(data: bytes, path: str) -> DecodedText:
    """Read a committed letter's bytes, or raise ``LetterError`` saying why they cannot be read.

    ``path`` is only used in the diagnostics.
    """
    if not data:
        raise _refuse(path, 1, "Tệp rỗng, không có nội dung", "Đưa nội dung công văn vào tệp rồi commit lại")
    _refuse_known_binary(data, path)
    for bom, encoding in _BOMS:
        if data.startswith(bom):
            return _repair(_decode_unicode(data[len(bom) :], encoding, path), encoding, path)
    if b"\x00" in data:
        raise _binary(data, path)
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as error:
        return _decode_legacy_bytes(data, path, error)
    return _repair(text, "utf-8", path)


def _decode_unicode(payload: bytes, encoding: str, path: str) -> str:
    """Decode after a BOM; a BOM followed by invalid data is refused with the line."""
    codec = "utf-8" if encoding == "utf-8-sig" else encoding
    try:
        return payload.decode(codec)
    except UnicodeDecodeError as error:
        good = payload[: error.start].decode(codec, errors="replace")
        line = _line_of(good, len(good))
        name = {"utf-8": "UTF-8"}.get(codec, codec.upper())
        raise _refuse(
            path,
            line,
            f"Tệp bắt đầu bằng dấu BOM của {name} nhưng có byte không hợp lệ với {name}",
            SAVE_AS_UTF8,
        ) from None


def _refuse_too_many_lines(text: str, path: str) -> None:
    """Before any reading: the reader's cost grows with the lines (``limits.MAX_LINES``) and with
    the characters Markdown reads as emphasis or links (``limits.MAX_MARKUP``)."""
    markup = sum(text.count(ch) for ch in MARKUP_CHARACTERS)
    if markup > MAX_MARKUP:
        worst = max(MARKUP_CHARACTERS, key=text.count)
        raise _refuse(
            path,
            _line_of(text, text.index(worst * 2) if worst * 2 in text else text.index(worst)),
            f"Tệp có {markup} ký tự '*', '_', '[' hay ']' (nhiều nhất là '{worst}'), "
            f"quá giới hạn {MAX_MARKUP}",
            "Một văn bản chỉ có vài trăm ký tự như vậy: xóa các đường kẻ dài hay ký tự rác bị dán vào",
        )
    lines = max(text.count("\n"), text.count("\r")) + 1
    if lines > MAX_LINES:
        raise _refuse(
            path,
            MAX_LINES + 1,
            f"Tệp có {lines} dòng, quá giới hạn {MAX_LINES} dòng của một văn bản",
            "Kiểm tra lại: có thể đã dán nhầm nội dung hoặc tệp bị hỏng; phụ lục dài đăng thành bản gốc PDF",
        )


def _repair(text: str, encoding: str, path: str) -> DecodedText:
    """Unicode text that may still hold legacy Vietnamese: convert it exactly or refuse it."""
    _refuse_too_many_lines(text, path)
    text = text.removeprefix("\ufeff")
    text, hidden = _without_hidden(text)  # before looking for legacy words: "abc\uffff" is no word
    found = legacy.examine(text)
    if found is None:
        return _finish(text, encoding, path, (), hidden)
    if found.text is not None:
        note = (_converted_note(found.encoding),)
        return _finish(found.text, f"{encoding}+{found.encoding}", path, note, hidden)
    raise _legacy_refusal(path, text, found)


_UNIKEY = (
    "Mở văn bản gốc, chọn toàn bộ và sao chép, dùng Unikey › Công cụ chuyển mã (Ctrl+Shift+F6) "
    "với Nguồn “{source}”, Đích “Unicode”, bấm “Chuyển mã”, dán lại rồi lưu với mã hóa UTF-8"
)
_UNIKEY_SOURCE = {legacy.TCVN3: "TCVN3 (ABC)", legacy.VNI: "VNI Windows"}


def _legacy_refusal(path: str, text: str, found: legacy.LegacyText) -> LetterError:
    """Name the legacy encoding, show the word that gave it away, say how to convert."""
    word = legacy.word_at(text, found.first_word)
    line = _line_of(text, found.first_word)
    if found.encoding == legacy.CP1252_MOJIBAKE:
        return _refuse(
            path,
            line,
            f"Văn bản bị lỗi mã: chữ UTF-8 đã bị mở nhầm bằng bảng mã Windows-1252 rồi lưu lại "
            f"(ví dụ “{word}”), không chuyển lại chính xác được",
            "Lấy lại tệp gốc chưa bị lỗi, hoặc xuất lại từ Word: Tệp › Lưu thành › Văn bản thuần › "
            "Unicode UTF-8",
        )
    if found.encoding == legacy.UNKNOWN:
        return _refuse(
            path,
            line,
            f"Nhiều chữ trong văn bản không đọc được thành tiếng Việt (ví dụ “{word}”): tệp có thể dùng "
            "bảng mã cũ hoặc đã bị lỗi mã",
            "Nếu văn bản gốc dùng phông .VnTime hay VNI-Times, chuyển sang Unicode bằng Unikey › Công cụ "
            "chuyển mã (Ctrl+Shift+F6); sau đó " + SAVE_AS_UTF8[0].lower() + SAVE_AS_UTF8[1:],
        )
    return _refuse(
        path,
        line,
        f"Văn bản dùng bảng mã cũ {legacy.ENCODING_NAMES[found.encoding]}, không phải Unicode "
        f"(ví dụ “{word}”); không chuyển tự động được vì không chứng minh được kết quả đúng "
        "(văn bản lẫn nhiều bảng mã hoặc có chữ không đọc được)",
        _UNIKEY.format(source=_UNIKEY_SOURCE[found.encoding]),
    )


def _converted_note(encoding: str) -> str:
    """The warning staff read after an exact conversion: it worked, but fix the file."""
    name = legacy.ENCODING_NAMES.get(encoding, encoding)
    return (
        f"Đã chuyển chính xác từ bảng mã {name} sang Unicode; nên lưu lại tệp với mã hóa "
        "UTF-8 để lần sau không phải chuyển"
    )


_RAW_NAMES = {"cp1258": "CP1258 (Windows-1258)", "VISCII": "VISCII"}


def _decode_legacy_bytes(data: bytes, path: str, error: UnicodeDecodeError) -> DecodedText:
    """Bytes that are not UTF-8: a legacy Vietnamese encoding read exactly, or a refusal.

    Every candidate encoding decodes the bytes; the one whose text is
    Vietnamese (at least three syllables with marks, 95% of the words with
    marks) wins, if no candidate giving a different text comes close.
    """
    candidates: dict[str, tuple[str, str]] = {}  # text -> (encoding, note)
    try:
        cp1258 = unicodedata.normalize("NFC", data.decode("cp1258"))
        candidates.setdefault(cp1258, ("cp1258", _converted_note_raw("cp1258")))
    except UnicodeDecodeError:
        pass
    candidates.setdefault(
        unicodedata.normalize("NFC", legacy_tables.viscii_decode(data)),
        ("VISCII", _converted_note_raw("VISCII")),
    )
    as_cp1252 = legacy_tables.read_cp1252(data)
    found = legacy.examine(as_cp1252)
    if found is not None and found.text is not None and found.encoding != legacy.CP1252_MOJIBAKE:
        candidates.setdefault(found.text, (found.encoding, _converted_note(found.encoding)))
    ranked = []
    for text, (encoding, note) in candidates.items():
        result = syllables.score(text)
        if result.valid >= 3 and result.ratio >= 0.95 and legacy.examine(text) is None:
            ranked.append((result.ratio, result.valid, encoding, note, text))
    ranked.sort(reverse=True)
    if ranked and (len(ranked) == 1 or ranked[1][0] < ranked[0][0] - 0.2):
        _, _, encoding, note, text = ranked[0]
        return _finish(text, encoding, path, (note,))
    line = data.count(b"\n", 0, error.start) + 1
    if found is not None and found.encoding in (legacy.TCVN3, legacy.VNI):
        raise _legacy_refusal(path, as_cp1252, found)
    raise _refuse(
        path,
        line,
        "Tệp không phải mã UTF-8 (byte "
        f"0x{data[error.start]:02X} không hợp lệ) và không nhận ra chắc chắn được bảng mã tiếng Việt cũ nào "
        "(CP1258, VISCII, TCVN3, VNI)",
        SAVE_AS_UTF8,
    )


def _converted_note_raw(encoding: str) -> str:
    return (
        f"Đã chuyển chính xác từ bảng mã {_RAW_NAMES[encoding]} sang Unicode; nên lưu lại tệp với mã hóa "
        "UTF-8 để lần sau không phải chuyển"
    )


def _finish(
    text: str, encoding: str, path: str, notes: tuple[str, ...], hidden: tuple[tuple[int, int, int], ...] = ()
) -> DecodedText:
    """Line ends, BOM, control characters, NFC, emptiness: the guarantees of ``DecodedText``."""
    text = text.removeprefix("\ufeff")
    text = _LINE_BREAKS.sub("\n", text)
    if "\x00" in text:
        raise _refuse(
            path,
            _line_of(text, text.index("\x00")),
            "Tệp chứa ký tự NUL: đây là tệp nhị phân, không phải văn bản thuần",
            SAVE_AS_UTF8,
        )
    _refuse_too_many_lines(text, path)
    controls = [m.start() for m in _CONTROL.finditer(text)]
    if len(controls) > max(8, len(text) // 100):
        raise _refuse(
            path,
            _line_of(text, controls[0]),
            f"Tệp chứa {len(controls)} ký tự điều khiển không in được (đầu tiên là "
            f"U+{ord(text[controls[0]]):04X}): đây là tệp nhị phân hoặc bị hỏng mã, không phải văn bản thuần",
            SAVE_AS_UTF8,
        )
    if controls:
        raise _refuse(
            path,
            _line_of(text, controls[0]),
            f"Dòng này có ký tự điều khiển không in được (U+{ord(text[controls[0]]):04X})"
            + (f", cả tệp có {len(controls)} ký tự như vậy" if len(controls) > 1 else ""),
            "Xóa ký tự đó (thường lẫn vào khi sao chép từ phần mềm khác) rồi lưu lại tệp",
        )
    text = unicodedata.normalize("NFC", text)
    text, more = _without_hidden(text)
    hidden += more
    if not text.strip():
        raise _refuse(
            path,
            1,
            "Tệp chỉ có khoảng trắng, không có nội dung" if text else "Tệp rỗng, không có nội dung",
            "Đưa nội dung công văn vào tệp rồi commit lại",
        )
    return DecodedText(text=text, encoding=encoding, notes=notes, hidden=hidden)


def _without_hidden(text: str) -> tuple[str, tuple[tuple[int, int, int], ...]]:
    """The text without hidden characters, and per line where some were: (line, first, count)."""
    cleaned, positions = without_hidden(text)
    lines: dict[int, list[int]] = {}
    line, previous = 1, 0
    for position in positions:
        line += text.count("\n", previous, position)
        previous = position
        found = lines.setdefault(line, [ord(text[position]), 0])
        found[1] += 1
    return cleaned, tuple((line, first, count) for line, (first, count) in lines.items())


def _refuse_known_binary(data: bytes, path: str) -> None:
    """Name the kind of file when its first bytes say what it is."""
    if data.startswith(b"PK\x03\x04"):
        if b"word/" in data:
            kind, fix = (
                "tệp Word (.docx)",
                "Dùng lệnh `vanban import TỆP.docx` để chuyển tệp Word thành văn bản",
            )
        elif b"opendocument.text" in data[:200]:
            kind, fix = (
                "tệp OpenDocument (.odt)",
                "Mở bằng Word hoặc LibreOffice, lưu thành .docx rồi dùng lệnh `vanban import`",
            )
        else:
            kind, fix = (
                "tệp nén (ZIP/Office)",
                "Giải nén hoặc mở bằng ứng dụng gốc rồi " + SAVE_AS_UTF8[0].lower() + SAVE_AS_UTF8[1:],
            )
        raise _refuse(path, 1, f"Đây là {kind}, không phải văn bản thuần (.txt)", fix)
    for magic, kind, fix in _MAGIC:
        if data.startswith(magic):
            raise _refuse(path, 1, f"Đây là {kind}, không phải văn bản thuần (.txt)", fix)


def _binary(data: bytes, path: str) -> LetterError:
    """A file with NUL bytes: BOM-less UTF-16 gets its own advice, the rest is binary."""
    nul = data.index(b"\x00")
    line = data.count(b"\n", 0, nul) + 1
    even, odd = data[0::2], data[1::2]
    if len(data) >= 8 and (odd.count(0) > 0.5 * len(odd) or even.count(0) > 0.5 * len(even)):
        return _refuse(
            path,
            1,
            "Tệp có vẻ là UTF-16 nhưng thiếu dấu BOM ở đầu, nên không xác định được thứ tự byte",
            SAVE_AS_UTF8,
        )
    return _refuse(
        path,
        line,
        "Tệp chứa byte NUL: đây là tệp nhị phân, không phải văn bản thuần",
        SAVE_AS_UTF8,
    )


def _line_of(text: str, index: int) -> int:
    """1-based line of ``text[index]``, counting every line separator."""
    return len(_ANY_BREAK.findall(text, 0, index)) + 1


def _refuse(path: str, line: int, message: str, fix: str) -> LetterError:
    return LetterError([Diagnostic(path=path, line=line, severity=Severity.ERROR, message=message, fix=fix)])
