"""deploy/deploy.sh: each deploy is a new release folder of hard links to the unchanged files of
the one before, switched in with one rename of the served symlink; old releases are pruned.
deploy/HUONG-DAN.md lists the limits the build warns about."""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path

import pytest
from conftest import REPO

from builder.publish.site_size import GB, HOSTS, MB

SCRIPT = REPO / "deploy" / "deploy.sh"
pytestmark = pytest.mark.skipif(shutil.which("rsync") is None, reason="rsync is not installed")


def _deploy(site: Path, root: Path, keep: int = 3) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        ["bash", str(SCRIPT), str(site), str(root)],
        capture_output=True,
        text=True,
        timeout=120,
        env=os.environ | {"KEEP": str(keep)},
    )


def _site(folder: Path, home: str) -> Path:
    (folder / "van-ban" / "a").mkdir(parents=True, exist_ok=True)
    (folder / "index.html").write_text(home, encoding="utf-8")
    (folder / "van-ban" / "a" / "index.html").write_text("thư A", encoding="utf-8")
    (folder / ".vanban-fingerprints.json").write_text("{}", encoding="utf-8")
    return folder


def test_deploys_switch_atomically_and_share_unchanged_files(tmp_path: Path) -> None:
    site, root = _site(tmp_path / "site", "trang chủ 1"), tmp_path / "www"
    first = _deploy(site, root)
    assert first.returncode == 0, first.stderr
    served = root / "site"
    assert served.is_symlink() and (served / "index.html").read_text(encoding="utf-8") == "trang chủ 1"
    assert not (served / ".vanban-fingerprints.json").exists(), "the build's own record is not published"
    old_release = served.resolve()

    (site / "index.html").write_text("trang chủ 2", encoding="utf-8")
    (site / "van-ban" / "b").mkdir()
    (site / "van-ban" / "b" / "index.html").write_text("thư B", encoding="utf-8")
    second = _deploy(site, root)
    assert second.returncode == 0, second.stderr
    new_release = served.resolve()
    assert new_release != old_release and new_release.parent == root / "releases"
    assert (served / "index.html").read_text(encoding="utf-8") == "trang chủ 2"
    assert (served / "van-ban" / "b" / "index.html").exists()
    unchanged_old, unchanged_new = old_release / "van-ban/a/index.html", new_release / "van-ban/a/index.html"
    assert unchanged_old.stat().st_ino == unchanged_new.stat().st_ino, "unchanged: a hard link, not a copy"
    assert (old_release / "index.html").read_text(encoding="utf-8") == "trang chủ 1", (
        "the old release is intact"
    )

    (site / "van-ban" / "b" / "index.html").unlink()
    third = _deploy(site, root, keep=2)
    assert third.returncode == 0, third.stderr
    assert not (served / "van-ban" / "b" / "index.html").exists(), "a removed page is removed"
    assert len(list((root / "releases").iterdir())) == 2 and not old_release.exists()


def test_refuses_a_folder_that_is_not_a_built_site_and_a_served_folder_that_is_not_a_link(
    tmp_path: Path,
) -> None:
    empty = tmp_path / "empty"
    empty.mkdir()
    result = _deploy(empty, tmp_path / "www")
    assert result.returncode != 0 and "vanban build" in result.stderr
    (tmp_path / "www2" / "site").mkdir(parents=True)
    result = _deploy(_site(tmp_path / "site", "x"), tmp_path / "www2")
    assert result.returncode != 0 and "không phải liên kết" in result.stderr


def test_the_guide_gives_the_limits_the_build_checks() -> None:
    guide = (REPO / "deploy" / "HUONG-DAN.md").read_text(encoding="utf-8")
    for host, limits in HOSTS.items():
        row = next(line for line in guide.splitlines() if line.startswith(f"| `{host}` |"))
        if limits.files:
            assert f"{limits.files:,}".replace(",", ".") in row, host
        if limits.bytes:
            assert f"{limits.bytes // GB} GB" in row, host
        if limits.file_bytes:
            assert f"{limits.file_bytes // MB} MB" in row, host
