"""The registries staff keep in ``content/`` (issuers: ``co-quan-ban-hanh.yml``; fields:
``linh-vuc.yml``), read and their entries checked by one piece of code.

Both name list pages by their slugs, so both need the same guarantees: a regular
file inside ``content/`` (a link could publish any file of the machine), no YAML
bomb, a list of entries, each slug safe as a folder name (``../../x`` wrote outside
the site) and no name or slug twice (two entries would share one list page).
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import yaml

from builder.text.limits import clip, read_regular, yaml_hazard

SAFE_SLUG = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
"""A list page's folder: van-ban/co-quan/<slug>/, van-ban/linh-vuc/<slug>/ (nothing that could
leave it)."""
MAX_SLUG = 100


@dataclass(frozen=True, slots=True)
class RegistryProblem:
    """What is wrong in a registry file, and on which line."""

    line: int
    message: str


@dataclass(slots=True)
class RegistryFile:
    """A registry's entries as YAML gave them (None when the file cannot be used) and its bytes."""

    entries: list[object] | None
    data: bytes = b""
    problems: list[RegistryProblem] = field(default_factory=list)


def read_registry(path: Path, label: str) -> RegistryFile:
    """The YAML list in ``path``; ``label`` names it in messages ("Sổ cơ quan", "Sổ lĩnh vực")."""
    try:
        data = read_regular(path)
    except OSError:
        message = f"{label} không phải tệp thường trong content/ (liên kết, thiết bị…)"
        return RegistryFile(None, b"", [RegistryProblem(1, message)])
    try:
        text = data.decode("utf-8-sig")
        hazard = yaml_hazard(text)
        if hazard is not None:
            return RegistryFile(None, data, [RegistryProblem(hazard[0] + 1, f"{label} {hazard[1]}")])
        entries = yaml.safe_load(text) or []
    except (yaml.YAMLError, UnicodeDecodeError, RecursionError) as error:
        line = getattr(getattr(error, "problem_mark", None), "line", 0) + 1
        message = f"{label} không đọc được ({clip(str(error), 200)})"
        return RegistryFile(None, data, [RegistryProblem(line, message)])
    if not isinstance(entries, list):
        return RegistryFile(None, data, [RegistryProblem(1, f"{label} phải là một danh sách")])
    return RegistryFile(entries, data)


def missing_name(number: int, label: str) -> str:
    """An entry without a usable name (``label`` in lower case: "sổ cơ quan")."""
    return f"Mục thứ {number} của {label} thiếu 'ten' hoặc sai kiểu"


class EntryNames:
    """The names and slugs the entries before took: each new entry is checked against them."""

    def __init__(self, key: Callable[[str], str]) -> None:
        self.key = key
        """When two names are the same name (the issuers: canonical; the fields: folded too)."""
        self.names: dict[str, int] = {}
        self.slugs: dict[str, int] = {}

    def problem(self, number: int, name: str, slug: str) -> str | None:
        """Why entry ``number`` cannot be taken (an unsafe slug, a name or slug taken), or None,
        and then its name and slug are taken."""
        if not SAFE_SLUG.match(slug) or len(slug) > MAX_SLUG:
            return (
                f"Mục thứ {number} ('{clip(name)}'): slug '{clip(slug)}' không hợp lệ"
                " (chỉ chữ thường không dấu, số và dấu '-', ví dụ 'ubnd-huyen-muong-te')"
            )
        key = self.key(name)
        if key in self.names or slug in self.slugs:
            first = self.names.get(key) or self.slugs[slug]
            what = "tên" if key in self.names else "slug"
            return f"Mục thứ {number} ('{clip(name)}') trùng {what} với mục thứ {first}"
        self.names[key] = self.slugs[slug] = number
        return None
