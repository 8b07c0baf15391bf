"""Attacks on session 8's new code (issue 14's standard): hostile date lines, the browser
index's pack files and display records, builds killed during the search stage.

Each test here failed on the main it was written against, or pins what held cheaply.
"""

from __future__ import annotations

import json
import os
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from conftest import REPO, make_project, run_mkdocs

from builder.archive.letter_file import read_letter
from builder.letters.letter import Severity
from builder.letters.registry import load_registry
from builder.text.dates import date_in_sentence, date_line

SEED = (REPO / "content" / "002_1df910771a3bcb65.txt").read_text(encoding="utf-8")
DATE = "Lai Châu, ngày 26 tháng 8 năm 2021"
TITLE_LETTER = (
    REPO
    / "tests"
    / "fixtures"
    / "real-letters"
    / "d25-qd-ubnd-tinh-daknong-09-2008-qd-ubnd-so-trong-tieu-de.txt"
)
TITLE_DATE = "NGÀY 27 THÁNG 3 NĂM 2008"


def _read(text: str) -> tuple[object, list]:
    registry, _ = load_registry(REPO / "content")
    return read_letter(text.encode("utf-8"), "thu.txt", "content/thu.txt", registry)


# --- dates: a date line or title sentence that is no real day is an error, never a date ---------


@pytest.mark.parametrize(
    "line",
    [
        "Lai Châu, ngày 00 tháng 8 năm 2021",
        "Lai Châu, ngày 26 tháng 00 năm 2021",
        "Lai Châu, ngày 0/8/2021",
        "Lai Châu, ngày 26 tháng 8 năm 20215",
        "Lai Châu, ngày 26 tháng 8 năm 99999",
        "Lai Châu, ngày 26 tháng 8 năm 2021" + "9" * 10_000,
        "Lai Châu, ngày 31 tháng 2 năm 2021",
    ],
    ids=["day-0", "month-0", "numeric-day-0", "year-5-digits", "year-99999", "year-10k-digits", "31-2"],
)
def test_a_date_line_that_is_no_day_is_an_error_naming_its_line(line: str) -> None:
    """Day 0 was published as '2021-08-00' (``valid`` took 0 for blank); 'năm 20215' as 2021
    (the year's four digits were matched without looking at the next one)."""
    letter, problems = _read(SEED.replace(DATE, line, 1))
    assert letter is None or letter.ngay_ban_hanh is None
    errors = [p for p in problems if p.severity is Severity.ERROR]
    assert errors, [str(p) for p in problems]
    assert any(":15:" in str(p) for p in errors), [str(p) for p in errors]


@pytest.mark.parametrize(
    "written",
    [
        "NGÀY ٢٧ THÁNG ٣ NĂM ٢٠٠٨",
        "NGÀY ２７ THÁNG ３ NĂM ２００８",
        "NGÀY 00 THÁNG 3 NĂM 2008",
        "NGÀY 27 THÁNG 3 NĂM 20089",
    ],
    ids=["arabic-indic", "fullwidth", "day-0", "year-5-digits"],
)
def test_a_title_sentence_date_is_ascii_digits_of_a_real_day(written: str) -> None:
    """``date_in_sentence`` used ``\\d``: Arabic-Indic digits in a title made '2008-03-27'."""
    text = TITLE_LETTER.read_text(encoding="utf-8")
    assert TITLE_DATE in text
    letter, _ = _read(text.replace(TITLE_DATE, written, 1))
    assert letter is None or letter.ngay_ban_hanh is None
    found = date_in_sentence(f"QUYẾT ĐỊNH SỐ 09/2008/QĐ-UBND {written} VỀ VIỆC X")
    assert found is None or not found.valid()


def test_the_title_sentence_date_still_reads() -> None:
    letter, _ = _read(TITLE_LETTER.read_text(encoding="utf-8"))
    assert letter is not None and letter.ngay_ban_hanh == "2008-03-27"


@pytest.mark.parametrize(
    "line",
    [
        "Lai Châu, ngày " + "ngày " * 20_000 + "26 tháng 8 năm 2021",
        DATE + " ngày 1 tháng 1 năm 2000" * 5_000,
        "Lai Châu, ngày ٢٦ tháng ٨ năm ٢٠٢١",
    ],
    ids=["nested", "huge", "arabic-indic"],
)
def test_hostile_date_lines_are_read_in_time(line: str) -> None:
    import time

    start = time.process_time()
    letter, _ = _read(SEED.replace(DATE, line, 1))
    assert time.process_time() - start < 5
    assert letter is None or letter.ngay_ban_hanh in (None, "2021-08-26")


def test_many_date_lines_keep_the_first() -> None:
    letter, _ = _read(SEED.replace(DATE, "\n\n".join([DATE] * 3_000), 1))
    assert letter is not None and letter.ngay_ban_hanh == "2021-08-26"


def test_date_line_reads_what_it_read() -> None:
    found = date_line(DATE)
    assert found is not None and found.iso() == "2021-08-26" and found.valid()
    assert date_line("Mường Tè, ngày … tháng … năm 20…") is not None


# --- the browser index: hostile text in display records, damaged packs -------------------------

HOSTILE_BODY = (
    'Đoạn zqxhostile: </script><script>window.__xss=11</script> "}]};window.__xss=12;// '
    '\u2028\u2029 <img src=x onerror=window.__xss=13> {{ 7*7 }} <!-- --> \\" \\u003c '
    "<svg onload=window.__xss=14> <iframe srcdoc='<script>parent.__xss=15</script>'></iframe> hết."
)
HOSTILE_SUBJECT = "V/v zqxhostile </script><svg onload=window.__xss=16> \"'\\ tăng cường"


@pytest.fixture(scope="module")
def hostile_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The seeds and a letter whose subject and body break out of HTML, script and JSON."""
    text = SEED.replace("2642", "2901", 1).replace("V/v tăng cường", HOSTILE_SUBJECT, 1)
    text = text.replace("Trước tình hình", HOSTILE_BODY + "\n\nTrước tình hình", 1)
    project = make_project(tmp_path_factory.mktemp("attack") / "project", letters={"2021/hostile.txt": text})
    result = run_mkdocs(project)
    assert result.returncode == 0, result.stdout + result.stderr
    return project / "site"


def _search(page, base: str, query: str, state: str = "done") -> None:
    from urllib.parse import quote

    page.goto(f"{base}/tim-kiem/?q={quote(query)}")
    page.wait_for_selector(f"[data-vb-search][data-state={state}]", timeout=20_000)


def test_hostile_text_is_data_in_the_display_records_and_text_in_the_cards(
    page, hostile_site: Path, serve
) -> None:
    from builder.search.static_reading import StaticIndex

    index = StaticIndex(hostile_site / "tim-kiem")
    records = [index.display(n) for n in range(index.manifest["docs"])]
    hostile = next(r for r in records if r["id"] == "2021-hostile")
    assert "</script><svg onload=window.__xss=16>" in hostile["trich_yeu"]
    assert "<img src=x onerror=window." in hostile["text"]
    dialogs: list[str] = []
    page.on("dialog", lambda dialog: (dialogs.append(dialog.message), dialog.dismiss()))
    for query in ("zqxhostile", "onerror svg iframe", "window xss"):
        _search(page, serve(hostile_site), query)
        card = page.locator(".vb-hit").first.inner_text()
        assert "</script><svg onload=window.__xss=16>" in card, "the subject shown as text"
        assert "<img src=x onerror=" in card, "the body's snippet shown as text"
        assert (
            page.locator(".vb-results img, .vb-results svg, .vb-results iframe, .vb-results script").count()
            == 0
        )
        assert page.evaluate("typeof window.__xss") == "undefined"
    assert dialogs == []


@pytest.mark.parametrize("damage", ["truncated", "flipped"])
def test_a_damaged_pack_gives_a_vietnamese_error_not_a_hang(
    browser, hostile_site: Path, serve, tmp_path: Path, damage: str
) -> None:
    """A pack cut short (a deploy half done) or damaged: search.js's reads failed inside render()
    and the page stayed busy with an empty status line forever (an unhandled rejection)."""
    site = tmp_path / "site"
    shutil.copytree(hostile_site, site)
    for pack in (site / "tim-kiem" / "p").glob("*.pack"):
        data = bytearray(pack.read_bytes())
        if damage == "truncated":
            del data[len(data) // 3 :]
        else:
            data[::97] = bytes(b ^ 0x5A for b in data[::97])
        pack.write_bytes(bytes(data))
    page = browser.new_page()
    try:
        started = time.monotonic()
        _search(page, serve(site), "zqxhostile covid", state="error")
        assert time.monotonic() - started < 15
        assert "Không tải được" in page.locator("[data-vb-search] [role=status]").inner_text()
        assert "vb-busy" not in (page.get_attribute("[data-vb-search]", "class") or "")
    finally:
        page.close()


# --- the last good site's search index: carried over only when intact --------------------------


def _tree(site: Path) -> dict[str, bytes]:
    return {p.relative_to(site).as_posix(): p.read_bytes() for p in sorted(site.rglob("*")) if p.is_file()}


@pytest.mark.parametrize("damage", ["pack-truncated", "pack-lost", "last-pack-cut", "manifest-truncated"])
def test_a_damaged_search_index_in_the_last_site_is_written_again(
    hostile_site: Path, tmp_path: Path, damage: str
) -> None:
    """No letter changed, so the search index is carried over from the last good site: a pack cut
    short or lost there was carried into every later build (the search page broken for good)."""
    project = tmp_path / "project"
    shutil.copytree(hostile_site.parent, project, symlinks=True)
    clean = _tree(project / "site")
    folder = project / "site" / "tim-kiem"
    manifest = json.loads((folder / "manifest.json").read_text(encoding="utf-8"))
    pack = folder / "p" / f"{manifest['packs'][0]}.pack"
    target = {
        "pack-truncated": pack,
        "pack-lost": pack,
        "last-pack-cut": folder / "p" / f"{[name for name in manifest['packs'] if name][-1]}.pack",
        "manifest-truncated": folder / "manifest.json",
    }[damage]
    if damage == "pack-lost":
        target.unlink()
    else:
        target.write_bytes(target.read_bytes()[:100])
    result = run_mkdocs(project)
    assert result.returncode == 0, result.stdout + result.stderr
    built = _tree(project / "site")
    assert sorted(built) == sorted(clean)
    assert [name for name in built if built[name] != clean[name]] == []


def test_a_build_killed_while_writing_the_search_index_leaves_the_old_site_and_a_clean_rebuild(
    hostile_site: Path, tmp_path: Path
) -> None:
    """kill -9 while whoosh writes (its folder gone, so every letter is written again): the old
    site stays as it was, and the next build equals a clean build of the same letters."""
    project = tmp_path / "project"
    shutil.copytree(hostile_site.parent, project, symlinks=True)
    before = _tree(project / "site")
    letter = project / "content" / "2021" / "hostile.txt"
    letter.write_text(letter.read_text(encoding="utf-8").replace("zqxhostile", "zqxsua", 1), encoding="utf-8")
    whoosh = project / ".cache" / "vanban" / "whoosh"
    shutil.rmtree(whoosh)
    build = subprocess.Popen(
        [sys.executable, "-m", "mkdocs", "build"],
        cwd=project,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        start_new_session=True,
    )
    deadline = time.monotonic() + 60
    while build.poll() is None and time.monotonic() < deadline:
        if whoosh.is_dir() and len(list(whoosh.iterdir())) >= 4:  # a segment being written
            break
        time.sleep(0.01)
    assert build.poll() is None, "the build ended before its search stage could be killed"
    os.killpg(build.pid, signal.SIGKILL)
    build.wait(timeout=60)
    assert _tree(project / "site") == before
    clean = tmp_path / "clean"
    shutil.copytree(project, clean, symlinks=True, ignore=shutil.ignore_patterns("site", "site.*", ".cache"))
    for folder in (project, clean):
        result = run_mkdocs(folder)
        assert result.returncode == 0, result.stdout + result.stderr
    rebuilt, fresh = _tree(project / "site"), _tree(clean / "site")
    assert sorted(rebuilt) == sorted(fresh)
    assert [name for name in rebuilt if rebuilt[name] != fresh[name]] == []
    assert sorted(p.name for p in project.iterdir() if p.name.startswith("site.")) == []


# --- worker processes of the search stage: one killed (the OOM killer) must not hang the build ---

_ANALYSIS_WORKER_KILLED = """
import os, signal, sys
from builder.search import whoosh_writing

class Field:
    def index(self, source):
        if source == "die":
            os.kill(os.getpid(), signal.SIGKILL)
        return []

items = list(range(whoosh_writing.ANALYZE_ALONGSIDE_FROM + 50))
try:
    for _ in whoosh_writing.analyzed(items, lambda n: {"f": "die" if n == 120 else "x"}, {"f": Field()}):
        pass
except Exception as error:
    print("failed:", error)
    sys.exit(3)
"""

_EXPORT_WORKER_KILLED = """
import os, signal, sys, types
from builder.search import static_index

def die(part):
    os.kill(os.getpid(), signal.SIGKILL)

static_index._entries_of_part_forked = die
try:
    static_index._term_entries(types.SimpleNamespace(doc_count=static_index.PARALLEL_FROM_DOCS))
except Exception as error:
    print("failed:", error)
    sys.exit(3)
"""


_WORKER_KILLED_WHILE_SENDING = """
import os, signal, struct, sys
from builder.archive.workers import forked_pool

def killed_while_sending(n):
    frame = sys._getframe()
    while "result_queue" not in frame.f_locals:
        frame = frame.f_back
    writer = frame.f_locals["result_queue"]._writer  # half a result in the pipe, as a kill leaves it
    os.write(writer.fileno(), struct.pack("!i", 1_000_000) + bytes(1000))
    os.kill(os.getpid(), signal.SIGKILL)

try:
    with forked_pool(1) as pool:
        print(list(pool.map(killed_while_sending, range(2))))
except Exception as error:
    print("failed:", error)
    sys.exit(3)
"""

_PARSE_WORKER_KILLED_WHILE_SENDING = (
    _WORKER_KILLED_WHILE_SENDING.split("try:")[0]
    + """
import shutil, tempfile
from pathlib import Path
from builder.archive import workers
from builder.archive.read import read_archive

content = Path(tempfile.mkdtemp()) / "content"
shutil.copytree("content", content)
seed = (content / "002_1df910771a3bcb65.txt").read_text(encoding="utf-8")
for n in range(workers.PARALLEL_FROM):
    (content / f"cv-{n}.txt").write_text(seed.replace("2642", str(3000 + n), 1), encoding="utf-8")
workers._parse_in_worker = killed_while_sending
archive = read_archive(content)
shutil.rmtree(content.parent)
assert len(archive.letters) == workers.PARALLEL_FROM + 5, len(archive.letters)
print("failed: a worker dừng đột ngột; the letters read in this process instead")
sys.exit(3)
"""
)


@pytest.mark.parametrize(
    "script",
    [
        _ANALYSIS_WORKER_KILLED,
        _EXPORT_WORKER_KILLED,
        _WORKER_KILLED_WHILE_SENDING,
        _PARSE_WORKER_KILLED_WHILE_SENDING,
    ],
    ids=["analysis", "export", "while-sending", "parse-while-sending"],
)
def test_a_killed_search_worker_fails_the_stage_instead_of_hanging(script: str) -> None:
    """multiprocessing.Pool never answers a task whose worker died (SIGKILL: the OOM killer): the
    build waited forever, holding the project lock (every later build waited behind it)."""
    from builder.archive.workers import usable_cores

    if usable_cores() < 2:
        pytest.skip("one core: no worker processes")
    process = subprocess.Popen(
        [sys.executable, "-c", script],
        cwd=REPO,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        start_new_session=True,
    )
    try:
        output, _ = process.communicate(timeout=30)
    except subprocess.TimeoutExpired:
        os.killpg(process.pid, signal.SIGKILL)
        process.communicate()
        pytest.fail("the search stage hung after its worker was killed")
    assert process.returncode == 3, output
    assert "dừng đột ngột" in output, output
