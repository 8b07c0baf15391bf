"""builder.staff.precompress: deterministic .gz twins, only where they pay, never stale."""

from __future__ import annotations

import gzip
import os
import subprocess
from pathlib import Path

import pytest

from builder.staff.precompress import gzip_bytes, precompress

TEXT = "Ủy ban nhân dân huyện Mường Tè đề nghị các cơ quan, đơn vị phòng, chống dịch.\n" * 50


def _site(root: Path, files: dict[str, str | bytes]) -> Path:
    for name, data in files.items():
        target = root / name
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(data.encode("utf-8") if isinstance(data, str) else data)
    return root


@pytest.mark.parametrize(
    "name",
    [
        "index.html",
        "van-ban/a/index.html",
        "van-ban/a/goc.txt",
        "a.css",
        "a.js",
        "a.mjs",
        "d.json",
        "f.xml",
        "d.csv",
        "i.svg",
        "x.wasm",
        "tim-kiem/p.0a1b2c3d.bin",
    ],
)
def test_text_and_binary_assets_get_an_equal_gz(tmp_path: Path, name: str) -> None:
    site = _site(tmp_path, {name: TEXT})
    report = precompress(site)
    packed = (site / (name + ".gz")).read_bytes()
    assert gzip.decompress(packed) == TEXT.encode("utf-8")
    assert packed[4:8] == b"\0\0\0\0"  # mtime 0
    assert packed[3] & 0x08 == 0  # no file name in the header
    assert (report.written, report.bytes_in, report.bytes_out) == (1, len(TEXT.encode()), len(packed))


def test_output_is_deterministic(tmp_path: Path) -> None:
    first = _site(tmp_path / "a", {"index.html": TEXT})
    second = _site(tmp_path / "b", {"index.html": TEXT})
    precompress(first)
    os.utime(second / "index.html", (1, 1))
    precompress(second)
    assert (first / "index.html.gz").read_bytes() == (second / "index.html.gz").read_bytes()
    assert gzip_bytes(TEXT.encode()) == (first / "index.html.gz").read_bytes()


def test_skips_small_incompressible_and_precompressed_formats(tmp_path: Path) -> None:
    site = _site(
        tmp_path,
        {
            "small.html": "<p>chào</p>",
            "random.bin": os.urandom(4096),
            "logo.png": TEXT,  # already compressed formats are not candidates, whatever they hold
            "font.woff2": TEXT,
            "sitemap.xml.gz": gzip_bytes(TEXT.encode()),
        },
    )
    report = precompress(site)
    assert sorted(p.name for p in site.iterdir()) == [
        "font.woff2",
        "logo.png",
        "random.bin",
        "sitemap.xml.gz",
        "small.html",
    ]
    assert (report.written, report.skipped) == (0, 2)


def test_second_run_changes_nothing_and_never_compresses_gz(tmp_path: Path) -> None:
    site = _site(tmp_path, {"index.html": TEXT, "d.json": TEXT})
    precompress(site)
    before = {p: (p.read_bytes(), p.stat().st_mtime_ns) for p in site.rglob("*")}
    report = precompress(site)
    assert (report.written, report.unchanged, report.removed) == (0, 2, 0)
    assert {p: (p.read_bytes(), p.stat().st_mtime_ns) for p in site.rglob("*")} == before


def test_changed_source_replaces_its_gz_and_stale_gz_goes(tmp_path: Path) -> None:
    site = _site(tmp_path, {"index.html": TEXT, "d.json": TEXT, "orphan.html.gz": b"not ours"})
    precompress(site)
    (site / "index.html").write_text(TEXT + "Đính chính.\n", encoding="utf-8")
    (site / "d.json").write_bytes(os.urandom(2048))  # no longer worth compressing
    report = precompress(site)
    assert gzip.decompress((site / "index.html.gz").read_bytes()) == (site / "index.html").read_bytes()
    assert not (site / "d.json.gz").exists()
    assert (site / "orphan.html.gz").read_bytes() == b"not ours"  # a .gz without a source is left alone
    assert (report.written, report.removed) == (1, 1)


def test_missing_site_is_a_clear_error(tmp_path: Path) -> None:
    with pytest.raises(FileNotFoundError, match="Không có thư mục"):
        precompress(tmp_path / "site")


def test_cli_precompresses_a_built_site(tmp_path: Path) -> None:
    site = _site(tmp_path / "site", {"index.html": TEXT, "d.json": TEXT})
    result = subprocess.run(
        ["vanban", "precompress", str(site)], capture_output=True, text=True, timeout=60, check=False
    )
    assert result.returncode == 0, result.stderr
    assert "Nén sẵn gzip: 2 tệp mới" in result.stdout
    assert (site / "index.html.gz").is_file() and (site / "d.json.gz").is_file()
    result = subprocess.run(
        ["vanban", "precompress", str(tmp_path / "khong-co")], capture_output=True, text=True, timeout=60
    )
    assert result.returncode == 2
    assert "vanban build" in result.stderr
