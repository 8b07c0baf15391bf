"""The search stage in a forked process (``builder.mkdocs_plugin.SearchProcess``), as the site
build runs it beside the rendering: the same files and report as inline, its failure comes
back as the build's error, and stopping it leaves no process of its group behind.

The real ``publish_search`` on the seed letters; the whole build is in test_build_safety.py.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from conftest import REPO
from mkdocs.exceptions import PluginError

from builder.archive import Archive, read_archive
from builder.mkdocs_plugin import SearchProcess
from builder.static_index import publish_search


@pytest.fixture(scope="module")
def archive(tmp_path_factory: pytest.TempPathFactory) -> Archive:
    """The seeds as the build reads them: metadata in ``letters``, bodies in ``bodies``."""
    archive = read_archive(REPO / "content", tmp_path_factory.mktemp("cache"))
    assert len([x for x in archive.letters if x.is_listed]) == 5
    return archive


def _tree(root: Path) -> dict[str, bytes]:
    return {p.relative_to(root).as_posix(): p.read_bytes() for p in sorted(root.rglob("*")) if p.is_file()}


def test_same_files_and_report_as_inline(archive: Archive, tmp_path: Path) -> None:
    inline = publish_search(
        archive.letters, tmp_path / "inline" / "site", tmp_path / "inline" / "cache", archive.bodies
    )
    forked = SearchProcess(
        archive.letters, archive.bodies, tmp_path / "forked" / "site", tmp_path / "forked" / "cache"
    ).wait()
    assert forked == inline
    assert forked.letters == 5 and forked.files > 0
    site = _tree(tmp_path / "forked" / "site")
    assert site == _tree(tmp_path / "inline" / "site")
    assert any(name.startswith("tim-kiem/") for name in site)


def test_a_failure_in_the_child_is_the_builds_error(archive: Archive, tmp_path: Path) -> None:
    cache = tmp_path / "cache"
    cache.mkdir()
    (cache / "whoosh").write_text("không phải thư mục", encoding="utf-8")
    search = SearchProcess(archive.letters, archive.bodies, tmp_path / "site", cache)
    with pytest.raises(PluginError, match="không tạo được chỉ mục tìm kiếm: NotADirectoryError"):
        search.wait()
    assert search.process.exitcode == 0, "the child reported the error and ended normally"


def test_stop_ends_the_child_and_its_group(archive: Archive, tmp_path: Path) -> None:
    search = SearchProcess(archive.letters, archive.bodies, tmp_path / "site", tmp_path / "cache")
    pid = search.process.pid
    assert os.getpgid(pid) == pid, "the child leads its own process group"
    search.stop()
    assert search.process.exitcode is not None
    with pytest.raises(ProcessLookupError):
        os.killpg(pid, 0)
