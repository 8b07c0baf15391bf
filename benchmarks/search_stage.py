"""Is the search stage's forked process (``builder/publish/search_process.py``) worth its machinery?

``python3 -m benchmarks.search_stage PROJECT [--variants fork,pool,inline] [--repeat 1]`` builds a
copy of ``PROJECT`` (e.g. ``benchmarks.corpus --count 2000``) once per variant, in turns, and
prints wall time, CPU time (user + system of the build and every process under it) and peak
memory (``benchmarks.measure``):

- ``fork``: the plugin as it is: the search stage in a process forked before the archive is read,
  given its letters once the staging folder is clean, running while MkDocs writes the pages;
- ``pool``: a plain ``concurrent.futures.ProcessPoolExecutor`` (one worker, fork) that the
  letters are submitted to at the same moment (forked then, after the archive is read);
- ``inline``: no second process: the search stage runs after the pages, in the build's process
  (what the plugin does on one CPU).

Each build starts with the project's parse cache (copied from ``PROJECT/.cache/vanban/letters``,
so make one build there first) and no whoosh index, no earlier site: the pages and the search
index are made in full, as in a first build or after a code change.
"""

from __future__ import annotations

import argparse
import resource
import shutil
import sys
import tempfile
from concurrent.futures import Executor, Future
from pathlib import Path
from typing import Any

from benchmarks.measure import run_measured

VARIANTS = ("fork", "pool", "inline")


def _run_variant(variant: str, config_file: Path) -> None:
    """In the measured child: patch the plugin to ``variant`` and build like ``vanban build``."""
    import builder.mkdocs_plugin as plugin
    from builder.publish.mkdocs_commands import build_site

    if variant == "inline":
        plugin.usable_cores = lambda: 1
    elif variant == "pool":
        plugin.SearchProcess = _PoolSearch  # type: ignore[assignment, misc]
    build_site(config_file)


class _PoolSearch:
    """``SearchProcess``'s interface over a ``ProcessPoolExecutor`` of one forked worker."""

    def __init__(self, site_dir: Path, cache_dir: Path) -> None:
        self.site_dir, self.cache_dir = site_dir, cache_dir
        self.executor: Executor | None = None
        self.future: Future | None = None

    def start(self, letters: Any, issuer_slugs: dict[str, str] | None = None) -> None:
        import multiprocessing
        from concurrent.futures import ProcessPoolExecutor

        from builder.search.static_index import publish_search

        self.executor = ProcessPoolExecutor(1, mp_context=multiprocessing.get_context("fork"))
        self.future = self.executor.submit(
            publish_search,
            letters,
            self.site_dir,
            self.cache_dir,
            issuer_slugs or {},
        )

    def wait(self) -> object:
        assert self.future is not None and self.executor is not None
        try:
            return self.future.result()
        finally:
            self.executor.shutdown()

    def stop(self) -> None:
        if self.executor is not None:
            self.executor.shutdown(cancel_futures=True)


def _project_copy(project: Path, into: Path) -> Path:
    target = into / "project"
    ignore = shutil.ignore_patterns("site", "site.*", ".cache")
    shutil.copytree(project, target, ignore=ignore, symlinks=True)
    letters = project / ".cache" / "vanban" / "letters"
    if letters.is_dir():
        shutil.copytree(letters, target / ".cache" / "vanban" / "letters")
    return target


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("project", type=Path)
    parser.add_argument("--variants", default=",".join(VARIANTS))
    parser.add_argument("--repeat", type=int, default=1)
    parser.add_argument("--run", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.run:
        _run_variant(args.run, args.project / "mkdocs.yml")
        return
    variants = args.variants.split(",")
    print("variant  wall s   cpu s (user+sys)  peak MB")
    for turn in range(args.repeat):
        for variant in variants:
            with tempfile.TemporaryDirectory(prefix=f"search-stage-{variant}-") as temp:
                copy = _project_copy(args.project.resolve(), Path(temp))
                before = resource.getrusage(resource.RUSAGE_CHILDREN)
                result = run_measured(
                    [sys.executable, "-m", "benchmarks.search_stage", str(copy), "--run", variant],
                    cwd=Path.cwd(),
                )
                after = resource.getrusage(resource.RUSAGE_CHILDREN)
                cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
                if result.returncode != 0:
                    print(result.stderr[-3000:], file=sys.stderr)
                    raise SystemExit(f"{variant}: build failed ({result.returncode})")
                built = sum(1 for _ in (copy / "site").rglob("*"))
                print(
                    f"{variant:8} {result.seconds:7.1f} {cpu:10.1f}        {result.peak_rss / 2**20:7.0f}"
                    f"   (turn {turn + 1}, {built} files)",
                    flush=True,
                )


if __name__ == "__main__":
    main()
