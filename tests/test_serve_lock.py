"""`vanban serve` and `vanban build` of one project never write at the same time.

Under `vanban serve` the pages are shown first and the search index is made after,
in a child process, while the build's own lock is already released (so the
preview stays responsive). The child keeps the project lock: it inherited the
lock's open file description when it was forked, and ``flock`` holds until every
descriptor of it is closed. A `vanban build` started meanwhile (or serve's next
rebuild) waits for it instead of writing the same whoosh index in the cache.
"""

from __future__ import annotations

import os
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest

from builder.publish.search_process import SearchProcess
from builder.publish.site_output import LOCK_NAME, ProjectLock
from tests.conftest import REPO, make_project


def test_the_search_child_holds_the_lock_after_the_build_lets_go(tmp_path: Path) -> None:
    lock_path = tmp_path / "cache" / LOCK_NAME
    build = ProjectLock(lock_path)
    build.acquire()
    search = SearchProcess(tmp_path / "site", tmp_path / "cache")  # forked holding the lock
    build.release()  # what on_post_build does under serve, the index still being made
    other = ProjectLock(lock_path)
    waiting = threading.Thread(target=other.acquire)
    waiting.start()
    waiting.join(1.5)
    try:
        assert waiting.is_alive(), "a second build took the lock while the search child wrote"
    finally:
        search.stop()  # the child ends: its descriptor closes, the lock is free
        waiting.join(30)
    assert not waiting.is_alive() and other.held
    other.release()


def _free_port() -> int:
    import socket

    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def _wait_for(path: Path, words: str, process: subprocess.Popen, seconds: float = 240) -> str:
    end = time.monotonic() + seconds
    while time.monotonic() < end:
        text = path.read_text(encoding="utf-8", errors="replace") if path.exists() else ""
        if words in text:
            return text
        if process.poll() is not None:
            pytest.fail(f"serve ended: {text[-2000:]}")
        time.sleep(0.2)
    pytest.fail(f"no '{words}' in {seconds} s: {path.read_text(encoding='utf-8', errors='replace')[-2000:]}")


def test_a_build_during_serve_waits_for_its_search_writer(tmp_path: Path) -> None:
    """`vanban serve` shows its pages, then writes the search index in the background; a
    `vanban build` started at that moment waits for the lock, and both sites come out whole."""
    if (os.cpu_count() or 1) < 2:
        pytest.skip("one CPU: serve makes the index inline, holding the lock")
    letters = {
        f"them/{n:03d}.txt": (REPO / "content" / "002_1df910771a3bcb65.txt")
        .read_text(encoding="utf-8")
        .replace("2642", str(3000 + n), 1)
        for n in range(60)
    }
    project = make_project(tmp_path / "project", letters=letters)
    env = {**os.environ, "PYTHONPATH": str(REPO)}
    log = tmp_path / "serve.log"
    with log.open("w", encoding="utf-8") as out:
        serve = subprocess.Popen(
            [sys.executable, "-m", "builder.cli", "serve", "--dev-addr", f"127.0.0.1:{_free_port()}"],
            cwd=project,
            stdout=out,
            stderr=subprocess.STDOUT,
            env=env,
        )
    try:
        _wait_for(log, "chỉ mục tìm kiếm đang được tạo ở nền", serve)
        lock = project / ".cache" / "vanban" / LOCK_NAME
        held = _held(lock)
        build = subprocess.run(
            [sys.executable, "-m", "builder.cli", "build"],
            cwd=project,
            capture_output=True,
            text=True,
            timeout=600,
            env=env,
        )
        served = log.read_text(encoding="utf-8", errors="replace")
    finally:
        serve.terminate()
        serve.wait(30)
    assert build.returncode == 0, build.stdout[-2000:] + build.stderr[-2000:]
    assert "Traceback" not in served
    if not held:
        pytest.skip("serve's search child had finished before the build started: nothing to wait for")
    assert "một bản dựng khác của dự án này đang chạy" in build.stdout + build.stderr
    assert any((project / "site" / "tim-kiem").iterdir())


def _held(lock: Path) -> bool:
    """Whether some process holds the project lock now (tried without waiting)."""
    import fcntl

    with lock.open("a+") as handle:
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            return True
        fcntl.flock(handle, fcntl.LOCK_UN)
        return False
