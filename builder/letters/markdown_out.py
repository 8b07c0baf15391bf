"""A letter as normalized Markdown with YAML front matter, and back again.

``vanban normalize`` writes one ``<id>.md`` per letter: the front matter has
exactly ``FRONT_MATTER_KEYS`` in that order (the same keys as the open data),
then the body as clean Markdown, then the signature and the distribution list
as blocks of their own. The output is deterministic (same letter, same bytes)
and reading it back gives an equal ``Letter``: the signature and distribution
blocks are generated from the front matter, so the reader recomputes them and
takes everything before them as the body.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from pathlib import Path

import yaml

from builder.letters.letter import (
    FRONT_MATTER_KEYS,
    CitedDocument,
    Correction,
    Diagnostic,
    Letter,
    LetterError,
    Severity,
    Withdrawal,
)

_NEEDS_QUOTES = re.compile(r"[\n\r\x85\u2028\u2029]")


class _Dumper(yaml.SafeDumper):
    """Safe dumper that writes strings with line breaks or unprintable characters double-quoted.

    Quoted with escapes, such a string stays on one line, so no line of the
    front matter can ever read as the closing ``---``.
    """


def _represent_str(dumper: yaml.SafeDumper, value: str) -> yaml.ScalarNode:
    style = '"' if _NEEDS_QUOTES.search(value) or not value.isprintable() else None
    return dumper.represent_scalar("tag:yaml.org,2002:str", value, style=style)


_Dumper.add_representer(str, _represent_str)

if yaml.__with_libyaml__:

    class _FastDumper(yaml.CSafeDumper):
        """``_Dumper`` with libyaml's emitter: the same bytes, several times faster.

        libyaml escapes characters beyond U+FFFF that PyYAML writes as they are
        (and refuses lone surrogates), so such front matter uses ``_Dumper``.
        """

    _FastDumper.add_representer(str, _represent_str)  # type: ignore[arg-type]  # stubs: SafeDumper only
    _DUMPERS: tuple[type[yaml.SafeDumper] | type[yaml.CSafeDumper], ...] = (_FastDumper, _Dumper)
else:  # pragma: no cover - PyYAML built without libyaml
    _DUMPERS = (_Dumper, _Dumper)

_BEYOND_BMP = re.compile("[\ud800-\udfff\U00010000-\U0010ffff]")
"""Where the two emitters differ (see ``_FastDumper``)."""


def _dumper_for(value: object) -> type[yaml.SafeDumper] | type[yaml.CSafeDumper]:
    """libyaml's dumper unless a string in ``value`` has a character where its output differs."""
    if isinstance(value, str):
        return _DUMPERS[1] if _BEYOND_BMP.search(value) else _DUMPERS[0]
    if isinstance(value, dict):
        value = [*value.keys(), *value.values()]
    if isinstance(value, list | tuple):
        fast = _DUMPERS[0]
        for item in value:
            if _dumper_for(item) is not fast:
                return _DUMPERS[1]
    return _DUMPERS[0]


def front_matter(letter: Letter) -> dict[str, object]:
    """The letter's front-matter mapping, keys in ``FRONT_MATTER_KEYS`` order."""
    values: dict[str, object] = {}
    for key in FRONT_MATTER_KEYS:
        value = getattr(letter, key)
        if key == "van_ban_dan_chieu":
            value = [
                {
                    "loai_van_ban": c.loai_van_ban,
                    "so_ky_hieu": c.so_ky_hieu,
                    "ngay_ban_hanh": c.ngay_ban_hanh,
                    "co_quan_ban_hanh": c.co_quan_ban_hanh,
                }
                for c in value
            ]
        elif key == "thu_hoi":
            value = None if value is None else {"ngay": value.ngay, "ly_do": value.ly_do}
        elif key == "dinh_chinh":
            value = [{"ngay": c.ngay, "noi_dung": c.noi_dung} for c in value]
        elif isinstance(value, list):
            value = list(value)
        values[key] = value
    return values


def letter_to_markdown(letter: Letter) -> str:
    """Front matter, body, signature block, distribution block."""
    values = front_matter(letter)
    header = yaml.dump(
        values,
        Dumper=_dumper_for(values),
        allow_unicode=True,
        sort_keys=False,
        default_flow_style=False,
        width=1_000_000,
    )
    return f"---\n{header}---\n\n" + "\n\n".join([letter.noi_dung, *_closing_blocks(letter)]) + "\n"


def markdown_to_letter(text: str, path: str = "<markdown>") -> Letter:
    """Read normalized Markdown back into the letter it was written from."""
    if not text.startswith("---\n"):
        raise _problem(path, 1, "Tệp Markdown không bắt đầu bằng phần đầu YAML ('---')")
    lines = text.split("\n")
    try:
        end = lines.index("---", 1)
    except ValueError:
        raise _problem(path, 1, "Phần đầu YAML không có dòng '---' đóng lại") from None
    try:
        data = yaml.safe_load("\n".join(lines[1:end]))
    except yaml.YAMLError as error:
        raise _problem(path, 2, f"Phần đầu YAML sai cú pháp ({error})") from None
    if not isinstance(data, dict) or list(data) != list(FRONT_MATTER_KEYS):
        raise _problem(path, 2, "Phần đầu YAML phải có đúng các khóa: " + ", ".join(FRONT_MATTER_KEYS))
    letter = _letter_from(data, path)
    rest = "\n".join(lines[end + 1 :])
    rest = rest.removeprefix("\n").removesuffix("\n")
    suffix = "".join("\n\n" + block for block in _closing_blocks(letter))
    if suffix and rest.endswith(suffix):
        rest = rest[: -len(suffix)]
    elif suffix:
        rest = _before_closing(rest)
    letter.noi_dung = rest
    return letter


def write_markdown(letters: Iterable[Letter], out_dir: Path) -> list[Path]:
    """Write ``<id>.md`` for each letter into ``out_dir``; return the files written."""
    out_dir.mkdir(parents=True, exist_ok=True)
    written = []
    for letter in letters:
        target = out_dir / f"{letter.id}.md"
        with target.open("w", encoding="utf-8", newline="") as handle:
            handle.write(letter_to_markdown(letter))
        written.append(target)
    return written


# --- the closing blocks -------------------------------------------------------------------------

_INLINE_SPECIAL = re.compile(r"([\\`*_\[\]<>|])")
_BLOCK_START = re.compile(r"^(\d+)([.)])(\s|$)|^([-+#>=~])")


def escape(text: str) -> str:
    """Plain text safe inside a Markdown paragraph or list item."""
    text = _INLINE_SPECIAL.sub(r"\\\1", text)
    return _BLOCK_START.sub(lambda m: f"{m[1]}\\{m[2]}{m[3]}" if m[1] else f"\\{m[4]}", text)


def signature_block(letter: Letter) -> str | None:
    """Authority lines and title (bold, one per line), then the signer's name."""
    stack = [*letter.tham_quyen_ky, *([letter.chuc_vu_nguoi_ky.upper()] if letter.chuc_vu_nguoi_ky else [])]
    parts = []
    if stack:
        parts.append("  \n".join(f"**{escape(line)}**" for line in stack))
    if letter.nguoi_ky:
        parts.append(f"**{escape(letter.nguoi_ky)}**")
    return "\n\n".join(parts) or None


def distribution_block(letter: Letter) -> str | None:
    """ "Nơi nhận:" and its list, ";" after each item and "." after the last, as printed."""
    if not letter.noi_nhan:
        return None
    last = len(letter.noi_nhan) - 1
    items = [f"- {escape(item)}{'.' if i == last else ';'}" for i, item in enumerate(letter.noi_nhan)]
    return "**Nơi nhận:**\n\n" + "\n".join(items)


def _closing_blocks(letter: Letter) -> list[str]:
    return [block for block in (signature_block(letter), distribution_block(letter)) if block]


def _before_closing(rest: str) -> str:
    """The body of a hand-edited file: everything before the first closing block."""
    for marker in ("\n\n**Nơi nhận:**", "\n\n**TM.", "\n\n**KT.", "\n\n**TL.", "\n\n**TUQ.", "\n\n**Q."):
        if marker in rest:
            rest = rest[: rest.index(marker)]
    return rest


def _letter_from(data: dict, path: str) -> Letter:
    """A ``Letter`` from a front-matter mapping written by ``letter_to_markdown``."""
    try:
        values = dict(data)
        values["van_ban_dan_chieu"] = [CitedDocument(**c) for c in values["van_ban_dan_chieu"] or []]
        values["thu_hoi"] = Withdrawal(**values["thu_hoi"]) if values["thu_hoi"] else None
        values["dinh_chinh"] = [Correction(**c) for c in values["dinh_chinh"] or []]
        for key in ("kinh_gui", "noi_nhan", "tham_quyen_ky", "thay_the", "sua_doi", "bai_bo", "linh_vuc"):
            values[key] = list(values[key] or [])
        return Letter(**values)
    except (TypeError, KeyError) as error:
        raise _problem(path, 2, f"Phần đầu YAML có giá trị sai kiểu ({error})") from None


def _problem(path: str, line: int, message: str) -> LetterError:
    fix = "Tạo lại tệp bằng 'vanban normalize --out DIR' thay vì sửa tay"
    return LetterError([Diagnostic(path, line, Severity.ERROR, message, fix)])
