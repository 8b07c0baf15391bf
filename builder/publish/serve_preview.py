"""`vanban serve`: MkDocs' preview server, with a failed build shown in the browser.

MkDocs' own ``serve`` leaves every page request waiting while the last build failed ("the server
will appear stuck") and tells only the terminal. Here a failed build is caught: the last good site
stays served, and every page of it opens with the build's errors (file, line, what is wrong, how
to fix it), in Vietnamese and escaped; when the next build succeeds the page reloads itself
without them. If no build has succeeded yet, every page is the list of errors, reloaded every few
seconds.

This module is the one adapter to MkDocs' preview server (``mkdocs.livereload.LiveReloadServer``:
its constructor, ``watch``, ``serve``, ``shutdown``, ``error_handler`` and the WSGI app it serves);
tests/test_serve_errors.py pins what it relies on. The rest is ``mkdocs serve`` as MkDocs 1.6
writes it (mkdocs/commands/serve.py).
"""

from __future__ import annotations

import html
import logging
import re
import shutil
import tempfile
import threading
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit

from builder.letters.letter import Diagnostic

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
        if match is None or environ.get("REQUEST_METHOD") != "GET" or not path.startswith(mount_path):
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


def serve_preview(config_file: Path, dev_addr: str) -> None:
    """``mkdocs serve -f config_file -a dev_addr``; a failed build is shown in the browser and
    the last good site stays served (the plugin keeps a copy of it beside the served folder)."""
    from mkdocs.commands.build import build
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

    def builder(config=None) -> None:
        if config is None:
            config = get_config()
            config.site_url = serve_url
        log.info("vanban serve: đang dựng trang…")
        try:
            build(config, serve_url=serve_url)
        except Exception as error:  # a failed build never stops the preview (KeyboardInterrupt does)
            failure = failure_of(config, error)
            _restore_last_good(Path(site_dir))
            state.record(failure)
            log.error(
                "vanban serve: dựng trang bị lỗi; trình duyệt hiện các lỗi ở đầu mỗi trang và vẫn"
                " phục vụ bản dựng tốt gần nhất. Sửa rồi lưu tệp để dựng lại."
            )
        else:
            state.record(None)

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
