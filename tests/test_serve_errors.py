"""`vanban serve` with a letter in error: the browser shows the errors (Vietnamese, escaped file,
line and message) over the last good site, which is still served; pages never hang; fixing the
letter takes the errors away. A first build that fails serves a page of errors that reloads itself.
"""

from __future__ import annotations

import inspect
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest
from conftest import SEED_IDS, make_project

from builder.letters.letter import Diagnostic, Severity
from builder.publish.serve_preview import PANEL_ID, BuildFailure, failure_page, failure_panel, with_panel
from builder.staff.new_letter import BODY_PLACEHOLDER

SEED = "004_8b77143a53b7dc4f.txt"
BAD_NAME = "loi<b>&amp;x.txt"  # a file name is text from staff: it must be escaped too


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _get(url: str, timeout: float = 10) -> tuple[int, str]:
    try:
        with urllib.request.urlopen(url, timeout=timeout) as response:
            return response.status, response.read().decode("utf-8")
    except urllib.error.HTTPError as error:
        return error.code, error.read().decode("utf-8")


def _bad_letter(project: Path) -> str:
    """A copy of a seed whose body is still `vanban new`'s placeholder: an error."""
    text = (project / "content" / SEED).read_text(encoding="utf-8")
    return text.replace("ngày 15/9/2021", "ngày 15/9/2021\n\n" + BODY_PLACEHOLDER, 1)


class Serve:
    def __init__(self, project: Path, log: Path) -> None:
        self.port = _free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.log = log.open("w", encoding="utf-8")
        self.process = subprocess.Popen(
            [sys.executable, "-m", "builder.cli", "serve", "-a", f"127.0.0.1:{self.port}"],
            cwd=project,
            stdout=self.log,
            stderr=subprocess.STDOUT,
        )

    def wait_for(self, path: str, status: int) -> str:
        deadline = time.monotonic() + 120
        while True:
            assert self.process.poll() is None, "vanban serve stopped"
            try:
                code, body = _get(self.url + path, timeout=5)
                if code == status:
                    return body
            except OSError:
                pass
            assert time.monotonic() < deadline, f"{path} never answered {status}"
            time.sleep(0.5)

    def stop(self) -> None:
        self.process.terminate()
        self.process.wait(timeout=30)
        self.log.close()


def test_the_panel_escapes_file_names_and_messages() -> None:
    failure = BuildFailure(
        [Diagnostic("content/<script>x.txt", 7, Severity.ERROR, "a <b>b</b> & c", "<i>d</i>")]
    )
    panel = failure_panel(failure, kept_site=True)
    assert "<script>" not in panel and "<b>" not in panel and "<i>" not in panel
    assert (
        "content/&lt;script&gt;x.txt" in panel
        and "dòng 7" in panel
        and "a &lt;b&gt;b&lt;/b&gt; &amp; c" in panel
    )
    assert "bản dựng tốt gần nhất" in panel
    page = with_panel(b"<html><body class='x'><p>cu</p></body></html>", panel)
    assert page.startswith(b"<html><body class='x'><section id=\"" + PANEL_ID.encode())
    whole = failure_page(BuildFailure(message="Lỗi <mẫu>")).decode()
    assert "Lỗi &lt;mẫu&gt;" in whole and 'http-equiv="refresh"' in whole and 'lang="vi"' in whole


def test_the_preview_server_api_it_relies_on() -> None:
    """MkDocs' preview server, as builder.publish.serve_preview uses it (the one adapter)."""
    from mkdocs.livereload import LiveReloadServer

    parameters = inspect.signature(LiveReloadServer.__init__).parameters
    assert {"builder", "host", "port", "root", "mount_path"} <= set(parameters)
    for name in ("watch", "serve", "shutdown", "get_app", "set_app"):
        assert callable(getattr(LiveReloadServer, name))
    server = LiveReloadServer(builder=lambda: None, host="127.0.0.1", port=_free_port(), root=".")
    try:
        assert callable(server.error_handler) and server.get_app() == server.serve_request
    finally:
        server.server_close()


@pytest.mark.browser
def test_a_letter_in_error_is_shown_over_the_last_good_site(tmp_path: Path, browser) -> None:
    project = make_project(tmp_path / "serve")
    serve = Serve(project, tmp_path / "serve.log")
    context = browser.new_context(locale="vi-VN", viewport={"width": 360, "height": 800})
    try:
        letter_path = f"/van-ban/{SEED_IDS['004']}/"
        serve.wait_for(letter_path, 200)
        page = context.new_page()
        page.goto(serve.url + letter_path)
        assert page.locator(f"#{PANEL_ID}").count() == 0
        time.sleep(1)  # the page's livereload connection is open

        bad = project / "content" / BAD_NAME
        bad.write_text(_bad_letter(project), encoding="utf-8")
        panel = page.locator(f"#{PANEL_ID}")
        panel.wait_for(timeout=120_000)  # the page reloaded itself after the failed build
        text = panel.inner_text()
        assert "Bản dựng mới bị lỗi" in text and "đoạn giữ chỗ" in text, text
        assert f"content/{BAD_NAME}" in text and "dòng " in text, text
        assert panel.locator("b").count() == 0  # the file name's <b> is text, not markup
        assert "ngày 15/9/2021" in page.inner_text("article")  # the last good page under it
        started = time.monotonic()
        code, home = _get(serve.url + "/", timeout=10)  # other pages answer at once, not hang
        assert code == 200 and PANEL_ID in home and time.monotonic() - started < 10
        assert _get(serve.url + "/assets/stylesheets/vanban.css")[0] == 200

        bad.unlink()
        page.wait_for_function(f"!document.getElementById('{PANEL_ID}')", timeout=120_000)
        assert "ngày 15/9/2021" in page.inner_text("article")
    finally:
        context.close()
        serve.stop()
    output = (tmp_path / "serve.log").read_text(encoding="utf-8")
    assert "vanban serve: dựng trang bị lỗi" in output, output


def test_a_first_build_in_error_serves_a_page_of_errors(tmp_path: Path) -> None:
    project = make_project(tmp_path / "serve")
    bad = project / "content" / BAD_NAME
    bad.write_text(_bad_letter(project), encoding="utf-8")
    serve = Serve(project, tmp_path / "serve.log")
    try:
        body = serve.wait_for("/", 503)
        assert PANEL_ID in body and "Chưa dựng được trang" in body and 'http-equiv="refresh"' in body
        assert "loi&lt;b&gt;&amp;amp;x.txt" in body and "<b>" not in body
        bad.unlink()
        assert PANEL_ID not in serve.wait_for(f"/van-ban/{SEED_IDS['004']}/", 200)
    finally:
        serve.stop()
