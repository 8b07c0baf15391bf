"""Measure the static search index: cold bytes per query (as received, search code gzipped),
time, and agreement with ``vanban search``, in headless Chromium.

    python tests/search_payload.py SITE_DIR [--whoosh INDEX_DIR] QUERY...

SITE_DIR is a built site (``tim-kiem/`` and ``assets/javascripts/``). A helper for the
search teammate's report, not a test; the benchmark (``benchmarks/``) measures the same
through the real page.
"""

from __future__ import annotations

import argparse
import functools
import gzip
import http.server
import shutil
import tempfile
import threading
from pathlib import Path

from benchmarks.ranges import RangeHandler

CODE = ("vietnamese.js", "analysis.js", "dates.js", "search.js")
HARNESS = """<!doctype html><meta charset="utf-8"><script type="module">
import { SearchIndex } from "./assets/javascripts/search.js";
window.run = async (q) => {
  const ix = new SearchIndex("tim-kiem/");
  await ix.load();
  const t0 = performance.now();
  const r = await ix.search(q, {}, { count: 10 });
  const cold = performance.now() - t0;
  const docs = await Promise.all(r.ranked.map((h) => ix.doc(h.docnum)));
  const received = ix.bytes;
  const requests = ix.requests;
  const t1 = performance.now();
  await ix.search(q, {}, { count: 10 });
  const warm = performance.now() - t1;
  return { total: r.total, ids: docs.map((d) => d.id), received, requests, cold, warm };
};
window.ready = true;
</script>"""


class _Quiet(RangeHandler):
    """Answers Range requests (the packs are read in parts), as the hosts do."""


def _gzip_size(path: Path) -> int:
    return len(gzip.compress(path.read_bytes(), 6))


def measure(site: Path, queries: list[str], whoosh: Path | None) -> None:
    from playwright.sync_api import sync_playwright

    with tempfile.TemporaryDirectory() as temp:
        root = Path(temp)
        (root / "tim-kiem").symlink_to(site.resolve() / "tim-kiem", target_is_directory=True)
        shutil.copytree(site / "assets" / "javascripts", root / "assets" / "javascripts")
        (root / "harness.html").write_text(HARNESS, encoding="utf-8")
        server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(_Quiet, directory=temp))
        threading.Thread(target=server.serve_forever, daemon=True).start()
        url = f"http://127.0.0.1:{server.server_address[1]}/harness.html"
        code = sum(_gzip_size(root / "assets" / "javascripts" / name) for name in CODE)
        print(f"search code: {code / 1024:.1f} KB gzip")
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(executable_path="/usr/bin/chromium", args=["--no-sandbox"])
            for query in queries:
                page = browser.new_page()
                page.goto(url)
                page.wait_for_function("window.ready === true")
                result = page.evaluate("q => window.run(q)", query)
                # As received: whole files gzipped by a host count a little more here; parts of
                # packs (Range requests) are sent as stored.
                data = _gzip_size(root / "tim-kiem" / "manifest.json") + result["received"]
                line = (
                    f"{query!r:34} {result['total']:6} found  {result['requests'] + 1:3} requests  "
                    f"{(data + code) / 1024:6.1f} KB  ranking {result['cold']:4.0f} ms cold, "
                    f"{result['warm']:4.0f} ms warm"
                )
                if whoosh is not None:
                    from builder.search.whoosh_index import search

                    expected = [hit.id for hit in search(whoosh, query, limit=10)]
                    same = sum(1 for a, b in zip(expected, result["ids"], strict=False) if a == b)
                    line += f"  top10 = vanban search: {same}/{len(expected)} ranks"
                    line += f", {len(set(expected) & set(result['ids']))}/{len(expected)} letters"
                print(line)
                page.close()
            browser.close()
        server.shutdown()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("site", type=Path)
    parser.add_argument("queries", nargs="+")
    parser.add_argument("--whoosh", type=Path, help="the whoosh index, to compare rankings")
    args = parser.parse_args()
    measure(args.site, args.queries, args.whoosh)


if __name__ == "__main__":
    main()
