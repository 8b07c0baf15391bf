"""The search stage in a child process forked before the archive is read: it builds the browser
index while MkDocs writes the pages, and sends back its report or its error by pipe.
"""

from __future__ import annotations

import atexit
import contextlib
import logging
import multiprocessing
import os
import signal
import threading
import time
import traceback
from multiprocessing.connection import Connection
from pathlib import Path

from mkdocs.exceptions import PluginError

from builder.archive.store import StoredLetters
from builder.search.static_index import PublishReport, publish_search

log = logging.getLogger("mkdocs.plugins.vanban")  # the plugin's own logger


class SearchProcess:
    """``publish_search`` in a child process; its ``PublishReport`` or error comes back by pipe.

    Forked before the archive is read, so it holds nothing the build fills later
    (forked after, it would keep the build's pages as they were while the build
    goes on changing its own: the two copies add up). It then waits for its
    letters (``start``): the archive's store, read through the file descriptor
    it inherited, and which letters to publish, by position. Only those and the
    small report cross the pipes. The child leads its own process group, so
    stopping it also stops the worker processes the search stage forks in turn.

    Forked while the build holds the project lock, it inherits the lock's open file
    description and so holds the lock until it ends: under `vanban serve`, where the
    build lets go of the lock with the index still being made, a `vanban build` (or
    serve's next rebuild) waits for it (``tests/test_serve_lock.py``).
    """

    def __init__(self, site_dir: Path, cache_dir: Path) -> None:
        context = multiprocessing.get_context("fork")
        self.receiver, sender = context.Pipe(duplex=False)
        job_reader, self.jobs = context.Pipe(duplex=False)
        self.process = context.Process(
            target=_search_child,
            args=(sender, job_reader, os.getpid(), site_dir, cache_dir),
            name="vanban-search",
        )
        self.process.start()
        assert self.process.pid is not None  # started
        self.pid: int = self.process.pid
        sender.close()  # the child holds the only sending end: its exit means end of data
        job_reader.close()
        with contextlib.suppress(OSError):  # the child does it too, whichever runs first
            os.setpgid(self.pid, self.pid)
        # Its own group gets no Ctrl-C from the terminal, and MkDocs' on_build_error never
        # sees a KeyboardInterrupt: stop it when this process exits, whatever the reason.
        atexit.register(self.stop)

    def start(self, letters: StoredLetters, issuer_slugs: dict[str, str] | None = None) -> None:
        """Publish these letters (made from a store opened before this process was forked);
        ``issuer_slugs``: each issuer's list-page slug, for the search filter."""
        self.jobs.send((letters, issuer_slugs or {}))
        self.jobs.close()

    def wait(self) -> PublishReport:
        """The child's report once it has finished; PluginError (its error) if it failed."""
        try:
            outcome = self.receiver.recv()
        except EOFError:
            outcome = None
        finally:
            self.receiver.close()
        self.process.join()
        atexit.unregister(self.stop)
        if outcome is None:
            raise PluginError(
                f"vanban: tiến trình tạo chỉ mục tìm kiếm dừng đột ngột (mã thoát {self.process.exitcode});"
                " trang cũ được giữ nguyên"
            )
        kind, value, details = outcome
        if kind != "ok":
            log.debug(f"vanban: lỗi trong tiến trình tìm kiếm:\n{details}")
            raise PluginError(f"vanban: không tạo được chỉ mục tìm kiếm: {value}; trang cũ được giữ nguyên")
        return value

    def stop(self) -> None:
        """End the child and its workers now (the build failed elsewhere, or was interrupted)."""
        atexit.unregister(self.stop)
        if self.process.is_alive():
            try:
                os.killpg(self.pid, signal.SIGTERM)
            except OSError:  # pragma: no cover - already gone
                self.process.terminate()
        self.process.join()
        self.receiver.close()
        self.jobs.close()


def _search_child(sender: Connection, jobs: Connection, parent: int, site_dir: Path, cache_dir: Path) -> None:
    """Runs in the forked child: wait for the letters, run the search stage, send its outcome."""
    with contextlib.suppress(OSError):
        os.setpgid(0, 0)
    threading.Thread(target=_end_with_parent, args=(parent,), daemon=True).start()
    try:
        letters, issuer_slugs = jobs.recv()
    except EOFError:  # the build stopped before it had letters to give
        sender.close()
        return
    try:
        outcome: tuple[str, object, str] = (
            "ok",
            publish_search(letters, site_dir, cache_dir, issuer_slugs),
            "",
        )
    except BaseException as error:  # every failure goes back to the build, which fails with it
        outcome = ("error", f"{type(error).__name__}: {error}", traceback.format_exc())
    try:
        sender.send(outcome)
    except Exception as error:  # e.g. a report that cannot be pickled
        sender.send(("error", f"{type(error).__name__}: {error}", traceback.format_exc()))
    finally:
        sender.close()


def _end_with_parent(parent: int) -> None:
    """In the child: if the build is killed (no atexit), end the search stage and its workers too."""
    while os.getppid() == parent:
        time.sleep(0.5)
    if os.getpgid(0) == os.getpid():  # its own group: itself and its workers, nothing else
        os.killpg(0, signal.SIGKILL)
    os.kill(os.getpid(), signal.SIGKILL)
