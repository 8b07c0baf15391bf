"""Where the built site lands: a staging folder swapped in only when the build succeeds.

A build that fails halfway (a bad letter, an error in any stage) must leave
the previous ``site/`` as it was, so the web server never serves half a site.
MkDocs writes into ``<site>.vanban-moi`` beside the real folder; at the end
the old folder is moved aside, the new one takes its name, the old one is
deleted. The two renames are on one file system, so each is atomic.
"""

from __future__ import annotations

import shutil
from pathlib import Path

STAGING_SUFFIX = ".vanban-moi"
OLD_SUFFIX = ".vanban-cu"


def staging_dir(final: Path) -> Path:
    """A fresh, empty sibling of ``final`` to build into (leftovers of a killed build removed)."""
    staging = final.with_name(final.name + STAGING_SUFFIX)
    shutil.rmtree(staging, ignore_errors=True)
    staging.mkdir(parents=True)
    return staging


def publish(staging: Path, final: Path) -> None:
    """Put the finished build in place of ``final``."""
    old = final.with_name(final.name + OLD_SUFFIX)
    shutil.rmtree(old, ignore_errors=True)
    if final.exists():
        final.rename(old)
    staging.rename(final)
    shutil.rmtree(old, ignore_errors=True)


def discard(staging: Path) -> None:
    """Forget a failed build; ``final`` was never touched."""
    shutil.rmtree(staging, ignore_errors=True)


def write_files(site_dir: Path, files: dict[str, bytes]) -> None:
    """Write generated files (site-relative POSIX path -> bytes) under ``site_dir``."""
    for relative, data in files.items():
        target = site_dir / relative
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(data)
