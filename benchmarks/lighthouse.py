"""Lighthouse (mobile preset) on the seed site served by deploy/nginx.conf, with Debian's Chromium.

    python -m benchmarks.lighthouse --lighthouse /path/to/node_modules/.bin/lighthouse

Builds the committed project into a temporary folder, precompresses it, serves it with Debian's
nginx and ``deploy/nginx.conf`` (only listen and root changed, as in tests/test_nginx.py), and runs
Lighthouse 12 on the home page, a letter, a list and a search with results. Prints each page's
four category scores and its CLS, its long tasks and main-thread work; with ``--runs 3`` each page
is run three times and the median of each figure is printed after the runs (on a shared machine
the performance score follows the load: total blocking time is main-thread work as observed,
scaled by Lighthouse's CPU factor). Lighthouse is not a dependency of the project: install it with
``npm install lighthouse@12`` anywhere.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
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
    parser.add_argument("--runs", type=int, default=1, help="runs per page; the median is printed")
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
            medians = []
            for name, path in pages.items():
                runs = [
                    _run(args, server.url + path, (args.keep or Path(folder)) / f"{name}-{run}.json", name)
                    for run in range(1, args.runs + 1)
                ]
                if args.runs > 1:
                    medians.append((name, {key: statistics.median(r[key] for r in runs) for key in runs[0]}))
            for name, median in medians:
                scores = " ".join(f"{median[c]:>15g}" for c in CATEGORIES)
                print(
                    f"{name:8} {scores} {median['cls']:>7.3f}  median of {args.runs}: "
                    f"TBT {median['tbt']:g} ms, long tasks {median['long_tasks']:.0f} ms, "
                    f"main thread {median['main_thread']:.0f} ms, "
                    f"load {median['load']:.2f}"
                )
        finally:
            server.stop()
    return 0


def _run(args: argparse.Namespace, url: str, report: Path, name: str) -> dict[str, float]:
    """One Lighthouse run of one page: prints its line and returns its figures."""
    report.parent.mkdir(parents=True, exist_ok=True)
    load_before = os.getloadavg()[0]
    command = [
        args.lighthouse,
        url,
        "--quiet",
        "--output=json",
        f"--output-path={report}",
        f"--chrome-path={args.chromium}",
        "--chrome-flags=--headless=new --no-sandbox",
        "--only-categories=" + ",".join(CATEGORIES),
    ]
    subprocess.run(command, check=True, env={**os.environ, "CHROME_PATH": args.chromium})
    data = json.loads(report.read_text(encoding="utf-8"))
    audits = data["audits"]
    scores = [round(100 * (data["categories"][c]["score"] or 0)) for c in CATEGORIES]
    cls = audits["cumulative-layout-shift"]["numericValue"]
    failed = [
        key
        for key, audit in audits.items()
        if audit.get("score") is not None and audit["score"] < 1 and audit.get("scoreDisplayMode") == "binary"
    ]
    load_after = os.getloadavg()[0]
    # Lighthouse's long tasks (50 ms and more, as simulated: observed main-thread time times the
    # CPU factor): their sum is less noisy than the blocking time, which counts only what passes 50 ms.
    long_tasks = sum(item["duration"] for item in audits["long-tasks"]["details"]["items"])
    main_thread = audits["mainthread-work-breakdown"]["numericValue"]
    print(f"{name:8} " + " ".join(f"{s:>15}" for s in scores) + f" {cls:>7.3f}  {' '.join(failed)}")
    print(
        f"         load {load_before:.2f} → {load_after:.2f}; long tasks "
        f"{len(audits['long-tasks']['details']['items'])} ({long_tasks:.0f} ms), main thread "
        f"{main_thread:.0f} ms; " + _metrics(data)
    )
    figures = dict(zip(CATEGORIES, map(float, scores), strict=True))
    return figures | {
        "cls": cls,
        "tbt": audits["total-blocking-time"]["numericValue"],
        "long_tasks": long_tasks,
        "main_thread": main_thread,
        "load": (load_before + load_after) / 2,
    }


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
