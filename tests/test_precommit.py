"""The pre-commit hook: both files parse, the hook runs a real `vanban` command on the
letters a commit changes, and it stops a commit with a broken letter."""

from __future__ import annotations

import re
import shlex
import shutil
import subprocess
import tomllib
from pathlib import Path

import pytest
import yaml
from conftest import SEEDS, make_project

from builder.cli import main as cli

REPO = Path(__file__).resolve().parent.parent


def _hooks() -> dict[str, dict]:
    published = yaml.safe_load((REPO / ".pre-commit-hooks.yaml").read_text(encoding="utf-8"))
    config = yaml.safe_load((REPO / ".pre-commit-config.yaml").read_text(encoding="utf-8"))
    [local] = [repo for repo in config["repos"] if repo["repo"] == "local"]
    [hook] = [hook for hook in published if hook["id"] == "vanban-check"]
    [example] = [hook for hook in local["hooks"] if hook["id"] == "vanban-check"]
    return {"published": hook, "local": example}


@pytest.mark.parametrize("kind", ["published", "local"])
def test_hook_checks_only_committed_letters(kind: str) -> None:
    hook = _hooks()[kind]
    assert hook["entry"] == "vanban check"
    assert hook.get("pass_filenames", True) is True  # only the files the commit touches
    files = re.compile(hook["files"])
    for path in ["content/000_7b39c955ad7f8a28.txt", "content/2021/cv-12.txt"]:
        assert files.search(path), path
    for path in ["content/co-quan-ban-hanh.yml", "tests/content/a.txt", "content/a.txt.bak", "README.md"]:
        assert not files.search(path), path


def test_hook_languages() -> None:
    hooks = _hooks()
    assert hooks["published"]["language"] == "python"  # pre-commit installs this package for it
    assert hooks["local"]["language"] == "system"  # staff's own checkout: the installed `vanban`


def test_entry_is_a_real_cli_command() -> None:
    program, command = shlex.split(_hooks()["published"]["entry"])
    scripts = tomllib.loads((REPO / "pyproject.toml").read_text(encoding="utf-8"))["project"]["scripts"]
    assert scripts[program] == "builder.cli:main"
    assert command in cli.commands, f"`vanban {command}` does not exist yet"


def _run_hook(project: Path, files: list[str]) -> subprocess.CompletedProcess[str]:
    """Run the hook's entry the way pre-commit does: from the repository root, files appended."""
    entry = shlex.split(_hooks()["local"]["entry"])
    if not shutil.which(entry[0]):
        pytest.fail(f"`{entry[0]}` is not on PATH: pip install -e '.[test]'")
    return subprocess.run(entry + files, cwd=project, capture_output=True, text=True, timeout=300)


def test_hook_passes_a_good_letter_and_stops_a_broken_one(tmp_path: Path) -> None:
    project = make_project(tmp_path / "project", letters={"2021/hong.txt": b"\x00\x01\x02binary"})
    good = f"content/{SEEDS[0].name}"
    result = _run_hook(project, [good])
    assert result.returncode == 0, result.stdout + result.stderr
    result = _run_hook(project, [good, "content/2021/hong.txt"])
    assert result.returncode == 1, result.stdout + result.stderr
    assert re.search(r"^content/2021/hong\.txt:\d+: lỗi: ", result.stderr, re.M), result.stderr
