"""Long lists: each page links a bounded window of pages (first, last, current ± 2, "…"),
every page stays reachable, and only the first page of a list repeats the browse links.

A real MkDocs build of 40 letters with one letter per page (``long_site``), and the
planning function itself over every list length up to 200 pages.
"""

from __future__ import annotations

import itertools
import re
from collections import deque
from pathlib import Path
from types import SimpleNamespace
from urllib.parse import urljoin

import pytest
from conftest import REPO, make_project, run_mkdocs

from builder.publish.lists import _Group, _page_letters
from builder.publish.views import PAGE_WINDOW, numbered_pages, page_links, page_window

EXTRA = 35
MAX_ITEMS = 2 * PAGE_WINDOW + 5
"""First, last, current ± 2 and at most two gaps."""


@pytest.mark.parametrize(
    ("total", "current", "window"),
    [
        (1, 1, [1]),
        (2, 2, [1, 2]),
        (7, 4, [1, 2, 3, 4, 5, 6, 7]),
        (120, 1, [1, 2, 3, None, 120]),
        (120, 3, [1, 2, 3, 4, 5, None, 120]),
        (120, 5, [1, 2, 3, 4, 5, 6, 7, None, 120]),
        (120, 60, [1, None, 58, 59, 60, 61, 62, None, 120]),
        (120, 120, [1, None, 118, 119, 120]),
    ],
)
def test_page_window(total: int, current: int, window: list[int | None]) -> None:
    assert page_window(total, current) == window


def test_every_window_is_bounded_and_every_page_reachable() -> None:
    for total in range(1, 201):
        links: dict[int, set[int]] = {}
        for current in range(1, total + 1):
            window = page_window(total, current)
            numbers = [n for n in window if n is not None]
            assert len(window) <= MAX_ITEMS, (total, current, window)
            assert numbers == sorted(set(numbers)), "increasing, no duplicates"
            assert {1, total, current} <= set(numbers)
            assert all(n in numbers for n in (current - 1, current + 1) if 1 <= n <= total)
            for before, after in itertools.pairwise(window):
                if before is not None and after is not None:
                    assert after == before + 1, "skipped pages are marked by a gap"
            for at, item in enumerate(window):
                if item is None:  # never first or last, stands for two pages or more
                    assert 0 < at < len(window) - 1 and window[at + 1] - window[at - 1] > 2
            links[current] = set(numbers)
        seen, queue = {1}, deque([1])
        while queue:
            for target in links[queue.popleft()] - seen:
                seen.add(target)
                queue.append(target)
        assert seen == set(range(1, total + 1))


def test_page_links_mark_the_current_page_and_gaps() -> None:
    links = page_links("van-ban/", 50, 10)  # 50 numbered pages and the first page
    assert [(x.number, x.url, x.current, x.label) for x in links if x.number in (0, 1, 10, 50)] == [
        (0, "van-ban/", False, "Mới nhất"),
        (10, "van-ban/trang-10/", True, "10"),
        (1, "van-ban/trang-1/", False, "1"),
    ]
    assert [x.number for x in links if not x.gap] == [0, 12, 11, 10, 9, 8, 1], "newest first"
    assert [x.gap for x in links].count(True) == 2
    assert all(x.url is None and not x.current for x in links if x.gap)
    assert [x.number for x in page_links("van-ban/", 50, 0)] == [0, 50, 49, None, 1]


def _group(count: int) -> _Group:
    """A list of ``count`` letters, newest first (only their dates matter here)."""
    letters = [SimpleNamespace(ngay_ban_hanh=f"{2000 + n // 365}-{n % 12 + 1:02d}-01") for n in range(count)]
    return _Group("van-ban/", "Văn bản", "", list(reversed(letters)))  # type: ignore[arg-type]


@pytest.mark.parametrize("page_size", [1, 2, 5, 20])
def test_a_new_letter_changes_the_first_page_and_a_handful_of_others(page_size: int) -> None:
    """Pages are numbered from the oldest letter: a numbered page keeps its letters and, but
    for the few pages near the newest, its links when a letter is added at the top."""
    for count in range(0, 12 * page_size):
        before, after = _group(count), _group(count)
        after.letters.insert(0, SimpleNamespace(ngay_ban_hanh="2999-01-01"))  # type: ignore[arg-type]
        old, new = numbered_pages(count, page_size), numbered_pages(count + 1, page_size)
        assert new in (old, old + 1)
        shown = [_page_letters(after, page_size, n) for n in range(new + 1)]
        assert sorted(id(x) for page in shown for x in page) == sorted(id(x) for x in after.letters)
        assert all(page_size <= len(page) < 2 * page_size for page in shown[:1] if count >= page_size)
        assert all(len(page) == page_size for page in shown[1:])
        changed = 0
        for number in range(1, old + 1):
            same_letters = _page_letters(before, page_size, number) == _page_letters(after, page_size, number)
            same_links = page_links("van-ban/", old, number) == page_links("van-ban/", new, number)
            assert same_letters, (count, number)
            changed += not same_links
        assert changed <= PAGE_WINDOW + 2, (count, changed)


# --- a real build: 40 letters, one per page ----------------------------------------------------


def _copies() -> dict[str, str]:
    """Seed 002 again under other numbers and days: 35 more letters of the same issuer and type."""
    text = (REPO / "content" / "002_1df910771a3bcb65.txt").read_text(encoding="utf-8")
    letters = {}
    for n in range(EXTRA):
        copy = text.replace("Số: 2642/UBND-VX", f"Số: {3000 + n}/UBND-VX", 1)
        copy = copy.replace("ngày 26 tháng 8 năm 2021", f"ngày {n % 28 + 1:02d} tháng 10 năm 2021", 1)
        letters[f"2021/ban-sao-{n:02d}.txt"] = copy
    return letters


@pytest.fixture(scope="module")
def long_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    project = make_project(tmp_path_factory.mktemp("long") / "project", letters=_copies())
    config = project / "mkdocs.yml"
    config.write_text(config.read_text(encoding="utf-8").replace("page_size: 20", "page_size: 1"))
    result = run_mkdocs(project)
    assert result.returncode == 0, result.stdout + result.stderr
    return project / "site"


def _pagination(html: str) -> str:
    match = re.search(r'<nav class="vb-pagination" aria-label="Phân trang">(.*?)</nav>', html, re.S)
    assert match, "no pagination"
    return match.group(1)


def _list_pages(site: Path) -> dict[str, str]:
    """Site path of each page of the list of all letters -> its HTML."""
    pages = {"/van-ban/": (site / "van-ban" / "index.html").read_text(encoding="utf-8")}
    for path in site.glob("van-ban/trang-*/index.html"):
        pages[f"/van-ban/{path.parent.name}/"] = path.read_text(encoding="utf-8")
    return pages


def test_long_list_links_a_window_and_every_page_is_reachable(long_site: Path) -> None:
    pages = _list_pages(long_site)
    total = EXTRA + 5
    assert len(pages) == total
    graph = {}
    for url, html in pages.items():
        nav = _pagination(html)
        items = re.findall(r"<li[^>]*>.*?</li>", nav, re.S)
        assert len(items) <= MAX_ITEMS + 2, (url, len(items))  # plus previous and next
        current = re.findall(r'<a aria-current="page" href="[^"]*">([^<]+)</a>', nav)
        assert len(current) == 1
        if url == "/van-ban/":
            assert current == ["Mới nhất"] and f"{total} văn bản." in html
        else:  # nothing on a numbered page changes when letters are added after it
            assert f"/trang-{current[0]}/" in url
            assert f"Trang {current[0]}, đánh số từ văn bản cũ nhất" in html
            assert f"{total} văn bản" not in html
        for gap in re.findall(r"<li[^>]*>…</li>", nav):
            assert 'aria-hidden="true"' in gap and "<a" not in gap
        targets = {urljoin(url, href) for href in re.findall(r'href="([^"]*)"', nav)}
        assert targets <= set(pages), targets - set(pages)
        graph[url] = targets
    seen, queue = {"/van-ban/"}, deque(["/van-ban/"])
    while queue:
        for target in graph[queue.popleft()] - seen:
            seen.add(target)
            queue.append(target)
    assert seen == set(pages)
    chain, url = [], "/van-ban/"
    while url:
        chain.append(url)
        following = re.search(r'<a href="([^"]*)" rel="next">', pages[url])
        url = urljoin(url, following.group(1)) if following else None
    assert len(chain) == total, "previous/next links walk the whole list"


@pytest.mark.browser
def test_a_page_between_gaps_has_no_serious_violations(page, long_site: Path, serve) -> None:
    """axe-core (WCAG 2.1 AA) on a page whose links have a gap on both sides."""
    from axe_playwright_python.sync_playwright import Axe

    page.goto(f"{serve(long_site)}/van-ban/trang-20/")
    nav = page.locator("nav.vb-pagination")
    assert nav.locator("[aria-current=page]").inner_text() == "20"
    assert nav.locator("li[aria-hidden=true]").count() == 2
    options = {"runOnly": {"type": "tag", "values": ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]}}
    violations = Axe().run(page, options=options).response["violations"]
    assert [v["id"] for v in violations if v["impact"] in {"serious", "critical"}] == []


def test_browse_links_only_on_the_first_page_of_each_list(long_site: Path) -> None:
    assert 'class="vb-browse"' in (long_site / "index.html").read_text(encoding="utf-8"), "home page"
    firsts = [long_site / "van-ban" / "index.html", *long_site.glob("van-ban/*/*/index.html")]
    firsts = [p for p in firsts if not p.parent.name.startswith("trang-")]
    assert len(firsts) > 3  # all, the year, the issuer, the type, …
    for path in firsts:
        assert 'class="vb-browse"' in path.read_text(encoding="utf-8"), path
    later = list(long_site.glob("van-ban/**/trang-*/index.html"))
    assert len(later) > EXTRA
    for path in later:
        html = path.read_text(encoding="utf-8")
        assert 'class="vb-browse"' not in html, path
        assert 'aria-label="Phân trang"' in html and 'rel="prev"' in html, path
