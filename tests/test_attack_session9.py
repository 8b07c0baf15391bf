"""Attacks on session 9's work (issues 17 and 19): `vanban serve`'s rebuilds, incremental builds,
the browser index's reads, hostile letter files and what their text becomes in every output.

Each test here failed on the main it was written against, or pins what held cheaply.
"""

from __future__ import annotations

import functools
import http.server
import re
import threading
import time
from pathlib import Path
from typing import ClassVar

import pytest
from conftest import REPO, make_project, search_harness, search_site
from test_serve_errors import Serve, _bad_letter, _get

from benchmarks.ranges import RangeHandler
from builder.archive.content_files import survey
from builder.archive.read import read_archive

# --- vanban serve: the last good site it falls back to is whole ------------------------------------


def test_a_failed_rebuild_under_serve_keeps_the_last_good_search_index(tmp_path: Path) -> None:
    """Under serve the index is made in the background after the pages; the copy of the last good
    site (what a failed build restores) was taken before it was done, so one failed save left the
    search page with no index (tim-kiem/manifest.json 404) until a build succeeded again."""
    project = make_project(tmp_path / "serve")
    serve = Serve(project, tmp_path / "serve.log")
    try:
        serve.wait_for("/tim-kiem/manifest.json", 200)
        time.sleep(1)
        (project / "content" / "loi.txt").write_text(_bad_letter(project), encoding="utf-8")
        deadline = time.monotonic() + 120
        while "vanban serve: dựng trang bị lỗi" not in (tmp_path / "serve.log").read_text(encoding="utf-8"):
            assert time.monotonic() < deadline, "the failed build never ended"
            time.sleep(0.3)
        assert _get(serve.url + "/tim-kiem/manifest.json")[0] == 200
    finally:
        serve.stop()


# --- the browser index read through hosts and caches that answer Range requests wrongly ----------


class _StaleCache(RangeHandler):
    """A cache that keys a file's 206 answer by its URL alone (the Range header left out of the
    key, a known CDN misconfiguration): every later part of the file gets the first part sent."""

    first: ClassVar[dict[str, str]] = {}

    def send_head(self):  # type: ignore[no-untyped-def]
        asked = self.headers.get("Range")
        if asked is not None:
            first = self.first.setdefault(self.path, asked)
            self.headers.replace_header("Range", first)
        return super().send_head()


class _ShortParts(RangeHandler):
    """A host that sends at most 64 bytes of a part, saying so in Content-Range (as a server may)."""

    def send_head(self):  # type: ignore[no-untyped-def]
        asked = self.headers.get("Range", "")
        match = re.match(r"bytes=(\d+)-(\d+)$", asked)
        if match:
            start, end = int(match.group(1)), int(match.group(2))
            self.headers.replace_header("Range", f"bytes={start}-{min(end, start + 63)}")
        return super().send_head()


def _serve_with(handler: type[RangeHandler], directory: Path) -> str:
    server = http.server.ThreadingHTTPServer(
        ("127.0.0.1", 0), functools.partial(handler, directory=str(directory))
    )
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return f"http://127.0.0.1:{server.server_address[1]}"


@pytest.fixture(scope="module")
def seed_search(tmp_path_factory: pytest.TempPathFactory) -> Path:
    archive = read_archive(REPO / "content")
    return search_site(
        tmp_path_factory.mktemp("ranges"), [archive.store.with_body(x) for x in archive.letters]
    )


QUERIES = ["ủy ban nhân dân", "2642/UBND-VX", "phòng chống dịch covid", "lai chau", "kế hoạch", "chỉ thị 16"]


@pytest.mark.browser
@pytest.mark.parametrize("handler", [_StaleCache, _ShortParts], ids=["stale-cache", "short-parts"])
def test_a_wrong_range_answer_never_gives_wrong_results(
    seed_search: Path, browser, serve, handler: type[RangeHandler]
) -> None:
    """search.js takes any 206 for the bytes it asked for, without reading Content-Range. Holds
    today because Chromium refuses a 206 whose Content-Range is not the asked range ("Failed to
    fetch"), and in Node (which does not) the deflated pieces fail to inflate: results are the
    right ones, or the search fails and says so, never wrong ones. A pin for the Range-read
    columns and filters of issue 17."""
    expected = search_harness(browser, serve, seed_search / "site")
    broken = browser.new_page()
    broken.goto(f"{_serve_with(handler, seed_search / 'site')}/harness.html")
    broken.wait_for_function("window.ready === true")
    wrong = []
    for query in QUERIES:
        right = expected.evaluate("q => window.run(q)", query)["ids"]
        assert right, query
        try:
            got = broken.evaluate("q => window.run(q)", query)["ids"]
        except Exception:  # the search failed and said so: acceptable
            continue
        if got != right:
            wrong.append((query, right, got))
    assert wrong == []


# --- content/ changing while it is read (an editor's temporary files, a git checkout, a rename) ---


@pytest.mark.parametrize(
    ("name", "when"),
    [("4913", 1), ("zz-moi.txt", 1), ("004_8b77143a53b7dc4f.pdf", 1), ("004_8b77143a53b7dc4f.pdf", 2)],
    ids=["vim-4913", "letter", "original-listed", "original-read"],
)
def test_a_file_removed_while_content_is_listed_is_not_a_crash(tmp_path: Path, name: str, when: int) -> None:
    """vim writes and removes a file named 4913 beside every file it saves; `git checkout` and
    editors that save by renaming remove files too. One gone between the listing of content/ and
    its lstat made the build fail with FileNotFoundError (a traceback, or under `vanban serve` an
    English error panel for a file that no longer exists): reproduced by a thread creating and
    removing a file in 301 of 3,000 listings. Here it is removed at that very moment (the
    ``when``-th time the listing names it: an original is looked at twice)."""
    project = make_project(tmp_path / "p")
    doomed = project / "content" / name
    doomed.write_bytes(b"%PDF-1.4\n" if name.endswith(".pdf") else b"x")
    asked = []

    def shown(path: Path) -> str:  # asked just before the file is looked at
        if path == doomed:
            asked.append(path)
            if len(asked) == when:
                doomed.unlink()
        return str(path)

    found = survey(project / "content", shown)
    assert len(asked) == when
    assert doomed not in found.letters and len(found.letters) == 5 and found.originals == {}
    assert [d.message for d in found.diagnostics] == []
