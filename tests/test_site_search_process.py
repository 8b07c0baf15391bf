"""The search stage in a forked process (``builder.publish.search_process.SearchProcess``), as the site
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

from builder.archive.read import Archive, read_archive
from builder.publish.search_process import SearchProcess
from builder.search.static_index import publish_search


@pytest.fixture(scope="module")
def archive(tmp_path_factory: pytest.TempPathFactory) -> Archive:
    """The seeds as the build reads them: metadata in ``letters``, each letter whole in ``store``."""
    archive = read_archive(REPO / "content", tmp_path_factory.mktemp("cache"))
    assert len([x for x in archive.letters if x.is_listed]) == 5
    return archive


def _tree(root: Path) -> dict[str, bytes]:
    return {p.relative_to(root).as_posix(): p.read_bytes() for p in sorted(root.rglob("*")) if p.is_file()}


def test_same_files_and_report_as_inline(archive: Archive, tmp_path: Path) -> None:
    inline = publish_search(
        archive.store.select(archive.letters), tmp_path / "inline" / "site", tmp_path / "inline" / "cache"
    )
    search = SearchProcess(tmp_path / "forked" / "site", tmp_path / "forked" / "cache")
    search.start(archive.store.select(archive.letters))
    forked = search.wait()
    assert forked == inline
    assert forked.letters == 5 and forked.files > 0
    site = _tree(tmp_path / "forked" / "site")
    assert site == _tree(tmp_path / "inline" / "site")
    assert any(name.startswith("tim-kiem/") for name in site)


def test_a_failure_in_the_child_is_the_builds_error(archive: Archive, tmp_path: Path) -> None:
    cache = tmp_path / "cache"
    cache.mkdir()
    (cache / "whoosh").write_text("không phải thư mục", encoding="utf-8")
    search = SearchProcess(tmp_path / "site", cache)
    search.start(archive.store.select(archive.letters))
    with pytest.raises(PluginError, match="không tạo được chỉ mục tìm kiếm: NotADirectoryError"):
        search.wait()
    assert search.process.exitcode == 0, "the child reported the error and ended normally"


def test_stop_ends_the_child_and_its_group(archive: Archive, tmp_path: Path) -> None:
    search = SearchProcess(tmp_path / "site", tmp_path / "cache")
    search.start(archive.store.select(archive.letters))
    pid = search.process.pid
    assert os.getpgid(pid) == pid, "the child leads its own process group"
    search.stop()
    assert search.process.exitcode is not None
    with pytest.raises(ProcessLookupError):
        os.killpg(pid, 0)


def test_stored_letters_publish_what_whole_letters_do_in_any_order(archive: Archive, tmp_path: Path) -> None:
    """The build hands the search stage letters read back from the store; a list of whole
    letters, even in another order, publishes the same files."""
    stored = archive.store.select(archive.letters)
    assert all(letter.noi_dung for letter in stored)  # read back whole, body included
    whole = [archive.store.with_body(letter) for letter in reversed(archive.letters)]
    from_store = publish_search(stored, tmp_path / "a" / "site", tmp_path / "a" / "cache")
    from_list = publish_search(whole, tmp_path / "b" / "site", tmp_path / "b" / "cache")
    assert from_store == from_list
    assert _tree(tmp_path / "a" / "site") == _tree(tmp_path / "b" / "site")


def test_a_child_stopped_before_it_has_letters_ends_quietly(archive: Archive, tmp_path: Path) -> None:
    """The build forks the search process before reading; a bad letter stops the build before
    the child gets its letters, and the child writes nothing."""
    search = SearchProcess(tmp_path / "site", tmp_path / "cache")
    search.stop()
    assert not search.process.is_alive()
    assert not (tmp_path / "site").exists()


def test_a_store_opened_before_the_fork_is_read_in_the_child(tmp_path: Path) -> None:
    """The child reads letters a store kept after the fork, through the descriptor it inherited."""
    from builder.archive.store import LetterStore

    store = LetterStore(tmp_path / "cache")
    search = SearchProcess(tmp_path / "site", tmp_path / "cache")
    archive = read_archive(REPO / "content", store=store)  # read after the fork, as the build does
    search.start(store.select(archive.letters))
    report = search.wait()
    assert report.letters == 5 and (tmp_path / "site" / "tim-kiem" / "manifest.json").exists()
