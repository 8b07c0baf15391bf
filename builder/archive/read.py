"""All committed letters, read, checked and linked: what every later stage starts from.

Every ``*.txt`` under ``content/`` (recursively) is a letter; other files are
data (the registry of issuing bodies). Each letter goes bytes → text
(``builder.text.decoding``) → front matter → parsed components → registry names →
checks → ``Letter``; then the archive checks letters against each other and
links citations to the letters they cite. Letters with errors are left out of
``Archive.letters`` and their problems are in ``Archive.diagnostics``.

With a cache directory, a letter whose bytes, path, registry and parser code
are unchanged is taken from the cache instead of being parsed again.

One file to one letter is ``letter_file``, reading on every core ``workers``, the parse cache
``cache``, the store of whole letters ``store``.

Bodies are most of an archive's memory (780 MB of 1.4 GB at 100,000 letters),
and only three steps read them, one letter at a time: the letter's page, the
search index and the search results' snippets. So ``Archive.letters`` hold the
metadata, and each letter is written whole to ``Archive.store`` (a file) as
soon as it is read; ``store.with_body(letter)`` gives it back.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field, replace
from functools import cached_property
from pathlib import Path

from builder.archive.cache import CACHE_SUBDIR, _Cache
from builder.archive.content_files import Original, survey
from builder.archive.letter_file import _in, display_path
from builder.archive.store import LetterStore
from builder.archive.workers import _job, _read_files
from builder.letters import checks, fields
from builder.letters.citations import cited_year, symbol_key
from builder.letters.letter import Diagnostic, Letter, Severity
from builder.letters.registry import Registry, load_registry
from builder.text.vietnamese import canonical_key


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

    def replacing(self, changed: dict[str, Letter], diagnostics: list[Diagnostic]) -> Archive:
        """This archive with the ``changed`` letters (by id, letters it has) in place of its own
        (`vanban serve`'s quick path). When none of them changed what citations are linked by
        (``LINKED_BY``), the citations link as they did, and are not worked out again (~0.25 s
        at 10,000 letters)."""
        letters = [changed.get(letter.id, letter) for letter in self.letters]
        archive = replace(self, letters=letters, diagnostics=diagnostics)
        if all(_linked_by(self.by_id[i]) == _linked_by(letter) for i, letter in changed.items()):
            archive.__dict__.update(_links=self._links, _backlinks=self._backlinks)  # the cached properties
        return archive

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
    known = {f.resolve() for f in files} if extra else set()
    for path in extra or []:  # `vanban check FILE`: read only a regular file, never through a link
        if path.is_symlink() or not path.is_file():
            if not _in(path, content_dir):  # inside content/, survey has told already
                diagnostics.append(checks.not_a_regular_file(display_path(path)))
        elif path.resolve() not in known:
            files.append(path)
    cache = _Cache(Path(cache_dir) / CACHE_SUBDIR, found_registry) if cache_dir else None
    store = store if store is not None else LetterStore(Path(cache_dir) if cache_dir else None)
    content_root, shown_root = content_dir.resolve(), Path.cwd().resolve()
    surveyed_count = len(surveyed.letters) if surveyed is not None else 0
    jobs = [
        _job(path, content_root, shown_root, content_dir if number < surveyed_count else None)
        for number, path in enumerate(files)
    ]
    read: list[tuple[Letter, str]] = []
    parsed = reused = 0
    outcomes, workers = _read_files(jobs, found_registry, cache, store.keep)
    store.done_keeping()
    if cache is not None:
        cache.remove_other_versions()
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


def read_one(
    path: Path, content_dir: Path, cache_dir: Path | None, found_registry: Registry, store: LetterStore
) -> tuple[Letter | None, list[Diagnostic], str]:
    """One letter file of ``content_dir`` read as ``read_archive`` reads it (through the parse
    cache, kept in ``store``): its letter (None when it has errors) as the store keeps it, its
    problems and the path its messages name. For `vanban serve`'s quick path, which reads only
    the saved letter (``builder.publish.serve_quick``)."""
    job = _job(path, Path(content_dir).resolve(), Path.cwd().resolve())
    cache = _Cache(Path(cache_dir) / CACHE_SUBDIR, found_registry) if cache_dir else None
    outcomes, _ = _read_files([job], found_registry, cache, store.keep)
    (letter, problems), _ = outcomes[0]
    return letter, problems, job.shown


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


LINKED_BY = ("id", "so_ky_hieu", "nam", "ngay_ban_hanh", "co_quan_ban_hanh", "van_ban_dan_chieu")
"""What ``_link`` reads of a letter, as the citing one and as a candidate."""


def _linked_by(letter: Letter) -> tuple[object, ...]:
    return tuple(getattr(letter, name) for name in LINKED_BY)


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
