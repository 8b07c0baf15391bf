"""Measuring a child process (wall time, peak memory of its whole process tree) and sizes on disk.

Peak memory is sampled from ``/proc`` every 200 ms as the sum of the
proportional set size of the child and all its descendants (Pagefind runs a
native binary under a Python wrapper; MkDocs forks), and cross-checked with the
kernel's own high-water mark of each of those processes (``VmHWM``), which
catches a peak between two samples.

Not ``wait4``'s ``ru_maxrss``: a child started with fork (or vfork) and exec
carries in it the high-water mark of the process it was started from, here the
runner itself (1.26 GB after the 10,000-letter queries in Chromium), not its
own. No psutil: the machine's Python has only what the project installs.
"""

from __future__ import annotations

import gzip
import os
import subprocess
import threading
import time
from dataclasses import dataclass
from pathlib import Path

PAGE = os.sysconf("SC_PAGE_SIZE")
GZIP_LEVEL = 9
"""The deployment precompresses with level 9 (``builder/staff/precompress.py``, nginx ``gzip_static``)."""


@dataclass
class ProcessResult:
    """What one measured command did."""

    returncode: int
    seconds: float
    peak_rss: int
    """Bytes: the larger of ``sampled_peak`` and ``largest_process``."""
    stdout: str
    stderr: str
    sampled_peak: int = 0
    """Bytes: the process tree's memory (PSS summed), sampled every 0.2 s."""
    sampled_peak_at: float = 0.0
    """Seconds after the start when ``sampled_peak`` was seen (to find the stage)."""
    largest_process: int = 0
    """Bytes: the largest kernel high-water mark (``VmHWM``) of any process of the tree, read
    while it ran; one process's resident set, pages it shares with others counted in full."""


def run_measured(
    args: list[str], cwd: Path, env: dict[str, str] | None = None, timeout: float = 7200
) -> ProcessResult:
    """Run ``args`` and measure wall time and the peak resident memory of its process tree."""
    started = time.perf_counter()
    proc = subprocess.Popen(
        args,
        cwd=cwd,
        env={**os.environ, **(env or {})},
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    peak, peak_at, largest = [0], [0.0], [0]
    done = threading.Event()

    def sample() -> None:
        while not done.is_set():
            pids = tree_pids(proc.pid)
            rss = sum(_pss(pid) for pid in pids)
            if rss > peak[0]:
                peak[0], peak_at[0] = rss, time.perf_counter() - started
            largest[0] = max([largest[0], *(high_water(pid) for pid in pids)])
            done.wait(0.2)  # a /proc scan costs ~4 ms: 2% of a core

    sampler = threading.Thread(target=sample, daemon=True)
    sampler.start()
    out_chunks: list[str] = []
    err_chunks: list[str] = []
    readers = [
        threading.Thread(target=lambda: out_chunks.append(proc.stdout.read()), daemon=True),  # type: ignore[union-attr]
        threading.Thread(target=lambda: err_chunks.append(proc.stderr.read()), daemon=True),  # type: ignore[union-attr]
    ]
    for reader in readers:
        reader.start()
    try:
        returncode = proc.wait(timeout)
    except subprocess.TimeoutExpired:
        proc.kill()
        returncode = proc.wait()
    seconds = time.perf_counter() - started
    done.set()
    sampler.join()
    for reader in readers:
        reader.join()
    return ProcessResult(
        returncode,
        seconds,
        max(peak[0], largest[0]),
        "".join(out_chunks),
        "".join(err_chunks),
        sampled_peak=peak[0],
        sampled_peak_at=peak_at[0],
        largest_process=largest[0],
    )


def tree_rss(root: int) -> int:
    """Memory of ``root`` and every descendant, from ``/proc`` (0 once it is gone).

    Each process counts its proportional set size (PSS: shared pages split
    between the processes sharing them), so forked workers that share their
    parent's pages copy-on-write are not counted twice; a lone process's PSS is
    its resident set minus what it shares with others.
    """
    return sum(_pss(pid) for pid in tree_pids(root))


def tree_pids(root: int) -> list[int]:
    """``root`` and every process descending from it, from ``/proc``."""
    children: dict[int, list[int]] = {}
    for entry in os.scandir("/proc"):
        if not entry.name.isdigit():
            continue
        try:
            with open(f"/proc/{entry.name}/stat", "rb") as handle:
                stat = handle.read()
        except OSError:
            continue
        ppid = int(stat[stat.rindex(b")") + 2 :].split()[1])
        children.setdefault(ppid, []).append(int(entry.name))
    pids, stack = [], [root]
    while stack:
        pid = stack.pop()
        stack.extend(children.get(pid, []))
        pids.append(pid)
    return pids


def high_water(pid: int) -> int:
    """The kernel's high-water mark of this process's resident set (0 once it is gone)."""
    return _proc_kb(f"/proc/{pid}/status", b"VmHWM:") or 0


def _pss(pid: int) -> int:
    pss = _proc_kb(f"/proc/{pid}/smaps_rollup", b"Pss:")
    if pss is not None:
        return pss
    try:
        with open(f"/proc/{pid}/statm", "rb") as handle:
            return int(handle.read().split()[1]) * PAGE
    except OSError:
        return 0


def _proc_kb(path: str, field: bytes) -> int | None:
    """Bytes of a ``field: N kB`` line of a ``/proc`` file; None if the file or the line is not there."""
    try:
        with open(path, "rb") as handle:
            for line in handle:
                if line.startswith(field):
                    return int(line.split()[1]) * 1024
    except OSError:
        pass
    return None


def wire_size(data: bytes) -> int:
    """Bytes a server sends for this body: gzip level 9 when that is smaller, else as is."""
    return min(len(data), len(gzip.compress(data, GZIP_LEVEL, mtime=0)))


@dataclass
class TreeSize:
    files: int
    bytes: int


def tree_size(path: Path, suffix_filter: tuple[str, ...] = ()) -> TreeSize:
    """Files and bytes under ``path`` (skipping the ``.gz`` twins the deploy step may add)."""
    files = total = 0
    if not path.exists():
        return TreeSize(0, 0)
    for root, _dirs, names in os.walk(path):
        for name in names:
            if name.endswith(".gz") or (suffix_filter and not name.endswith(suffix_filter)):
                continue
            files += 1
            total += os.lstat(os.path.join(root, name)).st_size
    return TreeSize(files, total)


def wire_tree_size(path: Path) -> int:
    """Sum of ``wire_size`` over every file under ``path``: the whole index as served."""
    total = 0
    for root, _dirs, names in os.walk(path):
        for name in names:
            if not name.endswith(".gz"):
                total += wire_size(Path(root, name).read_bytes())
    return total
