"""Precompressed ``.gz`` twins of the built site's text files.

A web server with ``gzip_static on`` (see ``deploy/nginx.conf``) sends
``page.html.gz`` to a browser that accepts gzip instead of compressing
``page.html`` on every request: level 9 once at build time instead of level 1
per request, and no CPU spent on a busy day. The files are deterministic (no
name, mtime 0 in the gzip header) so two builds of one commit stay
byte-identical, and a ``.gz`` is only kept where it actually saves bytes.
"""

from __future__ import annotations

import gzip
from dataclasses import dataclass
from pathlib import Path

COMPRESSIBLE_SUFFIXES: frozenset[str] = frozenset(
    {
        ".html",
        ".htm",
        ".css",
        ".js",
        ".mjs",
        ".json",
        ".xml",
        ".xsl",
        ".svg",
        ".txt",
        ".csv",
        ".map",
        ".webmanifest",
        ".wasm",
        ".bin",
    }
)
"""Suffixes worth compressing: text, plus binary formats that are not compressed already."""

MIN_SIZE = 256
"""Smaller files fit in one packet either way; compressing them saves nothing a reader notices."""

MIN_SAVING = 0.1
"""A ``.gz`` must be at least this fraction smaller than its source to be worth serving."""


@dataclass(frozen=True, slots=True)
class PrecompressReport:
    """What one run did, for the build log."""

    written: int
    """``.gz`` files created or replaced because their source changed."""
    unchanged: int
    """``.gz`` files already up to date (left alone, mtime kept)."""
    skipped: int
    """Candidate files too small or too incompressible to get a ``.gz``."""
    removed: int
    """Stale ``.gz`` files deleted because their source is no longer worth compressing."""
    bytes_in: int
    """Total size of the sources that have a ``.gz``."""
    bytes_out: int
    """Total size of those ``.gz`` files."""


def gzip_bytes(data: bytes) -> bytes:
    """Deterministic gzip at level 9: no file name and mtime 0 in the header."""
    return gzip.compress(data, compresslevel=9, mtime=0)


def precompress(
    site_dir: Path,
    min_size: int = MIN_SIZE,
    min_saving: float = MIN_SAVING,
) -> PrecompressReport:
    """Write ``<file>.gz`` next to every compressible file of ``site_dir`` where it pays.

    Existing ``.gz`` files whose source is gone are not ours and stay; a ``.gz``
    whose source no longer pays is removed so a server never sends stale bytes.
    """
    if not site_dir.is_dir():
        raise FileNotFoundError(f"Không có thư mục trang đã dựng: {site_dir}")
    written = unchanged = skipped = removed = bytes_in = bytes_out = 0
    for source in sorted(site_dir.rglob("*")):
        if source.suffix.lower() not in COMPRESSIBLE_SUFFIXES or not source.is_file() or source.is_symlink():
            continue
        target = source.with_name(source.name + ".gz")
        data = source.read_bytes()
        packed = gzip_bytes(data) if len(data) >= min_size else None
        if packed is None or len(packed) > len(data) * (1 - min_saving):
            skipped += 1
            if target.is_file():
                target.unlink()
                removed += 1
            continue
        bytes_in += len(data)
        bytes_out += len(packed)
        if target.is_file() and target.read_bytes() == packed:
            unchanged += 1
            continue
        target.write_bytes(packed)
        written += 1
    return PrecompressReport(written, unchanged, skipped, removed, bytes_in, bytes_out)


def describe(report: PrecompressReport) -> str:
    """One Vietnamese line for the build log."""
    saved = 100 * (1 - report.bytes_out / report.bytes_in) if report.bytes_in else 0.0
    return (
        f"Nén sẵn gzip: {report.written} tệp mới, {report.unchanged} giữ nguyên, "
        f"{report.skipped} bỏ qua (nhỏ hoặc khó nén), {report.removed} tệp .gz cũ đã xóa; "
        f"{report.bytes_in:,} → {report.bytes_out:,} byte (giảm {saved:.0f}%)."
    )
