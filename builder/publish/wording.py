"""How a letter reads on the page and where it lives: its dates, number and labels in words,
the URL of its page and of its committed and signed originals (site-relative, no leading slash).
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path, PurePosixPath
from urllib.parse import quote

from slugify import slugify

from builder.letters.letter import Letter

# --- how dates and numbers read on the page ------------------------------------------------


def number_text(letter: Letter) -> str:
    """ "2642/UBND-VX", or "…/UBND-TH (chưa ghi số)" for a draft whose number is blank."""
    if letter.so_ky_hieu:
        return letter.so_ky_hieu
    return f"…/{letter.ky_hieu} (chưa ghi số)"


def unissued_label(letter: Letter) -> str | None:
    """ "Bản chưa ghi số", "Bản chưa ghi ngày", "Bản chưa ghi số và ngày"; None for an issued letter."""
    missing = [
        part for part, blank in (("số", letter.so is None), ("ngày", len(letter.ngay_ban_hanh) < 10)) if blank
    ]
    return f"Bản chưa ghi {' và '.join(missing)}" if missing else None


def unissued_note(letter: Letter) -> str | None:
    """The one line a reader sees wherever an unnumbered or undated letter appears."""
    missing = [
        part for part, blank in (("số", letter.so is None), ("ngày", len(letter.ngay_ban_hanh) < 10)) if blank
    ]
    if not missing:
        return None
    parts = " và ".join(missing)
    return (
        f"Bản chưa ghi {parts}: văn bản được đăng từ bản trước khi ghi {parts} (bản dự thảo hoặc bản lưu),"
        f" nên chưa có {parts} chính thức."
    )


def letter_heading(letter: Letter) -> str:
    """Type and number, the way portals name a document: "Công văn 2642/UBND-VX"."""
    return f"{letter.loai_van_ban} {number_text(letter)}"


def letter_url(letter: Letter) -> str:
    """The letter's page; never changes once published (the id comes from the file path)."""
    return f"van-ban/{letter.id}/"


def original_name(letter: Letter) -> str:
    """File name of the committed original, as committed."""
    return PurePosixPath(letter.tep_goc).name


@dataclass(frozen=True, slots=True)
class SignedOriginal:
    """The signed original committed beside a letter (``archive.content_files``), as its page offers it."""

    source: Path
    """The committed file, copied byte for byte."""
    url: str
    """Site-relative URL, in the letter's folder."""
    name: str
    """Readable file name from the type, number and symbol ("cong-van-2642-ubnd-vx-2021-ban-goc.pdf")."""
    media_type: str
    size: int

    @property
    def kind(self) -> str:
        return (
            "PDF" if self.media_type == "application/pdf" else f"ảnh {self.media_type.split('/')[1].upper()}"
        )

    @property
    def size_text(self) -> str:
        """ "1,2 MB", "340 KB": the size a reader on a phone network wants to know first."""
        if self.size >= 1024 * 1024:
            return f"{self.size / 1048576:.1f} MB".replace(".", ",")
        return f"{max(1, round(self.size / 1024))} KB"


def signed_original_name(letter: Letter, suffix: str) -> str:
    """A file name that says what the download is, ASCII so every phone keeps it."""
    number = letter.so_ky_hieu or f"chua-co-so {letter.ky_hieu}"
    return f"{slugify(f'{letter.loai_van_ban} {number} {letter.nam}')}-ban-goc{suffix.lower()}"


def signed_originals(archive: object, letters: Iterable[Letter]) -> dict[str, SignedOriginal]:
    """Letter id -> its signed original, for the published (not withdrawn) letters that have one."""
    found = getattr(archive, "originals", None) or {}
    out: dict[str, SignedOriginal] = {}
    for letter in letters:
        original = found.get(letter.tep_goc)
        if original is None or not letter.is_listed:
            continue
        name = signed_original_name(letter, original.suffix)
        out[letter.id] = SignedOriginal(
            original.path, f"{letter_url(letter)}{name}", name, original.media_type, original.size
        )
    return out


def original_url(letter: Letter) -> str:
    """Where the committed file is served, next to the letter's page."""
    return f"{letter_url(letter)}{quote(original_name(letter))}"


@dataclass(frozen=True, slots=True)
class Utf8Copy:
    """A UTF-8 copy of a committed file whose bytes are in another encoding, served beside it."""

    name: str
    url: str
    encoding: str
    """The committed file's encoding as staff know it ("TCVN3 (ABC, phông .VnTime)")."""


ENCODING_LABELS = {
    "cp1258": "Windows-1258 (CP1258)",
    "VISCII": "VISCII",
    "utf-16-le": "UTF-16",
    "utf-16-be": "UTF-16",
    "utf-32-le": "UTF-32",
    "utf-32-be": "UTF-32",
    "utf-8": "UTF-8",
    "utf-8-sig": "UTF-8",
}


def encoding_label(encoding: str) -> str:
    """How a page names the committed file's encoding: "utf-16-le+TCVN3" → "UTF-16, chữ TCVN3 (…)"."""
    from builder.text.legacy_encodings import ENCODING_NAMES

    outer, _, inner = encoding.partition("+")
    name = ENCODING_LABELS.get(outer) or ENCODING_NAMES.get(outer, outer)
    return f"{name}, chữ {ENCODING_NAMES.get(inner, inner)}" if inner else name


def utf8_copy(letter: Letter) -> Utf8Copy | None:
    """The UTF-8 copy a letter committed in another encoding gets (``Letter.ma_hoa_goc``)."""
    if not letter.ma_hoa_goc:
        return None
    name = f"{PurePosixPath(original_name(letter)).stem}.utf-8.txt"
    return Utf8Copy(name, f"{letter_url(letter)}{quote(name)}", encoding_label(letter.ma_hoa_goc))


_NUMBERED = re.compile(r"^( {0,3})(\d+)([.)])(?=\s)", re.MULTILINE)


def body_markdown(body: str) -> str:
    """The letter body as Markdown to render, numbered sections kept as printed paragraphs.

    Markdown makes "5. Giao …" an ordered list whose number is a list marker, not
    text (Python-Markdown even renumbered it and merged a following "- " list
    into it: section "5." then its items came out as "6.", "7.", …). A letter's
    numbers are part of its text, so "5. Giao …" is escaped to stay a paragraph
    reading "5. Giao …", as on paper; "- " items stay lists.
    """
    return _NUMBERED.sub(r"\1\2\\\3", body)


def newest_first(letters: Iterable[Letter]) -> list[Letter]:
    """Newest first; ties broken by number then id so the order never depends on file order."""
    return sorted(letters, key=lambda x: (x.ngay_ban_hanh, x.so or 0, x.id), reverse=True)
