"""read_archive on the seeds and on small archives of our own: ids, linking, cache."""

from __future__ import annotations

import dataclasses
import os
from dataclasses import asdict
from pathlib import Path

import pytest
import yaml

from benchmarks import corpus
from builder.archive import workers as archive_workers
from builder.archive.letter_file import letter_id
from builder.archive.read import read_archive
from builder.letters.letter import Severity

REPO = Path(__file__).resolve().parent.parent
CONTENT = REPO / "content"
EXPECTED = Path(__file__).parent / "fixtures" / "expected"
SEED_NAMES = sorted(p.stem for p in CONTENT.glob("*.txt"))

LETTER = """\
**ỦY BAN NHÂN DÂN
HUYỆN MƯỜNG TÈ**

**CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM
Độc lập - Tự do - Hạnh phúc**

Số: {so}/UBND-VP

Mường Tè, ngày {day} tháng 3 năm {year}

V/v {subject}

Kính gửi: Ủy ban nhân dân các xã, thị trấn.

{body}

Nơi nhận:

- Như trên;
- Lưu: VT.

**KT. CHỦ TỊCH
PHÓ CHỦ TỊCH**

Kiều Hải Nam
"""


def letter_text(
    so: str = "12", day: str = "5", year: str = "2022", subject: str = "kiểm tra", body: str = ""
) -> str:
    return LETTER.format(
        so=so, day=day, year=year, subject=subject, body=body or "Đề nghị các xã thực hiện./."
    )


@pytest.fixture(scope="module")
def seeds():
    return read_archive(CONTENT)


@pytest.mark.parametrize("name", SEED_NAMES)
def test_seed_matches_expected_front_matter(seeds, name):
    expected = yaml.safe_load((EXPECTED / f"{name}.yml").read_text(encoding="utf-8"))
    letter = seeds.by_id[letter_id(name + ".txt")]
    actual = asdict(letter)
    for key, value in expected.items():
        assert actual[key] == value, key


def test_seeds_bar_values(seeds):
    """The issue's Bar, stated directly (the YAML fixtures say the same in full)."""
    by = {letter.tep_goc[:3]: letter for letter in seeds.letters}
    l0, l1, l2, l3, l4 = by["000"], by["001"], by["002"], by["003"], by["004"]
    assert (l0.so, l0.ky_hieu, l0.co_quan_ban_hanh, l0.dia_danh, l0.ngay_ban_hanh, l0.loai_van_ban) == (
        None,
        "UBND-TH",
        "Ủy ban nhân dân huyện Mường Tè",
        "Mường Tè",
        "2021-09",
        "Công văn",
    )
    assert (len(l0.kinh_gui), l0.nguoi_ky, l0.chuc_vu_nguoi_ky) == (2, "Kiều Hải Nam", "Phó Chủ tịch")
    assert [c.so_ky_hieu for c in l0.van_ban_dan_chieu] == ["114/TB-UBND", "105/NQ-CP", "68/NQ-CP"]
    assert (l1.so, l1.ky_hieu, l1.dia_danh, l1.ngay_ban_hanh, len(l1.kinh_gui), l1.nguoi_ky) == (
        None,
        "UBND-TH",
        "Mường Tè",
        "2021-12",
        2,
        "Kiều Hải Nam",
    )
    assert l1.trich_yeu.startswith("thực hiện Kết luận của đồng chí Tống Thanh Hải - ")
    assert l1.trich_yeu.endswith("công tác phòng, chống dịch Covid-19") and "\n" not in l1.trich_yeu
    assert [c.so_ky_hieu for c in l1.van_ban_dan_chieu] == ["141/TB-UBND"]
    assert (l2.so, l2.ky_hieu, l2.co_quan_ban_hanh, l2.ngay_ban_hanh) == (
        2642,
        "UBND-VX",
        "Ủy ban nhân dân tỉnh Lai Châu",
        "2021-08-26",
    )
    assert l2.trich_yeu == "tăng cường các biện pháp phòng, chống dịch Covid-19"
    assert (len(l2.kinh_gui), l2.tham_quyen_ky[0][:3], l2.nguoi_ky) == (2, "TM.", "Tổng Thanh Hải")
    assert [c.so_ky_hieu for c in l2.van_ban_dan_chieu] == ["1102/CĐ-TTg", "325-CV/TU", "16/CT-TTg"]
    for stamp in ("Chuyển TC-HC", "Đầu Kẹp Xếp P"):
        assert stamp not in seeds.store.body(l2.id) and stamp not in l2.trich_yeu
    assert (l3.so, l3.ky_hieu, l3.dia_danh, l3.ngay_ban_hanh, len(l3.kinh_gui), l3.nguoi_ky) == (
        None,
        "UBND-VP",
        "Vĩnh Tường",
        "2021-10",
        3,
        "Lê Chí Thái",
    )
    assert l3.trich_yeu.startswith("triển khai thực hiện Thông báo số 451-TB/TU")
    assert [c.so_ky_hieu for c in l3.van_ban_dan_chieu] == ["451-TB/TU", "574-TB/HU", "68/NQ-CP"]
    assert (l4.so, l4.ky_hieu, l4.dia_danh, l4.ngay_ban_hanh, l4.do_khan, len(l4.kinh_gui), l4.nguoi_ky) == (
        None,
        "UBND-VP",
        "Mai Sơn",
        "2021-09-09",
        "Khẩn",
        3,
        "Lại Như Long",
    )
    assert [c.so_ky_hieu for c in l4.van_ban_dan_chieu] == ["1367-CV/HU"]


def test_seeds_have_no_errors_and_are_sorted(seeds):
    assert seeds.errors == []
    assert [letter.id for letter in seeds.letters] == sorted(letter.id for letter in seeds.letters)
    assert len(seeds.letters) == 5


@pytest.mark.parametrize(
    ("relative", "expected"),
    [("2021/cv-12.txt", "2021-cv-12"), ("Đợt 1/Công văn số 5.txt", "dot-1-cong-van-so-5"), ("a.TXT", "a")],
)
def test_id_comes_from_the_path(relative, expected):
    assert letter_id(relative) == expected


def test_every_txt_below_content_is_a_letter_and_other_files_are_data(tmp_path):
    (tmp_path / "2022" / "03").mkdir(parents=True)
    (tmp_path / "2022" / "03" / "cv-12.txt").write_text(letter_text(), encoding="utf-8")
    (tmp_path / "ghi-chu.md").write_text("# not a letter", encoding="utf-8")
    archive = read_archive(tmp_path)
    assert [letter.id for letter in archive.letters] == ["2022-03-cv-12"]
    assert archive.letters[0].tep_goc == "2022/03/cv-12.txt"


def test_citations_link_by_number_and_year(tmp_path):
    """The same number in two years: the citation's date picks the right one."""
    (tmp_path / "a2021.txt").write_text(letter_text(so="7", year="2021"), encoding="utf-8")
    (tmp_path / "a2022.txt").write_text(letter_text(so="7", year="2022"), encoding="utf-8")
    citing = "Thực hiện Công văn số 7/UBND-VP ngày 05/3/2021 của UBND huyện Mường Tè, các xã báo cáo./."
    (tmp_path / "b.txt").write_text(letter_text(so="9", year="2022", body=citing), encoding="utf-8")
    archive = read_archive(tmp_path)
    assert archive.errors == []
    b = archive.by_id["b"]
    assert [letter.id for letter in archive.cites(b)] == ["a2021"]
    assert [letter.id for letter in archive.cited_by(archive.by_id["a2021"])] == ["b"]
    assert archive.cited_by(archive.by_id["a2022"]) == []


def test_own_number_is_not_a_citation(tmp_path):
    body = "Công văn số 12/UBND-VP này thay thế Công văn số 3/UBND-VP ngày 01/3/2022./."
    (tmp_path / "a.txt").write_text(letter_text(body=body), encoding="utf-8")
    letter = read_archive(tmp_path).letters[0]
    assert [c.so_ky_hieu for c in letter.van_ban_dan_chieu] == ["3/UBND-VP"]


def test_cache_reuses_unchanged_letters_and_rereads_changed_ones(tmp_path):
    content, cache = tmp_path / "content", tmp_path / "cache"
    content.mkdir()
    (content / "a.txt").write_text(letter_text(so="1"), encoding="utf-8")
    (content / "b.txt").write_text(letter_text(so="2"), encoding="utf-8")
    first = read_archive(content, cache)
    assert (first.parsed, first.reused) == (2, 0)
    (content / "b.txt").write_text(letter_text(so="3"), encoding="utf-8")
    second = read_archive(content, cache)
    assert (second.parsed, second.reused) == (1, 1)
    assert second.by_id["b"].so == 3
    assert [asdict(x) for x in second.letters if x.id == "a"] == [
        asdict(x) for x in first.letters if x.id == "a"
    ]


def test_cache_of_an_older_parser_is_removed(tmp_path, monkeypatch):
    """Every change of the parser's code keys the whole cache anew; the old entries went
    nowhere and piled up (one pickle per letter per code version), never read again."""
    from builder.letters import parsing

    content, cache = tmp_path / "content", tmp_path / "cache"
    content.mkdir()
    for number in ("1", "2"):
        (content / f"{number}.txt").write_text(letter_text(so=number), encoding="utf-8")
    read_archive(content, cache)
    monkeypatch.setattr(parsing, "PARSER_VERSION", f"{parsing.PARSER_VERSION}-next")
    again = read_archive(content, cache)
    assert (again.parsed, again.reused) == (2, 0)
    assert len(list(cache.rglob("*.pickle"))) == 2
    assert (read_archive(content, cache).parsed, len(list(cache.rglob("*.pickle")))) == (0, 2)


def test_letters_with_errors_are_left_out_but_reported(tmp_path):
    (tmp_path / "ok.txt").write_text(letter_text(), encoding="utf-8")
    (tmp_path / "secret.txt").write_text("MẬT\n\n" + letter_text(so="99"), encoding="utf-8")
    archive = read_archive(tmp_path)
    assert [letter.id for letter in archive.letters] == ["ok"]
    assert any(d.severity is Severity.ERROR and d.path.endswith("secret.txt") for d in archive.diagnostics)


def _archive_facts(archive) -> tuple:
    """Everything read_archive returns, in comparable form."""
    return (
        [asdict(letter) for letter in archive.letters],
        [str(d) for d in archive.diagnostics],
        {letter.id: [x.id for x in archive.cites(letter)] for letter in archive.letters},
        (archive.parsed, archive.reused),
    )


@pytest.mark.skipif(len(os.sched_getaffinity(0)) < 2, reason="one core: read_archive reads serially")
def test_large_archives_are_read_on_every_core_with_the_same_result(tmp_path, monkeypatch):
    """Worker processes give the very archive one process gives: letters, problems, links, order."""
    project = corpus.write_project(tmp_path / "project", archive_workers.PARALLEL_FROM + 40)
    content = project / "content"
    (content / "mat.txt").write_text("MẬT\n\n" + letter_text(so="99"), encoding="utf-8")
    (content / "twice-a.txt").write_text(letter_text(so="5"), encoding="utf-8")
    (content / "twice-b.txt").write_text(letter_text(so="5", day="9"), encoding="utf-8")
    (content / "tcvn3.txt").write_bytes("Uû ban nh©n d©n huyÖn\n".encode())
    (content / "rong.txt").write_bytes(b"  \n")
    cache = tmp_path / "cache"
    parallel = read_archive(content, cache)
    assert parallel.workers == min(len(os.sched_getaffinity(0)), archive_workers.MAX_WORKERS) >= 2
    assert parallel.errors and len(parallel.letters) > archive_workers.PARALLEL_FROM
    monkeypatch.setattr(archive_workers, "PARALLEL_FROM", 10**9)
    serial = read_archive(content)
    assert serial.workers == 1
    assert _archive_facts(parallel) == _archive_facts(serial)
    monkeypatch.undo()
    again = read_archive(content, cache)  # the workers filled the cache
    assert (again.parsed, again.reused) == (0, parallel.parsed)
    assert _archive_facts(again)[:3] == _archive_facts(serial)[:3]


def test_bodies_are_kept_apart_and_given_back_whole(seeds, tmp_path):
    """The archive holds metadata; each body comes back from the body file exactly as parsed."""
    from builder.archive.letter_file import read_letter
    from builder.letters.registry import load_registry

    found_registry, _ = load_registry(CONTENT)
    for letter in seeds.letters:
        assert letter.noi_dung == ""
        parsed, _ = read_letter(
            (CONTENT / letter.tep_goc).read_bytes(), letter.tep_goc, letter.tep_goc, found_registry
        )
        assert parsed is not None and parsed.noi_dung
        whole = seeds.store.with_body(letter)
        assert whole.noi_dung == parsed.noi_dung
        assert repr(whole) == repr(parsed)  # every other field too (source lines are not in the repr)
    made = dataclasses.replace(seeds.letters[0], id="made-in-code", noi_dung="Nội dung riêng")
    assert seeds.store.with_body(made) is made


def test_bodies_survive_a_fork(seeds):
    """The search stage runs in a forked process and reads bodies from the same file."""
    letter = seeds.letters[-1]
    read_end, write_end = os.pipe()
    child = os.fork()
    if child == 0:  # pragma: no cover - the child
        os.write(write_end, seeds.store.body(letter.id).encode("utf-8"))
        os._exit(0)
    os.close(write_end)
    with os.fdopen(read_end, "rb") as pipe:
        received = pipe.read().decode("utf-8")
    os.waitpid(child, 0)
    assert received == seeds.store.body(letter.id) != ""


def test_letters_kept_share_equal_lists_and_citations(seeds, tmp_path):
    """Most letters repeat their signing lines, distribution and recipients, and many cite the
    same documents: the archive holds one copy of each, and every letter reads as it was."""
    from builder.archive.store import LetterStore

    store = LetterStore(tmp_path)
    first = seeds.store.with_body(seeds.letters[0])
    twin = dataclasses.replace(
        first,
        id="ban-sao",
        kinh_gui=list(first.kinh_gui),
        noi_nhan=list(first.noi_nhan),
        tham_quyen_ky=list(first.tham_quyen_ky),
        van_ban_dan_chieu=[dataclasses.replace(x) for x in first.van_ban_dan_chieu],
    )
    kept_first, kept_twin = store.keep(first), store.keep(twin)
    assert first.noi_nhan and first.van_ban_dan_chieu
    for name in ("kinh_gui", "noi_nhan", "tham_quyen_ky", "van_ban_dan_chieu"):
        assert getattr(kept_twin, name) is getattr(kept_first, name), name
        assert getattr(kept_twin, name) == getattr(twin, name), name
    assert dataclasses.replace(kept_first, noi_dung=first.noi_dung, source_lines=first.source_lines) == first
    assert store.whole("ban-sao") == twin
    store.done_keeping()
    other = store.keep(dataclasses.replace(twin, id="ban-sao-2", noi_nhan=list(first.noi_nhan)))
    assert other.noi_nhan == first.noi_nhan and other.noi_nhan is not kept_first.noi_nhan
