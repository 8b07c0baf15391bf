"""The optional YAML block at the top of a letter that sets or overrides fields.

Numbers and days are assigned after signing, so staff add them here instead
of editing the exported text (``so: 2642``, ``ngay_ban_hanh: 2021-08-26``);
withdrawals and corrections are recorded the same way. Only the safe YAML
loader is used. Every mistake names the key and its line and says how to fix
it; an unknown key comes with the closest known one.
"""

from __future__ import annotations

import datetime as dt
import difflib
import re
from collections.abc import Callable
from dataclasses import dataclass, field

import yaml

from builder.letters.letter import (
    FRONT_MATTER_KEYS,
    CitedDocument,
    Correction,
    Diagnostic,
    Severity,
    Withdrawal,
)
from builder.text.limits import MAX_FRONT_MATTER, clip, yaml_hazard
from builder.text.vietnamese import canonical_key, fold, published

FIXED_KEYS = ("id", "tep_goc")
"""Keys that come from the file path, never from the text (so links survive corrections)."""

URGENCY_LEVELS = ("Khẩn", "Thượng khẩn", "Hỏa tốc")
"""The values ``do_khan`` may take (NĐ 30/2020)."""

_DELIMITER = re.compile(r"^---\s*$")
_CLOSING = re.compile(r"^(---|\.\.\.)\s*$")
_KEY_LINE = re.compile(r"^[^\s:#\-][^:]*:(\s|$)|^#")


class _Loader(yaml.SafeLoader):
    """The safe loader, with dates kept as text so that converters check them and name the key."""


_Loader.add_constructor("tag:yaml.org,2002:timestamp", yaml.SafeLoader.construct_scalar)  # type: ignore[type-var]


class FieldError(ValueError):
    """A front-matter value of the wrong type or format: what is wrong and how to write it."""

    def __init__(self, message: str, fix: str):
        super().__init__(message)
        self.message = message
        self.fix = fix


@dataclass(slots=True)
class FrontMatter:
    """What the front-matter block of one letter says."""

    values: dict[str, object] = field(default_factory=dict)
    """Typed values by ``Letter`` field name; only keys the block sets."""
    lines: dict[str, int] = field(default_factory=dict)
    """1-based line of each key in the file."""
    text: str = ""
    """The letter with the block blanked out (same line count, so line numbers still match)."""
    diagnostics: list[Diagnostic] = field(default_factory=list)
    present: bool = False
    """Whether the file has a block at all."""


def split_front_matter(text: str, path: str, allowed: tuple[str, ...] | None = None) -> FrontMatter:
    """Read the block at the top of ``text`` (if any) into typed values, with diagnostics."""
    allowed = allowed or tuple(k for k in FRONT_MATTER_KEYS if k not in FIXED_KEYS)
    lines = text.split("\n")
    start = next((i for i, line in enumerate(lines) if line.strip()), None)
    if start is None or not _DELIMITER.match(lines[start]) or not _looks_like_keys(lines[start + 1 :]):
        return FrontMatter(text=text)
    end = next((i for i in range(start + 1, len(lines)) if _CLOSING.match(lines[i])), None)
    if end is None:
        problem = _error(
            path,
            start + 1,
            "Phần đầu YAML mở bằng '---' nhưng không có dòng '---' đóng lại",
            "Thêm một dòng '---' ngay sau các dòng khóa: giá trị",
        )
        return FrontMatter(text=text, diagnostics=[problem], present=True)
    blanked = "\n".join([""] * (end + 1) + lines[end + 1 :])
    result = FrontMatter(text=blanked, present=True)
    block = "\n".join(lines[start + 1 : end])
    if len(block) > MAX_FRONT_MATTER:
        result.diagnostics.append(
            _error(
                path,
                start + 1,
                f"Phần đầu YAML dài {len(block)} ký tự, quá giới hạn {MAX_FRONT_MATTER} ký tự",
                "Phần đầu YAML chỉ ghi các khóa ngắn (số, ngày, trích yếu …); nội dung văn bản viết "
                "bên dưới dòng '---' đóng",
            )
        )
        return result
    _read_block(block, start + 1, path, allowed, result)
    return result


def _looks_like_keys(lines: list[str]) -> bool:
    """Whether the lines after a '---' start with "key: value" (a rule under a title does not)."""
    first = next((line for line in lines if line.strip()), "")
    return bool(_KEY_LINE.match(first))


def _read_block(
    block: str, first_line: int, path: str, allowed: tuple[str, ...], result: FrontMatter
) -> None:
    """Parse the YAML between the delimiters and convert each key (first_line = line of '---')."""
    hazard = yaml_hazard(block)
    if hazard is not None:  # an alias bomb took 22 GB here; deep nesting a RecursionError
        result.diagnostics.append(
            _error(
                path,
                first_line + 1 + hazard[0],
                f"Phần đầu YAML {hazard[1]}",
                "Viết thẳng từng giá trị, không dùng '&' và '*'; mỗi khóa một dòng 'khóa: giá trị'",
            )
        )
        return
    try:
        node = yaml.compose(block, Loader=_Loader)
        data = yaml.load(block, Loader=_Loader)  # _Loader is a SafeLoader subclass
    except (yaml.YAMLError, ValueError, RecursionError) as error:
        mark = getattr(error, "problem_mark", None)
        line = first_line + 1 + (mark.line if mark else 0)
        problem = clip(getattr(error, "problem", None) or str(error), 200)
        result.diagnostics.append(
            _error(
                path,
                line,
                f"Phần đầu YAML sai cú pháp ({problem})",
                "Mỗi dòng viết 'khóa: giá trị'; giá trị có dấu ':' thì đặt trong ngoặc kép",
            )
        )
        return
    if data is None:
        return
    if not isinstance(data, dict) or not isinstance(node, yaml.MappingNode):
        result.diagnostics.append(
            _error(
                path,
                first_line,
                "Phần đầu YAML phải là các dòng 'khóa: giá trị'",
                "Ví dụ: 'so: 2642' và 'ngay_ban_hanh: 2021-08-26', mỗi khóa một dòng",
            )
        )
        return
    seen: set[str] = set()
    for key_node, _value_node in node.value:
        key = clip(key_node.value)
        line = first_line + 1 + key_node.start_mark.line
        if key in seen:
            result.diagnostics.append(
                _error(path, line, f"Khóa '{key}' xuất hiện hai lần trong phần đầu YAML", "Giữ lại một dòng")
            )
            continue
        seen.add(key)
        result.lines[key] = line
        if key not in allowed:
            result.diagnostics.append(_unknown_key(path, line, key, allowed))
            continue
        try:
            result.values[key] = convert(key, data[key])
        except FieldError as error:
            result.diagnostics.append(_error(path, line, f"Khóa '{key}': {error.message}", error.fix))


def convert(key: str, value: object) -> object:
    """A front-matter value as the ``Letter`` field holds it; ``FieldError`` when it cannot be."""
    return CONVERTERS[key](value)


def _unknown_key(path: str, line: int, key: str, allowed: tuple[str, ...]) -> Diagnostic:
    """An unknown key, with the closest known one as the suggestion."""
    if key in FIXED_KEYS:
        return _error(
            path,
            line,
            f"Khóa '{key}' không được đặt trong phần đầu YAML",
            "Khóa này lấy từ đường dẫn tệp; muốn đổi thì đổi tên tệp, và xóa dòng này",
        )
    folded = {fold(k): k for k in allowed}
    guess = folded.get(fold(key).replace(" ", "_")) or next(
        iter(difflib.get_close_matches(key, allowed, n=1, cutoff=0.5)), None
    )
    hint = f"Có phải ý bạn là '{guess}'? " if guess else ""
    return _error(
        path,
        line,
        f"Khóa '{key}' không có trong phần đầu YAML",
        f"{hint}Các khóa dùng được: {', '.join(allowed)}",
    )


def _error(path: str, line: int, message: str, fix: str) -> Diagnostic:
    return Diagnostic(path, line, Severity.ERROR, message, fix)


# --- converters: one small function per kind of value -------------------------------------------


def _text(value: object) -> str:
    """A non-empty string."""
    if isinstance(value, bool) or not isinstance(value, str | int | float) or not str(value).strip():
        raise FieldError("cần một chuỗi chữ không rỗng", "Viết giá trị sau dấu ':' trên cùng dòng")
    return " ".join(published(str(value)).split())


def _optional_text(value: object) -> str | None:
    """A string, or null."""
    return None if value is None else _text(value)


def _text_list(value: object) -> list[str]:
    """A YAML list of strings (a single string is a list of one)."""
    if value is None:
        return []
    if isinstance(value, str):
        return [_text(value)]
    if not isinstance(value, list):
        raise FieldError("cần một danh sách", "Mỗi mục một dòng bắt đầu bằng '- '")
    return [_text(item) for item in value]


def _number(value: object) -> int | None:
    """The letter's number: a non-negative whole number, or null for a draft."""
    if value is None or (isinstance(value, str) and not value.strip()):
        return None
    if isinstance(value, bool):
        raise FieldError("cần một số nguyên", "Ví dụ: 'so: 2642', hoặc 'so: null' khi chưa cấp số")
    if isinstance(value, int) and value >= 0:
        return value
    if isinstance(value, str) and value.strip().isdecimal():  # "²" is a digit int() refuses
        return int(value.strip())
    raise FieldError(
        f"'{value}' không phải số nguyên không âm", "Ví dụ: 'so: 2642', hoặc 'so: null' khi chưa cấp số"
    )


def _symbol_list(value: object) -> list[str]:
    """Numbers and symbols of other documents ("15/2019/QĐ-UBND"), one per item."""
    symbols = []
    for item in _text_list(value):
        symbol = _number_and_symbol(item)
        if symbol:
            symbols.append(symbol)
    return symbols


def _symbol(value: object) -> str:
    """The symbol after the number ("UBND-VP"), canonical dashes and letters."""
    from builder.letters.rules.number import canonical_symbol

    return canonical_symbol(_text(value))


def _number_and_symbol(value: object) -> str | None:
    """ "2642/UBND-VX" or "325-CV/TU" (checked and made canonical), or null."""
    from builder.letters.rules.number import parse_number_symbol

    if value is None:
        return None
    parsed = parse_number_symbol(_text(value))
    if parsed is None or parsed.so is None:
        raise FieldError(
            f"'{value}' không có dạng số/ký hiệu", "Ví dụ: '2642/UBND-VX', '114/TB-UBND' hoặc '325-CV/TU'"
        )
    return parsed.so_ky_hieu


def iso_date(value: object, partial: bool = True) -> str:
    """An ISO date ("2021-08-26"; "2021-08" or "2021" when ``partial``) from YAML or d/m/yyyy."""
    if isinstance(value, dt.datetime):
        value = value.date()
    if isinstance(value, dt.date):
        return value.isoformat()
    text = str(value).strip() if isinstance(value, str | int) and not isinstance(value, bool) else ""
    vietnamese = re.fullmatch(r"([0-9]{1,2})[/.-]([0-9]{1,2})[/.-]([0-9]{4})", text)
    if vietnamese:
        text = f"{vietnamese[3]}-{int(vietnamese[2]):02d}-{int(vietnamese[1]):02d}"
    patterns = (
        (r"[0-9]{4}-[0-9]{2}-[0-9]{2}", r"[0-9]{4}-[0-9]{2}", r"[0-9]{4}")
        if partial
        else (r"[0-9]{4}-[0-9]{2}-[0-9]{2}",)
    )
    if any(re.fullmatch(p, text) for p in patterns) and _valid(text):
        return text
    example = "'2021-08-26' (hoặc '2021-08' khi chưa có ngày)" if partial else "'2021-08-26'"
    raise FieldError(
        f"'{value}' không phải ngày hợp lệ", f"Viết ngày theo dạng năm-tháng-ngày, ví dụ {example}"
    )


def _valid(iso: str) -> bool:
    """Whether an ISO date (full, year-month or year) exists on the calendar."""
    parts = [int(p) for p in iso.split("-")]
    try:
        dt.date(parts[0], parts[1] if len(parts) > 1 else 1, parts[2] if len(parts) > 2 else 1)
    except ValueError:
        return False
    return parts[0] >= 1900


def _optional_date(value: object) -> str | None:
    return None if value is None else iso_date(value)


def _urgency(value: object) -> str | None:
    """Null, Khẩn, Thượng khẩn or Hỏa tốc (either tone style, any case)."""
    if value is None:
        return None
    for level in URGENCY_LEVELS:
        if canonical_key(str(value)) == canonical_key(level):
            return level
    raise FieldError(f"'{value}' không phải độ khẩn", "Chỉ dùng: Khẩn, Thượng khẩn, Hỏa tốc (hoặc null)")


def _mapping(value: object, required: tuple[str, ...], optional: tuple[str, ...] = ()) -> dict:
    """A YAML mapping with exactly the given keys."""
    example = ", ".join(f"{k}: ..." for k in required)
    if not isinstance(value, dict):
        raise FieldError("cần các cặp 'khóa: giá trị'", f"Viết dạng {{{example}}}")
    missing = [k for k in required if value.get(k) in (None, "")]
    unknown = [str(k) for k in value if k not in required + optional]
    if missing or unknown:
        what = "thiếu " + ", ".join(missing) if missing else "không có khóa " + ", ".join(unknown)
        raise FieldError(what, f"Viết dạng {{{example}}}")
    return value


def _withdrawal(value: object) -> Withdrawal | None:
    """thu_hoi: {ngay, ly_do}."""
    if value is None:
        return None
    data = _mapping(value, ("ngay", "ly_do"))
    return Withdrawal(ngay=iso_date(data["ngay"], partial=False), ly_do=_text(data["ly_do"]))


def _corrections(value: object) -> list[Correction]:
    """dinh_chinh: a list of {ngay, noi_dung}, oldest first."""
    if value is None:
        return []
    if not isinstance(value, list):
        raise FieldError(
            "cần một danh sách", "Mỗi lần đính chính một mục: '- {ngay: 2021-09-01, noi_dung: ...}'"
        )
    items = [_mapping(item, ("ngay", "noi_dung")) for item in value]
    return [Correction(ngay=iso_date(i["ngay"], partial=False), noi_dung=_text(i["noi_dung"])) for i in items]


def _citations(value: object) -> list[CitedDocument]:
    """van_ban_dan_chieu: a list of {loai_van_ban, so_ky_hieu, ngay_ban_hanh, co_quan_ban_hanh}."""
    if value is None:
        return []
    if not isinstance(value, list):
        raise FieldError("cần một danh sách", "Mỗi văn bản một mục: '- {so_ky_hieu: 114/TB-UBND}'")
    keys = ("loai_van_ban", "ngay_ban_hanh", "co_quan_ban_hanh")
    cited = []
    for item in value:
        data = _mapping(item, ("so_ky_hieu",), keys)
        cited.append(
            CitedDocument(
                loai_van_ban=_optional_text(data.get("loai_van_ban")),
                so_ky_hieu=_number_and_symbol(data["so_ky_hieu"]) or "",
                ngay_ban_hanh=_optional_date(data.get("ngay_ban_hanh")),
                co_quan_ban_hanh=_optional_text(data.get("co_quan_ban_hanh")),
            )
        )
    return cited


CONVERTERS: dict[str, Callable[[object], object]] = {
    "id": _text,
    "tep_goc": _text,
    "loai_van_ban": _text,
    "so": _number,
    "ky_hieu": _symbol,
    "so_ky_hieu": _number_and_symbol,
    "co_quan_chu_quan": _optional_text,
    "co_quan_ban_hanh": _text,
    "dia_danh": _optional_text,
    "ngay_ban_hanh": iso_date,
    "trich_yeu": _text,
    "do_khan": _urgency,
    "kinh_gui": _text_list,
    "noi_nhan": _text_list,
    "tham_quyen_ky": _text_list,
    "chuc_vu_nguoi_ky": _optional_text,
    "nguoi_ky": _optional_text,
    "van_ban_dan_chieu": _citations,
    "thu_hoi": _withdrawal,
    "dinh_chinh": _corrections,
    "ngay_hieu_luc": lambda value: None if value is None else iso_date(value, partial=False),
    "het_hieu_luc": lambda value: None if value is None else iso_date(value, partial=False),
    "thay_the": lambda value: _symbol_list(value),
    "sua_doi": lambda value: _symbol_list(value),
    "bai_bo": lambda value: _symbol_list(value),
    "linh_vuc": _text_list,
}
"""One converter per front-matter key (the same table reads normalized Markdown back)."""
