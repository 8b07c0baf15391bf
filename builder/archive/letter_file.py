"""One committed file to one ``Letter``: bytes to text, front matter, parsed components,
registry names, checks.
"""

from __future__ import annotations

import os
import re
from dataclasses import replace
from pathlib import Path

from slugify import slugify

from builder.letters import checks, frontmatter, legal_effect
from builder.letters.blocks import ParsedLetter
from builder.letters.letter import Diagnostic, Letter, LetterError, Severity
from builder.letters.parsing import parse_letter
from builder.letters.registry import Registry
from builder.letters.rules.number import NumberSymbol, parse_number_symbol
from builder.text.decoding import decode
from builder.text.limits import MAX_FILE_BYTES


def letter_id(relative: str) -> str:
    """Stable id from the path inside ``content/``, without extension ("2021/cv-12.txt" -> "2021-cv-12")."""
    return slugify(re.sub(r"\.txt$", "", relative, flags=re.IGNORECASE))


def _in(path: Path, content_dir: Path) -> bool:
    return os.path.abspath(path).startswith(os.path.abspath(content_dir) + os.sep)


def display_path(path: Path) -> str:
    """The path as messages show it: relative to the working directory when inside it (a link
    is named as the link, never as its target)."""
    cwd = Path.cwd().resolve()
    for absolute in (Path(os.path.abspath(path)), path.resolve()):
        try:
            return absolute.relative_to(cwd).as_posix()
        except ValueError:
            continue
    return str(path)


def read_letter(
    data: bytes, relative: str, shown: str, found_registry: Registry
) -> tuple[Letter | None, list[Diagnostic]]:
    """One committed file as a letter (None when it has errors) and its problems; a file the
    reader cannot cope with is an error naming it, never a traceback that stops every check."""
    if len(data) > MAX_FILE_BYTES:  # the file layer refuses it first; callers of bytes too
        return None, [
            checks.error(
                shown,
                1,
                f"Tệp quá lớn ({len(data) / 1e6:.1f} MB; một văn bản tối đa {MAX_FILE_BYTES / 1e6:.0f} MB)",
                "Kiểm tra lại: có thể đã dán nhầm nội dung; phụ lục lớn đăng thành tệp PDF bản gốc",
            )
        ]
    try:
        return _read_letter(data, relative, shown, found_registry)
    except (
        RecursionError,
        MemoryError,
        ValueError,
        TypeError,
        IndexError,
        KeyError,
        AttributeError,
    ) as error:
        return None, [checks.unreadable(shown, type(error).__name__)]


def _read_letter(
    data: bytes, relative: str, shown: str, found_registry: Registry
) -> tuple[Letter | None, list[Diagnostic]]:
    try:
        decoded = decode(data, shown)
    except LetterError as refused:
        return None, list(refused.diagnostics)
    problems = [
        checks.warning(shown, 1, note, "Kiểm tra lại nội dung sau khi chuyển mã")
        for note in getattr(decoded, "notes", ())
    ]
    problems.extend(checks.hidden_characters(shown, decoded.hidden))
    if not decoded.text.strip():
        return None, [*problems, checks.empty_file(shown)]
    front = frontmatter.split_front_matter(decoded.text, shown)
    problems.extend(front.diagnostics)
    problems.extend(checks.check_placeholder(front.text, shown))
    effect_set = {key: front.values.pop(key) for key in LETTER_ONLY_KEYS if key in front.values}
    parsed = apply_front_matter(parse_letter(front.text), front)
    resolved = _resolve(parsed, found_registry)
    problems.extend(checks.check_letter(parsed, shown, resolved))
    if any(p.severity is Severity.ERROR for p in problems):
        return None, problems
    letter = to_letter(parsed, resolved, relative)
    effect = legal_effect.read_effect(front.text, letter.loai_van_ban, letter.ngay_ban_hanh, shown)
    if "ngay_hieu_luc" not in effect_set:
        problems.extend(effect.diagnostics)
    read = {
        key: getattr(effect, key) for key in ("ngay_hieu_luc", "het_hieu_luc", *legal_effect.RELATION_KEYS)
    }
    lines = {**letter.source_lines, **{key: front.lines.get(key, 1) for key in effect_set}}
    encoding = "" if decoded.encoding in PLAIN_UTF8 else decoded.encoding
    return replace(letter, **{**read, **effect_set}, source_lines=lines, ma_hoa_goc=encoding), problems


PLAIN_UTF8 = ("utf-8", "utf-8-sig")
"""Encodings a browser opens a published .txt in as it is (the site serves text as UTF-8)."""


LETTER_ONLY_KEYS = ("ngay_hieu_luc", "het_hieu_luc", "thay_the", "sua_doi", "bai_bo", "linh_vuc")
"""Front-matter keys the text parser has no field for: set on the letter after it is made."""


def apply_front_matter(parsed: ParsedLetter, front: frontmatter.FrontMatter) -> ParsedLetter:
    """The parsed letter with every field the front matter sets replaced (number and symbol kept coherent)."""
    values = dict(front.values)
    if "so_ky_hieu" in values:
        number = parse_number_symbol(str(values["so_ky_hieu"])) if values["so_ky_hieu"] else None
        if number is not None:
            values.setdefault("so", number.so)
            values.setdefault("ky_hieu", number.ky_hieu)
            parsed.separator, parsed.nam_so, parsed.so_in = number.separator, number.nam, number.digits
        else:
            values.setdefault("so", None)
    for key, value in values.items():
        setattr(parsed, key, value)
        parsed.source_lines[key] = front.lines.get(key, 1)
        parsed.given.add(key)
    if "ngay_ban_hanh" in values:
        parsed.ngay_khong_hop_le = None
    if parsed.ky_hieu and {"so", "ky_hieu", "so_ky_hieu"} & values.keys():
        printed = (
            parsed.so_in
            if parsed.so_in and parsed.so is not None and int(parsed.so_in) == parsed.so
            else None
        )
        parsed.so_ky_hieu = NumberSymbol(
            parsed.so, parsed.separator, parsed.ky_hieu, parsed.nam_so, printed
        ).so_ky_hieu
    return parsed


def _resolve(parsed: ParsedLetter, found_registry: Registry) -> checks.Resolved:
    """Registry names for the printed issuer and place."""
    if not parsed.co_quan_ban_hanh:
        return checks.Resolved(None, None, parsed.dia_danh, None)
    issuer = found_registry.resolve(parsed.co_quan_ban_hanh, parsed.co_quan_chu_quan)
    place = found_registry.place(issuer.body, parsed.dia_danh) if parsed.dia_danh else None
    return checks.Resolved(parsed.co_quan_ban_hanh, issuer, parsed.dia_danh, place)


def to_letter(parsed: ParsedLetter, resolved: checks.Resolved, relative: str) -> Letter:
    """The validated letter (call only when ``check_letter`` found no error)."""
    assert resolved.issuer is not None and parsed.ngay_ban_hanh is not None
    return Letter(
        id=letter_id(relative),
        tep_goc=relative,
        loai_van_ban=parsed.loai_van_ban or "Công văn",
        so=parsed.so,
        ky_hieu=parsed.ky_hieu or "",
        so_ky_hieu=parsed.so_ky_hieu,
        co_quan_chu_quan=parsed.co_quan_chu_quan,
        co_quan_ban_hanh=resolved.issuer.name,
        dia_danh=resolved.place.name if resolved.place else parsed.dia_danh,
        ngay_ban_hanh=parsed.ngay_ban_hanh,
        trich_yeu=parsed.trich_yeu or "",
        do_khan=parsed.do_khan,
        kinh_gui=list(parsed.kinh_gui),
        noi_nhan=list(parsed.noi_nhan),
        tham_quyen_ky=list(parsed.tham_quyen_ky),
        chuc_vu_nguoi_ky=parsed.chuc_vu_nguoi_ky,
        nguoi_ky=parsed.nguoi_ky,
        van_ban_dan_chieu=list(parsed.van_ban_dan_chieu),
        thu_hoi=parsed.thu_hoi,
        dinh_chinh=list(parsed.dinh_chinh),
        noi_dung=parsed.noi_dung,
        source_lines=dict(parsed.source_lines),
    )
