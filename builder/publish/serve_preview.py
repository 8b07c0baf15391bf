"""`vanban serve`: MkDocs' preview server, with a failed build shown in the browser.

MkDocs' own ``serve`` leaves every page request waiting while the last build failed ("the server
will appear stuck") and tells only the terminal. Here a failed build is caught: the last good site
stays served, and every page of it opens with the build's errors (file, line, what is wrong, how
to fix it), in Vietnamese and escaped; when the next build succeeds the page reloads itself
without them. If no build has succeeded yet, every page is the list of errors, reloaded every few
seconds.

A save that changed only letters is brought into the served folder by the quick path
(``builder.publish.serve_quick``: only the pages the change reaches are rendered), anything else
by MkDocs' full build (``PreviewBuilder``).

This module is the one adapter to MkDocs' preview server (``mkdocs.livereload.LiveReloadServer``:
its constructor, ``watch``, ``serve``, ``shutdown``, ``error_handler`` and the WSGI app it serves);
tests/test_serve_errors.py pins what it relies on. The rest is ``mkdocs serve`` as MkDocs 1.6
writes it (mkdocs/commands/serve.py).
"""

from __future__ import annotations

import gc
import html
import logging
import re
import shutil
import tempfile
import threading
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit

from builder.letters.letter import Diagnostic
from builder.publish.serve_quick import QuickOutcome, ServeMemory, quick_update
from builder.settings import settings_from_options

log = logging.getLogger("mkdocs.plugins.vanban")

PLUGIN_NAME = "vanban"
PANEL_ID = "vanban-loi-dung"


@dataclass(frozen=True)
class BuildFailure:
    """Why the last build stopped: the letters' errors, or what the build said."""

    diagnostics: list[Diagnostic] = field(default_factory=list)
    message: str = ""


class PreviewState:
    """The outcome of the last build, read by the request threads, written by the build loop."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._failure: BuildFailure | None = None
        self.built_once = False

    @property
    def failure(self) -> BuildFailure | None:
        with self._lock:
            return self._failure

    def record(self, failure: BuildFailure | None) -> None:
        with self._lock:
            self._failure = failure
            if failure is None:
                self.built_once = True


def failure_panel(failure: BuildFailure, kept_site: bool) -> str:
    """The errors as an HTML block; every piece of text from a letter or a file name escaped."""
    e = html.escape
    if kept_site:
        title = "Bản dựng mới bị lỗi: trang dưới đây là bản dựng tốt gần nhất, chưa có thay đổi vừa lưu"
    else:
        title = "Chưa dựng được trang vì có lỗi"
    items = []
    for d in failure.diagnostics:
        items.append(
            f"<li><code>{e(d.path)}</code>, dòng {d.line}: {e(d.message)}"
            f"<br><span style='color:#444'>Cách sửa: {e(d.fix)}</span></li>"
        )
    if not items:
        items.append(f"<li><pre style='white-space:pre-wrap;margin:0'>{e(failure.message)}</pre></li>")
    return (
        f'<section id="{PANEL_ID}" role="alert" lang="vi" style="margin:0;padding:1rem 1.2rem;'
        "background:#fff4f4;color:#1a1a1a;border:3px solid #b00020;font:16px/1.5 system-ui,sans-serif;"
        'position:relative;z-index:10">'
        f"<h2 style='margin:0 0 .5rem;font-size:1.15rem;color:#b00020'>{title}</h2>"
        f"<p style='margin:0 0 .5rem'>{len(failure.diagnostics) or 1} lỗi. Sửa tệp rồi lưu lại: "
        "trang tự tải lại khi dựng xong (chạy <code>vanban check</code> để xem cùng các lỗi này).</p>"
        f"<ol style='margin:0;padding-left:1.5rem'>{''.join(items)}</ol></section>"
    )


def failure_page(failure: BuildFailure) -> bytes:
    """A whole page of errors, for when there is no good site to show; it reloads itself."""
    panel = failure_panel(failure, kept_site=False)
    return (
        '<!doctype html><html lang="vi"><head><meta charset="utf-8">'
        '<meta name="viewport" content="width=device-width,initial-scale=1">'
        '<meta http-equiv="refresh" content="3"><title>Lỗi dựng trang — vanban serve</title></head>'
        f"<body style='margin:0'>{panel}</body></html>"
    ).encode()


def with_panel(page: bytes, panel: str) -> bytes:
    """``page`` with ``panel`` first in its body (after the opening tag), or at its start."""
    lower = page.lower()
    start = lower.find(b"<body")
    end = lower.find(b">", start) if start >= 0 else -1
    at = end + 1 if end >= 0 else 0
    return page[:at] + panel.encode() + page[at:]


WsgiApp = Callable[[dict, Callable], Iterable[bytes]]


def showing_failures(app: WsgiApp, state: PreviewState) -> WsgiApp:
    """The preview server's app, with the last build's errors on every HTML page it serves."""

    def wrapped(environ: dict, start_response: Callable) -> Iterable[bytes]:
        answer: list = []

        def capture(status: str, headers: list, exc_info: object = None) -> Callable:
            answer[:] = [status, headers]
            return lambda data: None

        result = app(environ, capture)  # a page waits here for a build under way to end
        status, headers = answer
        failure = state.failure  # so this is the outcome of the build whose site it serves
        content_type = next((v for k, v in headers if k.lower() == "content-type"), "")
        if failure is None or not content_type.startswith("text/html"):
            start_response(status, headers)
            return result
        body = b"".join(result)
        if status.startswith("200"):
            body = with_panel(body, failure_panel(failure, kept_site=True))
        elif status.startswith("404") and not state.built_once:
            status, body = "503 Service Unavailable", failure_page(failure)
            headers = [("Content-Type", "text/html; charset=utf-8"), ("Cache-Control", "no-store")]
        headers = [(k, v) for k, v in headers if k.lower() != "content-length"]
        headers.append(("Content-Length", str(len(body))))
        start_response(status, headers)
        return [body]

    return wrapped


_RANGE = re.compile(r"bytes=(\d+)-(\d*)$")


def answering_ranges(app: WsgiApp, site_dir: Path, mount_path: str) -> WsgiApp:
    """The app, answering ``Range: bytes=a-b`` on a file of the site from disk (206), as the hosts
    do: the browser index reads parts of its packs (``search.js`` ``fetchRange``), and MkDocs'
    server would send the whole pack (16 MiB) for each part. Anything else goes to ``app``."""
    root = Path(site_dir).resolve()

    def wrapped(environ: dict, start_response: Callable) -> Iterable[bytes]:
        match = _RANGE.match(environ.get("HTTP_RANGE", "").strip())
        path = environ.get("PATH_INFO", "")
        if (
            match is None
            or environ.get("REQUEST_METHOD") != "GET"
            or not path.startswith(mount_path)
            or "\0" in path  # no file has it (resolve() would raise); MkDocs answers it
        ):
            return app(environ, start_response)
        target = (root / path[len(mount_path) :]).resolve()
        if not target.is_relative_to(root) or not target.is_file():
            return app(environ, start_response)
        size = target.stat().st_size
        start = int(match.group(1))
        end = min(int(match.group(2)), size - 1) if match.group(2) else size - 1
        if start >= size or end < start:
            start_response("416 Range Not Satisfiable", [("Content-Range", f"bytes */{size}")])
            return [b""]
        with open(target, "rb") as handle:
            handle.seek(start)
            body = handle.read(end - start + 1)
        headers = [
            ("Content-Type", "application/octet-stream"),
            ("Content-Range", f"bytes {start}-{end}/{size}"),
            ("Content-Length", str(len(body))),
        ]
        start_response("206 Partial Content", headers)
        return [body]

    return wrapped


def failure_of(config: object, error: BaseException) -> BuildFailure:
    """What stopped the build: the letters' errors the plugin kept, else the build's own words."""
    plugin = getattr(config, "plugins", {}).get(PLUGIN_NAME)
    diagnostics = list(getattr(plugin, "letter_errors", None) or [])
    cause = getattr(plugin, "build_error", None) or error
    return BuildFailure(diagnostics, str(cause) or type(cause).__name__)


class PreviewBuilder:
    """What `vanban serve` runs first and on every save (MkDocs' ``LiveReloadServer`` calls it):
    the quick path when only letters already in the archive changed, else MkDocs' full build. The
    outcome, good or failed, is recorded in ``state`` for the pages served."""

    def __init__(self, get_config: Callable[[], object], serve_url: str, site_dir: Path, state: PreviewState):
        self.get_config = get_config
        self.serve_url = serve_url
        self.site_dir = Path(site_dir)
        self.state = state
        self.memory = ServeMemory(self.site_dir, last_good_copy(self.site_dir))
        self.kind = ""
        self.outcome: QuickOutcome | None = None
        """What the last quick save did."""
        """What the last call did: "nhanh" (the quick path), "day-du" (a full build), "loi" (failed)."""

    def __call__(self, config: object = None) -> None:
        started, cpu = time.perf_counter(), time.thread_time()
        if config is None and self.memory.last is not None:
            changed = self.memory.look(_watched(self.memory.last.config))
            if not changed:
                return
            try:
                outcome = quick_update(self.memory, changed)
            except Exception:  # a fault of the quick path never leaves a page wrong: a full build
                log.exception("vanban serve: lưu nhanh bị lỗi; dựng lại toàn bộ")
                outcome = None
            self.outcome = outcome
            if outcome is not None and not outcome.full:
                failure = BuildFailure(outcome.errors) if outcome.errors else None
                self.state.record(failure)
                self.kind = "loi" if failure else "nhanh"
                if failure is not None:
                    log.error(
                        "vanban serve: văn bản vừa lưu có lỗi; trình duyệt hiện các lỗi ở đầu mỗi trang."
                    )
                gc.collect(1)  # the save's own garbage (MkDocs' Page and File refer to each other)
                gc.freeze()  # what the save made and memory keeps: as after a full build
                self._done(started, cpu)
                return
            if outcome is not None:
                log.info(f"vanban serve: dựng lại toàn bộ ({outcome.full})")
        self._full_build(config)
        self._done(started, cpu)

    def _done(self, started: float, cpu: float) -> None:
        log.info(
            f"vanban serve: xong sau {time.perf_counter() - started:.2f} giây"
            f" ({time.thread_time() - cpu:.2f} giây CPU của luồng dựng)"
        )

    def _full_build(self, config: object = None) -> None:
        from mkdocs.commands.build import build

        if config is None:
            config = self.get_config()
            config.site_url = self.serve_url  # type: ignore[attr-defined]
        plugin = config.plugins.get(PLUGIN_NAME)  # type: ignore[attr-defined]
        if plugin is not None:
            plugin.serve_memory = self.memory
        self.memory.before_full_build(_watched(config))
        gc.unfreeze()  # what the last build kept may be garbage now
        log.info("vanban serve: đang dựng trang…")
        try:
            build(config, serve_url=self.serve_url)  # type: ignore[arg-type]
        except Exception as error:  # a failed build never stops the preview (KeyboardInterrupt does)
            self.memory.forget()
            failure = failure_of(config, error)
            _restore_last_good(self.site_dir)
            self.state.record(failure)
            self.kind = "loi"
            log.error(
                "vanban serve: dựng trang bị lỗi; trình duyệt hiện các lỗi ở đầu mỗi trang và vẫn"
                " phục vụ bản dựng tốt gần nhất. Sửa rồi lưu tệp để dựng lại."
            )
        else:
            self.memory.after_full_build()
            self.memory.warm()
            # What the serve process keeps (archive, plan, MkDocs' pages: millions of objects) is
            # left out of the cyclic garbage collector's passes from now on: a full pass over it
            # took seconds of a quick save. It also keeps their pages shared with the search child.
            gc.collect()
            gc.freeze()
            self.state.record(None)
            self.kind = "day-du"

    def close(self) -> None:
        """The search index still being made is stopped (serve ends)."""
        self.memory.stop_search()


def _watched(config: object) -> list[Path]:
    """What a save can change: mkdocs.yml, the hand-written pages, the theme, content/, the
    configuration's ``watch`` list."""
    roots = [Path(config.docs_dir)]  # type: ignore[attr-defined]
    if getattr(config, "config_file_path", None):
        roots.append(Path(config.config_file_path))  # type: ignore[attr-defined]
    custom_dir = config.theme.custom_dir  # type: ignore[attr-defined]
    if custom_dir:
        roots.append(Path(custom_dir))
    plugin = config.plugins.get(PLUGIN_NAME)  # type: ignore[attr-defined]
    if plugin is not None:
        root = Path(config.config_file_path or "mkdocs.yml").resolve().parent  # type: ignore[attr-defined]
        roots.append(settings_from_options(dict(plugin.config)).resolve(root).content_dir)
    roots += [Path(item) for item in config.watch]  # type: ignore[attr-defined]
    return roots


def serve_preview(config_file: Path, dev_addr: str) -> None:
    """``mkdocs serve -f config_file -a dev_addr``; a failed build is shown in the browser and
    the last good site stays served (the plugin keeps a copy of it beside the served folder)."""
    from mkdocs.config import load_config
    from mkdocs.livereload import LiveReloadServer

    site_dir = tempfile.mkdtemp(prefix="vanban_xem_")
    state = PreviewState()

    def get_config():
        return load_config(config_file=str(config_file), site_dir=site_dir, dev_addr=dev_addr)

    config = get_config()
    config.plugins.on_startup(command="serve", dirty=False)
    host, port = config.dev_addr
    mount_path = "/" + urlsplit(config.site_url or "/").path.strip("/")
    mount_path = mount_path.rstrip("/") + "/"
    serve_url = f"http://{host}:{port}{mount_path}"
    config.site_url = serve_url
    builder = PreviewBuilder(get_config, serve_url, Path(site_dir), state)

    server = LiveReloadServer(builder=builder, host=host, port=port, root=site_dir, mount_path=mount_path)

    def error_page(code: int) -> bytes | None:
        page = Path(site_dir) / f"{code}.html"
        return page.read_bytes() if code in (404, 500) and page.is_file() else None

    server.error_handler = error_page
    app = server.get_app()
    assert app is not None  # LiveReloadServer sets its own app when made
    server.set_app(answering_ranges(showing_failures(app, state), Path(site_dir), mount_path))
    try:
        builder(config)
        server.watch(config.docs_dir)
        if config.config_file_path:
            server.watch(config.config_file_path)
        server = config.plugins.on_serve(server, config=config, builder=builder)
        for item in config.watch:
            server.watch(item)
        try:
            server.serve()
        except KeyboardInterrupt:
            log.info("vanban serve: dừng.")
        finally:
            server.shutdown()
    finally:
        builder.close()
        config.plugins.on_shutdown()
        shutil.rmtree(site_dir, ignore_errors=True)
        shutil.rmtree(last_good_copy(Path(site_dir)), ignore_errors=True)


def last_good_copy(site_dir: Path) -> Path:
    """Where the plugin keeps the last site built under serve, as hard links (MkDocs empties the
    served folder before each build)."""
    return site_dir.with_name(site_dir.name + "-vanban-truoc")


def _restore_last_good(site_dir: Path) -> None:
    """After a failed build, the served folder as the last good build left it: a build that failed
    after MkDocs emptied it would otherwise leave pages missing."""
    from builder.publish.incremental import copy_tree_as_links

    kept = last_good_copy(site_dir)
    if not kept.is_dir():
        return
    copy_tree_as_links(kept, site_dir)
