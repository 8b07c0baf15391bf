"""Real documents against their answer key: the measure of issue 16.

``tests/fixtures/real-letters/`` holds documents copied from public Vietnamese
portals (their README gives the key's conventions) and ``cases.json``, the key.
Each document is read as the archive reads a committed file, and is then
either *refused* (an error naming file, line and fix), *right* (every core
field equals the key), *missing* (published, a core field left empty where
the key has a value, none wrong) or *wrong* (published with a core field that
differs from the key: the one outcome a government portal must never have).

Values are compared after folding case, spaces and dashes, as the key's
README says. Run ``python3 -m tests.real_letters`` for the per-document table.
"""

from __future__ import annotations

import json
import re
import sys
from dataclasses import dataclass, field
from pathlib import Path

from builder.archive.letter_file import read_letter
from builder.letters.citations import symbol_key
from builder.letters.letter import Diagnostic, Letter, Severity
from builder.letters.registry import load_registry
from builder.text.vietnamese import canonical_key

REAL = Path(__file__).parent / "fixtures" / "real-letters"
CONTENT = Path(__file__).resolve().parent.parent / "content"

SECONDARY_FIELDS = (
    "co_quan_chu_quan",
    "dia_danh",
    "nguoi_ky",
    "chuc_vu_nguoi_ky",
    "tham_quyen_ky",
    "do_khan",
    "kinh_gui",
)
"""Fields the key also gives; reported (``--all``), not part of the issue's bar."""

CORE_FIELDS = (
    "co_quan_ban_hanh",
    "loai_van_ban",
    "so",
    "ky_hieu",
    "so_ky_hieu",
    "ngay_ban_hanh",
    "trich_yeu",
)
"""Issuer, type, number and symbol, date, subject (the issue's core fields)."""

FAIRLY_REFUSED = frozenset({"d16", "d34", "d44"})
"""Documents the key's README marks as fairly refusable."""
MORE_REFUSED_ALLOWED = 5
"""How many other documents the issue's bar lets the parser refuse."""


def fold(value: object) -> str:
    """A value folded as the key's README compares: case, spaces and dashes do not count."""
    if value is None or value == "" or value == []:
        return ""
    return re.sub(r"[\s\-‐‑‒–—―−]+", "", canonical_key(str(value)))


@dataclass
class Outcome:
    """What became of one real document."""

    name: str
    status: str
    """"right", "missing", "wrong" or "refused"."""
    wrong: dict[str, tuple[object, object]] = field(default_factory=dict)
    """Core field -> (published, key) where they differ."""
    missing: list[str] = field(default_factory=list)
    errors: list[Diagnostic] = field(default_factory=list)
    secondary: dict[str, tuple[object, object]] = field(default_factory=dict)
    """Other fields of the key that differ (published, key), citations included."""

    @property
    def short(self) -> str:
        return self.name[:3]


def cases() -> dict[str, dict]:
    """The answer key, by file name."""
    return json.loads((REAL / "cases.json").read_text(encoding="utf-8"))


def published_value(letter: Letter, name: str) -> object:
    """A core field as the site would publish it (empty strings as None)."""
    value = getattr(letter, name)
    return value if value not in ("", None) else None


def judge(name: str, key: dict) -> Outcome:
    """Read one document as a committed file and compare it with its key."""
    registry, _ = load_registry(CONTENT)
    path = REAL / name
    letter, diagnostics = read_letter(path.read_bytes(), name, name, registry)
    errors = [d for d in diagnostics if d.severity is Severity.ERROR]
    if letter is None:
        return Outcome(name, "refused", errors=errors)
    outcome = Outcome(name, "right")
    for field_name in CORE_FIELDS:
        got, want = published_value(letter, field_name), key.get(field_name)
        if fold(got) == fold(want):
            continue
        if got is None:
            outcome.missing.append(field_name)
        else:
            outcome.wrong[field_name] = (got, want)
    outcome.status = "wrong" if outcome.wrong else "missing" if outcome.missing else "right"
    for field_name in SECONDARY_FIELDS:
        got, want = published_value(letter, field_name), key.get(field_name)
        if field_name == "tham_quyen_ky" and isinstance(got, list):
            got = " ".join(got)
        if fold(got) != fold(want):
            outcome.secondary[field_name] = (got, want)
    cited = [c.so_ky_hieu for c in letter.van_ban_dan_chieu]
    wanted = key.get("van_ban_dan_chieu_so_ky_hieu") or []
    if [symbol_key(c) for c in cited] != [symbol_key(c) for c in wanted]:  # citations drop leading zeros
        outcome.secondary["van_ban_dan_chieu"] = (cited, wanted)
    return outcome


def judge_all() -> list[Outcome]:
    return [judge(name, key) for name, key in sorted(cases().items())]


def table(outcomes: list[Outcome]) -> str:
    """One line per document, then the totals."""
    rows = []
    for out in outcomes:
        detail = ""
        if out.status == "refused":
            detail = "; ".join(f"{d.line}: {d.message}" for d in out.errors)[:150]
        elif out.wrong:
            detail = "; ".join(f"{k}={got!r} (key {want!r})" for k, (got, want) in out.wrong.items())
        if out.missing:
            detail = f"empty: {', '.join(out.missing)} {detail}"
        rows.append(f"{out.short}  {out.status:<8} {detail}")
    counts = {s: sum(o.status == s for o in outcomes) for s in ("right", "missing", "wrong", "refused")}
    refused_other = [o.short for o in outcomes if o.status == "refused" and o.short not in FAIRLY_REFUSED]
    rows.append(
        f"\n{len(outcomes)} documents: {counts['right']} read right, {counts['missing']} published with an "
        f"empty core field, {counts['wrong']} published WRONG, {counts['refused']} refused "
        f"({len(refused_other)} beyond the fairly refusable: {' '.join(refused_other)})"
    )
    return "\n".join(rows)


def secondary_table(outcomes: list[Outcome]) -> str:
    """The other fields of the key that differ, per document, and how many documents have each right."""
    rows = []
    for out in outcomes:
        for name, (got, want) in out.secondary.items():
            rows.append(f"{out.short}  {name}: {got!r} (key {want!r})")
    read = [o for o in outcomes if o.status != "refused"]
    names = (*SECONDARY_FIELDS, "van_ban_dan_chieu")
    rows.append(
        "\nright among the published: "
        + ", ".join(f"{n} {sum(n not in o.secondary for o in read)}/{len(read)}" for n in names)
    )
    return "\n".join(rows)


if __name__ == "__main__":
    args = sys.argv[1:]
    every = "--all" in args
    only = [a for a in args if a != "--all"]
    results = [judge(n, k) for n, k in sorted(cases().items()) if not only or n[:3] in only]
    print(table(results))
    if every:
        print(secondary_table(results))
