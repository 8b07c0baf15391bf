"""What each file under ``content/`` is, so that nothing committed there is silently ignored.

A ``.txt`` file is a letter. Besides letters, ``content/`` may hold the
registries (``co-quan-ban-hanh.yml``, ``linh-vuc.yml``), the staff guide
(``HUONG-DAN.md``, never published) and, beside a letter, its signed original:
``215-ubnd-vp.pdf`` (or ``.jpg``/``.jpeg``/``.png`` scans) next to
``215-ubnd-vp.txt``, published byte for byte. Any other file is an error that
names it and says what to do: a Word file is imported with ``vanban import``,
``CV 233.TXT`` or ``thu.md`` is renamed to ``.txt``, an original too large or of
another type is replaced. Hidden files (``.gitkeep``) are left alone.
"""

from __future__ import annotations

import functools
import re
import stat
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from slugify import slugify

from builder.letters.letter import Diagnostic, Severity
from builder.text.limits import MAX_FILE_BYTES, clip

LETTER_SUFFIX = ".txt"
DATA_FILES = frozenset({"co-quan-ban-hanh.yml", "linh-vuc.yml", "HUONG-DAN.md"})
"""Files at the top of ``content/`` that are data or documentation, not letters."""
ORIGINAL_SUFFIXES = {
    ".pdf": "application/pdf",
    ".jpg": "image/jpeg",
    ".jpeg": "image/jpeg",
    ".png": "image/png",
}
"""Signed originals a letter may have beside it, and their media type."""
ORIGINAL_MAX_BYTES = 20 * 1024 * 1024
"""Larger originals are refused: on a phone network a citizen could not download them."""
_MAGIC = {
    ".pdf": (b"%PDF-",),
    ".png": (b"\x89PNG\r\n\x1a\n",),
    ".jpg": (b"\xff\xd8\xff",),
    ".jpeg": (b"\xff\xd8\xff",),
}


@dataclass(frozen=True, slots=True)
class Original:
    """A signed original committed beside a letter."""

    path: Path
    relative: str
    """POSIX path inside ``content/``."""
    size: int

    @property
    def suffix(self) -> str:
        return self.path.suffix.lower()

    @property
    def media_type(self) -> str:
        return ORIGINAL_SUFFIXES[self.suffix]


@dataclass(slots=True)
class ContentFiles:
    """The files of ``content/``, sorted out."""

    letters: list[Path]
    originals: dict[str, Original]
    """Letter's path inside ``content/`` (``2025/215.txt``) -> its signed original."""
    diagnostics: list[Diagnostic]


def survey(content_dir: Path, shown: Callable[[Path], str] = str) -> ContentFiles:
    """Every file under ``content_dir``: letters, originals beside them, and a message for each other file.

    ``shown(path)`` gives a path as messages show it.
    """
    problems: list[Diagnostic] = []
    files = []
    for path in sorted(content_dir.rglob("*")):
        if _hidden(path, content_dir) and not path.name.startswith(LETTER_SUFFIX):  # ".txt": an empty id
            continue
        try:
            refused = _refused(path, content_dir, functools.partial(shown, path))
        except FileNotFoundError:  # removed since listed: an editor's temporary file, a checkout
            continue
        if refused is not None:
            problems.append(refused)
        elif not path.is_dir():
            files.append(path)
    # rglob never enters a linked folder and links are refused above: a file kept is its own
    # path inside content/ (no resolve() per file: ~5 system calls each, 10,000 letters).
    letters = [p for p in files if p.suffix == LETTER_SUFFIX]
    stems = {_relative(p, content_dir)[: -len(LETTER_SUFFIX)] for p in letters}
    originals: dict[str, Original] = {}
    for path in files:
        if path.suffix == LETTER_SUFFIX:
            continue
        relative = _relative(path, content_dir)
        if relative in DATA_FILES:
            continue
        suffix = path.suffix.lower()
        if suffix in ORIGINAL_SUFFIXES:
            try:
                found = _original(path, relative, stems, shown(path))
            except FileNotFoundError:  # removed since listed
                continue
            if isinstance(found, Diagnostic):
                problems.append(found)
            else:
                letter = relative[: -len(path.suffix)] + LETTER_SUFFIX
                if letter in originals:
                    problems.append(_twice(shown(path), originals[letter].relative))
                else:
                    originals[letter] = found
            continue
        try:
            problems.append(_stray(path, shown(path)))
        except FileNotFoundError:  # removed since listed
            continue
    return ContentFiles(letters, originals, problems)


RESERVED_IDS = re.compile(r"^(?:trang-\d+|nam|co-quan|loai|linh-vuc|tim-kiem)$")
"""Letter ids that are generated pages under van-ban/ (a list's later pages, list folders)."""
SAFE_ID = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
MAX_ID = 150


def _refused(path: Path, content_dir: Path, shown: Callable[[], str]) -> Diagnostic | None:
    """Why the build must not read ``path`` (nothing of a link's target is read or told), or None.

    Only regular files and folders inside ``content/`` are read: a link could publish any
    file of the machine that builds, a FIFO would hang the build, a device would never end.
    ``shown()`` gives the path as messages show it (made only for a message).
    """
    relative = path.relative_to(content_dir).as_posix()
    if any(not ch.isprintable() for ch in relative):
        return _error(
            clip(shown(), 200),
            "Tên tệp hoặc thư mục có ký tự điều khiển (xuống dòng, tab…)",
            "Đổi tên, chỉ dùng chữ, số, dấu '-' và '_'",
        )
    info = path.lstat()
    mode = info.st_mode
    if stat.S_ISLNK(mode):
        return _error(
            shown(),
            "Đây là liên kết tượng trưng (symlink): cổng chỉ đọc tệp thật nằm trong content/",
            "Xóa liên kết và chép chính tệp đó vào content/",
        )
    if stat.S_ISDIR(mode):
        return None
    if not stat.S_ISREG(mode):
        return _error(
            shown(), "Đây không phải tệp thường (thiết bị, FIFO hay socket)", "Xóa nó khỏi content/"
        )
    if path.suffix != LETTER_SUFFIX:
        return None
    if (size := info.st_size) > MAX_FILE_BYTES:  # a regular file: lstat is stat
        return _error(
            shown(),
            f"Tệp quá lớn ({size / 1e6:.1f} MB; một văn bản tối đa {MAX_FILE_BYTES / 1e6:.0f} MB)",
            "Kiểm tra lại: có thể đã dán nhầm nội dung; phụ lục lớn đăng thành tệp PDF bản gốc",
        )
    letter_id = slugify(relative[: -len(LETTER_SUFFIX)])
    if not letter_id or not SAFE_ID.match(letter_id) or len(letter_id) > MAX_ID:
        return _error(
            shown(),
            "Tên tệp không cho được mã văn bản (địa chỉ trang)"
            + (f" (mã: {clip(letter_id)})" if letter_id else ""),
            "Đặt tên tệp bằng chữ và số, ví dụ 'cv-2642-ubnd-vx.txt' (tối đa 150 ký tự)",
        )
    if RESERVED_IDS.match(letter_id):
        return _error(
            shown(),
            f"Mã văn bản '{letter_id}' trùng với một trang danh sách do cổng tạo (van-ban/{letter_id}/)",
            "Đổi tên tệp, ví dụ thêm số và ký hiệu: 'cv-2642-ubnd-vx.txt'",
        )
    return None


def _hidden(path: Path, content_dir: Path) -> bool:
    return any(part.startswith(".") for part in path.relative_to(content_dir).parts)


def _relative(path: Path, content_dir: Path) -> str:
    """A surveyed file's POSIX path inside ``content/``."""
    return path.relative_to(content_dir).as_posix()


def _error(shown: str, message: str, fix: str) -> Diagnostic:
    return Diagnostic(shown, 1, Severity.ERROR, message, fix)


def _original(path: Path, relative: str, stems: set[str], shown: str) -> Original | Diagnostic:
    """The original beside a letter, or why it cannot be published."""
    stem = relative[: -len(path.suffix)]
    if stem not in stems:
        return _error(
            shown,
            f"Bản gốc '{path.name}' không có văn bản cùng tên ('{Path(stem).name}.txt') bên cạnh",
            "Đặt tệp bản gốc cạnh tệp .txt của văn bản và đặt cùng tên (chỉ khác phần đuôi), "
            "ví dụ 215-ubnd-vp.txt và 215-ubnd-vp.pdf",
        )
    if not stat.S_ISREG(path.lstat().st_mode):  # a link, a device, a folder
        return _error(
            shown, "Bản gốc không phải tệp thường", "Chép chính tệp bản gốc vào đây, không dùng liên kết"
        )
    size = path.stat().st_size
    if size > ORIGINAL_MAX_BYTES:
        return _error(
            shown,
            f"Bản gốc quá lớn ({size / 1048576:.1f} MB; tối đa {ORIGINAL_MAX_BYTES // 1048576} MB)",
            "Quét lại ở độ phân giải 150–200 dpi, đen trắng hoặc xám, rồi lưu PDF; "
            "hoặc nén tệp PDF trước khi đưa lên",
        )
    with path.open("rb") as handle:
        head = handle.read(16)
    if not head.startswith(_MAGIC[path.suffix.lower()]):
        return _error(
            shown,
            f"Tệp '{path.name}' không phải {path.suffix.lower().lstrip('.').upper()} thật"
            " (nội dung không khớp phần đuôi)",
            "Xuất lại bản gốc từ máy quét hoặc phần mềm ký số dưới dạng PDF (hoặc ảnh JPG, PNG)"
            " rồi đưa lên lại",
        )
    return Original(path, relative, size)


def _twice(shown: str, kept: str) -> Diagnostic:
    return _error(
        shown,
        f"Văn bản đã có một bản gốc ('{Path(kept).name}'); mỗi văn bản chỉ đăng một bản gốc",
        "Giữ một tệp (nên là PDF có chữ ký), xóa tệp còn lại",
    )


_ADVICE = {
    ".docx": (
        "tệp Word",
        "Dùng `vanban import {name}` để chuyển thành tệp .txt, rồi xóa tệp .docx khỏi content/",
    ),
    ".doc": (
        "tệp Word cũ (.doc)",
        "Mở bằng Word, Lưu thành › Tài liệu Word (*.docx), rồi dùng `vanban import`;"
        " xóa tệp .doc khỏi content/",
    ),
    ".md": (
        "tệp Markdown",
        "Đổi tên thành '{stem}.txt' nếu đây là một văn bản; nếu không, chuyển ra khỏi content/",
    ),
    ".odt": ("tệp OpenDocument", "Mở bằng LibreOffice, lưu thành .docx rồi dùng `vanban import`"),
    ".rtf": ("tệp RTF", "Mở bằng Word, lưu thành .docx rồi dùng `vanban import`"),
}


def _stray(path: Path, shown: str) -> Diagnostic:
    """A file that is neither a letter, a registry nor an original: what it is and what to do."""
    suffix = path.suffix.lower()
    if suffix == LETTER_SUFFIX:  # "CV 233.TXT": a letter the build would not see
        return _error(
            shown,
            f"Tệp '{path.name}' có đuôi '{path.suffix}' viết hoa nên không được đọc như một văn bản",
            f"Đổi tên thành '{path.stem}.txt' (đuôi chữ thường)",
        )
    if not stat.S_ISREG(path.lstat().st_mode):
        return _error(shown, "Đây không phải tệp thường", "Xóa nó khỏi content/; văn bản là tệp .txt")
    kind, fix = _ADVICE.get(suffix, (None, None))
    if kind and fix:
        return _error(
            shown,
            f"Đây là {kind}, không phải văn bản .txt: cổng không đăng tệp này",
            fix.format(name=path.name, stem=path.stem),
        )
    return _error(
        shown,
        f"Tệp '{path.name}' không phải văn bản (.txt), sổ đăng ký hay bản gốc cạnh văn bản:"
        " cổng không đăng tệp này",
        "Văn bản là tệp .txt (hoặc dùng `vanban import` với tệp Word); bản gốc có chữ ký là tệp .pdf, .jpg "
        "hoặc .png cùng tên với văn bản; các tệp khác chuyển ra khỏi content/",
    )
