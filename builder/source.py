"""The builder's own source, hashed: what the caches are keyed on, so that any change of code
(a module edited, added, moved or removed) invalidates them, with no list of files to keep."""

from __future__ import annotations

import functools
import hashlib
from pathlib import Path

PACKAGE = Path(__file__).resolve().parent
"""The ``builder`` package: every module and data file under it counts."""


@functools.cache
def source_digest(package: Path = PACKAGE) -> str:
    """sha256 over every file of the package (its path inside the package and its bytes), compiled
    files left out. Computed once per process: the code does not change while it runs."""
    digest = hashlib.sha256()
    for path in sorted(package.rglob("*")):
        if not path.is_file() or "__pycache__" in path.parts or path.suffix == ".pyc":
            continue
        digest.update(path.relative_to(package).as_posix().encode("utf-8") + b"\0")
        digest.update(hashlib.sha256(path.read_bytes()).digest())
    return digest.hexdigest()
