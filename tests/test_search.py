"""The whoosh index and ``vanban search``: the seeds' bar, the ranking rules, filters,
incremental updates and the browser index's files. Real whoosh indexes, real letters."""

from __future__ import annotations

import dataclasses
import json
import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner
from conftest import SEED_IDS
from whoosh import index as whoosh_index

from builder.archive.read import read_archive
from builder.cli import main
from builder.letters.letter import CitedDocument, Letter, Withdrawal
from builder.search.static_index import publish_search
from builder.search.static_reading import StaticIndex
from builder.search.whoosh_index import (
    INDEX_NAME,
    live_average_length,
    live_average_lengths,
    search,
    update_index,
)

REPO = Path(__file__).resolve().parent.parent
ALL_FIVE = set(SEED_IDS.values())


@pytest.fixture(scope="module")
def seed_letters() -> list[Letter]:
    archive = read_archive(REPO / "content")
    letters = [archive.store.with_body(letter) for letter in archive.letters]
    assert {letter.id for letter in letters} == ALL_FIVE
    return letters


@pytest.fixture(scope="module")
def seed_index(seed_letters: list[Letter], tmp_path_factory: pytest.TempPathFactory) -> Path:
    index_dir = tmp_path_factory.mktemp("whoosh") / "whoosh"
    update_index(index_dir, seed_letters)
    return index_dir


def published_search(root: Path) -> dict[Path, bytes]:
    """Every file of the browser index under ``root/site/tim-kiem``, by relative path."""
    out = root / "site" / "tim-kiem"
    return {p.relative_to(out): p.read_bytes() for p in out.rglob("*") if p.is_file()}


def ids(index_dir: Path, query: str, **filters: object) -> list[str]:
    return [hit.id for hit in search(index_dir, query, limit=None, **filters)]


# --- the bar on the seeds ------------------------------------------------------------------


def test_unaccented_and_accented_query_find_the_same_five(seed_index: Path) -> None:
    plain = ids(seed_index, "phong chong dich")
    accented = ids(seed_index, "phòng, chống dịch")
    assert set(plain) == set(accented) == ALL_FIVE


@pytest.mark.parametrize("query", ["2642/ubnd-vx", "2642/UBND-VX", "2642 ubnd vx", "số 2642", "cv 2642"])
def test_a_number_puts_its_letter_first(seed_index: Path, query: str) -> None:
    assert ids(seed_index, query)[0] == SEED_IDS["002"]


def test_old_and_new_tone_placement_give_the_same_list(seed_index: Path) -> None:
    assert ids(seed_index, "cộng hoà") == ids(seed_index, "cộng hòa") != []
    assert ids(seed_index, "Tỉnh uỷ") == ids(seed_index, "tỉnh ủy") != []


def test_folded_query_matches_accented_text_including_d(seed_index: Path) -> None:
    found = ids(seed_index, "quyet dinh")
    assert SEED_IDS["002"] in found  # "Quyết định thành lập Trung tâm Chỉ huy"
    assert ids(seed_index, "duong") == ids(seed_index, "đường")  # đ folds to d, never dropped


@pytest.mark.parametrize("query", ["24-9-2021", "24/9/2021", "24.09.2021", "ngày 24 tháng 9 năm 2021"])
def test_a_date_matches_the_letter_that_mentions_it(seed_index: Path, query: str) -> None:
    assert ids(seed_index, query) == [SEED_IDS["000"]]


def test_issue_month_and_year(seed_index: Path) -> None:
    assert ids(seed_index, "26/8/2021") == [SEED_IDS["002"]]  # the issue date of 002
    assert set(ids(seed_index, "tháng 9 năm 2021")) >= {SEED_IDS["000"], SEED_IDS["004"]}


@pytest.mark.parametrize(
    "query",
    [
        "xyzzy",
        "quyet dinh xyzzy",
        "2642/UBND-TH",
        "9999/UBND-VX",
        "31/12/2030",
        '"chống phòng"',
        '"dịch phòng chống"',
        "tàu ngầm",
        "",
        " ,.;/ ",
    ],
)
def test_queries_that_must_find_nothing(seed_index: Path, query: str) -> None:
    assert ids(seed_index, query) == []


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("vaccine", {"000", "001", "002", "003", "004"}),  # vắc xin / vacxin
        ("UBND tỉnh Lai Châu", {"000", "001", "002"}),
        ("ủy ban nhân dân tỉnh lai chau", {"000", "001", "002"}),
        ("HĐND", {"002", "003", "004"}),  # HĐND&UBND, HĐND-UBND, "TT: TU, HĐND tỉnh"
        ("Kiều Hải Nam", {"000", "001"}),
        ("Covid-19", {"000", "001", "002", "003", "004"}),
        ("SARS-CoV-2", {"001"}),
        ("F0", {"001"}),
        ("325-CV/TU", {"002"}),
        ("1102/CĐ-TTg", {"002"}),
        ("1102/CD-TTg", {"002"}),
        ("Mai Sơn", {"004"}),
    ],
)
def test_more_queries(seed_index: Path, query: str, expected: set[str]) -> None:
    assert set(ids(seed_index, query)) == {SEED_IDS[key] for key in expected}


def test_spelling_variants_rank_the_pair_first(seed_index: Path) -> None:
    assert ids(seed_index, "bác sĩ")[0] == SEED_IDS["003"]  # printed "bác sỹ"
    assert ids(seed_index, "bac sy")[0] == SEED_IDS["003"]


def test_filters(seed_index: Path) -> None:
    assert ids(seed_index, "phong chong dich", co_quan="Ủy ban nhân dân tỉnh Lai Châu") == [SEED_IDS["002"]]
    assert ids(seed_index, "phong chong dich", co_quan="uy-ban-nhan-dan-tinh-lai-chau") == [SEED_IDS["002"]]
    assert set(ids(seed_index, "phong chong dich", nam=2021, loai="Công văn")) == ALL_FIVE
    assert ids(seed_index, "phong chong dich", nam=2020) == []
    assert ids(seed_index, "phong chong dich", loai="quyet-dinh") == []


def test_date_range_and_signer_filters(seed_index: Path) -> None:
    # Issued 2021-08-26 (002) and 2021-09-09 (004); 000 is known to the month only (2021-09).
    found = ids(seed_index, "phong chong dich", tu_ngay="2021-08-26", den_ngay="2021-09-09")
    assert set(found) == {SEED_IDS["002"], SEED_IDS["004"], SEED_IDS["000"]}
    assert ids(seed_index, "phong chong dich", tu_ngay="2021-08-27", den_ngay="2021-09-08") == [
        SEED_IDS["000"]
    ]
    assert ids(seed_index, "phong chong dich", tu_ngay="2021-10-01") == [SEED_IDS["001"]]  # 003: "2021-10"
    assert ids(seed_index, "phong chong dich", den_ngay="2021-08-25") == []
    signed = {SEED_IDS["000"], SEED_IDS["001"]}
    assert set(ids(seed_index, "phong chong dich", nguoi_ky="Kiều Hải Nam")) == signed
    assert set(ids(seed_index, "phong chong dich", nguoi_ky="kieu hai nam")) == signed
    assert ids(seed_index, "phong chong dich", nguoi_ky="kieu hai", den_ngay="2021-12-31") == []
    assert ids(seed_index, "phong chong dich", nguoi_ky="Kiều Hải Nam", tu_ngay="2021-10-01") == [
        SEED_IDS["001"]
    ]


# --- ranking rules, on small letters made here ---------------------------------------------


def letter(key: str, body: str, **fields: object) -> Letter:
    values: dict[str, object] = {
        "id": key,
        "tep_goc": f"{key}.txt",
        "loai_van_ban": "Công văn",
        "so": None,
        "ky_hieu": "UBND-VP",
        "so_ky_hieu": None,
        "co_quan_chu_quan": None,
        "co_quan_ban_hanh": "Ủy ban nhân dân huyện Thử Nghiệm",
        "dia_danh": "Thử Nghiệm",
        "ngay_ban_hanh": "2022-03-01",
        "trich_yeu": "về việc thử nghiệm",
        "noi_dung": body,
    }
    values.update(fields)
    return Letter(**values)  # type: ignore[arg-type]


FILLER = "Các cơ quan, đơn vị triển khai thực hiện nghiêm túc nội dung văn bản này."


def index_of(tmp_path: Path, letters: list[Letter]) -> Path:
    index_dir = tmp_path / "whoosh"
    update_index(index_dir, letters)
    return index_dir


def citing_letters(prefix: str, number: str, body: str, trich_yeu: str, count: int) -> list[Letter]:
    """``count`` letters of early April 2022 citing Công văn ``number`` of 01/3/2022."""
    cited = CitedDocument("Công văn", number, "2022-03-01", None)
    return [
        letter(
            f"{prefix}-{n}",
            f"{body} {FILLER}",
            trich_yeu=trich_yeu,
            van_ban_dan_chieu=[cited],
            ngay_ban_hanh=f"2022-04-0{n}",
        )
        for n in range(1, count + 1)
    ]


def test_own_number_above_letters_citing_it(tmp_path: Path) -> None:
    own = letter("a-own", FILLER, so=15, so_ky_hieu="15/UBND-VP", trich_yeu="về việc tổ chức hội nghị")
    citing = citing_letters(
        "b-citing",
        "15/UBND-VP",
        "Thực hiện Công văn số 15/UBND-VP. Theo Công văn số 15/UBND-VP ngày 01/3/2022.",
        "triển khai Công văn số 15/UBND-VP",
        3,
    )
    index_dir = index_of(tmp_path, [own, *citing])
    found = ids(index_dir, "15/UBND-VP")
    assert found[0] == "a-own"
    assert set(found) == {"a-own", "b-citing-1", "b-citing-2", "b-citing-3"}


def test_exact_accents_above_folded_when_the_query_has_accents(tmp_path: Path) -> None:
    accented = letter("a-accented", f"Công tác phòng bệnh. {FILLER}")
    folded = letter("b-folded", f"Công tác phong bệnh. {FILLER}", ngay_ban_hanh="2022-05-01")
    index_dir = index_of(tmp_path, [accented, folded])
    assert ids(index_dir, "phòng") == ["a-accented", "b-folded"]
    assert ids(index_dir, "phòng bệnh") == ["a-accented", "b-folded"]
    # Without accents in the query, the literal unaccented word gets no bonus.
    assert ids(index_dir, "phong")[0] == "b-folded"  # (shorter field: no exact term)


def test_adjacent_words_above_scattered_ones(tmp_path: Path) -> None:
    adjacent = letter("a-adjacent", f"Tăng cường phòng chống dịch bệnh trên địa bàn. {FILLER}")
    scattered = letter(
        "b-scattered", f"Tăng cường chống dịch bệnh, phòng trên địa bàn. {FILLER}", ngay_ban_hanh="2022-06-01"
    )
    index_dir = index_of(tmp_path, [adjacent, scattered])
    assert ids(index_dir, "phong chong") == ["a-adjacent", "b-scattered"]


def test_a_quoted_query_is_an_exact_phrase(tmp_path: Path) -> None:
    phrase = letter("a-phrase", f"Công tác phòng chống dịch. {FILLER}")
    apart = letter("b-apart", f"Công tác phòng, bảo vệ và chống dịch. {FILLER}")
    other_order = letter("c-order", f"Công tác chống dịch và phòng. {FILLER}")
    index_dir = index_of(tmp_path, [phrase, apart, other_order])
    assert set(ids(index_dir, "phòng chống dịch")) == {"a-phrase", "b-apart", "c-order"}
    assert ids(index_dir, '"phòng chống dịch"') == ["a-phrase"]
    assert ids(index_dir, '"phong chong dich"') == ["a-phrase"]
    assert ids(index_dir, "“phòng chống”") == ["a-phrase"]


def test_incremental_update_touches_only_what_changed(tmp_path: Path, seed_letters: list[Letter]) -> None:
    index_dir = tmp_path / "whoosh"
    first = update_index(index_dir, seed_letters)
    assert (first.added, first.changed, first.removed, first.rebuilt) == (5, 0, 0, True)
    again = update_index(index_dir, seed_letters)
    assert (again.added, again.changed, again.removed, again.unchanged) == (0, 0, 0, 5)
    changed = dataclasses.replace(seed_letters[4], trich_yeu="khẩn trương tiêm chủng mũi nhắc lại")
    report = update_index(index_dir, [*seed_letters[:3], changed])
    assert (report.added, report.changed, report.removed, report.unchanged) == (0, 1, 1, 3)
    assert ids(index_dir, "mui nhac lai") == [SEED_IDS["004"]]
    assert SEED_IDS["003"] not in ids(index_dir, "phong chong dich")


def test_average_lengths_are_read_once_per_generation(tmp_path: Path, seed_letters: list[Letter]) -> None:
    """``vanban search`` walked every letter's lengths, every field, on every query (seconds at
    100,000 letters): they are kept per generation of the index, and made again after a commit."""
    index_dir = tmp_path / "whoosh"
    update_index(index_dir, seed_letters[:3])
    ix = whoosh_index.open_dir(str(index_dir), indexname=INDEX_NAME)
    with ix.reader() as reader:
        first = live_average_lengths(index_dir, reader)
        assert live_average_lengths(index_dir, reader) is first
        assert first == {name: live_average_length(reader, name) for name in first}
    update_index(index_dir, seed_letters)
    ix = whoosh_index.open_dir(str(index_dir), indexname=INDEX_NAME)
    with ix.reader() as reader:
        again = live_average_lengths(index_dir, reader)
        assert again is not first
        assert again == {name: live_average_length(reader, name) for name in again}
    update_index(tmp_path / "fresh", seed_letters)
    assert [(hit.id, hit.score) for hit in search(index_dir, "phong chong dich")] == [
        (hit.id, hit.score) for hit in search(tmp_path / "fresh", "phong chong dich")
    ]


def test_withdrawn_letters_are_not_searchable(tmp_path: Path, seed_letters: list[Letter]) -> None:
    withdrawn = dataclasses.replace(seed_letters[2], thu_hoi=Withdrawal("2022-01-01", "Ban hành nhầm"))
    publish_search([*seed_letters[:2], withdrawn, *seed_letters[3:]], tmp_path / "site", tmp_path / "cache")
    assert SEED_IDS["002"] not in ids(tmp_path / "cache" / "whoosh", "phong chong dich")
    manifest = json.loads((tmp_path / "site" / "tim-kiem" / "manifest.json").read_text(encoding="utf-8"))
    assert manifest["docs"] == 4


# --- the browser index's files ---------------------------------------------------------------


def test_browser_index_files(tmp_path: Path, seed_letters: list[Letter]) -> None:
    report = publish_search(seed_letters, tmp_path / "site", tmp_path / "cache")
    out = tmp_path / "site" / "tim-kiem"
    manifest = json.loads((out / "manifest.json").read_text(encoding="utf-8"))
    assert manifest["docs"] == 5 == report.letters
    assert manifest["columns"]["block"] >= 32 and len(manifest["columns"]["lengths"]) == 1
    assert sum(manifest["issuer_counts"]) == sum(manifest["type_counts"]) == 5
    assert manifest["shards"] == report.shards
    index = StaticIndex(out)
    shards = [index.shard(number) for number in range(manifest["shards"])]
    assert sum(map(len, shards)) == report.terms
    # A few files whatever the archive (packs read in parts), not files per letter and per term.
    files = sorted(p.relative_to(out).as_posix() for p in out.rglob("*") if p.is_file())
    assert len(files) == report.files <= 6, files
    display = index.display(0)
    assert set(display) >= {"id", "so", "trich_yeu", "co_quan", "ngay", "loai", "url", "text"}
    # Content-hashed names: a second build of the same letters writes the same names and bytes.
    first = {p.relative_to(out): p.read_bytes() for p in out.rglob("*") if p.is_file()}
    publish_search(seed_letters, tmp_path / "site", tmp_path / "cache")
    second = {p.relative_to(out): p.read_bytes() for p in out.rglob("*") if p.is_file()}
    assert first == second


# --- the command ---------------------------------------------------------------------------


def test_vanban_search_json(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    shutil.copytree(REPO / "content", tmp_path / "content")
    monkeypatch.chdir(tmp_path)
    runner = CliRunner()
    result = runner.invoke(main, ["search", "--json", "2642/ubnd-vx"])
    assert result.exit_code == 0, result.output
    hits = json.loads(result.output)
    assert hits[0]["id"] == SEED_IDS["002"] and hits[0]["score"] > 0
    result = runner.invoke(main, ["search", "--json", "--nam", "2021", "phong chong dich"])
    ranked = json.loads(result.output)
    assert {hit["id"] for hit in ranked} == ALL_FIVE
    assert [hit["score"] for hit in ranked] == sorted((hit["score"] for hit in ranked), reverse=True)
    result = runner.invoke(main, ["search", "xyzzy"])
    assert result.exit_code == 0 and "Không tìm thấy" in result.output
    result = runner.invoke(
        main, ["search", "--json", "--tu-ngay", "1/9/2021", "--nguoi-ky", "kieu hai nam", "phong chong dich"]
    )
    assert [hit["id"] for hit in json.loads(result.output)] == [SEED_IDS["001"]]  # 000: "2021-09" only
    assert json.loads(result.output)[0]["nguoi_ky"] == "Kiều Hải Nam"
    result = runner.invoke(main, ["search", "--den-ngay", "31/2/2021", "phong"])
    assert result.exit_code == 2 and "Không có ngày '31/2/2021' trong lịch" in result.output
    result = runner.invoke(main, ["search", "--tu-ngay", "hôm qua", "phong"])
    assert result.exit_code == 2 and "không phải là ngày" in result.output


def test_incremental_index_ranks_and_publishes_like_a_fresh_one(
    tmp_path: Path, seed_letters: list[Letter]
) -> None:
    """Deleted letters linger in whoosh's segments; the statistics must not see them."""
    changed = dataclasses.replace(seed_letters[0], trich_yeu="phòng chống dịch bệnh mùa đông")
    final = [changed, *seed_letters[1:4]]
    publish_search(seed_letters, tmp_path / "a" / "site", tmp_path / "a" / "cache")
    publish_search(final, tmp_path / "a" / "site", tmp_path / "a" / "cache")
    publish_search(final, tmp_path / "b" / "site", tmp_path / "b" / "cache")
    for query in ("phong chong dich", "phòng chống dịch bệnh", "ủy ban nhân dân", "24/9/2021"):
        warm = search(tmp_path / "a" / "cache" / "whoosh", query, limit=None)
        fresh = search(tmp_path / "b" / "cache" / "whoosh", query, limit=None)
        assert [(h.id, round(h.score, 9)) for h in warm] == [(h.id, round(h.score, 9)) for h in fresh]

    assert published_search(tmp_path / "a") == published_search(tmp_path / "b")


def test_two_export_processes_and_many_segments_publish_the_same_files(
    tmp_path: Path, seed_letters: list[Letter], monkeypatch: pytest.MonkeyPatch
) -> None:
    """Large archives take other paths: the export in two processes, the whoosh index in several
    segments, the letters' fields analysed in a worker process beside the writer. Forced on the
    seeds, they must publish exactly what the small-archive path does."""
    import builder.search.static_index as static_index
    import builder.search.whoosh_index as whoosh_index
    import builder.search.whoosh_writing as whoosh_writing

    publish_search(seed_letters, tmp_path / "one" / "site", tmp_path / "one" / "cache")
    monkeypatch.setattr(static_index, "PARALLEL_FROM_DOCS", 1)
    monkeypatch.setattr(whoosh_index, "SEGMENT_POSTINGS", 500)
    monkeypatch.setattr(whoosh_writing, "ANALYZE_ALONGSIDE_FROM", 2)
    monkeypatch.setattr(whoosh_writing, "BATCH", 2)
    monkeypatch.setattr(whoosh_writing, "AHEAD", 1)
    monkeypatch.setattr(whoosh_writing, "usable_cores", lambda: 2)
    publish_search(seed_letters, tmp_path / "many" / "site", tmp_path / "many" / "cache")
    from whoosh import index as whoosh_files

    many = tmp_path / "many" / "cache" / "whoosh"
    with whoosh_files.open_dir(str(many), indexname=whoosh_index.INDEX_NAME).reader() as reader:
        segments = list(reader.leaf_readers())
    assert len(segments) == len(seed_letters)  # each letter has over 500 postings: a segment each
    assert not list(many.glob("*.seg")), "no compound files: whoosh copies their parts into memory"

    assert published_search(tmp_path / "many") == published_search(tmp_path / "one")


@pytest.mark.parametrize("arrival", ["in docnum order", "out of docnum order"])
def test_pool_gives_postings_by_field_term_then_docnum(arrival: str) -> None:
    """The writer's pool sorts its flat columns; postings that arrive out of docnum order
    (never from the build, possible from a merge) take the second sort."""
    from builder.search.whoosh_writing import CompactPool

    pool = CompactPool()
    batches = [
        ("f", 0, [(b"b", 1, 3.0, b"y")]),
        ("f", 2, [(b"b", 1, 1.0, b"x"), (b"a", 1, 2.0, b"")]),
        ("e", 1, [(b"z", 1, 4.0, b"")]),
    ]
    if arrival == "out of docnum order":
        batches.reverse()
    for fieldname, docnum, postings in batches:
        pool.add_terms(fieldname, docnum, postings)
    out = [(f, t, d.tolist(), w.tolist(), v) for f, t, d, w, v in pool.terms_in_order()]
    assert out == [
        ("e", b"z", [1], [4.0], [b""]),
        ("f", b"a", [2], [2.0], [b""]),
        ("f", b"b", [0, 2], [3.0, 1.0], [b"y", b"x"]),
    ]


def test_a_letter_issued_on_the_date_above_letters_that_mention_it(tmp_path: Path) -> None:
    """Searching a date finds the letter issued that day first, then the letters citing it."""
    own = letter("z-own", FILLER, so=40, so_ky_hieu="40/UBND-VP", ngay_ban_hanh="2022-03-01")
    citing = citing_letters(
        "a-citing",
        "40/UBND-VP",
        "Thực hiện Công văn số 40/UBND-VP ngày 01/3/2022. Báo cáo trước ngày 01/3/2022.",
        "triển khai Công văn số 40/UBND-VP ngày 01/3/2022",
        5,
    )
    index_dir = index_of(tmp_path, [*citing, own])
    for query in ("01/3/2022", "1/3/2022", "ngày 1 tháng 3 năm 2022"):
        found = ids(index_dir, query)
        assert found[0] == "z-own", query
        assert set(found) == {"z-own", *(x.id for x in citing)}, query


def test_an_unreadable_index_in_the_cache_is_rebuilt(seed_letters: list[Letter], tmp_path: Path) -> None:
    """A kept build cache whose whoosh index cannot be opened (its schema pickled under a module
    path that has since moved, as after the stage subpackages; a truncated table of contents)
    is rebuilt, not a failed build."""
    index_dir = tmp_path / "whoosh"
    update_index(index_dir, seed_letters)
    for toc in index_dir.glob("*.toc"):
        toc.write_bytes(b"\x80\x04\x95\x1a\x00cbuilder.whoosh_index\nGone\n.")
    update_index(index_dir, seed_letters)
    assert set(ids(index_dir, "ubnd")) == ALL_FIVE


def test_postings_read_from_the_segments_are_whooshs_own(
    tmp_path: Path, seed_letters: list[Letter], monkeypatch: pytest.MonkeyPatch
) -> None:
    """``iter_postings`` reads the W3 blocks itself: on an index of several segments with a
    letter deleted, every term's postings (docnums, frequencies, the deleted letter's too) are
    what whoosh's own matcher gives, in term order, with or without a filter on the terms."""
    from whoosh import index as whoosh_files

    import builder.search.whoosh_index as whoosh_index
    from builder.search.analysis import FIELDS
    from builder.search.whoosh_reading import iter_postings

    # Segments small enough that there are several, large enough that the changed letter shares
    # one with a live letter (a segment with no live letter is dropped at the commit: 54d34c2).
    monkeypatch.setattr(whoosh_index, "SEGMENT_POSTINGS", 2000)
    index_dir = tmp_path / "whoosh"
    update_index(index_dir, seed_letters)
    changed = dataclasses.replace(seed_letters[1], trich_yeu="khẩn trương tiêm chủng mũi nhắc lại")
    update_index(index_dir, [seed_letters[0], changed, *seed_letters[2:]])
    expected: dict[str, dict[str, tuple[list[int], list[float]]]] = {}
    with whoosh_files.open_dir(str(index_dir), indexname=whoosh_index.INDEX_NAME).reader() as reader:
        assert len(list(reader.leaf_readers())) > 2 and reader.has_deletions()
        for name in FIELDS:
            for term in reader.lexicon(name):
                docnums, weights = [], []
                for segment, base in reader.leaf_readers():
                    if (name, term) in segment:  # whoosh's matcher, deleted letters included
                        matcher = segment._terms.matcher(name, term, segment.schema[name].format)
                        for docnum, weight in matcher.items_as("weight"):
                            docnums.append(base + docnum)
                            weights.append(weight)
                expected.setdefault(term.decode("utf-8"), {})[name] = (docnums, weights)
    got = list(iter_postings(index_dir))
    assert [term for term, _ in got] == sorted(expected, key=lambda term: term.encode("utf-8"))
    assert dict(got) == expected
    assert all(list(per_field) == [n for n in FIELDS if n in per_field] for _, per_field in got)
    odd = list(iter_postings(index_dir, lambda term: len(term) % 2 == 1))
    assert odd == [(term, postings) for term, postings in got if len(term) % 2 == 1]


def test_fields_analysed_in_a_worker_are_written_as_the_writer_would(
    tmp_path: Path, seed_letters: list[Letter], monkeypatch: pytest.MonkeyPatch
) -> None:
    """Many letters to write: their fields' postings are made in a worker process; the index's
    files are byte for byte those of the writer analysing them itself."""
    import builder.search.whoosh_writing as whoosh_writing

    update_index(tmp_path / "alone", seed_letters)
    monkeypatch.setattr(whoosh_writing, "ANALYZE_ALONGSIDE_FROM", 2)
    monkeypatch.setattr(whoosh_writing, "BATCH", 2)
    monkeypatch.setattr(whoosh_writing, "AHEAD", 1)
    monkeypatch.setattr(whoosh_writing, "usable_cores", lambda: 2)
    update_index(tmp_path / "beside", seed_letters)

    def files(index_dir: Path) -> list[bytes]:
        return [p.read_bytes() for p in sorted(index_dir.glob("*")) if p.suffix in (".pst", ".trm", ".col")]

    assert files(tmp_path / "beside") == files(tmp_path / "alone")
    assert len(files(tmp_path / "alone")) > 2
