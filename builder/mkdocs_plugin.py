"""The ``vanban`` MkDocs plugin: hands the archive's pages to MkDocs, nothing more.

One short method per MkDocs event, in the order MkDocs calls them; each
delegates to the module that owns the work:

- read the archive once (``builder.archive.read``) and stop with every error
  (file:line, in Vietnamese) before anything is written;
- plan the pages (``builder.publish.site_pages``); hand MkDocs the ones a link by hand
  may point to (a list's first page, the search page), out of the nav (with
  letters in the nav the build grows quadratically);
- write the others (letters, a list's later pages) through MkDocs' own page
  steps, every plugin's page events included, one page at a time: MkDocs
  keeps every page it builds (links, anchors, contents) until the build ends,
  125,000 of them at archive scale;
- a letter page's source is empty, so MkDocs' Markdown does nothing for it;
  its body is read from the archive's store, rendered
  (``builder.publish.letter_html``) when the page is written and dropped right after,
  so no step holds every letter's body or HTML;
- open data (``builder.publish.open_data``, written straight to the site folder), feed,
  sitemap, robots (``builder.publish.feeds``),
  the search index (``builder.search.static_index``): in a process forked before the
  archive is read and handed its letters once the staging folder is clean, so
  it runs while MkDocs writes the pages (inline under ``mkdocs serve`` or on
  one CPU);
- once every page is written, let go of the plan and the letters before waiting
  for the search process, whose peak would otherwise add to theirs;
- build into a staging folder and swap it in at the end (``builder.publish.site_output``).

It also runs under ProperDocs, which maps ``mkdocs.*`` imports to itself.
"""

from __future__ import annotations

import logging
from pathlib import Path
from typing import TYPE_CHECKING, cast

from jinja2 import ChoiceLoader, DictLoader, Environment
from markupsafe import Markup
from mkdocs.config import config_options as c
from mkdocs.config.base import Config
from mkdocs.config.defaults import MkDocsConfig
from mkdocs.exceptions import PluginError
from mkdocs.livereload import LiveReloadServer
from mkdocs.plugins import BasePlugin, event_priority
from mkdocs.structure.files import File, Files, InclusionLevel
from mkdocs.structure.nav import Navigation
from mkdocs.structure.pages import Page
from mkdocs.utils import CountHandler
from mkdocs.utils.templates import TemplateContext

from builder.archive.read import read_archive
from builder.archive.store import LetterStore
from builder.archive.workers import usable_cores
from builder.letters.letter import Diagnostic, Severity
from builder.publish import (
    carry_over,
    incremental,
    mkdocs_internals,
    open_data,
    site_files,
    site_output,
    site_size,
)
from builder.publish.identity import Agency, agency_from_extra
from builder.publish.letter_html import body_html_parts
from builder.publish.safe_markdown import SafeMarkdown
from builder.publish.search_process import SearchProcess
from builder.publish.serve_preview import last_good_copy
from builder.publish.site_pages import SitePlan, plan_site
from builder.publish.views import GeneratedPage
from builder.search.static_index import publish_search
from builder.settings import Settings, settings_from_options
from builder.text.dates import date_short

if TYPE_CHECKING:
    from builder.publish.serve_quick import ServeMemory

log = logging.getLogger("mkdocs.plugins.vanban")
NOT_IN_NAV = InclusionLevel.NOT_IN_NAV
"""Generated pages stay out of the nav: with every letter in it, each page carries them all."""


_DEFAULTS = Settings()


def _option(default: object) -> c.Type:
    """A MkDocs option with the same default as the ``Settings`` field."""
    if isinstance(default, Path):
        return c.Type(str, default=str(default))
    return c.Type(type(default), default=default)


class VanbanConfig(Config):
    """Options of ``vanban`` in mkdocs.yml: exactly the fields of ``Settings``, with its defaults
    (``tests/test_site.py`` checks the two agree); ``Settings`` holds their help texts."""

    content_dir = _option(_DEFAULTS.content_dir)
    cache_dir = _option(_DEFAULTS.cache_dir)
    page_size = _option(_DEFAULTS.page_size)
    feed_size = _option(_DEFAULTS.feed_size)
    home_size = _option(_DEFAULTS.home_size)
    jurisdiction = _option(_DEFAULTS.jurisdiction)
    host = _option(_DEFAULTS.host)
    publish_unissued = _option(_DEFAULTS.publish_unissued)


class VanbanPlugin(BasePlugin[VanbanConfig]):
    """Publishes ``content/`` as the portal's pages; see the module docstring."""

    def __init__(self) -> None:
        self.atomic = True
        self.settings = Settings()
        self.plan: SitePlan | None = None
        self.store = LetterStore()
        self.final_site_dir: Path | None = None
        self.staging: Path | None = None
        self.lock: site_output.ProjectLock | None = None
        self.page_urls: list[str] = []
        self.strict_warnings: CountHandler | None = None
        self.search: SearchProcess | None = None
        self.nav: Navigation | None = None
        self.agency: Agency | None = None
        self.carry: incremental.CarryOver | None = None
        self.letter_digests: dict[str, str] = {}
        self.search_carried = False
        self.reused_context: tuple[str, dict | None] | None = None
        self.letter_errors: list[Diagnostic] = []
        """The letters' errors that stopped the last build (builder.publish.serve_preview shows them)."""
        self.build_error: Exception | None = None
        self.carried_entries: dict[str, str] = {}
        """An entry page (MkDocs' own) carried over: src_uri -> the last good site's HTML."""
        self.entry_contexts: dict[str, dict | None] = {}
        self.serve_memory: ServeMemory | None = None
        """Under `vanban serve`: where a build leaves what the quick path of the next save reuses
        (``builder.publish.serve_quick``), handed in by ``builder.publish.serve_preview``."""

    def on_startup(self, *, command: str, dirty: bool) -> None:
        # `mkdocs serve` builds into its own temporary folder: nothing to swap there.
        self.atomic = command != "serve"

    def on_config(self, config: MkDocsConfig) -> MkDocsConfig:
        mkdocs_internals.check_version()
        self.letter_errors = []
        self.build_error = None
        root = Path(config.config_file_path or "mkdocs.yml").resolve().parent
        self.settings = settings_from_options(dict(self.config)).resolve(root)
        config.markdown_extensions.append(SafeMarkdown())  # type: ignore[arg-type]  # an instance is allowed
        if self.settings.host not in site_size.HOSTS:
            hosts = ", ".join(site_size.HOSTS)
            raise PluginError(
                f"vanban: nơi đăng (host) '{self.settings.host}' không có; chọn một trong: {hosts}"
            )
        try:
            self.agency = agency_from_extra(config.extra)
        except ValueError as error:
            raise PluginError(f"vanban: {error}") from None
        # One build of the project at a time (a second `vanban build`, or `vanban serve` beside
        # it, waits here): they would share the staging folder, the whoosh index and the cache.
        self._release_lock()
        self.lock = site_output.ProjectLock(self.settings.cache_dir / site_output.LOCK_NAME)
        self.lock.acquire(log.warning)
        if self.atomic:
            self.final_site_dir = Path(config.site_dir)
            self.staging = site_output.staging_dir(self.final_site_dir)
            config.site_dir = str(self.staging)
            self._count_strict_warnings(config)
        return config

    def on_pre_build(self, *, config: MkDocsConfig) -> None:
        if not self.atomic:  # MkDocs has not emptied the served folder yet
            carry_over.keep_background_index(Path(config.site_dir), _serve_copy(Path(config.site_dir)))
        previous = self.final_site_dir if self.atomic else _serve_copy(Path(config.site_dir))
        self.carry = carry_over.carry_over(config, self.config, previous)
        self.store = LetterStore(self.settings.cache_dir)
        self._fork_search(config)  # now, while this process holds no letters
        archive = read_archive(self.settings.content_dir, self.settings.cache_dir, store=self.store)
        if archive.errors:
            self.letter_errors = list(archive.errors)  # for `vanban serve`'s page of errors
            raise PluginError(_error_report(archive.errors))
        for diagnostic in archive.diagnostics:
            if diagnostic.severity is not Severity.ERROR:
                log.info(f"vanban: {diagnostic}")
        log.info(f"vanban: đọc {len(archive.letters)} văn bản{_reuse_note(archive)}")
        if self.serve_memory is not None:
            self.serve_memory.keep_archive(archive)
        self.plan = plan_site(archive, self.settings, site_url=_site_url(config))
        if len(self.plan.letters) < len(archive.letters):  # publish_unissued: false
            held = len(archive.letters) - len(self.plan.letters)
            log.info(f"vanban: giữ lại {held} văn bản chưa ghi số hoặc ngày (publish_unissued: false)")
        log.info(
            f"vanban: {len(self.plan.letters)} trang văn bản, {len(self.plan.pages) - len(self.plan.letters)}"
            f" trang danh sách và tìm kiếm; {len(self.plan.listed)} văn bản trong danh sách"
        )

    def on_files(self, files: Files, *, config: MkDocsConfig) -> Files:
        plan = self._plan()
        for page in plan.pages.values():
            if page.entry:  # the others are written one at a time in on_env
                files.append(generated_file(config, page))
        # Written straight to the (clean) site folder, not held as MkDocs files until the build ends:
        # the committed originals, and the open data.
        site_dir, site_url = Path(config.site_dir), _site_url(config)
        if self.carry is not None:
            self.letter_digests = carry_over.letter_digests(plan, self.store)
        written = site_files.copy_originals(plan, self.settings.content_dir, site_dir, self.carry)
        written += open_data.write_open_data(
            site_dir,
            plan.listed,
            plan.letters,
            site_url,
            plan.originals,
            carry_over.record_carried(self.carry, plan, self.letter_digests, site_url),
            carry_over.lists_carried(self.carry, plan, self.letter_digests, site_url),
        )
        generated = site_files.data_files(plan, site_url, config.site_name, self.settings.feed_size)
        for path, data in generated.items():
            files.append(File.generated(config, path, content=data))
        for path in open_data.LINKED_FILES:  # hand-written pages link them: MkDocs must know them
            files.append(File.generated(config, path, abs_src_path=str(site_dir / path)))
        log.info(f"vanban: tệp gốc, dữ liệu mở, nguồn tin, robots.txt: {written + len(generated)} tệp")
        self.page_urls = [f.url for f in files.documentation_pages()]
        self.search_carried = carry_over.search_carried(self.carry, plan, self.letter_digests)
        if self.search is not None and self.search_carried:
            self.search.stop()
            self.search = None
        if self.search is not None:  # MkDocs has cleaned the staging folder by now
            self.search.start(self.store.select(plan.listed), plan.listed_issuer_slugs())
        return files

    def on_nav(self, nav: Navigation, *, config: MkDocsConfig, files: Files) -> Navigation:
        self.nav = nav
        return nav

    @event_priority(-100)  # last: the pages below need the environment every plugin has set up
    def on_env(self, env: Environment, *, config: MkDocsConfig, files: Files) -> Environment:
        env.filters["vb_date"] = date_short
        env.globals["vb_agency"] = self.agency
        carried = DictLoader({CARRIED_TEMPLATE: "{{ vb_carried_html }}"})
        env.loader = ChoiceLoader([env.loader, carried] if env.loader is not None else [carried])
        carry = self.carry
        inputs = incremental.TemplateInputs(env, known=carry.last.templates if carry is not None else None)
        if self.serve_memory is not None and self.nav is not None:
            self.serve_memory.keep_rendering(config, files, self.nav, env, inputs)
        self._carry_entry_pages_over(inputs, files)
        self._write_pages_one_at_a_time(env, config, files, inputs)
        if carry is not None:
            carry.now.templates = inputs.found
        return env

    def on_page_markdown(self, markdown: str, *, page: Page, config: MkDocsConfig, files: Files) -> str:
        generated = self._plan().pages.get(page.file.src_uri)
        if generated is not None:
            page.meta = generated.page_meta()
        return markdown  # a letter's is empty: MkDocs' Markdown has nothing to do, nothing to keep

    @event_priority(50)  # before other plugins read page.content here (material's search indexes it)
    def on_page_context(
        self, context: TemplateContext, *, page: Page, config: MkDocsConfig, nav: Navigation
    ) -> TemplateContext:
        """The page's template data and, for a letter, its body: made now, dropped once written."""
        plan = self._plan()
        carried = self.carried_entries.pop(page.file.src_uri, None)
        if carried is not None:  # CARRIED_TEMPLATE: the last good site's page, as it was
            cast("dict[str, object]", context)["vb_carried_html"] = Markup(carried)
            return context
        reused, self.reused_context = self.reused_context, None
        values = cast("dict[str, object]", context)  # MkDocs' TypedDict, plus the plugin's vb_* keys
        own = self.entry_contexts.pop(page.file.src_uri, None)
        if own is None and reused is not None and reused[0] == page.file.src_uri:
            own = reused[1]
        # made once for the page's fingerprint (a letter page's view is made now)
        values.update(own if own is not None else plan.context_for(page.file.src_uri))
        generated = plan.pages.get(page.file.src_uri)
        if generated is not None and generated.letter is not None:
            # A withdrawn letter keeps its URL and a notice, never its text.
            letter = generated.letter
            head, last = body_html_parts(self.store.body(letter.id)) if letter.thu_hoi is None else ("", "")
            page.content = head + last
            values["vb_body"] = (head, last)  # the last block is printed with the signature
        return context

    def on_post_page(self, output: str, *, page: Page, config: MkDocsConfig) -> str:
        generated = self._plan().pages.get(page.file.src_uri)
        if generated is not None and generated.letter is not None:
            page.content = ""  # the page is written; its body would otherwise stay until the build ends
        return output

    @event_priority(-100)  # after every other plugin has written into the staging folder
    def on_post_build(self, *, config: MkDocsConfig) -> None:
        site_dir = Path(config.site_dir)
        site_files.write_sitemap(site_dir, self._plan(), self.page_urls, _site_url(config))
        listed = self.store.select(self._plan().listed)
        listed_count = len(self._plan().listed)
        slugs = self._plan().listed_issuer_slugs() if self.search is None else {}
        if self.serve_memory is not None and self.carry is not None:
            self.serve_memory.keep_build(
                self._plan(), self.store, self.letter_digests, self.carry.now, self.page_urls
            )
        self._let_go_of_pages()
        if self.search_carried:
            log.info(
                f"vanban: chỉ mục tìm kiếm: {listed_count} văn bản, không đổi: giữ nguyên từ lần dựng trước"
            )
        elif not self.atomic and self.search is not None:
            # `mkdocs serve`: the edited page is shown now; the search index follows in the
            # background (its manifest, written last, switches the search page to it). The next
            # build stops it if still running, and, not knowing it finished, makes it again.
            log.info("vanban: chỉ mục tìm kiếm đang được tạo ở nền; trang tìm kiếm dùng chỉ mục mới khi xong")
            if self.carry is not None:
                self.carry.now.search = ""
            if self.serve_memory is not None:  # serve stops or replaces it, not the next build
                self.serve_memory.keep_search(self.search)
                self.search = None
        else:
            if self.search is not None:
                search, self.search = self.search, None
                report = search.wait()
            else:
                report = publish_search(listed, site_dir, self.settings.cache_dir, slugs)
            log.info(
                f"vanban: chỉ mục tìm kiếm: {report.letters} văn bản, {report.terms} từ, {report.files} tệp"
                f"{_index_note(report.index_update)}"
            )
        if self.carry is not None:
            self.carry.now.write(site_dir)
            log.info(
                f"vanban: dựng {self.carry.rendered} trang, giữ nguyên {self.carry.carried} trang"
                " không đổi từ lần dựng trước"
            )
            if not self.atomic:  # `mkdocs serve`: its folder is emptied before the next build
                incremental.copy_tree_as_links(site_dir, _serve_copy(site_dir))
        self._report_size(site_dir)
        if self.atomic and self.final_site_dir is not None:
            self._refuse_strict_warnings()
            site_output.publish(site_dir, self.final_site_dir)
            config.site_dir = str(self.final_site_dir)
            self.staging = None
        self._release_lock()

    def on_build_error(self, *, error: Exception) -> None:
        self.build_error = error  # what `vanban serve` shows in the browser
        if self.search is not None:  # it would go on writing into the folder discarded below
            self.search.stop()
            self.search = None
        if self.staging is not None:
            site_output.discard(self.staging)
            self.staging = None
        self._release_lock()

    def on_shutdown(self) -> None:
        if self.search is not None:  # `mkdocs serve` stopped while the index was being made
            self.search.stop()
            self.search = None
        self._release_lock()

    def _release_lock(self) -> None:
        if self.lock is not None:
            self.lock.release()
            self.lock = None

    def on_serve(
        self, server: LiveReloadServer, *, config: MkDocsConfig, builder: object
    ) -> LiveReloadServer:
        server.watch(str(self.settings.content_dir))
        return server

    # --- helpers: data from the plan, no decisions of their own ----------------------------

    def _fork_search(self, config: MkDocsConfig) -> None:
        """The search index beside the rendering, in a process that gets its letters in on_files
        (nothing MkDocs writes after that is under tim-kiem/ but the page)."""
        if self.search is not None:  # a previous build that ended without post_build or error
            self.search.stop()
            self.search = None
        if usable_cores() < 2:
            return  # one CPU: on_post_build runs it inline
        self.search = SearchProcess(Path(config.site_dir), self.settings.cache_dir)
        log.info("vanban: tạo chỉ mục tìm kiếm trong tiến trình song song với việc dựng trang")

    def _carry_entry_pages_over(self, inputs: incremental.TemplateInputs, files: Files) -> None:
        """MkDocs renders its own pages (a list's first page, the search page) after this; one
        whose fingerprint is unchanged gets CARRIED_TEMPLATE, which gives back the last good site's
        page as it was (MkDocs writes it: its own pages cannot be linked over)."""
        plan, carry = self._plan(), self.carry
        self.carried_entries, self.entry_contexts = {}, {}
        if carry is None:
            return
        for file in files.documentation_pages():
            generated = plan.pages.get(file.src_uri)
            if generated is None or file.page is None:
                continue
            fingerprint, context = carry_over.page_fingerprint(
                carry, plan, self.letter_digests, generated, inputs
            )
            previous = carry.carried_text(file.dest_uri, fingerprint)
            if previous is None:
                self.entry_contexts[file.src_uri] = context
            else:
                self.carried_entries[file.src_uri] = previous
                file.page.meta = {**file.page.meta, "template": CARRIED_TEMPLATE}

    def _write_pages_one_at_a_time(
        self, env: Environment, config: MkDocsConfig, files: Files, inputs: incremental.TemplateInputs
    ) -> None:
        """The generated pages MkDocs was not given, through the same steps it takes for its own
        (``mkdocs_internals.write_page``: every plugin's page events, the theme's templates), each
        let go once written. Nothing links to them by hand, so MkDocs has nothing to check on them."""
        if self.nav is None:  # pragma: no cover - MkDocs always calls on_nav before on_env
            raise PluginError("vanban: chưa có mục lục trang (on_nav chưa chạy)")
        doc_files = files.documentation_pages()
        plan, carry = self._plan(), self.carry
        for generated in plan.pages.values():
            if generated.entry:
                continue
            file = generated_file(config, generated)
            if carry is not None:
                fingerprint, context = carry_over.page_fingerprint(
                    carry, plan, self.letter_digests, generated, inputs
                )
                if carry.take(file.dest_uri, fingerprint):
                    self.page_urls.append(file.url)
                    continue
                self.reused_context = (generated.src_uri, context)
            page = Page(None, file, config)
            mkdocs_internals.write_page(page, config, files, doc_files, self.nav, env)
            self.page_urls.append(page.url)
            if len(self.page_urls) % FORGET_URLS_EVERY == 0:
                mkdocs_internals.forget_normalized_urls()

    def _report_size(self, site_dir: Path) -> None:
        """The site's size and file count, and a warning past the configured host's limits."""
        size = site_size.measure(site_dir)
        log.info(f"vanban: {site_size.summary(size)} (nơi đăng: {site_size.HOSTS[self.settings.host].name})")
        for problem in site_size.over_limits(size, self.settings.host):
            log.warning(f"vanban: {problem}")

    def _let_go_of_pages(self) -> None:
        """Every page is written: the plan and, through it, the archive's letters are no longer
        needed here, and would otherwise be held while the search stage (still running in its own
        process, or next inline) is at its peak: ~160 MB at 100,000 letters."""
        self.plan = None
        self.page_urls = []
        self.letter_digests = {}
        self.reused_context = None
        self.carried_entries, self.entry_contexts = {}, {}

    def _count_strict_warnings(self, config: MkDocsConfig) -> None:
        """MkDocs fails a --strict build only after on_post_build, when we would have swapped."""
        if self.strict_warnings is not None:
            logging.getLogger("mkdocs").removeHandler(self.strict_warnings)
            self.strict_warnings = None
        if config.strict:
            self.strict_warnings = CountHandler()
            self.strict_warnings.setLevel(logging.WARNING)
            logging.getLogger("mkdocs").addHandler(self.strict_warnings)

    def _refuse_strict_warnings(self) -> None:
        if self.strict_warnings is not None and self.strict_warnings.get_counts():
            counts = ", ".join(f"{n} {level.lower()}" for level, n in self.strict_warnings.get_counts())
            raise PluginError(f"vanban: --strict và có cảnh báo ({counts}); trang cũ được giữ nguyên")

    def _plan(self) -> SitePlan:
        if self.plan is None:  # pragma: no cover - MkDocs always calls on_pre_build first
            raise PluginError("vanban: chưa đọc kho văn bản (on_pre_build chưa chạy)")
        return self.plan


CARRIED_TEMPLATE = "vanban-trang-giu-nguyen.html"
"""The plugin's own template for an entry page carried over: the last good site's HTML as it was."""

FORGET_URLS_EVERY = 1000
"""Pages written between two clearings of MkDocs' URL caches (``mkdocs_internals``)."""


def generated_file(config: MkDocsConfig, page: GeneratedPage) -> File:
    return File.generated(config, page.src_uri, content=page.markdown, inclusion=NOT_IN_NAV)


def _serve_copy(site_dir: Path) -> Path:
    """Under `mkdocs serve`, the last site built, as hard links beside the folder it serves."""
    return last_good_copy(site_dir)


def _site_url(config: MkDocsConfig) -> str:
    url = config.site_url or ""
    return url if not url or url.endswith("/") else url + "/"


def _index_note(update: object) -> str:
    """What the incremental whoosh update did (builder.search.whoosh_index.UpdateReport)."""
    counts = [getattr(update, name, None) for name in ("added", "changed", "removed", "unchanged")]
    if any(count is None for count in counts):
        return ""
    added, changed, removed, unchanged = counts
    return f" (thêm {added}, sửa {changed}, bỏ {removed}, dùng lại {unchanged})"


def _reuse_note(archive: object) -> str:
    reused = getattr(archive, "reused", None)
    return f" (dùng lại {reused} từ bộ nhớ đệm)" if reused else ""


def _error_report(errors: list) -> str:
    lines = "\n".join(str(d) for d in errors)
    return f"vanban: không dựng trang vì {len(errors)} lỗi trong văn bản (trang cũ được giữ nguyên):\n{lines}"
