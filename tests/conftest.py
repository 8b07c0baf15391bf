"""Shared fixtures: a copy of the project to build, a real MkDocs build, a
local web server and headless Chromium (Debian's, driven by Playwright)."""

from __future__ import annotations

import functools
import http.server
import os
import shutil
import subprocess
import sys
import threading
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pytest

from benchmarks.ranges import RangeHandler

if TYPE_CHECKING:
    from builder.letters.letter import Letter

REPO = Path(__file__).resolve().parent.parent
SEEDS = sorted((REPO / "content").glob("*.txt"))
SEED_IDS = {  # seed prefix -> letter id (slug of the file path), as the pages and search use it
    "000": "000-7b39c955ad7f8a28",
    "001": "001-c4338ab285b75807",
    "002": "002-1df910771a3bcb65",
    "003": "003-e735ed85d8d8326f",
    "004": "004-8b77143a53b7dc4f",
}
CHROMIUM = os.environ.get("CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


def make_project(root: Path, letters: dict[str, bytes | str] | None = None, seeds: bool = True) -> Path:
    """A buildable copy of the project in ``root``: mkdocs.yml, theme, content.

    ``letters`` adds files under ``content/`` (name -> bytes or text);
    ``seeds=False`` keeps only the data files (registry), not the seed letters.
    """
    root.mkdir(parents=True, exist_ok=True)
    shutil.copy(REPO / "mkdocs.yml", root / "mkdocs.yml")
    (root / "site_theme").symlink_to(REPO / "site_theme", target_is_directory=True)
    if (REPO / "pages").is_dir():  # mkdocs.yml's docs_dir: the hand-written pages
        shutil.copytree(REPO / "pages", root / "pages")
    ignore = None if seeds else shutil.ignore_patterns("*.txt")
    shutil.copytree(REPO / "content", root / "content", ignore=ignore)
    for name, data in (letters or {}).items():
        target = root / "content" / name
        target.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(data, str):
            target.write_text(data, encoding="utf-8")
        else:
            target.write_bytes(data)
    return root


def search_site(root: Path, letters: list[Letter]) -> Path:
    """The search stage alone over ``letters``: the whoosh index in ``root/cache``, the browser index
    in ``root/site`` with the site's scripts beside it (what the browser tests serve)."""
    from builder.search.static_index import publish_search  # not for every test: it loads whoosh

    publish_search(letters, root / "site", root / "cache")
    shutil.copytree(REPO / "site_theme" / "assets" / "javascripts", root / "site" / "assets" / "javascripts")
    return root


SEARCH_HARNESS = """<!doctype html><meta charset="utf-8"><script type="module">
import { SearchIndex } from "./assets/javascripts/search.js";
window.run = async (q) => {
  const ix = new SearchIndex("tim-kiem/");
  const r = await ix.search(q, {}, { count: 10 });
  const docs = await Promise.all(r.ranked.map((h) => ix.doc(h.docnum)));
  return { ids: docs.map((d) => d.id), bytes: ix.bytes, requests: ix.requests };
};
window.ready = true;
</script>"""


def search_harness(browser: Any, serve: Callable[[Path], str], site: Path) -> Any:
    """A page of ``site`` (a ``search_site``'s ``site``) whose ``window.run(query)`` asks the browser
    index as the search page does: ``{ids, bytes, requests}`` of the first ten, in order."""
    (site / "harness.html").write_text(SEARCH_HARNESS, encoding="utf-8")
    page = browser.new_page()
    page.goto(f"{serve(site)}/harness.html")
    page.wait_for_function("window.ready === true")
    return page


def run_mkdocs(project: Path, *args: str, tool: str = "mkdocs") -> subprocess.CompletedProcess[str]:
    """``mkdocs build`` (or ``properdocs build``) in ``project``, output captured."""
    return subprocess.run(
        [sys.executable, "-m", tool, "build", *args],
        cwd=project,
        capture_output=True,
        text=True,
        timeout=600,
    )


@pytest.fixture(scope="session")
def seed_project(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The committed project (mkdocs.yml, theme, content/) copied once, built once."""
    project = make_project(tmp_path_factory.mktemp("seed") / "project")
    result = run_mkdocs(project)
    assert result.returncode == 0, result.stdout + result.stderr
    return project


@pytest.fixture(scope="session")
def seed_site(seed_project: Path) -> Path:
    """The site built from ``content/`` by a real MkDocs build."""
    return seed_project / "site"


class _QuietHandler(RangeHandler):
    """Answers Range requests, as the hosts do (``benchmarks.ranges``)."""


@functools.cache
def _serve(directory: str) -> str:
    handler = functools.partial(_QuietHandler, directory=directory)
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return f"http://127.0.0.1:{server.server_address[1]}"


@pytest.fixture(scope="session")
def serve() -> object:
    """``serve(site_dir) -> base URL``: a static server on loopback for the session."""
    return lambda site_dir: _serve(str(site_dir))


@pytest.fixture(scope="session")
def seed_url(seed_site: Path, serve) -> str:
    return serve(seed_site)


@pytest.fixture(scope="session")
def browser() -> Iterator[object]:
    """Debian's headless Chromium, driven by Playwright (no browser download)."""
    playwright_api = pytest.importorskip("playwright.sync_api")
    if not Path(CHROMIUM).exists():
        pytest.fail(f"Chromium not found at {CHROMIUM}: apt-get install chromium")
    with playwright_api.sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


@pytest.fixture(params=[360, 1280], ids=["phone", "desktop"])
def page(request: pytest.FixtureRequest, browser) -> Iterator[object]:
    """A fresh page at phone and desktop width; fails the test on any page error."""
    context = browser.new_context(viewport={"width": request.param, "height": 800}, locale="vi-VN")
    page = context.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    yield page
    context.close()
    assert not errors, f"JavaScript errors: {errors}"


@pytest.fixture(scope="session")
def extra_project(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The seeds plus a citing, a withdrawn and a hostile letter (tests/site_letters.py),
    with two letters per list page so pagination shows; built once by MkDocs."""
    from site_letters import extra_letters

    project = make_project(tmp_path_factory.mktemp("extra") / "project", letters=extra_letters())
    config = project / "mkdocs.yml"
    text = config.read_text(encoding="utf-8")
    assert "page_size: 20" in text
    config.write_text(text.replace("page_size: 20", "page_size: 2"), encoding="utf-8")
    result = run_mkdocs(project)
    assert result.returncode == 0, result.stdout + result.stderr
    return project


@pytest.fixture(scope="session")
def extra_site(extra_project: Path) -> Path:
    return extra_project / "site"
