"""The unmodified project builds with ``--strict`` under MkDocs and under ProperDocs, to the
same tree, and every link of a hand-written page reaches a file of the built site.

The README offers ``vanban build --strict``; it failed because the open-data page links
files the plugin writes itself, which MkDocs did not know (and so left those links
pointing at ``/du-lieu-mo/data/…``, a 404).
"""

from __future__ import annotations

import re
from html import unescape
from pathlib import Path
from urllib.parse import unquote, urljoin, urlsplit

import pytest
from conftest import REPO, make_project, run_mkdocs


def _tree(site: Path) -> dict[str, bytes]:
    return {p.relative_to(site).as_posix(): p.read_bytes() for p in sorted(site.rglob("*")) if p.is_file()}


@pytest.fixture(scope="module")
def strict_sites(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    sites = {}
    for tool in ("mkdocs", "properdocs"):
        project = make_project(tmp_path_factory.mktemp(tool) / "project")
        result = run_mkdocs(project, "--strict", tool=tool)
        assert result.returncode == 0, f"{tool} build --strict failed:\n{result.stdout}{result.stderr}"
        sites[tool] = project / "site"
    return sites


def test_mkdocs_and_properdocs_build_identical_trees(strict_sites: dict[str, Path]) -> None:
    mkdocs_tree, properdocs_tree = _tree(strict_sites["mkdocs"]), _tree(strict_sites["properdocs"])
    assert sorted(mkdocs_tree) == sorted(properdocs_tree)
    generator = re.compile(rb'<meta name="generator" content="[^"]*">')
    differing = [
        name
        for name, data in mkdocs_tree.items()
        if generator.sub(b"", data) != generator.sub(b"", properdocs_tree[name])
    ]
    assert not differing, f"files that differ beyond the generator tag: {differing[:10]}"


def _local_links(html: str, page_url: str) -> set[str]:
    links = set()
    for raw in re.findall(r'(?:href|src)="([^"]+)"', html):
        target = urljoin(page_url, unescape(raw))
        parts = urlsplit(target)
        if parts.scheme in ("", "http") and parts.netloc in ("", "site"):
            links.add(unquote(parts.path))
    return links


@pytest.mark.parametrize("page", sorted(p.stem for p in (REPO / "pages").glob("*.md")))
def test_every_link_of_a_hand_written_page_is_a_file_of_the_site(
    strict_sites: dict[str, Path], page: str
) -> None:
    site = strict_sites["mkdocs"]
    page_url = "http://site/" if page == "index" else f"http://site/{page}/"
    html_file = site / ("index.html" if page == "index" else f"{page}/index.html")
    missing = []
    for path in _local_links(html_file.read_text(encoding="utf-8"), page_url):
        target = site / path.lstrip("/")
        if not (target.is_file() or (target / "index.html").is_file()):
            missing.append(path)
    assert not missing, f"{page}: links to nothing: {sorted(missing)}"


def test_the_open_data_page_links_the_lists_at_the_site_root(strict_sites: dict[str, Path]) -> None:
    html = (strict_sites["mkdocs"] / "du-lieu-mo" / "index.html").read_text(encoding="utf-8")
    assert 'href="../data/van-ban.json"' in html and 'href="../data/van-ban.csv"' in html
