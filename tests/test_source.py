"""The caches' code fingerprint (``builder.source``): any change of the package's source counts,
wherever the file is; a list of file names silently stopped counting a module once it moved."""

from __future__ import annotations

import shutil
from pathlib import Path

from builder.source import PACKAGE, source_digest


def _copy(tmp_path: Path) -> Path:
    package = tmp_path / "builder"
    shutil.copytree(PACKAGE, package, ignore=shutil.ignore_patterns("__pycache__"))
    return package


def test_the_digest_is_the_package_s_own_and_stable(tmp_path: Path) -> None:
    package = _copy(tmp_path)
    assert source_digest(package) == source_digest(PACKAGE)
    (package / "text" / "__pycache__").mkdir()
    (package / "text" / "__pycache__" / "vietnamese.cpython-311.pyc").write_bytes(b"compiled")
    assert source_digest.__wrapped__(package) == source_digest(PACKAGE), "compiled files do not count"


def test_an_edit_anywhere_in_the_package_changes_the_digest(tmp_path: Path) -> None:
    package = _copy(tmp_path)
    before = source_digest.__wrapped__(package)
    rule = package / "letters" / "rules" / "title.py"
    rule.write_text(rule.read_text(encoding="utf-8") + "\n# changed\n", encoding="utf-8")
    assert source_digest.__wrapped__(package) != before


def test_a_moved_or_added_module_changes_the_digest(tmp_path: Path) -> None:
    package = _copy(tmp_path)
    before = source_digest.__wrapped__(package)
    (package / "text" / "decoding.py").rename(package / "letters" / "decoding.py")
    moved = source_digest.__wrapped__(package)
    assert moved != before
    (package / "archive" / "new_rule.py").write_text("X = 1\n", encoding="utf-8")
    assert source_digest.__wrapped__(package) != moved
