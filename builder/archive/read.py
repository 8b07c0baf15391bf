"""All committed letters, read, checked and linked: what every later stage starts from.

Every ``*.txt`` under ``content/`` (recursively) is a letter; other files are
data (the registry of issuing bodies). Each letter goes bytes → text
(``builder.text.decoding``) → front matter → parsed components → registry names →
checks → ``Letter``; then the archive checks letters against each other and
links citations to the letters they cite. Letters with errors are left out of
``Archive.letters`` and their problems are in ``Archive.diagnostics``.

With a cache directory, a letter whose bytes, path, registry and parser code
are unchanged is taken from the cache instead of being parsed again.

Bodies are most of an archive's memory (780 MB of 1.4 GB at 100,000 letters),
and only three steps read them, one letter at a time: the letter's page, the
search index and the search results' snippets. So ``Archive.letters`` hold the
metadata, and each letter is written whole to ``Archive.store`` (a file) as
soon as it is read; ``store.with_body(letter)`` gives it back.
"""

from __future__ import annotations

import contextlib
import gc
import hashlib
import multiprocessing
import os
import pickle
import re
import sys
import tempfile
from array import array
from collections import defaultdict
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass, field, replace
from functools import cached_property
from pathlib import Path
from typing import IO

from slugify import slugify

from builder.archive.content_files import Original, survey
from builder.letters import checks, fields, frontmatter, legal_effect, parsing
from builder.letters.blocks import ParsedLetter
from builder.letters.citations import cited_year, symbol_key
from builder.letters.letter import CitedDocument, Diagnostic, Letter, LetterError, Severity
from builder.letters.parsing import parse_letter
from builder.letters.registry import Registry, load_registry
from builder.letters.rules.number import NumberSymbol, parse_number_symbol
from builder.source import source_digest
from builder.text.decoding import decode
from builder.text.limits import read_regular
from builder.text.vietnamese import canonical_key

CACHE_SUBDIR = "letters"
"""Folder under the cache directory holding one pickled parse per letter version."""


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


@dataclass
class Archive:
    """The letters of ``content/`` (sorted by id, withdrawn ones included) and their problems."""

    letters: list[Letter]
    """Letters without errors, sorted by id: their metadata (bodies are in ``store``)."""
    diagnostics: list[Diagnostic]
    """Every problem found, errors and warnings, by file and line."""
    store: LetterStore = field(default_factory=LetterStore)
    """Each letter whole: ``store.with_body(letter)``, ``store.body(letter.id)``."""
    registry: Registry = field(default_factory=Registry)
    """The registry of issuing bodies (``registry.slug_for(letter.co_quan_ban_hanh)``)."""
    reused: int = 0
    """How many letters were taken from the cache instead of being parsed."""
    parsed: int = 0
    """How many letters were parsed."""
    workers: int = 1
    """How many processes parsed the files (one per core when many are not in the cache)."""
    field_registry: fields.FieldRegistry = field(default_factory=lambda: fields.FieldRegistry())
    """The registry of fields (``content/linh-vuc.yml``): names and list-page slugs."""
    originals: dict[str, Original] = field(default_factory=dict)
    """Signed originals committed beside letters, by the letter's ``tep_goc`` (``content_files``)."""

    @property
    def errors(self) -> list[Diagnostic]:
        """The diagnostics that are errors."""
        return [d for d in self.diagnostics if d.severity is Severity.ERROR]

    @property
    def warnings(self) -> list[Diagnostic]:
        """The diagnostics that are warnings."""
        return [d for d in self.diagnostics if d.severity is Severity.WARNING]

    @cached_property
    def by_id(self) -> dict[str, Letter]:
        """Letters by id."""
        return {letter.id: letter for letter in self.letters}

    def cites(self, letter: Letter) -> list[Letter]:
        """Archive letters this letter cites, in order of first mention."""
        return [self.by_id[i] for i in self._links.get(letter.id, [])]

    def cited_by(self, letter: Letter) -> list[Letter]:
        """Archive letters citing this one, sorted by id."""
        return [self.by_id[i] for i in self._backlinks.get(letter.id, [])]

    @cached_property
    def _links(self) -> dict[str, list[str]]:
        """Ids each letter cites, computed once for the whole archive."""
        index: dict[str, list[Letter]] = defaultdict(list)
        for letter in self.letters:
            if letter.so_ky_hieu:
                index[symbol_key(letter.so_ky_hieu)].append(letter)
        linked = ((letter.id, _link(letter, index, self.registry)) for letter in self.letters)
        return {letter_id: ids for letter_id, ids in linked if ids}  # most cite no archive letter

    @cached_property
    def _backlinks(self) -> dict[str, list[str]]:
        """Ids citing each letter, sorted."""
        back: dict[str, list[str]] = defaultdict(list)
        for source in sorted(self._links):
            for target in self._links[source]:
                back[target].append(source)
        return back


def read_archive(
    content_dir: Path,
    cache_dir: Path | None = None,
    extra: list[Path] | None = None,
    store: LetterStore | None = None,
) -> Archive:
    """Read, check and link every letter under ``content_dir`` (plus ``extra`` files outside it).

    Each letter is kept whole in ``store`` (a new one in ``cache_dir`` by default).
    """
    content_dir = Path(content_dir)
    found_registry, diagnostics = load_registry(content_dir)
    surveyed = survey(content_dir, display_path) if content_dir.exists() else None
    files = list(surveyed.letters) if surveyed is not None else []
    if (
        surveyed is not None
    ):  # links, devices, bad names; a registry, an original beside a letter, or an error
        diagnostics.extend(surveyed.diagnostics)
    known = {f.resolve() for f in files}
    for path in extra or []:  # `vanban check FILE`: read only a regular file, never through a link
        if path.is_symlink() or not path.is_file():
            if not _in(path, content_dir):  # inside content/, survey has told already
                diagnostics.append(checks.not_a_regular_file(display_path(path)))
        elif path.resolve() not in known:
            files.append(path)
    cache = _Cache(Path(cache_dir) / CACHE_SUBDIR, found_registry) if cache_dir else None
    store = store if store is not None else LetterStore(Path(cache_dir) if cache_dir else None)
    content_root, shown_root = content_dir.resolve(), Path.cwd().resolve()
    jobs = [_job(path, content_root, shown_root) for path in files]
    read: list[tuple[Letter, str]] = []
    parsed = reused = 0
    outcomes, workers = _read_files(jobs, found_registry, cache, store.keep)
    store.done_keeping()
    for job, (outcome, was_parsed) in zip(jobs, outcomes, strict=True):
        parsed += was_parsed
        reused += not was_parsed
        letter, problems = outcome
        diagnostics.extend(problems)
        if letter is not None:
            read.append((letter, job.shown))
    field_registry, field_problems = fields.load_fields(content_dir)
    diagnostics.extend(field_problems)
    read, field_problems = _with_registry_fields(read, field_registry)
    diagnostics.extend(field_problems)
    between = checks.check_archive(read)
    diagnostics.extend(between)
    refused = {(d.path) for d in between if d.severity is Severity.ERROR}
    letters = sorted((letter for letter, shown in read if shown not in refused), key=lambda letter: letter.id)
    diagnostics.sort(key=lambda d: (d.path, d.line, d.severity != Severity.ERROR))
    originals = surveyed.originals if surveyed is not None else {}
    return Archive(
        letters,
        diagnostics,
        store,
        found_registry,
        reused=reused,
        parsed=parsed,
        workers=workers,
        originals={x.tep_goc: originals[x.tep_goc] for x in letters if x.tep_goc in originals},
        field_registry=field_registry,
    )


def _with_registry_fields(
    read: list[tuple[Letter, str]], registry: fields.FieldRegistry
) -> tuple[list[tuple[Letter, str]], list[Diagnostic]]:
    """Letters with their fields named as ``linh-vuc.yml`` does; those naming an unknown field left out."""
    kept, problems = [], []
    for letter, shown in read:
        named, found = fields.with_registry_fields(letter, shown, registry)
        problems.extend(found)
        if not found:
            kept.append((named, shown))
    return kept, problems


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


def _job(path: Path, content_root: Path, shown_root: Path) -> _Job:
    """``_relative`` and ``display_path`` of ``path``, with the two folders resolved once for all files."""
    resolved = path.resolve()
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


def diagnostics_for(paths: list[Path], content_dir: Path, cache_dir: Path | None = None) -> list[Diagnostic]:
    """Problems of the given files (or folders), checked against the whole archive for duplicates."""
    wanted: set[Path] = set()
    for path in paths:
        if path.is_dir():
            wanted.update(p.resolve() for p in path.rglob("*.txt"))
        else:
            wanted.add(path.resolve())
    letters = sorted(p for p in wanted if p.suffix.lower() == ".txt")
    archive = read_archive(content_dir, cache_dir, extra=letters)
    shown = {display_path(p) for p in wanted} | {str(p) for p in wanted}
    return [d for d in archive.diagnostics if d.path in shown]


def letter_id(relative: str) -> str:
    """Stable id from the path inside ``content/``, without extension ("2021/cv-12.txt" -> "2021-cv-12")."""
    return slugify(re.sub(r"\.txt$", "", relative, flags=re.IGNORECASE))


def _in(path: Path, content_dir: Path) -> bool:
    return os.path.abspath(path).startswith(os.path.abspath(content_dir) + os.sep)


def display_path(path: Path) -> str:
    """The path as messages show it: relative to the working directory when inside it (a link
    is named as the link, never as its target)."""
    cwd = Path.cwd().resolve()
    for absolute in (Path(os.path.abspath(path)), path.resolve()):
        try:
            return absolute.relative_to(cwd).as_posix()
        except ValueError:
            continue
    return str(path)


def _relative(path: Path, content_dir: Path) -> str:
    """Path inside ``content/`` (POSIX); a file outside it is known by its name."""
    try:
        return path.resolve().relative_to(content_dir.resolve()).as_posix()
    except ValueError:
        return path.name


def read_letter(
    data: bytes, relative: str, shown: str, found_registry: Registry
) -> tuple[Letter | None, list[Diagnostic]]:
    """One committed file as a letter (None when it has errors) and its problems; a file the
    reader cannot cope with is an error naming it, never a traceback that stops every check."""
    try:
        return _read_letter(data, relative, shown, found_registry)
    except (
        RecursionError,
        MemoryError,
        ValueError,
        TypeError,
        IndexError,
        KeyError,
        AttributeError,
    ) as error:
        return None, [checks.unreadable(shown, type(error).__name__)]


def _read_letter(
    data: bytes, relative: str, shown: str, found_registry: Registry
) -> tuple[Letter | None, list[Diagnostic]]:
    try:
        decoded = decode(data, shown)
    except LetterError as refused:
        return None, list(refused.diagnostics)
    problems = [
        checks.warning(shown, 1, note, "Kiểm tra lại nội dung sau khi chuyển mã")
        for note in getattr(decoded, "notes", ())
    ]
    problems.extend(checks.hidden_characters(shown, decoded.hidden))
    if not decoded.text.strip():
        return None, [*problems, checks.empty_file(shown)]
    front = frontmatter.split_front_matter(decoded.text, shown)
    problems.extend(front.diagnostics)
    problems.extend(checks.check_placeholder(front.text, shown))
    effect_set = {key: front.values.pop(key) for key in LETTER_ONLY_KEYS if key in front.values}
    parsed = apply_front_matter(parse_letter(front.text), front)
    resolved = _resolve(parsed, found_registry)
    problems.extend(checks.check_letter(parsed, shown, resolved))
    if any(p.severity is Severity.ERROR for p in problems):
        return None, problems
    letter = to_letter(parsed, resolved, relative)
    effect = legal_effect.read_effect(front.text, letter.loai_van_ban, letter.ngay_ban_hanh, shown)
    if "ngay_hieu_luc" not in effect_set:
        problems.extend(effect.diagnostics)
    read = {
        key: getattr(effect, key) for key in ("ngay_hieu_luc", "het_hieu_luc", *legal_effect.RELATION_KEYS)
    }
    lines = {**letter.source_lines, **{key: front.lines.get(key, 1) for key in effect_set}}
    encoding = "" if decoded.encoding in PLAIN_UTF8 else decoded.encoding
    return replace(letter, **{**read, **effect_set}, source_lines=lines, ma_hoa_goc=encoding), problems


PLAIN_UTF8 = ("utf-8", "utf-8-sig")
"""Encodings a browser opens a published .txt in as it is (the site serves text as UTF-8)."""


LETTER_ONLY_KEYS = ("ngay_hieu_luc", "het_hieu_luc", "thay_the", "sua_doi", "bai_bo", "linh_vuc")
"""Front-matter keys the text parser has no field for: set on the letter after it is made."""


def apply_front_matter(parsed: ParsedLetter, front: frontmatter.FrontMatter) -> ParsedLetter:
    """The parsed letter with every field the front matter sets replaced (number and symbol kept coherent)."""
    values = dict(front.values)
    if "so_ky_hieu" in values:
        number = parse_number_symbol(str(values["so_ky_hieu"])) if values["so_ky_hieu"] else None
        if number is not None:
            values.setdefault("so", number.so)
            values.setdefault("ky_hieu", number.ky_hieu)
            parsed.separator, parsed.nam_so, parsed.so_in = number.separator, number.nam, number.digits
        else:
            values.setdefault("so", None)
    for key, value in values.items():
        setattr(parsed, key, value)
        parsed.source_lines[key] = front.lines.get(key, 1)
        parsed.given.add(key)
    if "ngay_ban_hanh" in values:
        parsed.ngay_khong_hop_le = None
    if parsed.ky_hieu and {"so", "ky_hieu", "so_ky_hieu"} & values.keys():
        printed = (
            parsed.so_in
            if parsed.so_in and parsed.so is not None and int(parsed.so_in) == parsed.so
            else None
        )
        parsed.so_ky_hieu = NumberSymbol(
            parsed.so, parsed.separator, parsed.ky_hieu, parsed.nam_so, printed
        ).so_ky_hieu
    return parsed


def _resolve(parsed: ParsedLetter, found_registry: Registry) -> checks.Resolved:
    """Registry names for the printed issuer and place."""
    if not parsed.co_quan_ban_hanh:
        return checks.Resolved(None, None, parsed.dia_danh, None)
    issuer = found_registry.resolve(parsed.co_quan_ban_hanh, parsed.co_quan_chu_quan)
    place = found_registry.place(issuer.body, parsed.dia_danh) if parsed.dia_danh else None
    return checks.Resolved(parsed.co_quan_ban_hanh, issuer, parsed.dia_danh, place)


def to_letter(parsed: ParsedLetter, resolved: checks.Resolved, relative: str) -> Letter:
    """The validated letter (call only when ``check_letter`` found no error)."""
    assert resolved.issuer is not None and parsed.ngay_ban_hanh is not None
    return Letter(
        id=letter_id(relative),
        tep_goc=relative,
        loai_van_ban=parsed.loai_van_ban or "Công văn",
        so=parsed.so,
        ky_hieu=parsed.ky_hieu or "",
        so_ky_hieu=parsed.so_ky_hieu,
        co_quan_chu_quan=parsed.co_quan_chu_quan,
        co_quan_ban_hanh=resolved.issuer.name,
        dia_danh=resolved.place.name if resolved.place else parsed.dia_danh,
        ngay_ban_hanh=parsed.ngay_ban_hanh,
        trich_yeu=parsed.trich_yeu or "",
        do_khan=parsed.do_khan,
        kinh_gui=list(parsed.kinh_gui),
        noi_nhan=list(parsed.noi_nhan),
        tham_quyen_ky=list(parsed.tham_quyen_ky),
        chuc_vu_nguoi_ky=parsed.chuc_vu_nguoi_ky,
        nguoi_ky=parsed.nguoi_ky,
        van_ban_dan_chieu=list(parsed.van_ban_dan_chieu),
        thu_hoi=parsed.thu_hoi,
        dinh_chinh=list(parsed.dinh_chinh),
        noi_dung=parsed.noi_dung,
        source_lines=dict(parsed.source_lines),
    )


def _link(letter: Letter, index: dict[str, list[Letter]], found_registry: Registry) -> list[str]:
    """Ids of archive letters that ``letter``'s citations name, by (number and symbol, year)."""
    linked: list[str] = []
    for cited in letter.van_ban_dan_chieu:
        candidates = [c for c in index.get(symbol_key(cited.so_ky_hieu), []) if c.id != letter.id]
        year = cited_year(cited.ngay_ban_hanh, cited.so_ky_hieu)
        if year is not None:
            candidates = [c for c in candidates if c.nam == year]
        else:
            candidates = [c for c in candidates if c.ngay_ban_hanh <= letter.ngay_ban_hanh]
        if len(candidates) > 1 and cited.co_quan_ban_hanh:
            name = canonical_key(found_registry.match(cited.co_quan_ban_hanh).name)
            candidates = [c for c in candidates if canonical_key(c.co_quan_ban_hanh) == name]
        if len(candidates) == 1 and candidates[0].id not in linked:
            linked.append(candidates[0].id)
    return linked


class _Cache:
    """Parsed letters on disk, keyed by everything that decides the result."""

    def __init__(self, folder: Path, found_registry: Registry):
        self.folder = folder
        self.salt = f"{parsing.PARSER_VERSION}:{source_digest()}:{found_registry.fingerprint}"

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
