"""One build of a project at a time, each in its own staging folder, swapped in whole.

Two builds started 0.3 s apart (``vanban serve`` beside ``vanban build``, two CI jobs on
one runner) once shared one staging folder and deleted each other's files, and exited
0 with a broken site; a kill between the two renames of the old swap left no ``site/``.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from conftest import REPO, make_project, run_mkdocs

from builder.publish import site_output

LETTERS = 40


def _letters() -> dict[str, str]:
    """35 letters beside the 5 seeds: seed 002 with its own number and subject."""
    text = (REPO / "content" / "002_1df910771a3bcb65.txt").read_text(encoding="utf-8")
    subject = "V/v tăng cường các biện pháp phòng,"
    assert "Số: 2642/UBND-VX" in text and subject in text
    return {
        f"2021/cv-{3000 + n}.txt": text.replace("Số: 2642/UBND-VX", f"Số: {3000 + n}/UBND-VX", 1).replace(
            subject, subject.replace("V/v", f"V/v đợt {n + 1}:"), 1
        )
        for n in range(LETTERS - 5)
    }


def _tree(site: Path) -> dict[str, bytes]:
    return {p.relative_to(site).as_posix(): p.read_bytes() for p in sorted(site.rglob("*")) if p.is_file()}


def _siblings(project: Path) -> list[str]:
    return sorted(p.name for p in project.iterdir() if p.name.startswith("site") and p.name != "site_theme")


def _start(project: Path) -> subprocess.Popen[str]:
    return subprocess.Popen(
        [sys.executable, "-m", "mkdocs", "build"],
        cwd=project,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        start_new_session=True,  # its own group: a kill reaches the search process too
    )


@pytest.fixture(scope="module")
def clean(tmp_path_factory: pytest.TempPathFactory) -> dict[str, bytes]:
    project = make_project(tmp_path_factory.mktemp("clean") / "project", letters=_letters())
    result = run_mkdocs(project)
    assert result.returncode == 0, result.stdout + result.stderr
    return _tree(project / "site")


def test_two_builds_started_0_3_s_apart_give_a_clean_build(tmp_path: Path, clean: dict[str, bytes]) -> None:
    project = make_project(tmp_path / "project", letters=_letters())
    first = _start(project)
    time.sleep(0.3)
    second = _start(project)
    outputs = [process.communicate(timeout=600)[0] for process in (first, second)]
    assert [first.returncode, second.returncode] == [0, 0], outputs
    assert any("bản dựng khác của dự án này đang chạy" in output for output in outputs), outputs
    built = _tree(project / "site")
    assert len(built) == len(clean) > LETTERS
    assert sorted(built) == sorted(clean)
    assert [name for name in built if built[name] != clean[name]] == []
    assert _siblings(project) == ["site"]


def test_a_build_killed_at_any_moment_leaves_the_old_site(tmp_path: Path) -> None:
    project = make_project(tmp_path / "project", letters=_letters())
    assert run_mkdocs(project).returncode == 0
    before = _tree(project / "site")
    (project / "content" / "2021" / "cv-3000.txt").unlink()  # the next build changes the site
    for delay in (0.7, 2.5):
        process = _start(project)
        time.sleep(delay)
        os.killpg(process.pid, signal.SIGKILL)
        process.communicate(timeout=60)
        assert (project / "site" / "index.html").exists(), f"no site after a kill at {delay} s"
        after = _tree(project / "site")
        assert after == before or "van-ban/2021-cv-3000/index.html" not in after, delay
    result = run_mkdocs(project)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "van-ban/2021-cv-3000/index.html" not in _tree(project / "site")
    assert _siblings(project) == ["site"], "the next build removes what killed ones left"


def test_publish_exchanges_the_folders_in_one_step(tmp_path: Path) -> None:
    final = tmp_path / "site"
    final.mkdir()
    (final / "old.html").write_text("old")
    staging = site_output.staging_dir(final)
    (staging / "new.html").write_text("new")
    assert staging.name.startswith("site.vanban-moi-")
    assert site_output._exchange(staging, final), "renameat2(RENAME_EXCHANGE) is available here"
    assert (final / "new.html").exists() and (staging / "old.html").exists()
    assert site_output._exchange(staging, final)  # and back
    site_output.publish(staging, final)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["site"]
    assert [p.name for p in final.iterdir()] == ["new.html"]


def test_the_lock_waits_for_the_other_build_and_says_so(tmp_path: Path) -> None:
    lock_path = tmp_path / "cache" / site_output.LOCK_NAME
    holder = subprocess.Popen(
        [
            sys.executable,
            "-c",
            "import sys, time; from pathlib import Path; from builder.publish.site_output import ProjectLock;"
            f"lock = ProjectLock(Path({str(lock_path)!r})); lock.acquire(); print('held', flush=True);"
            " time.sleep(1.5)",
        ],
        stdout=subprocess.PIPE,
        text=True,
        env={**os.environ, "PYTHONPATH": str(REPO)},
    )
    assert holder.stdout is not None and holder.stdout.readline().strip() == "held"
    said: list[str] = []
    start = time.monotonic()
    lock = site_output.ProjectLock(lock_path)
    lock.acquire(said.append)
    waited = time.monotonic() - start
    lock.release()
    holder.wait(timeout=30)
    assert waited > 0.5
    assert len(said) == 1 and f"tiến trình {holder.pid}" in said[0] and "chờ" in said[0]


@pytest.mark.parametrize(
    "relative", ["../x.html", "/etc/x", "a/../../x", "a//b", "./x", "a\\..\\x", "a/\nb", "", "a/.."]
)
def test_nothing_is_written_outside_the_site(tmp_path: Path, relative: str) -> None:
    site = tmp_path / "site"
    site.mkdir()
    with pytest.raises(ValueError, match="ra ngoài thư mục trang"):
        site_output.write_files(site, {relative: b"x"})
    assert [p.name for p in tmp_path.iterdir()] == ["site"] and not list(site.iterdir())
