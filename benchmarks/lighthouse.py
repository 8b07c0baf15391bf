"""Lighthouse (mobile preset) on the seed site served by deploy/nginx.conf, with Debian's Chromium.

    python -m benchmarks.lighthouse --lighthouse /path/to/node_modules/.bin/lighthouse

Builds the committed project into a temporary folder, precompresses it, serves it with Debian's
nginx and ``deploy/nginx.conf`` (only listen and root changed, as in tests/test_nginx.py), and runs
Lighthouse 12 on the home page, a letter, a list and a search with results. Prints each page's
four category scores and its CLS. Lighthouse is not a dependency of the project: install it with
``npm install lighthouse@12`` anywhere.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
PAGES = {
    "home": "/",
    "letter": "/van-ban/002-1df910771a3bcb65/",
    "list": "/van-ban/",
    "search": "/tim-kiem/?q=covid",
}
CATEGORIES = ("performance", "accessibility", "best-practices", "seo")
METRICS = (
    "first-contentful-paint",
    "largest-contentful-paint",
    "total-blocking-time",
    "speed-index",
    "total-byte-weight",
)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--lighthouse", default="lighthouse", help="the lighthouse CLI")
    parser.add_argument("--chromium", default=os.environ.get("CHROMIUM", "/usr/bin/chromium"))
    parser.add_argument("--keep", type=Path, help="a folder to keep each page's JSON report in")
    parser.add_argument("--page", action="append", choices=PAGES, help="only these pages")
    args = parser.parse_args()
    pages = {name: PAGES[name] for name in args.page or PAGES}
    sys.path.insert(0, str(REPO / "tests"))
    from conftest import make_project, run_mkdocs
    from test_nginx import Nginx

    with tempfile.TemporaryDirectory() as folder:
        project = make_project(Path(folder) / "project")
        built = run_mkdocs(project)
        if built.returncode:
            print(built.stdout + built.stderr)
            return 1
        subprocess.run(
            [sys.executable, "-m", "builder.cli", "precompress", str(project / "site")], check=True
        )
        server = Nginx(Path(folder) / "nginx", project / "site")
        try:
            print(f"{'page':8} " + " ".join(f"{c:>15}" for c in CATEGORIES) + f" {'CLS':>7}")
            for name, path in pages.items():
                report = (args.keep or Path(folder)) / f"{name}.json"
                report.parent.mkdir(parents=True, exist_ok=True)
                load_before = os.getloadavg()[0]
                command = [
                    args.lighthouse,
                    server.url + path,
                    "--quiet",
                    "--output=json",
                    f"--output-path={report}",
                    f"--chrome-path={args.chromium}",
                    "--chrome-flags=--headless=new --no-sandbox",
                    "--only-categories=" + ",".join(CATEGORIES),
                ]
                subprocess.run(command, check=True, env={**os.environ, "CHROME_PATH": args.chromium})
                data = json.loads(report.read_text(encoding="utf-8"))
                scores = [round(100 * (data["categories"][c]["score"] or 0)) for c in CATEGORIES]
                cls = data["audits"]["cumulative-layout-shift"]["numericValue"]
                failed = [
                    key
                    for key, audit in data["audits"].items()
                    if audit.get("score") is not None
                    and audit["score"] < 1
                    and audit.get("scoreDisplayMode") == "binary"
                ]
                print(
                    f"{name:8} " + " ".join(f"{s:>15}" for s in scores) + f" {cls:>7.3f}  {' '.join(failed)}"
                )
                print(f"         load {load_before:.2f} → {os.getloadavg()[0]:.2f}; " + _metrics(data))
        finally:
            server.stop()
    return 0


def _metrics(data: dict) -> str:
    """The performance metrics and the opportunities Lighthouse found, to see what costs the score."""
    audits = data["audits"]
    parts = [
        f"{key} {audits[key]['displayValue']}" for key in METRICS if audits.get(key, {}).get("displayValue")
    ]
    weak = [
        f"{key} ({audits[key].get('displayValue', '')})"
        for key, audit in audits.items()
        if audit.get("details", {}).get("type") == "opportunity" and (audit.get("score") or 1) < 0.9
    ]
    return ", ".join(parts) + ("; to improve: " + ", ".join(weak) if weak else "")


if __name__ == "__main__":
    sys.exit(main())
