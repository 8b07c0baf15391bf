"""The registry of fields (lĩnh vực) in ``content/linh-vuc.yml``, and the letters' fields checked against it.

Portals citizens know let them browse and filter by field (giáo dục, y tế,
đất đai …). Staff tag a letter with ``linh_vuc: [Y tế]`` in its front matter;
the name must be one of the registry's (matched without regard to case, accents
or tone placement) and is published as the registry writes it, so that one
field never shows under two spellings. Each field has its list page,
``/van-ban/linh-vuc/<slug>/``, and is in the open data for the search filter.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from pathlib import Path

import yaml
from slugify import slugify

from builder.letters.letter import Diagnostic, Letter, Severity
from builder.text.limits import clip, read_regular, yaml_hazard
from builder.text.vietnamese import canonical_key, fold

FIELDS_FILE = "linh-vuc.yml"


@dataclass(frozen=True, slots=True)
class Field:
    """One field of the registry."""

    ten: str
    """Name as published ("Y tế")."""
    slug: str
    """Its list page: /van-ban/linh-vuc/<slug>/ (never changes once published)."""


@dataclass(frozen=True, slots=True)
class FieldRegistry:
    fields: tuple[Field, ...] = ()

    def match(self, name: str) -> Field | None:
        key = fold(canonical_key(name))
        return next((f for f in self.fields if fold(canonical_key(f.ten)) == key), None)

    def slug_for(self, name: str) -> str:
        found = self.match(name)
        return found.slug if found else (slugify(name) or "khac")


def load_fields(content_dir: Path) -> tuple[FieldRegistry, list[Diagnostic]]:
    """The registry in ``content_dir`` (empty when there is none) and its problems."""
    path = content_dir / FIELDS_FILE
    if not path.exists() and not path.is_symlink():
        return FieldRegistry(), []
    shown = f"{content_dir.name}/{FIELDS_FILE}"
    try:  # read as the issuer registry is (text.limits): a regular file, no YAML bomb, messages clipped
        text = read_regular(path).decode("utf-8-sig")
        hazard = yaml_hazard(text)
        if hazard is not None:
            return FieldRegistry(), [_error(shown, hazard[0] + 1, f"Sổ lĩnh vực {hazard[1]}")]
        entries = yaml.safe_load(text) or []
    except OSError:
        return FieldRegistry(), [
            _error(shown, 1, "Sổ lĩnh vực không đọc được (không phải tệp thường trong content/)")
        ]
    except (yaml.YAMLError, UnicodeDecodeError, RecursionError) as error:
        line = getattr(getattr(error, "problem_mark", None), "line", 0) + 1
        return FieldRegistry(), [_error(shown, line, f"Sổ lĩnh vực không đọc được ({clip(str(error), 200)})")]
    if not isinstance(entries, list):
        return FieldRegistry(), [_error(shown, 1, "Sổ lĩnh vực phải là một danh sách")]
    fields: list[Field] = []
    problems: list[Diagnostic] = []
    for number, entry in enumerate(entries, 1):
        name = entry.get("ten") if isinstance(entry, dict) else None
        if not isinstance(name, str) or not name.strip():
            problems.append(_error(shown, 1, f"Mục thứ {number} của sổ lĩnh vực thiếu 'ten' hoặc sai kiểu"))
            continue
        slug = entry.get("slug") if isinstance(entry.get("slug"), str) else slugify(name)
        fields.append(Field(name.strip(), slug))
    return FieldRegistry(tuple(fields)), problems


def _error(path: str, line: int, message: str) -> Diagnostic:
    fix = "Mỗi lĩnh vực là một mục '- ten: ...' (và 'slug: ...'), như các mục có sẵn trong sổ"
    return Diagnostic(path, line, Severity.ERROR, message, fix)


def with_registry_fields(
    letter: Letter, shown: str, registry: FieldRegistry
) -> tuple[Letter, list[Diagnostic]]:
    """The letter with its fields named as the registry names them; an error for a field not in it."""
    if not letter.linh_vuc:
        return letter, []
    names, problems = [], []
    for name in letter.linh_vuc:
        found = registry.match(name)
        if found is None:
            known = "; ".join(f.ten for f in registry.fields) or "(sổ chưa có lĩnh vực nào)"
            problems.append(
                Diagnostic(
                    shown,
                    letter.source_lines.get("linh_vuc", 1),
                    Severity.ERROR,
                    f"Lĩnh vực '{name}' không có trong sổ lĩnh vực ({FIELDS_FILE})",
                    f"Dùng một lĩnh vực có trong sổ ({known}), hoặc thêm lĩnh vực mới vào"
                    f" content/{FIELDS_FILE}",
                )
            )
        elif found.ten not in names:
            names.append(found.ten)
    return replace(letter, linh_vuc=names), problems
