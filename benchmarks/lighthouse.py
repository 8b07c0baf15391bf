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


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--lighthouse", default="lighthouse", help="the lighthouse CLI")
    parser.add_argument("--chromium", default=os.environ.get("CHROMIUM", "/usr/bin/chromium"))
    args = parser.parse_args()
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
            for name, path in PAGES.items():
                report = Path(folder) / f"{name}.json"
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
        finally:
            server.stop()
    return 0


if __name__ == "__main__":
    sys.exit(main())
