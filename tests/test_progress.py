"""Progress on builds: per-stage lines with counts; plain lines (no colour codes, no
carriage returns) when the output is a CI log, and the same stages on a terminal."""

from __future__ import annotations

import os
import pty
import re
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import SEEDS, make_project, run_mkdocs

ANSI = re.compile(r"\x1b\[[0-9;?]*[A-Za-z]")


def _vanban_lines(log: str) -> list[str]:
    return [line for line in re.split(r"[\r\n]+", log) if "vanban:" in line]


def _stages_with_counts(lines: list[str]) -> None:
    plain = [ANSI.sub("", line) for line in lines]
    counted = [line for line in plain if re.search(r"\d", line.split("vanban:", 1)[1])]
    assert len(counted) >= 3, f"expected per-stage lines with counts, got: {plain}"
    letters = re.compile(rf"(?<![\d/]){len(SEEDS)}(?![\d/])")
    for stage, word in [("read", "đọc"), ("indexed", "chỉ mục")]:
        lines_of_stage = [line for line in counted if word in line and letters.search(line)]
        assert lines_of_stage, f"no line says how many letters were {stage}: {plain}"


@pytest.fixture(scope="module")
def project(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return make_project(tmp_path_factory.mktemp("progress") / "project")


def test_ci_log_has_plain_stage_lines(project: Path) -> None:
    result = run_mkdocs(project)  # output to a pipe, as in a CI log
    assert result.returncode == 0, result.stdout + result.stderr
    lines = _vanban_lines(result.stdout + result.stderr)
    _stages_with_counts(lines)
    assert not [line for line in lines if ANSI.search(line)], "colour codes in a CI log"
    assert "\r" not in result.stdout + result.stderr, "carriage returns (a redrawn bar) in a CI log"


def test_terminal_shows_the_stages_too(project: Path) -> None:
    controller, terminal = pty.openpty()
    process = subprocess.Popen(
        [sys.executable, "-m", "mkdocs", "build"],
        cwd=project,
        stdin=subprocess.DEVNULL,
        stdout=terminal,
        stderr=terminal,
        env=os.environ | {"TERM": "xterm-256color", "COLUMNS": "100"},
    )
    os.close(terminal)
    chunks = []
    while True:
        try:
            chunk = os.read(controller, 65536)
        except OSError:  # the terminal closed: the build is over
            break
        if not chunk:
            break
        chunks.append(chunk)
    os.close(controller)
    assert process.wait(timeout=600) == 0, b"".join(chunks).decode(errors="replace")
    _stages_with_counts(_vanban_lines(b"".join(chunks).decode("utf-8", errors="replace")))
