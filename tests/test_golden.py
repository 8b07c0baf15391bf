"""A golden snapshot of the seed site: the built tree's file list and the seed letters' pages.

Any change in what the build writes shows here as a diff, on purpose: a refactoring must leave
it as it is; a change meant to alter the site updates the snapshot in the same commit, where the
reviewer sees it:

    UPDATE_GOLDEN=1 python3 -m pytest tests/test_golden.py

Normalised only where a build legitimately differs without any change of ours: the content hashes
in material's asset names (a material release) and the browser index's generation folder.
"""

from __future__ import annotations

import os
import re
from pathlib import Path

import pytest

GOLDEN = Path(__file__).resolve().parent / "golden" / "seed-site"
UPDATE = os.environ.get("UPDATE_GOLDEN") == "1"

_ASSET_HASH = re.compile(r"\.[0-9a-f]{8}\.min\.")
_GENERATION = re.compile(r"tim-kiem/g/[0-9a-f]+/")


def normalise(text: str) -> str:
    """Lines without trailing spaces, blank lines dropped, build-specific names masked."""
    text = _GENERATION.sub("tim-kiem/g/GEN/", _ASSET_HASH.sub(".HASH.min.", text))
    return "\n".join(line.rstrip() for line in text.splitlines() if line.strip()) + "\n"


def _site(seed_project: Path) -> Path:
    return seed_project / "site"


def _letter_pages(site: Path) -> list[Path]:
    return sorted(path for path in (site / "van-ban").glob("*/index.html") if any(path.parent.glob("*.txt")))


def _compare(name: str, actual: str) -> None:
    golden = GOLDEN / name
    if UPDATE:
        golden.parent.mkdir(parents=True, exist_ok=True)
        golden.write_text(actual, encoding="utf-8")
        return
    assert golden.exists(), f"no snapshot {golden}: UPDATE_GOLDEN=1 python3 -m pytest tests/test_golden.py"
    expected = golden.read_text(encoding="utf-8")
    assert actual == expected, (
        f"the built site differs from {golden.relative_to(GOLDEN.parent.parent)}: if the change is "
        "meant, UPDATE_GOLDEN=1 python3 -m pytest tests/test_golden.py and commit the snapshot"
    )


def test_the_seed_site_has_exactly_the_files_it_had(seed_project: Path) -> None:
    site = _site(seed_project)
    files = sorted(path.relative_to(site).as_posix() for path in site.rglob("*") if path.is_file())
    _compare("files.txt", normalise("\n".join(files)))


def test_there_are_seed_letter_pages_to_compare(seed_project: Path) -> None:
    assert len(_letter_pages(_site(seed_project))) == 5


@pytest.mark.parametrize("number", range(5))
def test_a_seed_letter_page_is_what_it_was(seed_project: Path, number: int) -> None:
    page = _letter_pages(_site(seed_project))[number]
    _compare(f"{page.parent.name}.html", normalise(page.read_text(encoding="utf-8")))
