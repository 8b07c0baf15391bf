"""Builds that fail leave the published site alone; builds that succeed are reproducible;
the site builds with MkDocs, ProperDocs and ``vanban build``, and ``vanban serve`` rebuilds
when a letter changes."""

from __future__ import annotations

import json
import os
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest
from conftest import REPO, make_project, run_mkdocs

SEED = "002_1df910771a3bcb65.txt"


def _tree(site: Path) -> dict[str, bytes]:
    return {p.relative_to(site).as_posix(): p.read_bytes() for p in sorted(site.rglob("*")) if p.is_file()}


def _classified_letter() -> tuple[str, int]:
    """Seed 002 with a MẬT (classified) mark: such a letter must never be published."""
    lines = (REPO / "content" / SEED).read_text(encoding="utf-8").split("\n")
    at = next(i for i, line in enumerate(lines) if line.startswith("Số:")) + 1
    lines[at:at] = ["", "MẬT"]
    return "\n".join(lines), at + 2  # 1-based line of "MẬT"


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> Path:
    project = make_project(tmp_path_factory.mktemp("safety") / "project")
    result = run_mkdocs(project)
    assert result.returncode == 0, result.stdout + result.stderr
    return project


def _siblings(project: Path) -> list[str]:
    return sorted(p.name for p in project.iterdir() if p.name.startswith("site") and p.name != "site_theme")


def test_a_broken_letter_leaves_the_previous_site_untouched(built: Path) -> None:
    before = _tree(built / "site")
    text, line = _classified_letter()
    broken = built / "content" / "2021" / "mat.txt"
    broken.parent.mkdir(exist_ok=True)
    broken.write_text(text, encoding="utf-8")
    try:
        result = run_mkdocs(built)
    finally:
        shutil.rmtree(broken.parent)
    output = result.stdout + result.stderr
    assert result.returncode != 0, output
    assert f"content/2021/mat.txt:{line}:" in output, output
    assert "lỗi" in output
    assert _tree(built / "site") == before
    assert _siblings(built) == ["site"], "no staging folder left behind"


def test_an_error_in_a_later_stage_leaves_the_previous_site_untouched(built: Path) -> None:
    """A template that fails while pages are written (after the staging folder was cleaned)."""
    before = _tree(built / "site")
    theme = built / "site_theme"
    theme.unlink()
    shutil.copytree(REPO / "site_theme", theme)
    (theme / "van-ban.html").write_text(
        "{% extends 'main.html' %}{% block content %}{{ 1 / 0 }}{% endblock %}"
    )
    try:
        result = run_mkdocs(built)
    finally:
        shutil.rmtree(theme)
        theme.symlink_to(REPO / "site_theme", target_is_directory=True)
    assert result.returncode != 0
    assert "division by zero" in result.stdout + result.stderr
    assert _tree(built / "site") == before
    assert _siblings(built) == ["site"]


def test_a_failing_search_stage_leaves_the_previous_site_untouched(built: Path) -> None:
    """The search index is built in a forked process while pages are written; its failure fails
    the build (a file where the whoosh index folder belongs makes it fail for real)."""
    before = _tree(built / "site")
    index = built / ".cache" / "vanban" / "whoosh"
    saved = index.with_name("whoosh-saved")
    index.rename(saved)
    index.write_text("không phải thư mục", encoding="utf-8")
    # A changed letter, so that the search index must be made again (an unchanged one is carried over).
    seed = (REPO / "content" / "002_1df910771a3bcb65.txt").read_text(encoding="utf-8")
    added = built / "content" / "them-mot-van-ban.txt"
    added.write_text(seed.replace("Số: 2642/UBND-VX", "Số: 2777/UBND-VX", 1), encoding="utf-8")
    try:
        result = run_mkdocs(built)
    finally:
        added.unlink()
        index.unlink()
        saved.rename(index)
    output = result.stdout + result.stderr
    assert result.returncode != 0, output
    assert "không tạo được chỉ mục tìm kiếm" in output and "whoosh" in output, output
    if len(os.sched_getaffinity(0)) > 1:
        assert "song song" in output, "the search stage ran beside the pages, in its own process"
    assert _tree(built / "site") == before
    assert _siblings(built) == ["site"]


def test_a_strict_build_with_a_warning_leaves_the_previous_site_untouched(built: Path) -> None:
    """MkDocs judges --strict after the last plugin event; the swap must not happen first."""
    before = _tree(built / "site")
    page = built / "pages" / "hong.md"
    page.write_text("# Hỏng\n\n[liên kết hỏng](khong-co.md)\n", encoding="utf-8")
    try:
        result = run_mkdocs(built, "--strict")
    finally:
        page.unlink()
    assert result.returncode != 0
    assert "khong-co.md" in result.stdout + result.stderr
    assert _tree(built / "site") == before
    assert _siblings(built) == ["site"]


def test_two_builds_are_byte_identical(tmp_path: Path) -> None:
    """Two checkouts in two folders, built one after the other: the same bytes."""
    trees = []
    for name in ("first", "second"):
        project = make_project(tmp_path / name)
        result = run_mkdocs(project)
        assert result.returncode == 0, result.stdout + result.stderr
        trees.append(_tree(project / "site"))
    first, second = trees
    assert sorted(first) == sorted(second)
    assert [name for name in first if first[name] != second[name]] == []
    assert "sitemap.xml.gz" in first


def test_properdocs_builds_the_site(tmp_path: Path) -> None:
    project = make_project(tmp_path / "properdocs")
    result = run_mkdocs(project, tool="properdocs")
    assert result.returncode == 0, result.stdout + result.stderr
    assert "vanban: đọc" in result.stdout + result.stderr, "our plugin ran"
    site = project / "site"
    for name in (
        "index.html",
        "van-ban/index.html",
        "tim-kiem/index.html",
        "feed.xml",
        "sitemap.xml",
        "404.html",
    ):
        assert (site / name).is_file(), name
    records = json.loads((site / "data" / "van-ban.json").read_text(encoding="utf-8"))
    assert len(records) == 5
    for record in records:
        page = (site / "van-ban" / record["id"] / "index.html").read_text(encoding="utf-8")
        assert "vb-letter__signature" in page and 'lang="vi"' in page


def test_vanban_build_and_progress_lines(tmp_path: Path) -> None:
    project = make_project(tmp_path / "cli")
    result = subprocess.run(
        [sys.executable, "-m", "builder.cli", "build"],
        cwd=project,
        capture_output=True,
        text=True,
        timeout=600,
    )
    output = result.stdout + result.stderr
    assert result.returncode == 0, output
    assert "vanban: đọc 5 văn bản" in output
    assert "vanban: tệp gốc, dữ liệu mở" in output
    assert (project / "site" / "van-ban" / "index.html").exists()


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _get(url: str) -> str:
    with urllib.request.urlopen(url, timeout=5) as response:
        return response.read().decode("utf-8")


def _wait_for(predicate, timeout: float = 90) -> bool:
    end = time.monotonic() + timeout
    while time.monotonic() < end:
        try:
            if predicate():
                return True
        except OSError:
            pass
        time.sleep(0.5)
    return False


def test_vanban_serve_rebuilds_when_a_letter_changes(tmp_path: Path) -> None:
    project = make_project(tmp_path / "serve")
    port = _free_port()
    server = subprocess.Popen(
        [sys.executable, "-m", "builder.cli", "serve", "-a", f"127.0.0.1:{port}"],
        cwd=project,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        home = f"http://127.0.0.1:{port}/van-ban/"
        assert _wait_for(lambda: "Văn bản" in _get(home)), "vanban serve did not start"
        text = (REPO / "content" / SEED).read_text(encoding="utf-8")
        added = text.replace("Số: 2642/UBND-VX", "Số: 2777/UBND-VX", 1)
        (project / "content" / "moi.txt").write_text(added, encoding="utf-8")
        assert _wait_for(lambda: "2777/UBND-VX" in _get(home)), "no rebuild after content/ changed"
    finally:
        server.terminate()
        server.wait(timeout=30)
