"""Where the built site lands: one build at a time, each in its own staging folder, swapped in
only when it succeeds, so that ``site/`` is never missing, never half built, never mixed.

The life of a build (the MkDocs plugin calls these in this order)::

    lock = ProjectLock(cache_dir / LOCK_NAME)   # waits for another build of the project
    lock.acquire(say)
    staging = staging_dir(final)                  # a fresh folder beside final, for this build
    ... MkDocs writes everything into staging; final is untouched and still served ...
    publish(staging, final)                       # one atomic exchange: final is the new site
      or discard(staging)                         # a failed build: final never changed
    lock.release()

- The lock is ``flock`` on a file in the cache folder: the kernel drops it when the
  process ends however it ends (a kill included), so it never goes stale. It also
  keeps two builds from sharing the whoosh index and parse cache.
- The staging folder has a name of its own (``site.vanban-moi-XXXX``); leftovers of
  a killed build are removed by the next build, under the lock.
- ``publish`` exchanges the two folders with one ``renameat2(RENAME_EXCHANGE)``: at
  every instant ``final`` is either the old site or the new one. Where the kernel
  or file system cannot exchange, it falls back to two renames (a moment without
  ``final``, which a kill between them would make permanent; the old site is then
  still in ``site.vanban-cu``).
- Every file the builder writes itself goes through ``write_files``/``inside``,
  which refuse a path that would leave the site folder.
"""

from __future__ import annotations

import ctypes
import ctypes.util
import errno
import fcntl
import os
import shutil
import tempfile
from collections.abc import Callable
from pathlib import Path

STAGING_SUFFIX = ".vanban-moi"
OLD_SUFFIX = ".vanban-cu"
LOCK_NAME = "build.lock"
"""The project's build lock, in its cache folder."""

_RENAME_EXCHANGE = 2
_AT_FDCWD = -100


class ProjectLock:
    """One build of a project at a time (``flock``; released by the kernel if the process dies)."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self._file: object | None = None

    def acquire(self, say: Callable[[str], None] = lambda message: None) -> None:
        """Take the lock, waiting (and saying so, in Vietnamese) while another build holds it."""
        if self._file is not None:
            return
        self.path.parent.mkdir(parents=True, exist_ok=True)
        handle = open(self.path, "a+", encoding="utf-8")  # noqa: SIM115 - held until release
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            handle.seek(0)
            holder = handle.read(32).strip()
            say(
                f"vanban: một bản dựng khác của dự án này đang chạy"
                f"{f' (tiến trình {holder})' if holder.isdigit() else ''}; chờ bản dựng đó xong"
                f" rồi mới dựng (khóa: {self.path})"
            )
            fcntl.flock(handle, fcntl.LOCK_EX)
        handle.seek(0)
        handle.truncate()
        handle.write(str(os.getpid()))
        handle.flush()
        self._file = handle

    def release(self) -> None:
        """Let the next build go (closing the file drops the lock)."""
        handle, self._file = self._file, None
        if handle is not None:
            handle.close()  # type: ignore[attr-defined]

    @property
    def held(self) -> bool:
        return self._file is not None


def staging_dir(final: Path) -> Path:
    """A new, empty folder beside ``final`` for this build alone; call it holding the lock
    (it removes what killed builds left beside ``final``)."""
    final.parent.mkdir(parents=True, exist_ok=True)
    for leftover in final.parent.glob(f"{final.name}{STAGING_SUFFIX}*"):
        shutil.rmtree(leftover, ignore_errors=True)
    shutil.rmtree(final.with_name(final.name + OLD_SUFFIX), ignore_errors=True)
    return Path(tempfile.mkdtemp(prefix=f"{final.name}{STAGING_SUFFIX}-", dir=final.parent))


def _exchange(first: Path, second: Path) -> bool:
    """Swap two paths atomically (Linux ``renameat2``); False where it is not available."""
    libc_name = ctypes.util.find_library("c")
    if libc_name is None:
        return False
    libc = ctypes.CDLL(libc_name, use_errno=True)
    renameat2 = getattr(libc, "renameat2", None)
    if renameat2 is None:
        return False
    result = renameat2(_AT_FDCWD, os.fsencode(first), _AT_FDCWD, os.fsencode(second), _RENAME_EXCHANGE)
    if result == 0:
        return True
    code = ctypes.get_errno()
    if code in (errno.ENOSYS, errno.EINVAL, errno.ENOTSUP, errno.EOPNOTSUPP):
        return False
    raise OSError(code, os.strerror(code), str(first), None, str(second))


def publish(staging: Path, final: Path) -> None:
    """Put the finished build in place of ``final`` in one step, then delete the old site."""
    if final.is_symlink() or (final.exists() and not final.is_dir()):
        raise OSError(errno.EEXIST, f"{final} không phải là thư mục; không thay được trang cũ")
    if not final.exists():
        staging.rename(final)
        return
    if _exchange(staging, final):
        shutil.rmtree(staging, ignore_errors=True)  # now the old site
        return
    old = final.with_name(final.name + OLD_SUFFIX)
    shutil.rmtree(old, ignore_errors=True)
    final.rename(old)
    staging.rename(final)
    shutil.rmtree(old, ignore_errors=True)


def discard(staging: Path) -> None:
    """Forget a failed build; ``final`` was never touched."""
    shutil.rmtree(staging, ignore_errors=True)


def inside(site_dir: Path, relative: str) -> Path:
    """``site_dir / relative``, refused (ValueError) unless it stays inside ``site_dir``: no
    absolute path, no ``..``, no empty or ``.`` segment, no backslash or control character."""
    parts = relative.split("/")
    if (
        not relative
        or relative.startswith("/")
        or any(part in ("", ".", "..") for part in parts[:-1])
        or parts[-1] in (".", "..")
        or any(ch == "\\" or ord(ch) < 0x20 or ord(ch) == 0x7F for ch in relative)
    ):
        raise ValueError(f"đường dẫn ra ngoài thư mục trang: {relative[:200]!r}")
    target = site_dir / relative
    if not os.path.normpath(target).startswith(os.path.normpath(site_dir) + os.sep):
        raise ValueError(f"đường dẫn ra ngoài thư mục trang: {relative[:200]!r}")
    return target


def write_files(site_dir: Path, files: dict[str, bytes]) -> None:
    """Write generated files (site-relative POSIX path -> bytes) under ``site_dir``."""
    for relative, data in files.items():
        target = inside(site_dir, relative)
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(data)
