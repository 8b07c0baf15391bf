"""Rebuilds after one letter is added and another corrected: the build reuses what did
not change (content-hash cache), says so in its log, and gives exactly the site a clean
build of the same content gives. The search index files carry content-hashed names
that the pages point to.

Three real MkDocs builds: project A cold, A again after the change (warm cache), and a
fresh project B holding A's final content (cold).
"""

from __future__ import annotations

import json
import os
import re
from dataclasses import dataclass
from pathlib import Path

import pytest
from cache_rules import is_hashed
from conftest import REPO, make_project, run_mkdocs
from whoosh import index
from whoosh.fields import ID, TEXT, Schema

from builder.search.whoosh_writing import BulkWriter

ADDED = "2021/cv-2699-ubnd-vx.txt"
CORRECTED = "004_8b77143a53b7dc4f.txt"
TOUCHED = "000_7b39c955ad7f8a28.txt"  # new mtime, same bytes: must still be reused
UNCHANGED = 4  # the five seeds, less the corrected one


def _added_letter() -> str:
    """A new letter: seed 002 with its own number and subject (same issuer, same year)."""
    text = (REPO / "content" / "002_1df910771a3bcb65.txt").read_text(encoding="utf-8")
    assert "Số: 2642/UBND-VX" in text
    text = text.replace("Số: 2642/UBND-VX", "Số: 2699/UBND-VX", 1)
    subject = "V/v tăng cường các biện pháp phòng,"
    return text.replace(subject, subject.replace("V/v", "V/v tiếp tục"), 1)


def _corrected_letter() -> str:
    """Seed 004 with its deadline moved (it is written twice in the letter)."""
    text = (REPO / "content" / CORRECTED).read_text(encoding="utf-8")
    assert "chậm nhất vào **ngày 15/9/2021**" in text
    return text.replace("chậm nhất vào **ngày 15/9/2021**", "chậm nhất vào **ngày 17/9/2021**")


def _tree(site: Path) -> dict[str, bytes]:
    return {p.relative_to(site).as_posix(): p.read_bytes() for p in sorted(site.rglob("*")) if p.is_file()}


@dataclass
class Build:
    log: str
    files: dict[str, bytes]


@dataclass
class Builds:
    cold: Build
    incremental: Build
    clean: Build


def _build(project: Path) -> Build:
    result = run_mkdocs(project)
    assert result.returncode == 0, result.stdout + result.stderr
    return Build(result.stdout + result.stderr, _tree(project / "site"))


@pytest.fixture(scope="module")
def builds(tmp_path_factory: pytest.TempPathFactory) -> Builds:
    root = tmp_path_factory.mktemp("incremental")
    project = make_project(root / "a")
    cold = _build(project)
    changes = {ADDED: _added_letter(), CORRECTED: _corrected_letter()}
    for name, text in changes.items():
        target = project / "content" / name
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(text, encoding="utf-8")
    touched = project / "content" / TOUCHED
    os.utime(touched, (touched.stat().st_atime + 3600, touched.stat().st_mtime + 3600))
    incremental = _build(project)
    clean = _build(make_project(root / "b", letters=changes))
    return Builds(cold, incremental, clean)


def _letters(build: Build) -> list[dict]:
    return json.loads(build.files["data/van-ban.json"])


def test_the_change_is_published(builds: Builds) -> None:
    """Not vacuous: the new letter is listed and the correction shows on its page."""
    letters = {item["tep_goc"]: item for item in _letters(builds.incremental)}
    assert len(letters) == len(_letters(builds.cold)) + 1
    assert letters[ADDED]["so_ky_hieu"] == "2699/UBND-VX"
    url = letters[CORRECTED]["url"]
    page = builds.incremental.files[url[url.index("van-ban/") :] + "index.html"].decode("utf-8")
    assert "17/9/2021" in page and "15/9/2021" not in page


def test_incremental_build_is_byte_identical_to_a_clean_build(builds: Builds) -> None:
    incremental, clean = builds.incremental.files, builds.clean.files
    assert sorted(incremental) == sorted(clean), {
        "only in the incremental build": sorted(set(incremental) - set(clean)),
        "only in the clean build": sorted(set(clean) - set(incremental)),
    }
    differ = [name for name in incremental if incremental[name] != clean[name]]
    assert not differ, f"files that differ from a clean build: {differ}"


def _reuse_lines(log: str) -> list[str]:
    return [line for line in log.splitlines() if "dùng lại" in line]


def _says_reused(line: str, count: int) -> bool:
    return re.search(rf"(?<![\d/]){count}(?![\d/])", line) is not None


def test_cold_build_reuses_nothing(builds: Builds) -> None:
    claims = [line for line in _reuse_lines(builds.cold.log) if re.search(r"dùng lại\D*[1-9]", line)]
    assert not claims, claims


def test_log_says_which_letters_were_read_again(builds: Builds) -> None:
    """Reading: 4 letters from the cache (the touched one included), 2 read again."""
    lines = [line for line in _reuse_lines(builds.incremental.log) if "đọc" in line]
    assert any(_says_reused(line, UNCHANGED) for line in lines), (
        f"expected a log line 'đọc … dùng lại {UNCHANGED} …'; log:\n{builds.incremental.log}"
    )


def test_log_says_what_the_search_index_reused(builds: Builds) -> None:
    """Indexing: the whoosh index keeps the unchanged letters and indexes only the 2 changed."""
    lines = [line for line in _reuse_lines(builds.incremental.log) if "chỉ mục" in line]
    assert any(_says_reused(line, UNCHANGED) for line in lines), (
        f"expected a log line 'chỉ mục … dùng lại {UNCHANGED} …'; log:\n{builds.incremental.log}"
    )


def _index_files(build: Build) -> dict[str, bytes]:
    """The search index's content-hashed files (as deploy/nginx.conf tells them)."""
    return {
        name: data for name, data in build.files.items() if name.startswith("tim-kiem/") and is_hashed(name)
    }


def test_search_index_files_have_content_hashed_names(builds: Builds) -> None:
    before, after = _index_files(builds.cold), _index_files(builds.incremental)
    assert after, f"no content-hashed file under tim-kiem/: {sorted(n for n in builds.incremental.files)}"
    # A name stands for one content: a name in both builds has the same bytes ...
    assert not [name for name in set(before) & set(after) if before[name] != after[name]]
    # ... and new content got new names.
    assert set(after) - set(before), "the index changed but no hashed file name did"


HASH_REFERENCE = re.compile(r"(?<=[/.\"])[0-9a-f]{8,}(?=[/.\"'])")
"""A hash as a path part in a page, script or manifest: ``g/<hash>"``, ``bundle.<hash>.min.js``,
or a name in the manifest's list of packs (``"packs": ["<hash>", …]``)."""


def test_pages_point_to_the_current_index_files(builds: Builds) -> None:
    files = builds.incremental.files
    parts = {part for name in files for part in re.split(r"[/.]", name)}
    # What points to index files: the pages and the search data itself (the manifest).
    texts = {
        name: data.decode("utf-8", errors="replace")
        for name, data in files.items()
        if name.endswith(".html") or (name.startswith("tim-kiem/") and name.endswith((".json", ".js")))
    }
    referenced = {ref: name for name, text in texts.items() for ref in HASH_REFERENCE.findall(text)}
    dangling = sorted(f"{ref} (in {name})" for ref, name in referenced.items() if ref not in parts)
    assert not dangling, f"pages point to hashed files that are not in the site: {dangling}"
    current = {part for name in _index_files(builds.incremental) for part in re.split(r"[/.]", name)}
    unhashed = [text for name, text in texts.items() if not is_hashed(name)]
    named = current & {ref for text in unhashed for ref in HASH_REFERENCE.findall(text)}
    assert named, "no page or manifest names the current search index files"


def test_a_segment_with_no_live_letter_is_dropped(tmp_path: Path) -> None:
    """Every letter written again (a new analyzer) leaves the old segment with every letter
    deleted: it goes at the commit, not kept for every later export to walk."""
    ix = index.create_in(str(tmp_path), Schema(id=ID(stored=True, unique=True), body=TEXT))
    writer = BulkWriter(ix)
    for number in range(3):
        writer.add_document(id=f"a{number}", body="một hai ba")
    writer.commit(merge=False)
    writer = BulkWriter(ix)
    for number in range(3):
        writer.delete_by_term("id", f"a{number}")
    writer.add_document(id="b", body="bốn năm")
    writer.commit(merge=False)
    with index.open_dir(str(tmp_path)).reader() as reader:
        assert reader.doc_count_all() == 1  # 4 before: the three deleted letters' segment kept
        assert [fields["id"] for fields in reader.all_stored_fields()] == ["b"]
