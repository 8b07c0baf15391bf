"""`vanban serve`: a saved letter is rebuilt incrementally (the pages it reaches only) and the open page in
the browser reloads itself to show it. The time from the save to the page showing the edit is
printed (speed is claimed in benchmarks, not asserted here)."""

from __future__ import annotations

import re
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest
from conftest import SEED_IDS, make_project

LETTER = "004_8b77143a53b7dc4f.txt"


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _up(url: str) -> bool:
    try:
        with urllib.request.urlopen(url, timeout=5) as response:
            return response.status == 200
    except OSError:
        return False


@pytest.mark.browser
def test_a_saved_letter_shows_in_the_open_page(tmp_path: Path, browser) -> None:
    project = make_project(tmp_path / "serve")
    port = _free_port()
    log = (tmp_path / "serve.log").open("w", encoding="utf-8")
    server = subprocess.Popen(
        [sys.executable, "-m", "builder.cli", "serve", "-a", f"127.0.0.1:{port}"],
        cwd=project,
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    context = browser.new_context(locale="vi-VN")
    try:
        url = f"http://127.0.0.1:{port}/van-ban/{SEED_IDS['004']}/"
        deadline = time.monotonic() + 120
        while not _up(url):
            assert time.monotonic() < deadline and server.poll() is None, "vanban serve did not start"
            time.sleep(0.5)
        page = context.new_page()
        page.goto(url)
        assert "ngày 15/9/2021" in page.content()
        time.sleep(1)  # the page's livereload connection is open
        letter = project / "content" / LETTER
        edited = letter.read_text(encoding="utf-8").replace("ngày 15/9/2021", "ngày 19/9/2021")
        saved = time.monotonic()
        letter.write_text(edited, encoding="utf-8")
        page.wait_for_function("document.body.innerText.includes('ngày 19/9/2021')", timeout=120_000)
        shown = time.monotonic() - saved
        print(f"\nvanban serve, 5 letters: save -> page shown in {shown:.2f} s")
    finally:
        context.close()
        server.terminate()
        server.wait(timeout=30)
        log.close()
    output = (tmp_path / "serve.log").read_text(encoding="utf-8")
    # The quick path (builder.publish.serve_quick): the edited letter's page and the lists' pages
    # that show its date, of 5 letters, 11 lists' first pages and the search page.
    counts = re.findall(r"vanban: lưu nhanh 1 văn bản: dựng (\d+) trang", output)
    assert counts, output
    assert 1 <= int(counts[-1]) < 17, output
