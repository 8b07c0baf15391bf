"""Queries in headless Chromium: bytes on the wire and time to results, for our search and the peers.

Every query runs twice:

- **cold**: a fresh browser context (empty cache) opens the page that shows
  results for the query; time is from navigation start to the first result
  on screen (``performance.now()`` in the page), bytes are every response of
  that load that the query costs (see ``counted``), each as a server sends it
  (``measure.wire_size``: gzip level 9 when smaller, as the deployment does);
- **warm**: in the same page, with everything already downloaded, the same
  query is run again (the results are cleared first); time is from the call
  to results on screen. This is the search itself, without the network.

What counts, per engine (material's own theme CSS/JS, fonts and icons that
every page of the site loads anyway are never counted, nor ``/sitemap.xml``,
which material 9.8's bundle fetches on every page load where it runs: the material peer's
pages, not ours, which leave the bundle out):

- ours: the search page ``/tim-kiem/?q=…`` (HTML), our JS/CSS, every index file;
- Pagefind: everything under ``/pagefind/`` (JS, wasm, meta, chunks, the
  fragments of the first ten results); not the tiny harness page;
- mkdocs-material: ``search/search_index.json`` and the search worker script.
"""

from __future__ import annotations

import functools
import http.server
import statistics
import threading
import time
import urllib.parse
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from benchmarks.measure import wire_size
from benchmarks.ranges import RangeHandler

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [  # as tests/conftest.py
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
RESULT_TIMEOUT_MS = 180_000
TOP = 10


@dataclass
class QueryResult:
    """One engine, one query."""

    engine: str
    query: str
    cold_bytes: int = 0
    cold_parts: dict[str, int] = field(default_factory=dict)
    """Counted bytes by kind: html, code, data."""
    requests: int = 0
    files: list[tuple[str, int]] = field(default_factory=list)
    """(path, wire bytes) of every counted response."""
    cold_ms: float | None = None
    warm_ms: float | None = None
    hits: int | None = None
    top: list[str] = field(default_factory=list)
    """Letter ids of the first results, in order."""
    error: str | None = None


class _QuietHandler(RangeHandler):
    def end_headers(self) -> None:
        self.send_header("Cache-Control", "no-store")
        super().end_headers()


class StaticServer:
    """A static file server on loopback for one directory (stdlib, threaded)."""

    def __init__(self, directory: Path):
        handler = functools.partial(_QuietHandler, directory=str(directory))
        self.server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self.thread.start()
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}"

    def close(self) -> None:
        self.server.shutdown()
        self.server.server_close()


def letter_id(url: str) -> str | None:
    """``…/van-ban/<id>/…`` -> ``<id>``."""
    path = urllib.parse.urlsplit(url).path
    parts = [p for p in path.split("/") if p]
    if len(parts) >= 2 and parts[0] == "van-ban":
        return urllib.parse.unquote(parts[1])
    return None


def _kind(path: str, content_type: str) -> str:
    if (
        path.endswith((".js", ".mjs", ".css", ".wasm"))
        or "javascript" in content_type
        or "css" in content_type
    ):
        return "code"
    if path.endswith((".html", "/")) or "text/html" in content_type:
        return "html"
    return "data"


class Recorder:
    """Collects the responses of one page load; ``counted`` decides which ones the query costs."""

    def __init__(self, page: Any, counted: Callable[[str], bool]):
        self.page = page
        self.counted = counted
        self.responses: list[Any] = []
        page.on("response", lambda response: self.responses.append(response))

    def settle(self, quiet_ms: int = 400, limit_ms: int = 10_000) -> None:
        """Wait until no new response has arrived for ``quiet_ms`` (lazy loads after the results)."""
        seen, waited = -1, 0
        while waited < limit_ms:
            if len(self.responses) == seen:
                break
            seen = len(self.responses)
            self.page.wait_for_timeout(quiet_ms)
            waited += quiet_ms

    def total(self, result: QueryResult) -> None:
        for response in self.responses:
            path = urllib.parse.urlsplit(response.url).path
            if response.status >= 300 or not self.counted(path):
                continue
            try:
                body = response.body()
            except Exception:  # a response the page aborted: it cost nothing measurable
                continue
            # A part of a file (206, a Range request) is sent as stored: hosts compress whole files.
            size = len(body) if response.status == 206 else wire_size(body)
            kind = _kind(path, response.headers.get("content-type", ""))
            result.cold_parts[kind] = result.cold_parts.get(kind, 0) + size
            result.cold_bytes += size
            result.requests += 1
            result.files.append((path, size))


class Engine:
    """One search engine as a visitor meets it."""

    name = ""

    def __init__(self, base_url: str):
        self.base = base_url.rstrip("/")

    def counted(self, path: str) -> bool:
        raise NotImplementedError

    def open(self, page: Any, query: str) -> None:
        """Navigate so that the page searches ``query`` on load."""
        raise NotImplementedError

    def wait_results(self, page: Any) -> float:
        """Block until results are on screen; returns ``performance.now()`` at that moment."""
        raise NotImplementedError

    def collect(self, page: Any, result: QueryResult) -> None:
        """Fill ``hits`` and ``top`` from the page."""
        raise NotImplementedError

    def warm(self, page: Any, query: str) -> float:
        """Run ``query`` again in the loaded page; milliseconds to results on screen."""
        raise NotImplementedError

    def run(self, browser: Any, query: str) -> QueryResult:
        result = QueryResult(self.name, query)
        context = browser.new_context(viewport={"width": 1280, "height": 800}, locale="vi-VN")
        context.set_default_timeout(RESULT_TIMEOUT_MS)
        page = context.new_page()
        errors: list[str] = []
        page.on("pageerror", lambda error: errors.append(str(error)))
        recorder = Recorder(page, self.counted)
        try:
            self.open(page, query)
            result.cold_ms = self.wait_results(page)
            recorder.settle()
            self.collect(page, result)
            recorder.total(result)
            result.warm_ms = statistics.median(self.warm(page, query) for _ in range(3))
        except Exception as error:
            result.error = f"{type(error).__name__}: {str(error).splitlines()[0][:200]}"
        finally:
            context.close()
        if errors and not result.error:
            result.error = "JS: " + errors[0][:200]
        return result


def _quote(query: str) -> str:
    return urllib.parse.quote(query, safe="")


# --------------------------------------------------------------------------- ours


class OurSearch(Engine):
    """Our search page ``/tim-kiem/?q=…`` and its static index under ``/tim-kiem/``.

    The page (``site_theme/tim-kiem.html``, ``search.js``) sets
    ``data-state="done"`` on ``[data-vb-search]`` when the results are in the
    list, and ``data-results`` to their ids; ``window.vbSearch.render()`` is
    what its form and history handlers call.
    """

    name = "ours"
    ROOT = "[data-vb-search]"
    DONE_OBSERVER = """
        new MutationObserver((changes) => {
          for (const change of changes) {
            if (change.target.dataset && change.target.dataset.state === "done" && !window.__vbDone)
              window.__vbDone = performance.now();
          }
        }).observe(document, {subtree: true, attributes: true, attributeFilter: ["data-state"]});
    """
    """Stamps the moment the page marks its results done (no polling delay)."""

    def __init__(self, base_url: str, theme_files: set[str]):
        super().__init__(base_url)
        self.theme_files = theme_files

    def counted(self, path: str) -> bool:
        if path == "/sitemap.xml":  # material's bundle (the peer's pages) fetches it on every page
            return False
        return path.lstrip("/") not in self.theme_files and not path.startswith("/van-ban/")

    def open(self, page: Any, query: str) -> None:
        page.add_init_script(self.DONE_OBSERVER)
        page.goto(f"{self.base}/tim-kiem/?q={_quote(query)}", wait_until="commit")

    def wait_results(self, page: Any) -> float:
        page.wait_for_function("window.__vbDone !== undefined")
        return page.evaluate("window.__vbDone")

    def collect(self, page: Any, result: QueryResult) -> None:
        info = page.evaluate(
            """(sel) => {
                const root = document.querySelector(sel);
                return {ids: JSON.parse(root.dataset.results || "[]"),
                        status: root.querySelector("[role=status]").textContent};
            }""",
            self.ROOT,
        )
        result.top = info["ids"][:TOP]
        result.hits = _first_int(info["status"]) if "Tìm thấy" in info["status"] else 0

    def warm(self, page: Any, query: str) -> float:
        """The page's own render (search + list), as its form handler calls it; nothing left to fetch.

        A render that failed (the page says "Không tải được…") leaves the last query's results
        in the list: it raises, so that the graded queries never score another query's results."""
        ms, state = page.evaluate(
            """async (q) => {
                const page = window.vbSearch;
                page.input.value = q;
                page.list.replaceChildren();
                page.root.dataset.state = "";
                const t0 = performance.now();
                await page.render(false);
                return [performance.now() - t0, page.root.dataset.state];
            }""",
            query,
        )
        if state != "done":
            raise RuntimeError(f"the search page ended in state {state!r}")
        return float(ms)


def _first_int(text: str) -> int | None:
    digits = ""
    for ch in text:
        if ch.isdigit():
            digits += ch
        elif digits and ch in ".,\u202f\u00a0 ":
            continue
        elif digits:
            break
    return int(digits) if digits else None


# --------------------------------------------------------------------------- Pagefind

PAGEFIND_HARNESS = """<!doctype html>
<html lang="vi"><head><meta charset="utf-8"><title>Pagefind</title></head>
<body><ol id="results"></ol>
<script type="module">
const results = document.getElementById("results");
let pagefind;
async function run(q) {
  pagefind = pagefind || await import("/pagefind/pagefind.js");
  const search = await pagefind.search(q);
  const data = await Promise.all(search.results.slice(0, __TOP__).map(r => r.data()));
  results.replaceChildren(...data.map(d => {
    const li = document.createElement("li");
    const a = document.createElement("a");
    a.href = d.url; a.innerHTML = d.meta.title || d.url;
    const p = document.createElement("p"); p.innerHTML = d.excerpt;
    li.append(a, p); return li;
  }));
  window.__pfCount = search.results.length;
  return performance.now();
}
window.__run = run;
const q = new URLSearchParams(location.search).get("q");
if (q) window.__done = run(q);
</script></body></html>
""".replace("__TOP__", str(TOP))
"""A bare page on Pagefind's JS API: search, then load the first ten results' fragments, as its UI does."""


class PagefindSearch(Engine):
    name = "pagefind"

    def counted(self, path: str) -> bool:
        return path.startswith("/pagefind/")

    def open(self, page: Any, query: str) -> None:
        page.goto(f"{self.base}/pf-bench.html?q={_quote(query)}", wait_until="commit")

    def wait_results(self, page: Any) -> float:
        page.wait_for_function("window.__done !== undefined")
        return page.evaluate("window.__done")

    def collect(self, page: Any, result: QueryResult) -> None:
        result.hits = page.evaluate("window.__pfCount")
        hrefs = page.evaluate("[...document.querySelectorAll('#results a')].map(a => a.href)")
        result.top = [i for i in (letter_id(h) for h in hrefs) if i][:TOP]

    def warm(self, page: Any, query: str) -> float:
        return page.evaluate(
            """async (q) => {
                document.getElementById('results').replaceChildren();
                const t0 = performance.now();
                const t1 = await window.__run(q);
                return t1 - t0;
            }""",
            query,
        )


# --------------------------------------------------------------------------- mkdocs-material


class MaterialSearch(Engine):
    """mkdocs-material's lunr search: ``?q=`` on any page opens the dialog and searches once ready."""

    name = "material"
    RESULT = ".md-search-result__item"

    def counted(self, path: str) -> bool:
        return path.endswith("search/search_index.json") or "/workers/search." in path

    def open(self, page: Any, query: str) -> None:
        page.goto(f"{self.base}/?q={_quote(query)}", wait_until="commit")

    def wait_results(self, page: Any) -> float:
        # the meta line reads "Initializing search", then "# tài liệu liên quan" or "Không tìm thấy …"
        page.wait_for_function(
            "document.querySelector('.md-search-result__item') || "
            "/Không tìm thấy/.test((document.querySelector('.md-search-result__meta') || {}).textContent)",
            polling="raf",
        )
        return page.evaluate("performance.now()")

    def collect(self, page: Any, result: QueryResult) -> None:
        meta = page.evaluate("(document.querySelector('.md-search-result__meta') || {}).textContent || ''")
        result.hits = _first_int(meta) or 0
        hrefs = page.evaluate(
            "[...document.querySelectorAll('.md-search-result__item > .md-search-result__link')]"
            ".map(a => a.href)"
        )
        result.top = [i for i in (letter_id(h) for h in hrefs) if i][:TOP]

    def warm(self, page: Any, query: str) -> float:
        """Clear the box, then put the query back as a keystroke would; time to the list re-rendered."""
        return page.evaluate(
            """async (q) => {
                const input = document.querySelector('[data-md-component=search-query]');
                const list = document.querySelector('.md-search-result__list');
                const meta = document.querySelector('.md-search-result__meta');
                const shown = () => list.children.length || /Không tìm thấy/.test(meta.textContent);
                const limit = performance.now() + 120000;
                input.value = ''; input.dispatchEvent(new KeyboardEvent('keyup'));
                while (shown()) {
                  if (performance.now() > limit) throw new Error('results not cleared');
                  await new Promise(r => setTimeout(r, 5));
                }
                const t0 = performance.now();
                input.value = q; input.dispatchEvent(new KeyboardEvent('keyup'));
                while (!shown()) {
                  if (performance.now() > limit) throw new Error('no results after 120 s');
                  await new Promise(r => requestAnimationFrame(r));
                }
                return performance.now() - t0;
            }""",
            query,
        )


# --------------------------------------------------------------------------- running


def launch(playwright: Any) -> Any:
    return playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)


def run_queries(
    engines: list[Engine], queries: list[str], log: Callable[[str], None] = print
) -> list[QueryResult]:
    """Every query on every engine, one fresh context each; Chromium is started once."""
    from playwright.sync_api import sync_playwright

    results: list[QueryResult] = []
    with sync_playwright() as playwright:
        browser = launch(playwright)
        log(f"  Chromium {browser.version}")
        for engine in engines:
            for query in queries:
                started = time.perf_counter()
                result = engine.run(browser, query)
                results.append(result)
                log(
                    f"  {engine.name:9} {query!r:40} {result.cold_bytes / 1024:9.1f} KB "
                    f"cold {_ms(result.cold_ms)} warm {_ms(result.warm_ms)} hits {result.hits} "
                    f"({time.perf_counter() - started:.1f} s){' ' + result.error if result.error else ''}"
                )
        browser.close()
    return results


def chromium_version() -> str:
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = launch(playwright)
        version = browser.version
        browser.close()
    return version


def _ms(value: float | None) -> str:
    return "   —  " if value is None else f"{value:6.0f} ms"


def write_pagefind_harness(directory: Path) -> None:
    (directory / "pf-bench.html").write_text(PAGEFIND_HARNESS, encoding="utf-8")
