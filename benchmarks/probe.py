"""``mkdocs build`` in this process, cut into stages, each timed with its own peak memory.

Run by ``benchmarks.run`` as a child process::

    python -m benchmarks.probe --project DIR --out stages.json [--config mkdocs.yml] [--no-search]

It is the real build (MkDocs' own CLI, the ``vanban`` plugin as configured);
the probe only wraps the stage functions the plugin calls, so that time is
attributed to stages in the order they run:

- ``startup``: interpreter, imports, config;
- ``read``: ``builder.archive.read.read_archive`` (decode, parse, link, check);
- ``normalize``: ``builder.publish.site_pages.plan_site`` (letters to Markdown, lists);
- ``data``: the committed originals, open data, feed, robots
  (``site_files.copy_originals``, ``open_data.write_open_data``, ``site_files.data_files``);
- ``render``: every page rendered to HTML (MkDocs' own, and those the plugin writes
  one at a time through MkDocs' page steps), and the theme copied;
- ``index``: the whoosh index (``builder.search.whoosh_index``) inside ``publish_search``;
- ``export``: the rest of ``publish_search``: the browser index under ``tim-kiem/``;
- ``sitemap``: our sitemap (replacing MkDocs' own);
- ``swap``: the staging folder takes the place of the previous site;
- ``finish``: whatever else runs after the pages until MkDocs returns.

Each stage's peak is the kernel's high-water mark of this process, reset at
the stage's start (``/proc/self/clear_refs``), and the sampled memory of any
child processes a stage starts. When the plugin runs ``index`` and ``export``
in a forked process beside the rendering, they are timed in that process and
reported as ``index (background)`` and ``export (background)``: their time
overlaps ``render``, and only the wait for them, if any, is in ``finish``.
"""

from __future__ import annotations

import argparse
import functools
import json
import os
import threading
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from benchmarks.measure import high_water, tree_rss

STARTED = time.perf_counter()
MAIN_PID = os.getpid()


class Stages:
    """Contiguous segments of the run; switching closes one and opens the next."""

    def __init__(self) -> None:
        self.records: list[dict[str, Any]] = []
        self.name = "startup"
        self.started = STARTED
        self.children_peak = 0
        self.lock = threading.Lock()
        self.stack: list[str] = []
        self.side_file: Path | None = None
        threading.Thread(target=self._sample, daemon=True).start()

    def switch(self, name: str) -> None:
        with self.lock:
            now = time.perf_counter()
            self.records.append(
                {
                    "stage": self.name,
                    "seconds": now - self.started,
                    "peak_rss": max(high_water(os.getpid()), self.children_peak),
                }
            )
            self.name, self.started, self.children_peak = name, now, 0
            _reset_hwm()

    def enter(self, name: str) -> None:
        self.stack.append(self.name)
        self.switch(name)

    def leave(self, after: str | None = None) -> None:
        previous = self.stack.pop()
        self.switch(after or previous)

    def background(self, name: str, func: Callable[..., Any], *args: Any, **kwargs: Any) -> Any:
        """Run ``func`` in a forked process: its time and peak go to a side file, one JSON line each."""
        _reset_hwm()
        started = time.perf_counter()
        try:
            return func(*args, **kwargs)
        finally:
            seconds = time.perf_counter() - started
            record = {"stage": name, "seconds": seconds, "peak_rss": high_water(os.getpid())}
            if self.side_file is not None:
                with open(self.side_file, "a", encoding="utf-8") as handle:
                    handle.write(json.dumps(record) + "\n")

    def background_summary(self) -> dict[str, dict[str, float]]:
        """Stages run in forked processes, as ``name (background)``; nested time is not counted twice."""
        if self.side_file is None or not self.side_file.exists():
            return {}
        records = [json.loads(line) for line in self.side_file.read_text(encoding="utf-8").splitlines()]
        out: dict[str, dict[str, float]] = {}
        for record in records:
            entry = out.setdefault(f"{record['stage']} (background)", {"seconds": 0.0, "peak_rss": 0})
            entry["seconds"] += record["seconds"]
            entry["peak_rss"] = max(entry["peak_rss"], record["peak_rss"])
        index, export = out.get("index (background)"), out.get("export (background)")
        if index and export:  # the whoosh calls run inside publish_search
            export["seconds"] = max(0.0, export["seconds"] - index["seconds"])
        return out

    def _sample(self) -> None:
        """Children's memory (a stage may fork workers); this process is covered by VmHWM."""
        me = os.getpid()
        while True:
            rss = tree_rss(me)
            with self.lock:
                self.children_peak = max(self.children_peak, rss)
            time.sleep(0.2)

    def summary(self) -> dict[str, dict[str, float]]:
        """Seconds summed and peak maxed per stage name (a stage may occur more than once)."""
        out: dict[str, dict[str, float]] = {}
        for record in self.records:
            entry = out.setdefault(record["stage"], {"seconds": 0.0, "peak_rss": 0})
            entry["seconds"] += record["seconds"]
            entry["peak_rss"] = max(entry["peak_rss"], record["peak_rss"])
        return out


def _reset_hwm() -> None:
    try:
        with open("/proc/self/clear_refs", "w") as handle:
            handle.write("5")
    except OSError:  # pragma: no cover - not Linux, or not permitted
        pass


def wrap(stages: Stages, name: str, func: Callable[..., Any], after: str | None = None) -> Callable[..., Any]:
    """``func`` run as stage ``name``; afterwards the previous stage (or ``after``) resumes.

    In a process the build forked (the plugin runs the search stage beside the
    rendering), the call is timed there and reported through ``stages.background``.
    """

    @functools.wraps(func)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        if os.getpid() != MAIN_PID:
            return stages.background(name, func, *args, **kwargs)
        stages.enter(name)
        try:
            return func(*args, **kwargs)
        finally:
            stages.leave(after)

    return wrapper


def instrument(stages: Stages, search: bool = True) -> None:
    """Wrap the functions the plugin calls; missing modules are simply not split out."""
    import builder.mkdocs_plugin as plugin

    plugin.read_archive = wrap(stages, "read", plugin.read_archive)
    plugin.plan_site = wrap(stages, "normalize", plugin.plan_site, after="render")
    cls = plugin.VanbanPlugin
    files = plugin.site_files
    files.data_files = wrap(stages, "data", files.data_files, after="render")
    plugin.open_data.write_open_data = wrap(stages, "data", plugin.open_data.write_open_data, after="render")
    files.copy_originals = wrap(stages, "data", files.copy_originals, after="render")
    cls.on_post_build = wrap(stages, "finish", cls.on_post_build, after="finish")
    files.write_sitemap = wrap(stages, "sitemap", files.write_sitemap)
    plugin.site_output.publish = wrap(stages, "swap", plugin.site_output.publish)
    if not search:
        plugin.publish_search = _skipped_search
        return
    if plugin.publish_search is None:
        return
    plugin.publish_search = wrap(stages, "export", plugin.publish_search)
    try:
        import builder.search.whoosh_index as whoosh_index
    except ImportError:
        return
    for name in INDEX_FUNCTIONS:
        if hasattr(whoosh_index, name):
            _wrap_everywhere(stages, whoosh_index, name)


def _skipped_search(*args: Any, **kwargs: Any) -> Any:
    """Stands in for ``publish_search`` in a peer's build: writes nothing, reports nothing."""
    from builder.search.static_index import PublishReport

    return PublishReport()


INDEX_FUNCTIONS = ("update_index",)
"""Coarse whoosh calls only: wrapping per-posting helpers (``bm25``, ``idf``) would cost more than they do."""


def _wrap_everywhere(stages: Stages, module: Any, name: str) -> None:
    """Wrap ``module.name`` and every ``from module import name`` copy in ``builder.*`` modules."""
    import sys

    original = getattr(module, name)
    wrapped = _reentrant(stages, "index", original)
    setattr(module, name, wrapped)
    for other in list(sys.modules.values()):
        if getattr(other, "__name__", "").startswith("builder.") and getattr(other, name, None) is original:
            setattr(other, name, wrapped)


def _reentrant(stages: Stages, name: str, func: Callable[..., Any]) -> Callable[..., Any]:
    """Like ``wrap``, but nested calls inside the same stage do not open a new segment."""

    @functools.wraps(func)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        if os.getpid() != MAIN_PID:
            return stages.background(name, func, *args, **kwargs)
        if stages.name == name:
            return func(*args, **kwargs)
        stages.enter(name)
        try:
            return func(*args, **kwargs)
        finally:
            stages.leave()

    return wrapper


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--project", type=Path, required=True)
    parser.add_argument("--config", default="mkdocs.yml")
    parser.add_argument("--out", type=Path, required=True)
    parser.add_argument("--no-search", action="store_true", help="skip publish_search (peer builds)")
    args = parser.parse_args()
    os.chdir(args.project)
    stages = Stages()
    stages.side_file = args.out.with_suffix(".background.jsonl")
    stages.side_file.unlink(missing_ok=True)
    instrument(stages, search=not args.no_search)
    from mkdocs.__main__ import cli

    code = 0
    try:
        cli.main(["build", "--config-file", args.config], standalone_mode=False)
    except SystemExit as exit_:  # pragma: no cover
        code = int(exit_.code or 0)
    except Exception as error:
        print(f"build failed: {error!r}", flush=True)
        code = 1
    stages.switch("end")
    total = time.perf_counter() - STARTED
    args.out.write_text(
        json.dumps(
            {
                "returncode": code,
                "seconds": total,
                "stages": {**stages.summary(), **stages.background_summary()},
            },
            indent=1,
        ),
        encoding="utf-8",
    )
    raise SystemExit(code)


if __name__ == "__main__":
    main()
