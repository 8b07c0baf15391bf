"""The parse cache: a letter whose bytes, path, registry and parser code are unchanged is taken
from it instead of being parsed again (keyed on ``builder.source.source_digest``).
"""

from __future__ import annotations

import hashlib
import os
import pickle
import shutil
from pathlib import Path

from builder.letters import parsing
from builder.letters.letter import Diagnostic, Letter
from builder.letters.registry import Registry
from builder.source import source_digest

CACHE_SUBDIR = "letters"
"""Folder under the cache directory holding one pickled parse per letter version, in one
subfolder per parser version (code, registry)."""


class _Cache:
    """Parsed letters on disk, keyed by everything that decides the result."""

    def __init__(self, folder: Path, found_registry: Registry):
        self.salt = f"{parsing.PARSER_VERSION}:{source_digest()}:{found_registry.fingerprint}"
        self.root = folder
        self.folder = folder / hashlib.sha256(self.salt.encode()).hexdigest()[:16]

    def remove_other_versions(self) -> None:
        """Drop what an earlier parser version (code or registry) stored: no build reads it again.

        Called once the archive is read. ``vanban check`` holds no lock: a run of other code at the
        same moment may remove the folder a build is using, which only costs that build its reuse
        (``get`` finds nothing, ``put`` makes the folder again)."""
        try:
            stale = [entry for entry in self.root.iterdir() if entry != self.folder]
        except OSError:
            return
        for entry in stale:
            if entry.is_dir() and not entry.is_symlink():
                shutil.rmtree(entry, ignore_errors=True)
            else:
                entry.unlink(missing_ok=True)

    def _file(self, relative: str, shown: str, data: bytes) -> Path:
        digest = hashlib.sha256(data).hexdigest()
        key = hashlib.sha256(f"{self.salt}\0{relative}\0{shown}\0{digest}".encode()).hexdigest()
        return self.folder / f"{key}.pickle"

    def get(self, relative: str, shown: str, data: bytes) -> tuple[Letter | None, list[Diagnostic]] | None:
        """The cached outcome, or None when absent or unreadable."""
        path = self._file(relative, shown, data)
        try:
            with path.open("rb") as handle:
                outcome = pickle.load(handle)
        except (OSError, pickle.PickleError, EOFError, AttributeError, TypeError, ValueError):
            return None
        return outcome if isinstance(outcome, tuple) and len(outcome) == 2 else None

    def put(
        self, relative: str, shown: str, data: bytes, outcome: tuple[Letter | None, list[Diagnostic]]
    ) -> None:
        """Store an outcome (atomically: a reader never sees half a file)."""
        path = self._file(relative, shown, data)
        try:
            self.folder.mkdir(parents=True, exist_ok=True)
            temporary = path.with_suffix(f".{os.getpid()}.tmp")
            with temporary.open("wb") as handle:
                pickle.dump(outcome, handle, protocol=pickle.HIGHEST_PROTOCOL)
            temporary.replace(path)
        except OSError:
            pass  # a cache that cannot be written only costs time
