"""Reading the files, on every core: letters parsed in worker processes when there are enough
of them, in this process otherwise.
"""

from __future__ import annotations

import contextlib
import gc
import multiprocessing
import os
import pickle
import threading
from collections.abc import Callable, Iterator
from concurrent.futures import ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass
from pathlib import Path

from builder.archive.cache import _Cache
from builder.archive.letter_file import read_letter
from builder.letters import checks
from builder.letters.letter import Diagnostic, Letter
from builder.letters.registry import Registry
from builder.text.limits import read_regular

# --- reading the files, on every core ----------------------------------------------------------

PARALLEL_FROM = 48
"""Fewer files than this are read in this process: starting workers would cost more than it saves."""
MAX_WORKERS = 8
"""More processes than this only add memory: one letter takes milliseconds."""


@dataclass(frozen=True, slots=True)
class _Job:
    """One file to read, with the names its letter and messages use."""

    path: Path
    resolved: Path
    relative: str
    """Path inside ``content/`` (POSIX): what the id comes from."""
    shown: str
    """Path as messages show it."""


def _job(path: Path, content_root: Path, shown_root: Path, surveyed_in: Path | None = None) -> _Job:
    """The path relative to ``content/`` and ``display_path`` of ``path``, the two folders resolved
    once for all files. ``surveyed_in``: the ``content/`` folder whose survey found ``path``
    (``content_files.survey``: no link on the way), so that resolving it is a join, not ~5
    system calls."""
    resolved = content_root / path.relative_to(surveyed_in) if surveyed_in is not None else path.resolve()
    try:
        relative = resolved.relative_to(content_root).as_posix()
    except ValueError:
        relative = path.name
    try:
        shown = resolved.relative_to(shown_root).as_posix()
    except ValueError:
        shown = str(path)
    return _Job(path, resolved, relative, shown)


Outcome = tuple[Letter | None, list[Diagnostic]]


def _read_files(
    jobs: list[_Job], found_registry: Registry, cache: _Cache | None, keep: Callable[[Letter], Letter]
) -> tuple[list[tuple[Outcome, bool]], int]:
    """Each job's outcome (and whether it was parsed rather than cached), in the order of ``jobs``.

    Letters in the cache are taken from it here; when many letters are left to
    parse, a pool of worker processes (one per core) parses them in chunks,
    results in file order: the archive is the same as read in one process,
    only sooner. Where processes cannot be started, they are parsed here.
    Each letter goes through ``keep`` as soon as it arrives, so no more than a
    few letters are ever whole in memory. Also returns how many processes parsed.
    """
    outcomes: list[tuple[Outcome, bool] | None] = [None] * len(jobs)
    if cache:
        for index, job in enumerate(jobs):
            try:
                data = read_regular(job.path)
            except OSError:
                continue  # parsed below, where the error is told
            found = cache.get(job.relative, job.shown, data)
            if found is not None:
                outcomes[index] = (_kept(found, keep), False)
    missing = [index for index, outcome in enumerate(outcomes) if outcome is None]
    parsed, workers = _parse_files([jobs[i] for i in missing], found_registry, cache, keep)
    for index, outcome in zip(missing, parsed, strict=True):
        outcomes[index] = (outcome, True)
    return [outcome for outcome in outcomes if outcome is not None], workers


def _kept(outcome: Outcome, keep: Callable[[Letter], Letter]) -> Outcome:
    letter, problems = outcome
    return (None if letter is None else keep(letter)), problems


def _parse_files(
    jobs: list[_Job], found_registry: Registry, cache: _Cache | None, keep: Callable[[Letter], Letter]
) -> tuple[list[Outcome], int]:
    """Each file decoded and parsed (and put in the cache), in order; on every core when there are many."""
    workers = min(usable_cores(), MAX_WORKERS)
    if workers < 2 or len(jobs) < PARALLEL_FROM:
        return [_kept(_parse_one(job, found_registry, cache), keep) for job in jobs], 1
    chunk = max(1, min(64, len(jobs) // (workers * 8)))
    methods = multiprocessing.get_all_start_methods()
    context = multiprocessing.get_context("fork" if "fork" in methods else None)
    try:
        with (
            frozen_for_workers(),  # unfrozen, each worker held ~140 MB at 100,000 letters
            ProcessPoolExecutor(
                workers, mp_context=context, initializer=_start_worker, initargs=(found_registry, cache)
            ) as pool,
            _watched(pool),  # a worker killed while sending its letters: read here instead
        ):
            results = pool.map(_parse_in_worker, jobs, chunksize=chunk)
            return [_kept(outcome, keep) for outcome in results], workers
    except (BrokenProcessPool, OSError, pickle.PicklingError):
        return [_kept(_parse_one(job, found_registry, cache), keep) for job in jobs], 1


def _parse_one(job: _Job, found_registry: Registry, cache: _Cache | None) -> Outcome:
    """One file decoded and parsed, and the outcome put in the cache."""
    try:
        data = read_regular(job.path)
    except OSError:
        return None, [checks.not_a_regular_file(job.shown)]
    outcome = read_letter(data, job.relative, job.shown, found_registry)
    if cache:
        cache.put(job.relative, job.shown, data, outcome)
    return outcome


_WORKER: tuple[Registry, _Cache | None] | None = None
"""The registry and cache a worker process reads with (set once per process)."""


def _start_worker(found_registry: Registry, cache: _Cache | None) -> None:
    global _WORKER
    _WORKER = (found_registry, cache)


def _parse_in_worker(job: _Job) -> Outcome:
    assert _WORKER is not None
    return _parse_one(job, *_WORKER)


def usable_cores() -> int:
    """Cores this process may run on (its CPU affinity), for every stage that starts workers."""
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # pragma: no cover - not Linux
        return os.cpu_count() or 1


@contextlib.contextmanager
def frozen_for_workers() -> Iterator[None]:
    """For every stage that forks workers: the objects this process holds are shared with them
    copy-on-write, and the collector writes into every object it visits, copying its page into
    the worker. Frozen, they are not visited, so their pages stay shared."""
    gc.freeze()
    try:
        yield
    finally:
        gc.unfreeze()


WORKER_DIED = (
    "một tiến trình con của bản dựng dừng đột ngột (có thể máy hết bộ nhớ) — chạy lại lệnh dựng;"
    " nếu lặp lại, dựng trên máy có nhiều bộ nhớ hơn"
)


@contextlib.contextmanager
def forked_pool(workers: int) -> Iterator[ProcessPoolExecutor]:
    """Forked worker processes (``frozen_for_workers``) whose death fails the stage with
    ``WORKER_DIED`` (RuntimeError): ``multiprocessing.Pool`` never answers a task whose worker
    was killed (the OOM killer), and the build waited forever holding the project's lock."""
    try:
        with (
            frozen_for_workers(),
            ProcessPoolExecutor(workers, mp_context=multiprocessing.get_context("fork")) as pool,
            _watched(pool),
        ):
            yield pool
    except BrokenProcessPool as error:
        raise RuntimeError(WORKER_DIED) from error


@contextlib.contextmanager
def _watched(pool: ProcessPoolExecutor) -> Iterator[None]:
    """``pool`` breaks (BrokenProcessPool) when one of its workers is killed, whenever it is."""
    done = threading.Event()
    threading.Thread(target=_break_when_a_worker_dies, args=(pool, done), daemon=True).start()
    try:
        yield
    finally:
        done.set()


def _break_when_a_worker_dies(pool: ProcessPoolExecutor, done: threading.Event) -> None:
    """A worker killed while it sends its (large) result leaves the message half written: the
    pool's manager thread waits for the rest forever and the pool never breaks (CPython 3.11).
    Once a worker has died by a signal and the pool has not broken by itself, the rest is sent
    as zeros (no pickle), so the manager fails the tasks (BrokenProcessPool) and ends."""
    while not done.wait(0.5):
        processes = list((getattr(pool, "_processes", None) or {}).values())
        if any((process.exitcode or 0) < 0 for process in processes):
            break
    else:
        return
    if done.wait(2.0):  # the usual case: the pool broke by itself
        return
    manager = getattr(pool, "_executor_manager_thread", None)
    with contextlib.suppress(AttributeError, OSError):
        descriptor = pool._result_queue._writer.fileno()  # type: ignore[attr-defined]
        while manager is not None and manager.is_alive() and not done.is_set():
            os.write(descriptor, bytes(1 << 16))
