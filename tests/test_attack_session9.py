"""Attacks on session 9's work (issues 17 and 19): `vanban serve`'s rebuilds, incremental builds,
the browser index's reads, hostile letter files and what their text becomes in every output.

Each test here failed on the main it was written against, or pins what held cheaply.
"""

from __future__ import annotations

import time
from pathlib import Path

from conftest import make_project
from test_serve_errors import Serve, _bad_letter, _get

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
