"""`vanban serve`'s quick path (``builder.publish.serve_quick``): a save that changed only letters
renders the pages the change reaches and nothing else, and the served folder is then byte for byte
what a full build of the same files makes; a letter saved with an error leaves the site as it was
and shows its errors; anything else is a full build.

Driven in-process through ``serve_preview.PreviewBuilder`` (what MkDocs' preview server calls on
each save), without the HTTP server: tests/test_serve_preview.py shows the browser side.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
from conftest import SEED_IDS, make_project
from test_legal_effect import DECISION, REPLACING

from builder.publish import incremental
from builder.publish.serve_preview import PreviewBuilder, PreviewState
from builder.staff.new_letter import BODY_PLACEHOLDER

SERVE_URL = "http://127.0.0.1:8000/"
AMENDING = "---\nsua_doi: [15/2019/QĐ-UBND]\n---\n" + DECISION.replace(
    "15/2019/QĐ-UBND", "8/2024/QĐ-UBND"
).replace("ngày 12 tháng 3 năm 2019", "ngày 06 tháng 8 năm 2024")
"""Amends 15/2019 by its front matter only: no citation joins the two, only the legal effect."""
SEED = "004_8b77143a53b7dc4f.txt"


class Preview:
    """``vanban serve``'s builder on a project, in this process."""

    def __init__(self, project: Path, site: Path) -> None:
        from mkdocs.config import load_config

        self.project, self.site = project, site
        site.mkdir()

        def get_config():
            config = load_config(
                config_file=str(project / "mkdocs.yml"), site_dir=str(site), dev_addr="127.0.0.1:8000"
            )
            return config

        config = get_config()
        config.plugins.on_startup(command="serve", dirty=False)
        config.site_url = SERVE_URL
        self.state = PreviewState()
        self.builder = PreviewBuilder(get_config, SERVE_URL, site, self.state)
        self.config = config
        self.builder(config)
        assert self.builder.kind == "day-du" and self.state.failure is None

    def save(self, name: str, text: str) -> str:
        """Write a file of content/ as an editor does, and run what the server runs after it."""
        (self.project / "content" / name).write_text(text, encoding="utf-8")
        self.builder()
        return self.builder.kind

    def index_made(self) -> None:
        search = self.builder.memory.search
        if search is not None:
            search.wait()
            self.builder.memory.search = None

    def close(self) -> None:
        self.builder.close()
        self.config.plugins.on_shutdown()


@pytest.fixture
def preview(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Preview]:
    letters = {"qd-15-2019.txt": DECISION, "qd-7-2024.txt": REPLACING, "qd-8-2024.txt": AMENDING}
    project = make_project(tmp_path / "project", letters)
    config = project / "mkdocs.yml"  # lists of two letters a page: a letter moved shifts their pages
    config.write_text(
        config.read_text(encoding="utf-8").replace("page_size: 20", "page_size: 2"), encoding="utf-8"
    )
    monkeypatch.chdir(project)  # as `vanban serve` runs: messages name files from here
    shown = Preview(project, tmp_path / "served")
    try:
        yield shown
    finally:
        shown.close()


def _files(root: Path) -> dict[str, bytes]:
    return {p.relative_to(root).as_posix(): p.read_bytes() for p in root.rglob("*") if p.is_file()}


def _full_build(project: Path, out: Path) -> dict[str, bytes]:
    """`mkdocs build` of the same files, with the served site's URL."""
    result = subprocess.run(
        [sys.executable, "-m", "mkdocs", "build", "-q", "-d", str(out)],
        cwd=project,
        env={**os.environ, "SITE_URL": SERVE_URL},
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    return _files(out)


def _differences(served: dict[str, bytes], built: dict[str, bytes]) -> list[str]:
    """Files that differ. The fingerprints file may differ in its search key only (under serve the
    index is made in the background, so the next build does not trust it): every page's
    fingerprint must be the full build's, or a page the quick path missed would be carried over
    stale by the next build."""
    names = sorted(served.keys() ^ built.keys())
    names += [n for n in sorted(served.keys() & built.keys()) if served[n] != built[n]]
    if incremental.FINGERPRINTS in names and incremental.FINGERPRINTS in served.keys() & built.keys():
        fingerprints = [json.loads(files[incremental.FINGERPRINTS]) for files in (served, built)]
        for read in fingerprints:
            read.pop("search")
        if fingerprints[0] == fingerprints[1]:
            names.remove(incremental.FINGERPRINTS)
    return names


def test_saved_letters_take_the_quick_path_and_equal_a_full_build(preview: Preview, tmp_path: Path) -> None:
    content = preview.project / "content"
    seed = (content / SEED).read_text(encoding="utf-8")
    before = _files(preview.site)

    # A phrase of the body: the letter's page, its original, its open-data record, the lists.
    assert preview.save(SEED, seed.replace("thực hiện", "kiểm tra lần một", 1)) == "nhanh"
    after = _files(preview.site)
    changed = {n for n in after if after[n] != before.get(n)}
    page = f"van-ban/{SEED_IDS['004']}/index.html"
    assert page in changed and "kiểm tra lần một" in after[page].decode()
    assert not any(n.startswith("van-ban/nam/") for n in changed), sorted(changed)  # no list shows it

    # The amended decision's title: its page, the lists it is on, the page of the decision that
    # replaces it (it cites it) and the page of the one that amends it (legal effect only).
    decision = DECISION.replace("Quy chế làm việc", "Quy chế làm việc (SỬA ĐỔI LẦN HAI)", 1)
    assert preview.save("qd-15-2019.txt", decision) == "nhanh"

    # A date within its month: the lists' order (and so their pages), the newest letters on the
    # home page and the feed; the month's count, so the browse facets, unchanged.
    moved = AMENDING.replace("ngày 06 tháng 8 năm 2024", "ngày 04 tháng 8 năm 2024")
    assert preview.save("qd-8-2024.txt", moved) == "nhanh"
    preview.index_made()

    served = _files(preview.site)
    built = _full_build(preview.project, tmp_path / "built")
    assert _differences(served, built) == []
    assert "SỬA ĐỔI LẦN HAI" in served["van-ban/qd-15-2019/index.html"].decode()


def test_a_letter_saved_with_an_error_keeps_the_site_and_shows_its_errors(preview: Preview) -> None:
    content = preview.project / "content"
    seed = (content / SEED).read_text(encoding="utf-8")
    page = preview.site / f"van-ban/{SEED_IDS['004']}/index.html"
    shown = page.read_bytes()

    assert (
        preview.save(SEED, seed.replace("ngày 15/9/2021", "ngày 15/9/2021\n\n" + BODY_PLACEHOLDER, 1))
        == "loi"
    )
    failure = preview.state.failure
    assert failure is not None and failure.diagnostics
    assert {d.path for d in failure.diagnostics} == {f"content/{SEED}"}
    assert page.read_bytes() == shown  # the last good page stays served

    assert preview.save(SEED, seed.replace("thực hiện", "đã sửa lỗi", 1)) == "nhanh"
    assert preview.state.failure is None and "đã sửa lỗi" in page.read_text(encoding="utf-8")


def test_what_is_not_a_letter_is_a_full_build(preview: Preview) -> None:
    assert preview.save(f".{SEED}.swp", "an editor's swap file") == "nhanh"  # the archive skips it
    assert preview.builder.outcome is not None and preview.builder.outcome.rendered == 0
    config = preview.project / "mkdocs.yml"
    config.write_text(config.read_text(encoding="utf-8") + "\n", encoding="utf-8")
    preview.builder()
    assert preview.builder.kind == "day-du"
    (preview.project / "content" / "moi.txt").write_text(
        DECISION.replace("15/2019", "16/2019"), encoding="utf-8"
    )
    preview.builder()
    assert preview.builder.kind == "day-du" and (preview.site / "van-ban/moi/index.html").is_file()


def test_an_archive_with_a_letter_replaced_links_citations_again_only_when_it_must(tmp_path: Path) -> None:
    """``Archive.replacing``: the quick path's archive. Citations are linked again when a replaced
    letter's number (or what else links them) changed, and kept as they were otherwise."""
    import dataclasses

    from builder.archive.read import read_archive

    project = make_project(
        tmp_path / "p", {"qd-15-2019.txt": DECISION, "qd-7-2024.txt": REPLACING}, seeds=False
    )
    archive = read_archive(project / "content")
    decision, replacing = archive.by_id["qd-15-2019"], archive.by_id["qd-7-2024"]
    assert archive.cites(replacing) == [decision]

    retitled = dataclasses.replace(decision, trich_yeu="Về việc khác")
    kept = archive.replacing({decision.id: retitled}, archive.diagnostics)
    assert kept.cites(replacing) == [retitled] and kept.cited_by(retitled) == [replacing]

    renumbered = dataclasses.replace(decision, so_ky_hieu="99/2019/QĐ-UBND")
    linked_again = archive.replacing({decision.id: renumbered}, archive.diagnostics)
    assert linked_again.cites(replacing) == [] and linked_again.cited_by(renumbered) == []
