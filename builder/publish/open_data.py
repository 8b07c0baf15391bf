"""Open data: the letters as JSON and CSV, for anyone to reuse (NĐ 30/2020 asks for export).

``data/van-ban.json`` and ``data/van-ban.csv`` list every listed letter
(withdrawn ones leave the lists) with every front-matter key plus ``url``;
``data/van-ban/<id>.json`` exists for every letter that has a page, withdrawn
ones included, so links to it never break. Key names are the front-matter
keys (``builder.letters.letter.FRONT_MATTER_KEYS``); the "Dữ liệu mở" page explains them.
"""

from __future__ import annotations

import csv
import dataclasses
import io
import json
import textwrap
from collections.abc import Callable, Iterable, Mapping
from pathlib import Path

from builder.letters.letter import FRONT_MATTER_KEYS, CitedDocument, Correction, Letter, Withdrawal
from builder.publish.wording import SignedOriginal, letter_url

LIST_JSON = "data/van-ban.json"
LIST_CSV = "data/van-ban.csv"
LINKED_FILES = (LIST_JSON, LIST_CSV)
"""The files hand-written pages link to: written here straight into the site folder, and made
known to MkDocs as files already in place (it checks links to them and skips copying them)."""
LETTER_FOLDER = "data/van-ban"
"""``<id>.json`` for each letter with a page."""
COLUMNS: tuple[str, ...] = (*FRONT_MATTER_KEYS, "url", "ban_goc")
"""Keys of each record, in order: the front matter, the page URL, the signed original's URL (or null)."""

_FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
"""A cell starting with these is a formula to Excel; prefixed with ' so opening the file runs nothing."""


def letter_file(letter: Letter) -> str:
    """The letter's own record, site-relative."""
    return f"{LETTER_FOLDER}/{letter.id}.json"


def letter_record(
    letter: Letter, site_url: str = "", originals: Mapping[str, SignedOriginal] | None = None
) -> dict[str, object]:
    """One letter as plain JSON values: every front-matter key, then ``url`` and ``ban_goc``."""
    record = {key: _plain(getattr(letter, key)) for key in FRONT_MATTER_KEYS}
    record["url"] = site_url + letter_url(letter)
    signed = (originals or {}).get(letter.id)
    record["ban_goc"] = site_url + signed.url if signed else None
    return record


def _plain(value: object) -> object:
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return dataclasses.asdict(value)
    if isinstance(value, list):
        return [_plain(item) for item in value]
    return value


def _json(data: object) -> str:
    return json.dumps(data, ensure_ascii=False, indent=2)


def list_entry(
    letter: Letter, site_url: str = "", originals: Mapping[str, SignedOriginal] | None = None
) -> tuple[str, str]:
    """A letter's part of the two lists: its record as the JSON list indents it, its CSV row.
    (`vanban serve` keeps them, and writes the lists again from them when one letter changes.)"""
    record = letter_record(letter, site_url, originals)
    return textwrap.indent(_json(record), "  "), _csv_row(
        [_cell(getattr(letter, key, record.get(key))) for key in COLUMNS]
    )


def _csv_row(cells: list[str]) -> str:
    buffer = io.StringIO(newline="")
    csv.writer(buffer, lineterminator="\r\n").writerow(cells)
    return buffer.getvalue()


def write_lists(site_dir: Path, entries: Iterable[tuple[str, str]]) -> None:
    """``data/van-ban.json`` (``json.dumps(records, indent=2)`` and a newline) and
    ``data/van-ban.csv`` (UTF-8 with a BOM, so Excel reads Vietnamese correctly; CRLF rows; one
    header row) from the letters' ``list_entry``, in order, written a letter at a time."""
    (site_dir / LIST_JSON).parent.mkdir(parents=True, exist_ok=True)
    with (
        (site_dir / LIST_JSON).open("w", encoding="utf-8", newline="") as json_list,
        (site_dir / LIST_CSV).open("w", encoding="utf-8", newline="") as csv_list,
    ):
        csv_list.write("\ufeff" + _csv_row(list(COLUMNS)))
        first = True
        for record, row in entries:
            json_list.write("[\n" if first else ",\n")
            json_list.write(record)
            csv_list.write(row)
            first = False
        json_list.write("[]\n" if first else "\n]\n")


def _cell(value: object) -> str:
    """A CSV cell: lists joined with "; ", nested records as short readable text."""
    if value is None:
        text = ""
    elif isinstance(value, list):
        text = "; ".join(_cell(item) for item in value)
    elif isinstance(value, CitedDocument):
        extras = ", ".join(x for x in (value.ngay_ban_hanh, value.co_quan_ban_hanh) if x)
        name = " ".join(x for x in (value.loai_van_ban, value.so_ky_hieu) if x)
        text = f"{name} ({extras})" if extras else name
    elif isinstance(value, Withdrawal):
        text = f"{value.ngay}: {value.ly_do}"
    elif isinstance(value, Correction):
        text = f"{value.ngay}: {value.noi_dung}"
    else:
        text = str(value)
    return "'" + text if text.startswith(_FORMULA_STARTS) else text


def letters_csv(
    letters: list[Letter], site_url: str = "", originals: Mapping[str, SignedOriginal] | None = None
) -> bytes:
    """The CSV list as bytes (what ``write_open_data`` writes to ``data/van-ban.csv``)."""
    rows = (list_entry(letter, site_url, originals)[1] for letter in letters)
    return ("\ufeff" + _csv_row(list(COLUMNS)) + "".join(rows)).encode("utf-8")


def write_open_data(
    site_dir: Path,
    listed: list[Letter],
    all_letters: list[Letter],
    site_url: str = "",
    originals: Mapping[str, SignedOriginal] | None = None,
    carried: Callable[[str, Letter], bool] | None = None,
    lists_carried: bool = False,
) -> int:
    """Write the lists (``listed``) and one file per letter (``all_letters``, a withdrawn one
    left out: it is withdrawn so that it is no longer read) under ``site_dir``. ``carried``
    (site-relative path, letter): True when the build carried that letter's file over from the
    last good site (``builder.publish.incremental``), which is then not written again;
    ``lists_carried``: the two lists were.

    Written a record at a time: at 100,000 letters the lists are 185 MB, which a
    build would otherwise hold until it ends. Returns how many files were written.
    """
    folder = site_dir / LETTER_FOLDER
    folder.mkdir(parents=True, exist_ok=True)
    ordered = sorted(listed, key=lambda x: x.id)
    if not lists_carried:
        write_lists(site_dir, (list_entry(x, site_url, originals) for x in ordered))
    published = [letter for letter in all_letters if letter.thu_hoi is None]
    for letter in published:
        if carried is not None and carried(letter_file(letter), letter):
            continue
        (folder / f"{letter.id}.json").write_text(
            _json(letter_record(letter, site_url, originals)) + "\n", encoding="utf-8"
        )
    return 2 + len(published)
