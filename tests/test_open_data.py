"""Open data written a record at a time is exactly the JSON and CSV the whole lists make."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from builder.archive.read import read_archive
from builder.publish.open_data import LIST_CSV, LIST_JSON, letter_record, letters_csv, write_open_data

REPO = Path(__file__).resolve().parent.parent
SITE_URL = "https://ubnd.example.vn/"


@pytest.fixture(scope="module")
def letters() -> list:
    return read_archive(REPO / "content").letters


@pytest.mark.parametrize("count", [0, 1, 5])
def test_streamed_lists_equal_the_whole_lists(letters: list, count: int, tmp_path: Path) -> None:
    listed = letters[:count]
    written = write_open_data(tmp_path, listed, letters, SITE_URL)
    assert written == 2 + len(letters)
    ordered = sorted(listed, key=lambda x: x.id)
    records = [letter_record(x, SITE_URL) for x in ordered]
    expected = json.dumps(records, ensure_ascii=False, indent=2) + "\n"
    assert (tmp_path / LIST_JSON).read_text(encoding="utf-8") == expected
    assert (tmp_path / LIST_CSV).read_bytes() == letters_csv(ordered, SITE_URL)
    assert (tmp_path / LIST_CSV).read_bytes().startswith(b"\xef\xbb\xbfid,")
    for letter in letters:
        one = (tmp_path / "data" / "van-ban" / f"{letter.id}.json").read_text(encoding="utf-8")
        assert json.loads(one) == letter_record(letter, SITE_URL) and one.endswith("}\n")


def test_text_with_quotes_newlines_and_markup_stays_valid_json(letters: list, tmp_path: Path) -> None:
    import dataclasses

    odd = dataclasses.replace(letters[0], trich_yeu='"a"\n</script><b>x</b>\\', kinh_gui=["x\ny"])
    write_open_data(tmp_path, [odd], [odd], SITE_URL)
    (record,) = json.loads((tmp_path / LIST_JSON).read_text(encoding="utf-8"))
    assert record["trich_yeu"] == odd.trich_yeu and record["kinh_gui"] == ["x\ny"]
