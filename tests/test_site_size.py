"""The build says how big the site is and warns, in Vietnamese, past the configured host's limits."""

from __future__ import annotations

import re
from pathlib import Path

from conftest import make_project, run_mkdocs

from builder.publish.site_size import HOSTS, SiteSize, measure, over_limits


def test_measure_counts_every_file_once_per_path(tmp_path: Path) -> None:
    (tmp_path / "a" / "b").mkdir(parents=True)
    (tmp_path / "a" / "b" / "big.bin").write_bytes(b"x" * 3000)
    (tmp_path / "one.txt").write_bytes(b"12345")
    (tmp_path / "linked.txt").hardlink_to(tmp_path / "one.txt")
    assert measure(tmp_path) == SiteSize(3, 3010, 3000, "a/b/big.bin")


def test_each_host_limit_is_warned_about_with_what_to_do() -> None:
    at_cloudflare = SiteSize(files=20_001, bytes=10, largest=26 * 2**20, largest_path="tim-kiem/x.bin")
    problems = over_limits(at_cloudflare, "cloudflare-pages")
    assert len(problems) == 2
    assert "20.001 tệp" in problems[0] and "20.000" in problems[0] and "Cloudflare" in problems[0]
    assert "tim-kiem/x.bin" in problems[1]
    assert over_limits(at_cloudflare, "cloudflare-pages-paid") == [problems[1].replace("miễn phí", "trả phí")]
    too_big = SiteSize(files=10, bytes=2 * 2**30, largest=1, largest_path="a")
    assert "GitHub Pages" in over_limits(too_big, "github-pages")[0]
    assert over_limits(SiteSize(10**7, 10**12, 10**10, "a"), "own-server") == []
    assert over_limits(SiteSize(20_000, 2**30, 25 * 2**20, "a"), "cloudflare-pages") == [], (
        "at the limit is fine"
    )
    assert set(HOSTS) == {
        "github-pages",
        "cloudflare-pages",
        "cloudflare-pages-paid",
        "gitlab-pages",
        "own-server",
    }


def test_the_build_prints_the_size_of_the_site_it_published(tmp_path: Path) -> None:
    project = make_project(tmp_path / "project")
    result = run_mkdocs(project)
    assert result.returncode == 0, result.stdout + result.stderr
    found = re.search(
        r"vanban: trang gồm ([\d.]+) tệp, ([\d.,]+) MB \(nơi đăng: GitHub Pages\)", result.stderr
    )
    assert found, result.stderr
    assert int(found.group(1).replace(".", "")) == sum(
        1 for p in (project / "site").rglob("*") if p.is_file()
    )


def test_an_unknown_host_is_refused_in_vietnamese(tmp_path: Path) -> None:
    project = make_project(tmp_path / "project")
    config = project / "mkdocs.yml"
    config.write_text(config.read_text(encoding="utf-8").replace("host: github-pages", "host: netlify"))
    result = run_mkdocs(project)
    assert result.returncode != 0
    assert "nơi đăng (host) 'netlify' không có" in result.stdout + result.stderr
