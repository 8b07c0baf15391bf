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

from slugify import slugify

from builder.letters.letter import Diagnostic, Letter, Severity
from builder.letters.registry_file import EntryNames, missing_name, read_registry
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
    read = read_registry(path, "Sổ lĩnh vực")  # as the issuer registry is read and checked
    problems = [_error(shown, p.line, p.message) for p in read.problems]
    if read.entries is None:
        return FieldRegistry(), problems
    fields: list[Field] = []
    taken = EntryNames(lambda name: fold(canonical_key(name)))  # fields match folded (``match``)
    for number, entry in enumerate(read.entries, 1):
        name = entry.get("ten") if isinstance(entry, dict) else None
        if not isinstance(name, str) or not name.strip():
            problems.append(_error(shown, 1, missing_name(number, "sổ lĩnh vực")))
            continue
        slug = entry.get("slug") if isinstance(entry, dict) else None
        slug = str(slug) if isinstance(slug, str | int) and str(slug) else slugify(name)
        problem = taken.problem(number, name.strip(), slug)
        if problem is not None:
            problems.append(_error(shown, 1, problem))
            continue
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
