"""`vanban serve`'s quick path: a saved letter on the page in about a second, not a whole build.

MkDocs' serve runs a whole build on every save: at 10,000 letters ~10 s of CPU before anything is
rendered (the archive read again, every page's fingerprint, the old site removed and linked again).
The serve process lives on between saves, so it keeps what its last full build learnt
(``ServeMemory``: owned by ``builder.publish.serve_preview``, handed to the plugin, which fills it
during a build): the archive as read, the site plan, each letter's digest, the pages' fingerprints,
and MkDocs' configuration, files, nav and Jinja environment. On a save that changed only letters
already in the archive, ``quick_update``:

1. reads those letters alone (``builder.archive.read.read_one``, through the parse cache) and runs
   the checks between letters; a letter with errors leaves the served site as it is and its errors
   are shown in the browser, as a failed full build's would be;
2. plans the site again with the letters replaced (``plan_site``) and picks the pages the change can
   reach: the letters' own pages, the letters they cite or are cited by and those whose legal-effect
   relations name them (before and after the change); every list page, the feed and the sitemap
   when what a list shows of a letter changed (its summary, date, issuer, type, fields, whether
   listed); the hand-written pages when the browse facets or the newest letters changed. Of those,
   the pages whose fingerprint (``carry_over.page_fingerprint``, the full build's) changed are
   rendered through MkDocs' own page steps with the last build's environment;
3. writes them, the letters' originals and open-data records, the open-data lists and the
   fingerprints into a staging folder, then moves each file into the served folder
   (``os.replace``: a reader sees the old file or the new one, never half of one) and links it
   into the last good copy (which the next full build carries pages over from);
4. starts the search index in the background, stopping one still being made (a save never waits
   for it).

Anything else (``mkdocs.yml``, the theme, a hand-written page, a registry, a letter added, removed
or renamed, a page added or gone, a new day, a check between letters failing) is a full build.
``tests/test_serve_quick.py`` compares the served folder after quick saves with a full build of the
same files, byte for byte.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import logging
import os
import shutil
import tempfile
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from jinja2 import Environment
from mkdocs.config.defaults import MkDocsConfig
from mkdocs.structure.files import Files
from mkdocs.structure.nav import Navigation
from mkdocs.structure.pages import Page

from builder.archive.content_files import LETTER_SUFFIX, _hidden
from builder.archive.read import LINKED_BY, Archive, read_one
from builder.archive.store import LetterStore
from builder.letters import checks, fields
from builder.letters.legal_effect import RELATION_KEYS, Relations
from builder.letters.letter import Diagnostic, Letter, Severity
from builder.publish import carry_over, incremental, mkdocs_internals, open_data, site_files, site_output
from builder.publish.search_process import SearchProcess
from builder.publish.site_pages import SitePlan, plan_site
from builder.publish.views import GeneratedPage, LetterSummary

log = logging.getLogger("mkdocs.plugins.vanban")

PLUGIN_NAME = "vanban"
Stamp = tuple[int, int, int]
"""A watched file as last seen: modification time (ns), size, inode."""


@dataclass
class LastBuild:
    """What the served site was made from: the last full build, then each quick save's changes."""

    config: MkDocsConfig
    files: Files
    nav: Navigation
    env: Environment
    inputs: incremental.TemplateInputs
    archive: Archive
    plan: SitePlan
    store: LetterStore
    digests: dict[str, str]
    fingerprints: incremental.Fingerprints
    page_urls: list[str]
    today: str
    """The day the plan was made for (a letter's legal effect is stated as of that day)."""


@dataclass
class QuickOutcome:
    """What a quick save did; ``full`` (why) when a full build must do it instead."""

    full: str = ""
    errors: list[Diagnostic] = dataclasses.field(default_factory=list)
    """The saved letters' errors: the served site was left as it was."""
    rendered: int = 0
    files: int = 0


class ServeMemory:
    """What one `vanban serve` process keeps between builds (see the module docstring). The plugin
    fills it during a full build (``keep_*``); ``quick_update`` reads and updates it."""

    def __init__(self, site_dir: Path, kept_dir: Path) -> None:
        self.site_dir = site_dir
        self.kept_dir = kept_dir
        """The last good copy of the served site, as hard links (``serve_preview.last_good_copy``)."""
        self.last: LastBuild | None = None
        self.search: SearchProcess | None = None
        """The search index being made in the background for the served site."""
        self.seen: dict[str, Stamp] = {}
        """The watched files as the served site (and letters pending) last saw them."""
        self.pending: set[str] = set()
        """Letters (paths inside content/) saved since the served site was made, not yet in it."""
        self.list_entries: dict[str, tuple[Letter, str, str, str, str]] = {}
        """Letter id -> (the letter, site URL, its signed original's URL, and its part of the
        open-data lists: ``open_data.list_entry``): the lists are written again from these when a
        letter changes (encoding 10,000 records again costs ~2 s)."""
        self._parts: dict[str, object] = {}

    # --- filled by the plugin during a full build --------------------------------------------

    def keep_archive(self, archive: Archive) -> None:
        self._parts.update(archive=archive, today=dt.date.today().isoformat())

    def keep_rendering(
        self,
        config: MkDocsConfig,
        files: Files,
        nav: Navigation,
        env: Environment,
        inputs: incremental.TemplateInputs,
    ) -> None:
        self._parts.update(config=config, files=files, nav=nav, env=env, inputs=inputs)

    def keep_build(
        self,
        plan: SitePlan,
        store: LetterStore,
        digests: dict[str, str],
        fingerprints: incremental.Fingerprints,
        page_urls: list[str],
    ) -> None:
        self._parts.update(
            plan=plan, store=store, digests=digests, fingerprints=fingerprints, page_urls=page_urls
        )

    def keep_search(self, search: SearchProcess | None) -> None:
        self.stop_search()
        self.search = search

    # --- around a full build -----------------------------------------------------------------

    def before_full_build(self, roots: Iterable[Path]) -> None:
        """A full build starts: it reads the watched files (under ``roots``) as they are now."""
        self.stop_search()
        self.last, self._parts, self.pending = None, {}, set()
        self.look(roots)

    def after_full_build(self) -> None:
        """The build succeeded: what it left is what the next save starts from."""
        parts, self._parts = self._parts, {}
        names = {f.name for f in dataclasses.fields(LastBuild)}
        if not names <= parts.keys():
            self.last = None
            return
        self.last = LastBuild(**parts)  # type: ignore[arg-type]
        # As the build wrote them: its TemplateInputs go on learning templates in quick saves.
        written = self.last.fingerprints
        self.last.fingerprints = dataclasses.replace(written, templates=dict(written.templates))

    def warm(self) -> None:
        """Each listed letter's part of the open-data lists made now (after a full build), not on
        the first save."""
        if self.last is not None:
            for _ in self.lists(self.last.plan, _site_url(self.last.config)):
                pass

    def lists(self, plan: SitePlan, site_url: str) -> Iterator[tuple[str, str]]:
        """The open-data lists' entries (``open_data.write_lists``), each made again only when its
        letter, the site's URL or its signed original's URL changed."""
        for letter in sorted(plan.listed, key=lambda x: x.id):
            signed = plan.originals.get(letter.id)
            signed_url = signed.url if signed else ""
            kept = self.list_entries.get(letter.id)
            if (
                kept is None
                or kept[1:3] != (site_url, signed_url)
                or not (kept[0] is letter or kept[0] == letter)
            ):
                kept = (letter, site_url, signed_url, *open_data.list_entry(letter, site_url, plan.originals))
                self.list_entries[letter.id] = kept
            yield kept[3], kept[4]

    def forget(self) -> None:
        """The build failed: the next save is a full build."""
        self.last, self._parts = None, {}

    def stop_search(self) -> None:
        if self.search is not None:
            self.search.stop()
            self.search = None

    def look(self, roots: Iterable[Path]) -> list[str]:
        """The watched files added, changed or removed since last looked at (and remember them)."""
        now = watched_files(roots)
        changed = sorted(p for p in now.keys() | self.seen.keys() if now.get(p) != self.seen.get(p))
        self.seen = now
        return changed


def watched_files(roots: Iterable[Path]) -> dict[str, Stamp]:
    """Every file under ``roots`` (files or folders): ~30 ms for 10,000 letters."""
    found: dict[str, Stamp] = {}
    for root in roots:
        if root.is_file():
            status = root.stat()
            found[str(root)] = (status.st_mtime_ns, status.st_size, status.st_ino)
            continue
        for folder, _, names in os.walk(root):
            for name in names:
                path = os.path.join(folder, name)
                try:
                    status = os.stat(path)
                except OSError:
                    continue
                found[path] = (status.st_mtime_ns, status.st_size, status.st_ino)
    return found


def quick_update(memory: ServeMemory, changed: list[str]) -> QuickOutcome:
    """The saved letters (``changed``: absolute paths) brought into the served site, or why a full
    build must do it (``QuickOutcome.full``)."""
    last = memory.last
    if last is None:
        return QuickOutcome(full="chưa có bản dựng đầy đủ")
    plugin: Any = last.config.plugins[PLUGIN_NAME]  # builder.mkdocs_plugin.VanbanPlugin
    settings = plugin.settings
    content_dir = Path(settings.content_dir)
    known = {letter.tep_goc for letter in last.archive.letters}
    changed = [path for path in changed if not _ignored(Path(path), content_dir)]
    if not changed:  # an editor's swap file: nothing the site is made from
        return QuickOutcome()
    for path in changed:
        relative = _inside(Path(path), content_dir)
        # A letter replaced by a link resolves to another file: the full build refuses the link.
        if relative is None or relative not in known or Path(path).is_symlink() or not Path(path).is_file():
            return QuickOutcome(full=f"không phải một văn bản đã có: {path}")
    if dt.date.today().isoformat() != last.today:
        return QuickOutcome(full="sang ngày mới")
    memory.pending |= {_inside(Path(path), content_dir) or "" for path in changed}
    memory.stop_search()  # it holds the project's lock and would index letters now replaced
    lock = site_output.ProjectLock(Path(settings.cache_dir) / site_output.LOCK_NAME)
    lock.acquire(log.warning)
    try:
        outcome = _update(memory, last, plugin, content_dir)
        if not outcome.full and not outcome.errors:
            memory.pending = set()
            _start_search(memory)
        return outcome
    finally:
        lock.release()  # the search child keeps it until its index is made


def _update(memory: ServeMemory, last: LastBuild, plugin: object, content_dir: Path) -> QuickOutcome:
    settings = plugin.settings  # type: ignore[attr-defined]
    read: dict[str, Letter] = {}
    errors: list[Diagnostic] = []
    warnings: list[Diagnostic] = []
    shown_paths: set[str] = set()
    for relative in sorted(memory.pending):
        letter, problems, shown = read_one(
            content_dir / relative, content_dir, Path(settings.cache_dir), last.archive.registry, last.store
        )
        shown_paths.add(shown)
        if letter is not None:
            letter, found = fields.with_registry_fields(letter, shown, last.archive.field_registry)
            problems = problems + found
        errors += [d for d in problems if d.severity is Severity.ERROR]
        warnings += [d for d in problems if d.severity is not Severity.ERROR]
        if letter is not None:
            read[letter.id] = letter
    if errors:
        errors.sort(key=lambda d: (d.path, d.line))
        return QuickOutcome(errors=errors)
    letters = [read.get(letter.id, letter) for letter in last.archive.letters]
    if checks.check_archive([(letter, letter.tep_goc) for letter in letters]):
        return QuickOutcome(full="lỗi giữa các văn bản")
    diagnostics = [d for d in last.archive.diagnostics if d.path not in shown_paths] + warnings
    diagnostics.sort(key=lambda d: (d.path, d.line, d.severity != Severity.ERROR))
    archive = last.archive.replacing(read, diagnostics)
    site_url = _site_url(last.config)
    plan = plan_site(archive, settings, site_url=site_url)
    if plan.pages.keys() != last.plan.pages.keys():
        return QuickOutcome(full="trang mới hoặc trang bỏ đi")
    digests = dict(last.digests)
    for letter_id, letter in read.items():
        digests[letter_id] = incremental.letter_digest(last.store.with_body(letter))
    staging = Path(tempfile.mkdtemp(prefix=".vanban-nhanh-", dir=memory.site_dir.parent))
    try:
        prints, templates = dict(last.fingerprints.pages), dict(last.fingerprints.templates)
        now = dataclasses.replace(last.fingerprints, search="", pages=prints, templates=templates)
        carry = incremental.CarryOver(memory.site_dir, staging, last.fingerprints, now)
        lists_changed = any(_list_face(last.archive.by_id[i]) != _list_face(archive.by_id[i]) for i in read)
        shared = {
            name
            for name, same in (
                ("vb_browse", plan.browse == last.plan.browse),
                ("vb_newest", plan.newest == last.plan.newest),
            )
            if not same
        }
        pages = _pages_to_check(last, archive, plan, set(read), lists_changed, shared)
        rendered = _render(last, plugin, plan, digests, carry, pages, shared, staging)
        _write_files(memory, settings, plan, digests, carry, read, lists_changed, staging, site_url)
        search_carried = carry_over.search_carried(carry, plan, digests)
        if not search_carried:
            carry.now.search = ""  # made in the background, as a full build under serve does
        carry.now.write(staging)
        written = _promote(staging, memory.site_dir, memory.kept_dir)
    finally:
        shutil.rmtree(staging, ignore_errors=True)
    memory.last = dataclasses.replace(
        last, archive=archive, plan=plan, digests=digests, fingerprints=carry.now
    )
    log.info(
        f"vanban: lưu nhanh {len(read)} văn bản: dựng {rendered} trang, ghi {written} tệp;"
        " các trang khác giữ nguyên"
    )
    return QuickOutcome(rendered=rendered, files=written)


def _site_url(config: MkDocsConfig) -> str:
    """The site's URL as the plugin gives it to the plan (``mkdocs_plugin._site_url``)."""
    from builder.mkdocs_plugin import _site_url as plugin_site_url  # it imports this module's users

    return plugin_site_url(config)


def _ignored(path: Path, content_dir: Path) -> bool:
    """A file of content/ the archive does not read (``content_files.survey``: a hidden one, such
    as an editor's swap file)."""
    try:
        return _hidden(path, content_dir) and not path.name.startswith(LETTER_SUFFIX)
    except ValueError:  # not under content/
        return False


def _inside(path: Path, content_dir: Path) -> str | None:
    """The path inside content/ (POSIX), as the archive names a letter's file; None if outside."""
    try:
        return path.resolve().relative_to(content_dir.resolve()).as_posix()
    except ValueError:
        return None


def _list_face(letter: Letter) -> tuple[object, ...]:
    """What the lists, the browse facets, the home page, the feed and the sitemap read of a letter:
    its summary line, where it is listed and in which order."""
    return (
        LetterSummary.of(letter),
        letter.is_listed,
        letter.is_draft,
        letter.so,
        letter.nam,
        letter.ngay_ban_hanh,
        letter.co_quan_ban_hanh,
        letter.loai_van_ban,
        tuple(letter.linh_vuc),
    )


def _pages_to_check(
    last: LastBuild,
    archive: Archive,
    plan: SitePlan,
    changed: set[str],
    lists_changed: bool,
    shared: set[str],
) -> list[GeneratedPage]:
    """The generated pages the changed letters can reach (see the module docstring), in plan order:
    ``shared``, the variables every page is given (``vb_browse``, ``vb_newest``) that changed."""
    touched = set(changed)
    before, after = last.archive, archive
    for letter_id in changed:
        for side in (before, after):
            letter = side.by_id[letter_id]
            touched |= {x.id for x in side.cites(letter)} | {x.id for x in side.cited_by(letter)}
    linked_by = [
        [getattr(side.by_id[i], name) for name in LINKED_BY] for i in changed for side in (before, after)
    ]
    for letter in after.letters if linked_by[::2] != linked_by[1::2] else []:  # a citation now linked
        if _links(before, before.by_id[letter.id]) != _links(after, letter):  # to another letter, or none
            touched.add(letter.id)
    for listed in (last.plan.listed, plan.listed):
        relations = Relations(listed)
        for letter_id in changed:
            for side in (before, after):
                letter = side.by_id[letter_id]
                for relation in RELATION_KEYS:  # those that replace, amend or repeal it
                    touched |= {x.id for x in relations.against(letter, relation)}
                    for symbol in getattr(letter, relation, ()) or ():  # those it names
                        touched |= {x.id for x in relations.named(symbol)}
    pages = []
    for page in plan.pages.values():
        if page.letter is not None:
            if page.letter.id in touched:
                pages.append(page)
        elif _reads(last, page.page_meta().get("template", "main.html"), shared):
            pages.append(page)
        elif lists_changed and page.shows is not None:  # a list's page, before and after
            sides = (last.plan.pages[page.src_uri].shows, page.shows)
            shown = [[x.id for x in listing()] for listing in sides if listing is not None]
            if shown[0] != shown[-1] or any(i in changed for ids in shown for i in ids):
                pages.append(page)
    return pages


def _reads(last: LastBuild, template: str, shared: set[str]) -> bool:
    """Whether the template reads one of ``shared`` (or variables it cannot name)."""
    if not shared:
        return False
    names = last.inputs.names(template)
    return names is None or bool(names & shared)


def _links(archive: Archive, letter: Letter) -> tuple[list[str], list[str]]:
    return [x.id for x in archive.cites(letter)], [x.id for x in archive.cited_by(letter)]


def _render(
    last: LastBuild,
    plugin: object,
    plan: SitePlan,
    digests: dict[str, str],
    carry: incremental.CarryOver,
    pages: list[GeneratedPage],
    shared: set[str],
    staging: Path,
) -> int:
    """The pages whose fingerprint changed, rendered as the full build renders them, into ``staging``."""
    from builder.mkdocs_plugin import generated_file

    config, files = last.config, last.files
    doc_files = files.documentation_pages()
    rendered = 0
    plugin.plan, plugin.store = plan, last.store  # type: ignore[attr-defined]  # its page events read them
    try:
        for generated in pages:
            fingerprint, context = carry_over.page_fingerprint(carry, plan, digests, generated, last.inputs)
            entry = files.get_file_from_path(generated.src_uri) if generated.entry else None
            if entry is not None and entry.page is not None:  # MkDocs' own (the nav may show it)
                page = entry.page
                plugin.entry_contexts = {generated.src_uri: context}  # type: ignore[attr-defined]
            else:
                page = Page(None, generated_file(config, generated), config)
                plugin.reused_context = (generated.src_uri, context)  # type: ignore[attr-defined]
            carry.now.pages[page.file.dest_uri] = fingerprint
            if last.fingerprints.pages.get(page.file.dest_uri) == fingerprint:
                continue
            mkdocs_internals.write_page_into(str(staging), page, config, files, doc_files, last.nav, last.env)
            rendered += 1
        for file in doc_files:  # the hand-written pages, given vb_browse and vb_newest too
            hand = file.page
            if file.src_uri in plan.pages or hand is None:
                continue
            if _reads(last, str(hand.meta.get("template", "main.html")), shared):
                mkdocs_internals.write_page_into(
                    str(staging), hand, config, files, doc_files, last.nav, last.env
                )
                rendered += 1
    finally:
        plugin.plan = None  # type: ignore[attr-defined]
        plugin.reused_context = None  # type: ignore[attr-defined]
        plugin.entry_contexts = {}  # type: ignore[attr-defined]
    return rendered


def _write_files(
    memory: ServeMemory,
    settings: object,
    plan: SitePlan,
    digests: dict[str, str],
    carry: incremental.CarryOver,
    read: dict[str, Letter],
    lists_changed: bool,
    staging: Path,
    site_url: str,
) -> None:
    """The files beside the pages the full build writes, for the changed letters: their originals,
    their open-data records, the open-data lists; the feed and the sitemap if a list changed."""
    content_dir = Path(settings.content_dir)  # type: ignore[attr-defined]
    changed = [letter for letter in plan.letters if letter.id in read]
    site_files.copy_originals(
        dataclasses.replace(plan, letters=changed, originals={}), content_dir, staging, carry
    )
    lists_carried = carry_over.lists_carried(carry, plan, digests, site_url)
    records = carry_over.record_carried(carry, plan, digests, site_url)
    open_data.write_open_data(staging, plan.listed, changed, site_url, plan.originals, records, True)
    if not lists_carried:
        open_data.write_lists(staging, memory.lists(plan, site_url))
    if not lists_changed:
        return
    last = memory.last
    assert last is not None
    feed_size = settings.feed_size  # type: ignore[attr-defined]
    for path, data in site_files.data_files(plan, site_url, last.config.site_name, feed_size).items():
        site_output.write_files(staging, {path: data})
    site_files.write_sitemap(staging, plan, last.page_urls, site_url)


def _promote(staging: Path, site_dir: Path, kept_dir: Path) -> int:
    """Every file of ``staging`` moved into the served folder (each at once, the fingerprints
    last) and linked into the last good copy."""
    moved = []
    for folder, _, names in os.walk(staging):
        for name in names:
            source = Path(folder) / name
            moved.append(source.relative_to(staging))
    moved.sort(key=lambda relative: relative.as_posix() == incremental.FINGERPRINTS)
    for relative in moved:
        source = staging / relative
        if kept_dir.is_dir():
            kept = kept_dir / relative
            kept.parent.mkdir(parents=True, exist_ok=True)
            linked = kept.with_name(kept.name + ".vanban-moi")
            linked.unlink(missing_ok=True)
            os.link(source, linked)
            os.replace(linked, kept)
        target = site_dir / relative
        target.parent.mkdir(parents=True, exist_ok=True)
        os.replace(source, target)
    return len(moved)


def _start_search(memory: ServeMemory) -> None:
    """The served site's search index made again in the background (forked holding the project's
    lock, so a `vanban build` beside it waits), unless it was carried over unchanged."""
    last = memory.last
    if last is None or last.fingerprints.search:
        return
    plugin: Any = last.config.plugins[PLUGIN_NAME]
    settings = plugin.settings
    memory.search = SearchProcess(memory.site_dir, Path(settings.cache_dir))
    memory.search.start(last.store.select(last.plan.listed), last.plan.listed_issuer_slugs())
