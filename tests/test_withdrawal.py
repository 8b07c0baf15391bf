"""Withdrawal and correction, end to end: front matter in, a real MkDocs build out.

A letter published by mistake is withdrawn with ``thu_hoi: {ngay, ly_do}``: it
leaves the lists, the feed, the open data list and the search (the browser
index and ``vanban search``), while its URL keeps a page that says it was
withdrawn, when and why. A corrected letter (``dinh_chinh``, a changed field)
keeps its URL. Each absence is checked against the seed build, where the same
letter is present, so every assertion can fail.
"""

from __future__ import annotations

import csv
import io
import json
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import REPO, make_project, run_mkdocs

from builder.search.static_reading import StaticIndex

WITHDRAWN = "002_1df910771a3bcb65.txt"  # 2642/UBND-VX: the one seed with a number
CORRECTED = "004_8b77143a53b7dc4f.txt"
REASON = "Đăng nhầm bản dự thảo <chưa ký> & chưa được phép công khai"
WITHDRAWAL = f'---\nthu_hoi:\n  ngay: 2021-09-15\n  ly_do: "{REASON}"\n---\n'
CORRECTION = (
    "---\nso: 1234\ndinh_chinh:\n  - ngay: 2021-09-20\n"
    "    noi_dung: Bổ sung số văn bản 1234 sau khi ký\n---\n"
)


def _seed(name: str) -> str:
    return (REPO / "content" / name).read_text(encoding="utf-8")


@pytest.fixture(scope="module")
def project(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = make_project(
        tmp_path_factory.mktemp("withdrawal") / "project",
        letters={WITHDRAWN: WITHDRAWAL + _seed(WITHDRAWN), CORRECTED: CORRECTION + _seed(CORRECTED)},
    )
    result = run_mkdocs(root)
    assert result.returncode == 0, result.stdout + result.stderr
    return root


def _ids(project: Path) -> dict[str, str]:
    from builder.archive.read import read_archive

    archive = read_archive(project / "content")
    return {letter.tep_goc: letter.id for letter in archive.letters}


@pytest.fixture(scope="module")
def ids(project: Path) -> dict[str, str]:
    return _ids(project)


def _list_pages(site: Path) -> list[Path]:
    """Home page and every list page: /van-ban/, /van-ban/trang-N/, by year, month, issuer, type."""
    pages = [site / "index.html", site / "van-ban" / "index.html"]
    for pattern in (
        "van-ban/trang-*/index.html",
        "van-ban/nam/**/index.html",
        "van-ban/co-quan/**/index.html",
    ):
        pages += sorted(site.glob(pattern))
    pages += sorted(site.glob("van-ban/loai/**/index.html"))
    return [page for page in pages if page.exists()]


def _search_texts(site: Path) -> dict[str, str]:
    """Every file of the browser index as text, and every display record decoded (they are
    deflated pieces of its packs)."""
    out = site / "tim-kiem"
    texts = {p.name: p.read_text(encoding="utf-8", errors="replace") for p in out.rglob("*") if p.is_file()}
    index = StaticIndex(out)
    for docnum in range(index.manifest["docs"]):
        texts[f"display record {docnum}"] = json.dumps(index.display(docnum), ensure_ascii=False)
    return texts


def _open_data_ids(site: Path) -> tuple[set[str], set[str]]:
    data = json.loads((site / "data" / "van-ban.json").read_text(encoding="utf-8"))
    records = data if isinstance(data, list) else next(v for v in data.values() if isinstance(v, list))
    rows = list(csv.DictReader(io.StringIO((site / "data" / "van-ban.csv").read_text(encoding="utf-8-sig"))))
    return {r["id"] for r in records}, {r["id"] for r in rows}


def _search(project: Path, query: str) -> list[str]:
    """Ids `vanban search --json` returns for ``query`` in ``project``."""
    result = subprocess.run(
        [
            sys.executable,
            "-m",
            "builder.cli",
            "search",
            "--json",
            "--config",
            str(project / "mkdocs.yml"),
            query,
        ],
        capture_output=True,
        text=True,
        cwd=project,
        timeout=300,
    )
    assert result.returncode == 0, f"vanban search --json failed: {result.stdout}{result.stderr}"
    hits = json.loads(result.stdout)
    hits = hits if isinstance(hits, list) else hits.get("ket_qua", hits.get("results", []))
    return [hit["id"] for hit in hits]


def test_withdrawn_letter_is_read_as_withdrawn(ids: dict[str, str], project: Path) -> None:
    from builder.archive.read import read_archive

    letters = {x.tep_goc: x for x in read_archive(project / "content").letters}
    withdrawn = letters[WITHDRAWN]
    assert withdrawn.thu_hoi is not None and not withdrawn.is_listed
    assert (withdrawn.thu_hoi.ngay, withdrawn.thu_hoi.ly_do) == ("2021-09-15", REASON)
    assert letters[CORRECTED].is_listed and letters[CORRECTED].so == 1234


def test_withdrawn_page_stays_and_says_when_and_why(project: Path, ids: dict[str, str]) -> None:
    page = project / "site" / "van-ban" / ids[WITHDRAWN] / "index.html"
    assert page.exists(), "the withdrawn letter's URL must keep a page"
    html = page.read_text(encoding="utf-8")
    assert "thu hồi" in html.lower()
    assert "15/09/2021" in html or "2021-09-15" in html
    assert "Đăng nhầm bản dự thảo &lt;chưa ký&gt; &amp; chưa được phép công khai" in html
    assert "<chưa ký>" not in html  # letter text is escaped
    assert "2642/UBND-VX" in html and "26/08/2021" in html, "number and date stay in the notice"


def test_withdrawn_letter_keeps_no_text_original_or_data(
    project: Path, ids: dict[str, str], seed_site: Path
) -> None:
    """Withdrawn because it must not be read: its body, its file and its JSON are gone."""
    letter_id = ids[WITHDRAWN]
    sentence = "tăng cường các biện pháp phòng, chống dịch"  # from the body and the subject
    body_only = "Trước tình hình dịch bệnh Covid-19"
    seed_page = seed_site / "van-ban" / letter_id
    assert body_only in (seed_page / "index.html").read_text(encoding="utf-8"), "control"
    assert (seed_page / WITHDRAWN).exists() and (
        seed_site / "data" / "van-ban" / f"{letter_id}.json"
    ).exists()
    folder = project / "site" / "van-ban" / letter_id
    html = (folder / "index.html").read_text(encoding="utf-8")
    assert sentence in html  # the subject, in the notice
    assert body_only not in html
    assert sorted(p.name for p in folder.iterdir()) == ["index.html"], "no original file"
    assert not (project / "site" / "data" / "van-ban" / f"{letter_id}.json").exists()
    assert not list((project / "site").rglob(WITHDRAWN))
    assert (project / "site" / "data" / "van-ban" / f"{ids[CORRECTED]}.json").exists()


def test_withdrawn_letter_leaves_lists(project: Path, ids: dict[str, str], seed_site: Path) -> None:
    letter_id = ids[WITHDRAWN]
    assert any(letter_id in p.read_text(encoding="utf-8") for p in _list_pages(seed_site)), "control"
    pages = _list_pages(project / "site")
    assert len(pages) >= 3
    listed = [
        str(p.relative_to(project / "site")) for p in pages if letter_id in p.read_text(encoding="utf-8")
    ]
    assert listed == []
    assert ids[CORRECTED] in (project / "site" / "van-ban" / "index.html").read_text(encoding="utf-8")


def test_withdrawn_letter_leaves_feed(project: Path, ids: dict[str, str], seed_site: Path) -> None:
    letter_id = ids[WITHDRAWN]
    assert letter_id in (seed_site / "feed.xml").read_text(encoding="utf-8"), "control"
    feed = (project / "site" / "feed.xml").read_text(encoding="utf-8")
    assert letter_id not in feed and "2642/UBND-VX" not in feed
    assert ids[CORRECTED] in feed


def test_withdrawn_letter_leaves_open_data_list(project: Path, ids: dict[str, str], seed_site: Path) -> None:
    letter_id = ids[WITHDRAWN]
    seed_json, seed_csv = _open_data_ids(seed_site)
    assert letter_id in seed_json and letter_id in seed_csv, "control"
    in_json, in_csv = _open_data_ids(project / "site")
    assert letter_id not in in_json and letter_id not in in_csv
    assert ids[CORRECTED] in in_json and ids[CORRECTED] in in_csv


def test_withdrawn_letter_leaves_static_search_index(
    project: Path, ids: dict[str, str], seed_site: Path
) -> None:
    letter_id = ids[WITHDRAWN]
    assert any(letter_id in text for text in _search_texts(seed_site).values()), "control"
    texts = _search_texts(project / "site")
    assert texts
    leaking = [name for name, text in texts.items() if letter_id in text]
    assert leaking == []


def test_withdrawn_letter_leaves_vanban_search(
    project: Path, ids: dict[str, str], seed_project: Path
) -> None:
    letter_id = ids[WITHDRAWN]
    assert letter_id in _search(seed_project, "2642/UBND-VX"), "control"
    assert letter_id not in _search(project, "2642/UBND-VX")
    assert letter_id not in _search(project, "tăng cường các biện pháp phòng, chống dịch")
    assert ids["001_c4338ab285b75807.txt"] in _search(project, "Omicron")


def test_corrected_letter_keeps_its_url(project: Path, ids: dict[str, str], seed_site: Path) -> None:
    letter_id = ids[CORRECTED]
    assert (seed_site / "van-ban" / letter_id / "index.html").exists()
    html = (project / "site" / "van-ban" / letter_id / "index.html").read_text(encoding="utf-8")
    assert "1234/UBND-VP" in html
    assert "Đính chính" in html and "Bổ sung số văn bản 1234 sau khi ký" in html
    assert "20/09/2021" in html or "2021-09-20" in html


def _tree(site: Path) -> dict[str, bytes]:
    return {p.relative_to(site).as_posix(): p.read_bytes() for p in sorted(site.rglob("*")) if p.is_file()}


def test_withdrawing_then_deleting_after_incremental_builds(tmp_path: Path) -> None:
    """Build; add a numbered letter, build; withdraw it, build; delete it, build: every build
    passes (the whoosh cache still holds the removed letter's postings) and each gives the site
    a clean build of the same content gives."""
    added = "2021/cv-2643.txt"
    text = _seed(WITHDRAWN).replace("Số: 2642/UBND-VX", "Số: 2643/UBND-VX", 1)
    project = make_project(tmp_path / "a")
    steps = [("added", text), ("withdrawn", WITHDRAWAL + text), ("deleted", None)]
    assert run_mkdocs(project).returncode == 0
    for step, content in steps:
        target = project / "content" / added
        if content is None:
            target.unlink()
        else:
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_text(content, encoding="utf-8")
        result = run_mkdocs(project)
        assert result.returncode == 0, f"{step}: {result.stdout}{result.stderr}"
        clean = make_project(tmp_path / step, letters={} if content is None else {added: content})
        assert run_mkdocs(clean).returncode == 0
        incremental, fresh = _tree(project / "site"), _tree(clean / "site")
        assert sorted(incremental) == sorted(fresh), step
        assert [n for n in incremental if incremental[n] != fresh[n]] == [], step
    assert "2643/UBND-VX" not in (project / "site" / "feed.xml").read_text(encoding="utf-8")
