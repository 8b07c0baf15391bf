"""The letter: one typed object that every stage after parsing reads.

Field names are the front-matter keys of the normalized Markdown and of the
open data (Vietnamese, as the metadata standard NĐ 30/2020 names them), so
that a reader of ``data/van-ban.json`` and a reader of this file see the same
words. Strings are as printed (NFC); ``co_quan_ban_hanh`` is the registry's
canonical name.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum


@dataclass(slots=True, frozen=True)
class CitedDocument:
    """A document the letter refers to ("Thông báo số 114/TB-UBND ngày 24/9/2021 ...")."""

    loai_van_ban: str | None
    """Type as a title-case name ("Thông báo"), None when the text gives none."""
    so_ky_hieu: str
    """Number and symbol with canonical letters ("1102/CĐ-TTg" even if printed CD)."""
    ngay_ban_hanh: str | None
    """ISO date (or year-month / year) when the citation gives one."""
    co_quan_ban_hanh: str | None
    """Issuer as written in the citation ("UBND tỉnh Lai Châu"), when given."""


@dataclass(slots=True, frozen=True)
class Withdrawal:
    """Set in front matter when a letter published by mistake is withdrawn.

    The page stays (links never break) and says when and why; the letter
    leaves lists, feeds, open data lists and search.
    """

    ngay: str
    """ISO date of the withdrawal."""
    ly_do: str
    """Why, in Vietnamese, shown to readers."""


@dataclass(slots=True, frozen=True)
class Correction:
    """A correction note (đính chính): the letter keeps its URL and says what changed."""

    ngay: str
    noi_dung: str


@dataclass(slots=True)
class Letter:
    """One committed letter, parsed, repaired and validated."""

    id: str
    """Stable slug from the file path (never from parsed fields, so links survive corrections)."""
    tep_goc: str
    """The committed file, as a POSIX path relative to ``content/``."""
    loai_van_ban: str
    """Type in title case: "Công văn", "Quyết định", "Thông báo", ..."""
    so: int | None
    """The number; None for a draft whose number is still blank."""
    ky_hieu: str
    """The symbol after the slash, canonical dashes and no spaces ("UBND-VP")."""
    so_ky_hieu: str | None
    """"2642/UBND-VX"; None without a number."""
    co_quan_chu_quan: str | None
    """Parent body printed above the issuer ("UBND TỈNH LAI CHÂU"), if any."""
    co_quan_ban_hanh: str
    """Issuer, canonical name from the registry ("Ủy ban nhân dân huyện Mường Tè")."""
    dia_danh: str | None
    """Place of the date line, as printed ("Mường Tè")."""
    ngay_ban_hanh: str
    """ISO date: "2021-08-26", or "2021-09" when the day is blank, "2021" when the month is too."""
    trich_yeu: str
    """Subject without "V/v", its lines joined with single spaces."""
    do_khan: str | None = None
    """None, "Khẩn", "Thượng khẩn" or "Hỏa tốc"."""
    kinh_gui: list[str] = field(default_factory=list)
    """Recipients, one per list item, without the trailing ";" or "."."""
    noi_nhan: list[str] = field(default_factory=list)
    """Distribution list ("Như trên", "Lưu: VT, VX1"), without trailing punctuation."""
    tham_quyen_ky: list[str] = field(default_factory=list)
    """Signing authority lines, top to bottom ("TM. ỦY BAN NHÂN DÂN", "KT. CHỦ TỊCH")."""
    chuc_vu_nguoi_ky: str | None = None
    """Signer's title in title case ("Phó Chủ tịch")."""
    nguoi_ky: str | None = None
    """Signer's name as printed."""
    van_ban_dan_chieu: list[CitedDocument] = field(default_factory=list)
    """Every cited document, in order of first mention, each once."""
    thu_hoi: Withdrawal | None = None
    """Set when the letter was withdrawn."""
    dinh_chinh: list[Correction] = field(default_factory=list)
    """Correction notes, oldest first."""
    ngay_hieu_luc: str | None = None
    """ISO date the letter takes effect (front matter, or read by ``builder.letters.legal_effect``)."""
    het_hieu_luc: str | None = None
    """ISO date from which the letter is no longer in force, when one is set or stated."""
    thay_the: list[str] = field(default_factory=list)
    """Numbers and symbols of the documents this letter replaces ("15/2019/QĐ-UBND")."""
    sua_doi: list[str] = field(default_factory=list)
    """Numbers and symbols of the documents this letter amends."""
    bai_bo: list[str] = field(default_factory=list)
    """Numbers and symbols of the documents this letter repeals."""
    linh_vuc: list[str] = field(default_factory=list)
    """Fields (lĩnh vực) from the registry ``content/linh-vuc.yml``, by their registry name."""
    noi_dung: str = ""
    """The body as clean Markdown: sections, items, paragraphs (no header, signature or distribution)."""
    ma_hoa_goc: str = ""
    """How the committed file's bytes were read when they are not plain UTF-8 (``DecodedText.encoding``:
    "TCVN3", "VNI", "VISCII", "cp1258", "utf-16-le", "utf-8+TCVN3" …); "" for UTF-8. Its page then
    offers a UTF-8 copy beside the file as committed, which opens as garbage in a browser."""
    source_lines: dict[str, int] = field(default_factory=dict, compare=False, repr=False)
    """1-based line in the committed file where each field was read, for messages."""

    @property
    def is_draft(self) -> bool:
        """A draft has no number or no day yet."""
        return self.so is None or len(self.ngay_ban_hanh) < 10

    @property
    def is_listed(self) -> bool:
        """Withdrawn letters keep their page but leave lists, feeds, open data lists and search."""
        return self.thu_hoi is None

    @property
    def nam(self) -> int:
        """Year of issue."""
        return int(self.ngay_ban_hanh[:4])


FRONT_MATTER_KEYS: tuple[str, ...] = (
    "id",
    "loai_van_ban",
    "so",
    "ky_hieu",
    "so_ky_hieu",
    "co_quan_chu_quan",
    "co_quan_ban_hanh",
    "dia_danh",
    "ngay_ban_hanh",
    "trich_yeu",
    "do_khan",
    "kinh_gui",
    "noi_nhan",
    "tham_quyen_ky",
    "chuc_vu_nguoi_ky",
    "nguoi_ky",
    "van_ban_dan_chieu",
    "tep_goc",
    "thu_hoi",
    "dinh_chinh",
    "ngay_hieu_luc",
    "het_hieu_luc",
    "thay_the",
    "sua_doi",
    "bai_bo",
    "linh_vuc",
)
"""Front-matter keys in the order they are written; open data uses the same."""


class Severity(StrEnum):
    """How bad a problem is; the value is the word staff read."""

    ERROR = "lỗi"
    WARNING = "cảnh báo"


@dataclass(slots=True, frozen=True)
class Diagnostic:
    """One problem with one file, told in Vietnamese to the staff who committed it."""

    path: str
    """File as the user named it (relative to the repository root when possible)."""
    line: int
    """1-based line; 1 when the problem is the whole file."""
    severity: Severity
    message: str
    """What is wrong."""
    fix: str
    """How to fix it."""

    def __str__(self) -> str:
        """One line, whatever the file's name or text holds (a newline could forge another)."""
        text = f"{self.path}:{self.line}: {self.severity.value}: {self.message} — {self.fix}"
        return "".join(ch if ch.isprintable() else f"\\u{ord(ch):04x}" for ch in text)

    def github_annotation(self) -> str:
        """The same problem as a GitHub Actions workflow command, shown on the line. The file
        name is a property: its ',' and ':' are escaped too, so it cannot add another."""
        kind = "error" if self.severity is Severity.ERROR else "warning"
        text = _escape_command(f"{self.message} — {self.fix}")
        path = _escape_command(self.path).replace(":", "%3A").replace(",", "%2C")
        return f"::{kind} file={path},line={self.line}::{text}"


def _escape_command(text: str) -> str:
    """GitHub's escaping of a workflow command's data (other control characters dropped)."""
    text = text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")
    return "".join(ch for ch in text if ch.isprintable())


class LetterError(Exception):
    """Raised when a build must stop; carries every diagnostic that caused it."""

    def __init__(self, diagnostics: list[Diagnostic]):
        self.diagnostics = diagnostics
        super().__init__("\n".join(str(d) for d in diagnostics))
