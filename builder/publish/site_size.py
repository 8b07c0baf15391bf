"""How big the built site is, and whether the host configured in ``mkdocs.yml`` takes it.

Static hosts cap what they publish: GitHub Pages a published site of 1 GB,
Cloudflare Pages 20,000 files (100,000 on a paid plan) of at most 25 MiB each,
GitLab Pages 200,000 files in a deployment and (on GitLab.com) a 1 GB artifact.
An own server (``deploy/``) has no such limit. The build prints the site's size
and file count and warns, in Vietnamese, before a deploy would fail.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

MB = 1024 * 1024
GB = 1024 * MB


@dataclass(frozen=True, slots=True)
class HostLimits:
    """What one host publishes at most (None: no limit)."""

    name: str
    """As the warning names it."""
    files: int | None = None
    bytes: int | None = None
    file_bytes: int | None = None


HOSTS: dict[str, HostLimits] = {
    "github-pages": HostLimits("GitHub Pages", bytes=GB),
    "cloudflare-pages": HostLimits("Cloudflare Pages (gói miễn phí)", files=20_000, file_bytes=25 * MB),
    "cloudflare-pages-paid": HostLimits("Cloudflare Pages (gói trả phí)", files=100_000, file_bytes=25 * MB),
    "gitlab-pages": HostLimits("GitLab Pages", files=200_000, bytes=GB),
    "own-server": HostLimits("máy chủ riêng"),
}
"""The ``host`` option of the plugin in ``mkdocs.yml``."""


@dataclass(frozen=True, slots=True)
class SiteSize:
    files: int
    bytes: int
    largest: int
    largest_path: str


def measure(site: Path) -> SiteSize:
    """Every file under ``site`` (hard links counted as the host counts them: once per path)."""
    files = total = largest = 0
    largest_path = ""
    stack = [site]
    while stack:
        with os.scandir(stack.pop()) as entries:
            for entry in entries:
                if entry.is_dir(follow_symlinks=False):
                    stack.append(Path(entry.path))
                elif entry.is_file(follow_symlinks=False):
                    size = entry.stat(follow_symlinks=False).st_size
                    files += 1
                    total += size
                    if size > largest:
                        largest, largest_path = size, Path(entry.path).relative_to(site).as_posix()
    return SiteSize(files, total, largest, largest_path)


def summary(size: SiteSize) -> str:
    return f"trang gồm {_count(size.files)} tệp, {_decimal(size.bytes / MB)} MB"


def _count(value: int) -> str:
    """Vietnamese digit grouping: 20.000."""
    return f"{value:,}".replace(",", ".")


def _decimal(value: float) -> str:
    """Vietnamese decimals: 1.234,5."""
    return f"{value:,.1f}".replace(",", " ").replace(".", ",").replace(" ", ".")


def over_limits(size: SiteSize, host: str) -> list[str]:
    """One Vietnamese sentence per limit of ``host`` the site passes, with what to do."""
    limits = HOSTS[host]
    problems = []
    if limits.files is not None and size.files > limits.files:
        problems.append(
            f"trang có {_count(size.files)} tệp, quá giới hạn {_count(limits.files)} tệp của {limits.name}"
            " — chọn nơi đăng khác (host trong mkdocs.yml) hoặc đăng lên máy chủ riêng (deploy/HUONG-DAN.md)"
        )
    if limits.bytes is not None and size.bytes > limits.bytes:
        problems.append(
            f"trang nặng {_decimal(size.bytes / MB)} MB, quá giới hạn {_count(limits.bytes // MB)} MB"
            f" của {limits.name} — đăng lên máy chủ riêng (deploy/HUONG-DAN.md)"
        )
    if limits.file_bytes is not None and size.largest > limits.file_bytes:
        problems.append(
            f"tệp {size.largest_path} nặng {_decimal(size.largest / MB)} MB, quá giới hạn"
            f" {_count(limits.file_bytes // MB)} MB mỗi tệp của {limits.name} — thu nhỏ hoặc bỏ tệp này"
        )
    return problems
