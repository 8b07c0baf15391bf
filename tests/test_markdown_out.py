"""Normalized Markdown: exact front-matter keys, deterministic, and read back to an equal letter."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from markdown_it import MarkdownIt

from builder.archive.read import read_archive
from builder.letters.letter import (
    FRONT_MATTER_KEYS,
    CitedDocument,
    Correction,
    Letter,
    LetterError,
    Withdrawal,
)
from builder.letters.markdown_out import letter_to_markdown, markdown_to_letter, write_markdown

CONTENT = Path(__file__).resolve().parent.parent / "content"


@pytest.fixture(scope="module")
def seed_letters() -> list[Letter]:
    archive = read_archive(CONTENT)
    return [archive.store.with_body(letter) for letter in archive.letters]


def test_front_matter_has_exactly_the_keys_in_order(seed_letters):
    for letter in seed_letters:
        text = letter_to_markdown(letter)
        block = text.split("\n---\n", 1)[0].removeprefix("---\n")
        assert list(yaml.safe_load(block)) == list(FRONT_MATTER_KEYS)


def test_seeds_read_back_equal_and_output_is_deterministic(seed_letters):
    for letter in seed_letters:
        text = letter_to_markdown(letter)
        assert markdown_to_letter(text) == letter
        assert letter_to_markdown(markdown_to_letter(text)) == text


def test_unicode_is_written_as_is(seed_letters):
    text = letter_to_markdown(seed_letters[0])
    assert "Ủy ban nhân dân huyện Mường Tè" in text
    assert "\\u" not in text


def test_body_signature_and_distribution_are_separate_blocks(seed_letters):
    letter = next(x for x in seed_letters if x.so == 2642)
    text = letter_to_markdown(letter)
    tokens = MarkdownIt("commonmark").parse(text.split("\n---\n", 1)[1])
    inline = [t.content for t in tokens if t.type == "inline"]
    assert "**TM. ỦY BAN NHÂN DÂN**  \n**KT. CHỦ TỊCH**  \n**PHÓ CHỦ TỊCH**" in inline
    assert "**Tổng Thanh Hải**" in inline
    assert "**Nơi nhận:**" in inline and "Lưu: VT, VX1." in inline
    body_lists = [t for t in tokens if t.type == "ordered_list_open"]
    assert body_lists, "numbered sections stay a Markdown ordered list"
    assert "Chuyển TC-HC" not in text


def test_write_markdown_writes_one_file_per_id(tmp_path, seed_letters):
    written = write_markdown(seed_letters, tmp_path / "out")
    assert sorted(p.name for p in written) == sorted(f"{x.id}.md" for x in seed_letters)
    for path in written:
        assert markdown_to_letter(path.read_text(encoding="utf-8")).id == path.stem


def test_not_normalized_markdown_is_a_clear_error():
    with pytest.raises(LetterError) as caught:
        markdown_to_letter("no front matter", "x.md")
    assert "x.md:1: lỗi:" in str(caught.value)


# --- property: any letter survives the round trip ----------------------------------------------

text = st.text(max_size=40)
optional_text = st.none() | text
iso = st.dates().map(lambda d: d.isoformat()) | st.integers(1900, 2100).map(str)
cited = st.builds(
    CitedDocument,
    loai_van_ban=optional_text,
    so_ky_hieu=text,
    ngay_ban_hanh=st.none() | iso,
    co_quan_ban_hanh=optional_text,
)
letters = st.builds(
    Letter,
    id=text,
    tep_goc=text,
    loai_van_ban=text,
    so=st.none() | st.integers(0, 10**6),
    ky_hieu=text,
    so_ky_hieu=optional_text,
    co_quan_chu_quan=optional_text,
    co_quan_ban_hanh=text,
    dia_danh=optional_text,
    ngay_ban_hanh=iso,
    trich_yeu=text,
    do_khan=st.sampled_from([None, "Khẩn", "Thượng khẩn", "Hỏa tốc"]),
    kinh_gui=st.lists(text, max_size=3),
    noi_nhan=st.lists(text, max_size=3),
    tham_quyen_ky=st.lists(text, max_size=3),
    chuc_vu_nguoi_ky=optional_text,
    nguoi_ky=optional_text,
    van_ban_dan_chieu=st.lists(cited, max_size=3),
    thu_hoi=st.none() | st.builds(Withdrawal, ngay=iso, ly_do=text),
    dinh_chinh=st.lists(st.builds(Correction, ngay=iso, noi_dung=text), max_size=2),
    noi_dung=st.text(max_size=200),
)


@settings(max_examples=300, suppress_health_check=[HealthCheck.too_slow], deadline=None)
@given(letters)
def test_any_letter_round_trips(letter):
    assert markdown_to_letter(letter_to_markdown(letter)) == letter
