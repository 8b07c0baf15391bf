"""The browser index ranks exactly as whoosh does on an archive large enough that a query's
common terms have several impact tiers: the same first ten, in the same order (issue 17).

The archive (2,000 letters made here from the benchmark corpus's administrative vocabulary) is
big enough that reading every tier of every term of a long query would cost far more than the
page may read, so the browser must stop early, and still be exact.
"""

from __future__ import annotations

from pathlib import Path
from random import Random
from urllib.parse import quote

import pytest
from conftest import search_harness, search_site

from benchmarks import vocab
from builder.letters.letter import Letter
from builder.search.static_reading import StaticIndex
from builder.search.whoosh_index import search

COUNT = 2000
ISSUERS = ["Ủy ban nhân dân huyện Mường Tè", "Ủy ban nhân dân tỉnh Lai Châu", "Huyện ủy Phong Thổ"]
FILL = {
    "dia_ban": "huyện",
    "bo_phan": "Văn phòng",
    "han": "15 hằng tháng",
    "cap_tren": "Chủ tịch",
    "chu_the": "UBND",
}

QUERIES = [
    "phòng chống dịch",
    "tăng cường công tác tuyên truyền",
    "tiem vac xin",
    "kịp thời báo cáo kết quả",
    "trien khai thuc hien",
    "ý thức trách nhiệm với bản thân",
    "chuyen doi so",
    "người đứng đầu cơ quan",
    "đảm bảo hiệu quả thiết thực",
    "ung dung cong nghe thong tin",
    "quản lý chặt chẽ",
    "ủy ban nhân dân",
]


def _sentence(rng: Random) -> str:
    topic = rng.choice(vocab.TOPICS)
    choice = rng.random()
    if choice < 0.4:
        text = rng.choice(topic.tasks)
    elif choice < 0.7:
        text = rng.choice(vocab.GENERAL_SENTENCES)
    else:
        text = f"{rng.choice(vocab.VERBS)} {rng.choice(topic.objects)} {rng.choice(vocab.TAILS)}."
    for key, value in FILL.items():
        text = text.replace("{" + key + "}", value)
    return text


def archive() -> list[Letter]:
    rng = Random(17)
    letters = []
    for n in range(COUNT):
        topic = rng.choice(vocab.TOPICS)
        body = " ".join(_sentence(rng) for _ in range(rng.randint(4, 30)))
        letters.append(
            Letter(
                id=f"l{n:05d}",
                tep_goc=f"l{n:05d}.txt",
                loai_van_ban=rng.choice(["Công văn", "Kế hoạch", "Thông báo"]),
                so=n + 1,
                ky_hieu="UBND-VP",
                so_ky_hieu=f"{n + 1}/UBND-VP",
                co_quan_chu_quan=None,
                co_quan_ban_hanh=rng.choice(ISSUERS),
                dia_danh="Mường Tè",
                ngay_ban_hanh=f"{2016 + n * 9 // COUNT}-{1 + n % 12:02d}-{1 + n % 28:02d}",
                trich_yeu=f"về việc {rng.choice(topic.subjects)}",
                noi_dung=body,
                nguoi_ky=f"Nguyễn Văn {vocab.GIVEN_NAMES[n % 7]}",
            )
        )
    return letters


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return search_site(tmp_path_factory.mktemp("exact"), archive())


def test_the_archive_has_terms_of_several_tiers(built: Path) -> None:
    """Not a toy: the common terms span several impact tiers (what makes an early stop matter)."""
    index = StaticIndex(built / "site" / "tim-kiem")
    assert index.manifest["docs"] == COUNT
    entry = index.entry("trien khai")
    assert entry is not None and len(entry["tiers"]) >= 3


@pytest.mark.browser
def test_the_browser_gives_whooshs_first_ten_in_order(built: Path, browser, serve) -> None:
    page = search_harness(browser, serve, built / "site")
    differ = []
    for query in QUERIES:
        expected = [hit.id for hit in search(built / "cache" / "whoosh", query)]
        got = page.evaluate("q => window.run(q)", query)
        if got["ids"] != expected:
            differ.append((quote(query), expected, got["ids"]))
    assert differ == []
