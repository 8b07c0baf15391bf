"""A new letter from the standard template, for staff who do not want to type the layout.

``vanban new`` collects the components of a letter (NĐ 30/2020, Phụ lục I) and
writes them in the layout the committed letters use (the seeds in ``content/``):
bold issuer block, bold national motto, ``Số:``, the place and date line, the
subject (``V/v ...`` for a công văn, the type name in capitals otherwise),
``Kính gửi``, the body, ``Nơi nhận`` and the signature. Drafts are normal: the
number and the day may be left blank and added once the letter is signed.

The file is then read back with the real reader (``builder.letters.parsing``); any field
the text alone does not yield exactly as entered is written to the YAML front
matter, so the published metadata is what staff typed.
"""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path

import yaml
from slugify import slugify

from builder.letters.checks import TEMPLATE_PLACEHOLDER
from builder.letters.letter import Diagnostic, LetterError, Severity
from builder.letters.lines import is_authority
from builder.letters.parsing import parse_letter
from builder.letters.registry import ADMIN_UNITS, MatchKind, load_registry
from builder.text.dates import date_words
from builder.text.vietnamese import canonical_key, published

BODY_PLACEHOLDER = TEMPLATE_PLACEHOLDER
"""Body written when no body file is given: easy to find, and an error in ``vanban check`` until replaced."""

MOTTO = ("CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", "Độc lập - Tự do - Hạnh phúc")

DEFAULT_NOI_NHAN = ("Như trên", "Lưu: VT")

TYPE_ABBREVIATIONS: dict[str, str | None] = {
    "Công văn": None,
    "Nghị quyết": "NQ",
    "Quyết định": "QĐ",
    "Chỉ thị": "CT",
    "Quy chế": "QC",
    "Quy định": "QyĐ",
    "Thông cáo": "TC",
    "Thông báo": "TB",
    "Hướng dẫn": "HD",
    "Chương trình": "CTr",
    "Kế hoạch": "KH",
    "Phương án": "PA",
    "Đề án": "ĐA",
    "Dự án": "DA",
    "Báo cáo": "BC",
    "Biên bản": "BB",
    "Tờ trình": "TTr",
    "Hợp đồng": "HĐ",
    "Công điện": "CĐ",
    "Giấy mời": "GM",
    "Giấy giới thiệu": "GGT",
    "Giấy ủy quyền": "GUQ",
    "Giấy nghỉ phép": "GNP",
}
"""Document types of NĐ 30/2020 Phụ lục III and their abbreviation (công văn has none)."""

URGENCIES = ("Khẩn", "Thượng khẩn", "Hỏa tốc")

ADDRESSED_TYPES = ("Công văn", "Tờ trình", "Công điện", "Giấy mời", "Giấy giới thiệu")
"""Types written to someone ("Kính gửi"); a Thông báo, Quyết định, Kế hoạch … may have none."""


def number_in_use(content_dir: Path, issuer: str, number: int | None, year: int) -> str | None:
    """The archive file that already has ``number`` from ``issuer`` in ``year``, if any
    (an issuer never gives one number twice in a year): told at once, not after the letter is written."""
    if number is None:
        return None
    from builder.archive.read import read_archive

    registered = registered_issuer(content_dir, issuer)
    name = canonical_key(registered[0] if registered else issuer)
    for letter in read_archive(content_dir).letters:
        if letter.so == number and letter.nam == year and canonical_key(letter.co_quan_ban_hanh) == name:
            return letter.tep_goc
    return None


@dataclass(slots=True)
class NewLetter:
    """What staff enter for a new letter; strings as they should be printed."""

    co_quan_ban_hanh: str
    """Issuer as printed, in any case ("Ủy ban nhân dân huyện Mường Tè"); "|" forces a line break."""
    ky_hieu: str
    """Symbol after the slash ("UBND-VP" for a công văn, "TB-UBND" for a thông báo)."""
    dia_danh: str
    """Place of the date line ("Mường Tè"); empty to take the registry's place of the issuer."""
    ngay_ban_hanh: str
    """ISO date, "2021-09" with the day still blank, or "2021" with the month blank too."""
    trich_yeu: str
    """Subject, without "V/v"."""
    kinh_gui: list[str]
    """Recipients, without trailing punctuation."""
    chuc_vu_nguoi_ky: str
    """Signer's title ("Phó Chủ tịch")."""
    nguoi_ky: str
    """Signer's name."""
    loai_van_ban: str = "Công văn"
    so: int | None = None
    """None while the number is not yet assigned (a draft)."""
    co_quan_chu_quan: str | None = None
    """Parent body printed above the issuer, if any ("UBND tỉnh Lai Châu")."""
    tham_quyen_ky: list[str] = field(default_factory=list)
    """Signing authority lines above the title ("TM. ỦY BAN NHÂN DÂN", "KT. CHỦ TỊCH")."""
    noi_nhan: list[str] = field(default_factory=lambda: list(DEFAULT_NOI_NHAN))
    do_khan: str | None = None
    noi_dung: str = BODY_PLACEHOLDER
    """Body as Markdown: numbered sections, "- " items, paragraphs separated by blank lines."""


def parse_date(text: str) -> str:
    """An ISO (possibly partial) date from what staff type.

    Accepts the forms letters and people write: 26/8/2021, 26/08/21, 26-8-2021,
    "ngày 26/9/2025", "26 tháng 9 năm 2025", "ngày 26 tháng 9 năm 2025",
    8/2021 or "tháng 8 năm 2021" (day not yet), 2021-08-26, 2021.
    Raises ValueError with a Vietnamese message when it is not a real date.
    """
    value = " ".join(text.strip().lower().split())
    value = re.sub(r"^ngày\s*", "", value)
    value = re.sub(
        r"^(?:(\d{1,2})\s+)?tháng\s+(\d{1,2})\s+năm\s+(\d{2,4})$",
        lambda m: "/".join(x for x in m.groups() if x),
        value,
    )
    value = re.sub(r"^(\d{1,2})([/.-])(\d{1,2})\2(\d{2})$", r"\1/\3/20\4", value)  # 26/09/25
    parts: list[str]
    if re.fullmatch(r"\d{4}(-\d{1,2}){0,2}", value):
        parts = value.split("-")
    elif re.fullmatch(r"(\d{1,2}[/.-]){0,2}\d{4}", value):
        parts = list(reversed(re.split(r"[/.-]", value)))
    else:
        raise ValueError(
            f"Ngày không hợp lệ: {text!r} — viết như 26/8/2021, 26 tháng 8 năm 2021,"
            " 8/2021 (chưa có ngày) hoặc 2021-08-26"
        )
    year, month, day = (int(p) for p in [*parts, "0", "0"][:3])
    try:
        dt.date(year, month or 1, day or 1)
    except ValueError:
        raise ValueError(f"Ngày không có thật: {text!r}") from None
    if year < 1945:
        raise ValueError(f"Năm {year} không hợp lý cho một văn bản: {text!r}")
    return "-".join([f"{year:04d}", *([f"{month:02d}"] if month else []), *([f"{day:02d}"] if day else [])])


def parse_number(text: str | int | None) -> int | None:
    """The letter number, or None when left blank (assigned after signing)."""
    if text is None or (isinstance(text, str) and not text.strip()):
        return None
    number = int(text)
    if number <= 0:
        raise ValueError("Số văn bản phải là số nguyên dương, hoặc để trống khi chưa cấp số")
    return number


def split_list(text: str) -> list[str]:
    """Items typed on one line, separated by ";" (the way letters print them)."""
    return [item.strip(" \t-–;.") for item in re.split(r"[;\n]", text) if item.strip(" \t-–;.")]


def issuer_lines(name: str) -> list[str]:
    """The issuer block in capitals, broken before the place as letters print it.

    "Ủy ban nhân dân huyện Mường Tè" gives "ỦY BAN NHÂN DÂN" / "HUYỆN MƯỜNG TÈ";
    an explicit "|" (or newline) in ``name`` decides the breaks instead.
    """
    name = published(" ".join(name.replace("\n", "|").split()))
    if "|" in name:
        parts = [part.strip() for part in name.split("|")]
    else:
        lower = name.lower()
        cut = -1
        for level in ADMIN_UNITS:
            for match in re.finditer(rf"(?<=\s){re.escape(level)}(?=\s)", lower):
                cut = max(cut, match.start())
        parts = [name[:cut].strip(), name[cut:].strip()] if cut > 0 else [name]
    return [part.upper() for part in parts if part]


def render(letter: NewLetter) -> str:
    """The letter's text in the standard layout (no front matter)."""
    blocks: list[str] = []
    header = ([letter.co_quan_chu_quan.upper()] if letter.co_quan_chu_quan else []) + issuer_lines(
        letter.co_quan_ban_hanh
    )
    blocks.append(_bold(header))
    blocks.append(_bold(list(MOTTO)))
    blocks.append(f"Số: {letter.so if letter.so is not None else ''}/{letter.ky_hieu}")
    blocks.append(f"{letter.dia_danh}, {date_words(letter.ngay_ban_hanh, blank='')}")
    if letter.loai_van_ban == "Công văn":
        blocks.append(f"V/v {letter.trich_yeu}")
    else:
        blocks.append(_bold([letter.loai_van_ban.upper()]))
        blocks.append(_bold([letter.trich_yeu]))
    if letter.do_khan:
        blocks.append(letter.do_khan.upper())
    if len(letter.kinh_gui) == 1:
        blocks.append(f"Kính gửi: {letter.kinh_gui[0]}.")
    elif letter.kinh_gui:
        blocks.append("Kính gửi:")
        blocks.append(_items(letter.kinh_gui))
    blocks.append(letter.noi_dung.strip())
    blocks.append("Nơi nhận:")
    blocks.append(_items(letter.noi_nhan))
    blocks.append(_bold([*letter.tham_quyen_ky, letter.chuc_vu_nguoi_ky.upper()]))
    blocks.append(letter.nguoi_ky)
    return published("\n\n".join(blocks) + "\n")


def suggested_name(letter: NewLetter) -> str:
    """File name (without .txt): number and symbol when known, else symbol and subject.

    The id comes from the path and never changes, so a draft keeps the name it
    was given when its number is added later.
    """
    if letter.so is not None:
        stem = f"{letter.so}-{letter.ky_hieu}"
    else:
        stem = f"{letter.ky_hieu} {letter.trich_yeu}"
    return slugify(stem.replace("đ", "d").replace("Đ", "D"), max_length=60, word_boundary=True)


def letter_path(content_dir: Path, letter: NewLetter, name: str | None = None) -> Path:
    """``content/<year>/<name>.txt``."""
    stem = slugify(name.removesuffix(".txt")) if name else suggested_name(letter)
    return content_dir / letter.ngay_ban_hanh[:4] / f"{stem}.txt"


def front_matter_needed(letter: NewLetter, text: str, path: str) -> dict[str, object]:
    """Fields the reader would not take from ``text`` exactly as entered.

    Reads the text with the real reader; where it disagrees with what staff
    entered (or fails to find a field), the entered value goes to front matter.
    """
    parsed = parse_letter(text)
    wanted: dict[str, object] = {
        "loai_van_ban": letter.loai_van_ban,
        "so": letter.so,
        "ky_hieu": letter.ky_hieu,
        "dia_danh": letter.dia_danh,
        "ngay_ban_hanh": letter.ngay_ban_hanh,
        "trich_yeu": letter.trich_yeu,
        "do_khan": letter.do_khan,
        "kinh_gui": letter.kinh_gui,
        "noi_nhan": letter.noi_nhan,
        "tham_quyen_ky": letter.tham_quyen_ky,
        "chuc_vu_nguoi_ky": letter.chuc_vu_nguoi_ky,
        "nguoi_ky": letter.nguoi_ky,
    }
    needed: dict[str, object] = {}
    for key, value in wanted.items():
        got = getattr(parsed, key, None)
        if _same(got, value):
            continue
        needed[key] = value
    return needed


def compose(letter: NewLetter, path: str) -> str:
    """The full file: front matter (only when needed) then the letter text."""
    text = render(letter)
    needed = front_matter_needed(letter, text, path)
    if not needed:
        return text
    front = yaml.safe_dump(needed, allow_unicode=True, sort_keys=False, width=1000)
    return f"---\n{front}---\n\n{text}"


def registered_issuer(content_dir: Path, name: str) -> tuple[str, str | None] | None:
    """The registry's canonical name and place for ``name`` (full name or abbreviation), if registered."""
    registry, _ = load_registry(content_dir)
    found = registry.match(name)
    if found.kind is MatchKind.UNKNOWN or found.body is None:
        return None
    return found.body.ten, found.body.dia_danh


def create_letter(content_dir: Path, letter: NewLetter, name: str | None = None) -> Path:
    """Write a new letter under ``content/<year>/``; never overwrites an existing file.

    A registered issuer is printed under its canonical name (so "UBND huyện
    Mường Tè" prints "ỦY BAN NHÂN DÂN / HUYỆN MƯỜNG TÈ") and gives the place
    of the date line when none was entered.
    """
    registered = registered_issuer(content_dir, letter.co_quan_ban_hanh)
    if registered is not None:
        letter.co_quan_ban_hanh = registered[0]
        letter.dia_danh = letter.dia_danh or registered[1] or ""
    validate(letter)
    target = letter_path(content_dir, letter, name)
    relative = target.relative_to(content_dir).as_posix()
    text = compose(letter, relative)
    target.parent.mkdir(parents=True, exist_ok=True)
    try:
        with target.open("x", encoding="utf-8", newline="\n") as out:
            out.write(text)
    except FileExistsError:
        raise LetterError(
            [
                Diagnostic(
                    str(target),
                    1,
                    Severity.ERROR,
                    "tệp này đã có, không ghi đè",
                    "chọn tên khác bằng --ten-tep, hoặc sửa trực tiếp tệp đã có",
                )
            ]
        ) from None
    return target


def validate(letter: NewLetter) -> None:
    """Refuse what would make a letter that cannot be published; messages in Vietnamese."""
    problems: list[str] = []
    required = {
        "cơ quan ban hành": letter.co_quan_ban_hanh,
        "ký hiệu": letter.ky_hieu,
        "địa danh": letter.dia_danh,
        "trích yếu": letter.trich_yeu,
        "chức vụ người ký": letter.chuc_vu_nguoi_ky,
        "họ tên người ký": letter.nguoi_ky,
    }
    problems += [f"thiếu {label}" for label, value in required.items() if not value.strip()]
    if not letter.kinh_gui and letter.loai_van_ban in ADDRESSED_TYPES:
        problems.append(f"thiếu nơi gửi (Kính gửi): {letter.loai_van_ban.lower()} phải ghi gửi ai")
    if letter.loai_van_ban not in TYPE_ABBREVIATIONS:
        problems.append(
            f"loại văn bản không có: {letter.loai_van_ban!r} (có: {', '.join(TYPE_ABBREVIATIONS)})"
        )
    if letter.do_khan is not None and letter.do_khan not in URGENCIES:
        problems.append(f"độ khẩn không có: {letter.do_khan!r} (có: {', '.join(URGENCIES)})")
    for line in letter.tham_quyen_ky:
        if not is_authority(line):
            problems.append(
                f"dòng thẩm quyền ký {line!r} phải bắt đầu bằng TM., KT., TL., TUQ. hoặc Q. "
                "(chức vụ người ký nhập riêng)"
            )
    if "/" in letter.ky_hieu or " " in letter.ky_hieu.strip():
        problems.append(
            f"ký hiệu {letter.ky_hieu!r} chỉ là phần sau dấu / và không có dấu cách, ví dụ UBND-VP"
        )
    try:
        parse_date(letter.ngay_ban_hanh)
    except ValueError as error:
        problems.append(str(error))
    if problems:
        raise LetterError(
            [
                Diagnostic("vanban new", 1, Severity.ERROR, p, "nhập lại cho đúng rồi chạy lại lệnh")
                for p in problems
            ]
        )


def _bold(lines: list[str]) -> str:
    return "**" + "\n".join(lines) + "**"


def _items(items: list[str]) -> str:
    return "\n".join(f"- {item}{'.' if i == len(items) - 1 else ';'}" for i, item in enumerate(items))


def _same(got: object, wanted: object) -> bool:
    if isinstance(wanted, list):
        return isinstance(got, list) and [canonical_key(str(g)) for g in got] == [
            canonical_key(str(w)) for w in wanted
        ]
    if isinstance(wanted, str) and isinstance(got, str):
        return unicodedata.normalize("NFC", got) == unicodedata.normalize("NFC", wanted)
    return got == wanted
