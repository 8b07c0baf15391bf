"""Where the archive keeps each letter whole (``LetterStore``, one file): only metadata stays in
memory; a letter's body is read back, one letter at a time, by the three steps that need it.
"""

from __future__ import annotations

import os
import pickle
import sys
import tempfile
from array import array
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, replace
from pathlib import Path
from typing import IO

from builder.letters.letter import CitedDocument, Letter


class LetterStore:
    """Every letter whole (body included), pickled in one unnamed temporary file.

    The file has no name, so it is gone when the build ends however it ends.
    Processes forked from the build read it too (``os.pread`` keeps no shared
    file position), and a letter read back is the process's own object: the
    search process builds its index from here without touching, and so
    copying, the build's letters (``StoredLetters`` names them by position in
    a flat array, not by their id strings). Letters not kept here (made in
    code, not read) are given back as they are.
    """

    def __init__(self, folder: Path | None = None) -> None:
        if folder is not None:
            folder.mkdir(parents=True, exist_ok=True)
        self._file: IO[bytes] = tempfile.TemporaryFile(dir=folder)  # noqa: SIM115 - open for the archive's life
        self._position: dict[str, int] = {}
        self._offsets = array("q", [0])
        """Letter i is bytes offsets[i]:offsets[i + 1] of the file."""
        self._lines: dict[tuple[tuple[str, int], ...], dict[str, int]] = {}
        """One dict per distinct set of kept source lines, shared by the letters that have it
        (a few dozen at most; an archive letter's source lines are read, never changed)."""
        self._lists: dict[tuple[object, ...], list] = {}
        """One list per distinct list of names or citations, shared the same way: most letters
        repeat their signing lines, distribution and recipients (~330 bytes a letter)."""
        self._citations: dict[CitedDocument, CitedDocument] = {}
        """One object per distinct citation: a letter is cited by many."""

    def keep(self, letter: Letter) -> Letter:
        """The letter as the archive holds it: written here whole, its metadata compacted.

        The body is left out; repeated names (issuer, type, signer, distribution)
        share one string, and equal lists and citations one object; of the source
        lines only those the checks between letters name are kept (every message
        about a single letter is made before).
        """
        data = pickle.dumps(letter, protocol=pickle.HIGHEST_PROTOCOL)
        os.pwrite(self._file.fileno(), data, self._offsets[-1])
        self._position[letter.id] = len(self._offsets) - 1
        self._offsets.append(self._offsets[-1] + len(data))
        return replace(
            letter,
            noi_dung="",
            source_lines=self._check_lines(letter.source_lines),
            loai_van_ban=sys.intern(letter.loai_van_ban),
            ky_hieu=sys.intern(letter.ky_hieu),
            so_ky_hieu=_shared(letter.so_ky_hieu),
            co_quan_chu_quan=_shared(letter.co_quan_chu_quan),
            co_quan_ban_hanh=sys.intern(letter.co_quan_ban_hanh),
            dia_danh=_shared(letter.dia_danh),
            kinh_gui=self._one_list([sys.intern(x) for x in letter.kinh_gui]),
            noi_nhan=self._one_list([sys.intern(x) for x in letter.noi_nhan]),
            tham_quyen_ky=self._one_list([sys.intern(x) for x in letter.tham_quyen_ky]),
            chuc_vu_nguoi_ky=_shared(letter.chuc_vu_nguoi_ky),
            nguoi_ky=_shared(letter.nguoi_ky),
            van_ban_dan_chieu=self._one_list([self._one_citation(x) for x in letter.van_ban_dan_chieu]),
            dinh_chinh=self._one_list(letter.dinh_chinh),
        )

    def _check_lines(self, lines: dict[str, int]) -> dict[str, int]:
        kept = tuple(sorted((k, v) for k, v in lines.items() if k in ARCHIVE_CHECK_LINES))
        return self._lines.setdefault(kept, dict(kept))

    def _one_list(self, items: list) -> list:
        return self._lists.setdefault(tuple(items), items)

    def _one_citation(self, cited: CitedDocument) -> CitedDocument:
        shared = replace(
            cited,
            loai_van_ban=_shared(cited.loai_van_ban),
            so_ky_hieu=sys.intern(cited.so_ky_hieu),
            ngay_ban_hanh=_shared(cited.ngay_ban_hanh),
            co_quan_ban_hanh=_shared(cited.co_quan_ban_hanh),
        )
        return self._citations.setdefault(shared, shared)

    def done_keeping(self) -> None:
        """Every letter is kept: forget which lists and citations are shared (the letters keep
        theirs); a list no other letter has would otherwise cost its copy as a key."""
        self._lines, self._lists, self._citations = {}, {}, {}

    def whole(self, letter_id: str) -> Letter:
        """The letter kept here, as read (a new object each call)."""
        return self.whole_at(self._position[letter_id])

    def whole_at(self, position: int) -> Letter:
        """The letter kept ``position``-th (0 first)."""
        start, stop = self._offsets[position], self._offsets[position + 1]
        letter = pickle.loads(os.pread(self._file.fileno(), stop - start, start))
        assert isinstance(letter, Letter)
        return letter

    def __getstate__(self) -> dict[str, object]:
        """Sent to a process forked after the store was made (the search process), the store is
        its file descriptor, which that process inherited, and where each letter is."""
        return {"descriptor": self._file.fileno(), "offsets": self._offsets}

    def __setstate__(self, state: dict[str, object]) -> None:
        descriptor, offsets = state["descriptor"], state["offsets"]
        assert isinstance(descriptor, int) and isinstance(offsets, array)
        self._file = os.fdopen(os.dup(descriptor), "rb")
        self._offsets, self._position = offsets, {}
        self._lines, self._lists, self._citations = {}, {}, {}

    def select(self, letters: Iterable[Letter]) -> StoredLetters:
        """These letters (kept here), to be read back whole one at a time, in this order."""
        return StoredLetters(self, array("q", [self._position[letter.id] for letter in letters]))

    def body(self, letter_id: str) -> str:
        """The body of a letter kept here."""
        return self.whole(letter_id).noi_dung

    def with_body(self, letter: Letter) -> Letter:
        """The letter whole, for a step that reads its body."""
        return letter if letter.id not in self._position or letter.noi_dung else self.whole(letter.id)


@dataclass(frozen=True)
class StoredLetters:
    """Letters read back from a ``LetterStore`` one at a time (``LetterStore.select``).

    Iterable as often as needed, and never all in memory: what the search stage
    takes (it reads every letter twice, for the index and for the results).
    """

    store: LetterStore
    positions: array
    """Where each letter is in the store, in order (a flat array: one object, not one per letter)."""

    def __iter__(self) -> Iterator[Letter]:
        return (self.store.whole_at(position) for position in self.positions)


ARCHIVE_CHECK_LINES = frozenset({"so", "so_ky_hieu", "linh_vuc"})
"""The source lines the checks between letters name (a number used twice, a field not in the registry)."""


def _shared(text: str | None) -> str | None:
    return None if text is None else sys.intern(text)
