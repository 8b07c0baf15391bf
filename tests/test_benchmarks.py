"""Smoke test of the benchmark corpus: deterministic, varied as promised, and valid for the reader.

The benchmark runs themselves (``python -m benchmarks.run``) are on demand, never in CI.
"""

from __future__ import annotations

import re
import subprocess
import sys
import unicodedata
from pathlib import Path

import pytest

from benchmarks import corpus
from benchmarks.run import choose_queries
from builder.archive.letter_file import letter_id
from builder.archive.read import read_archive
from builder.text.vietnamese import canonical, canonical_key

COUNT = 20
END = r"(?![^\W\d_])"  # the syllable ends here (no letter follows)
NEW_STYLE = re.compile(rf"o[àáảãạ]{END}|o[èéẻẽẹ]{END}|(?<!q)u[ỳýỷỹỵ]{END}", re.IGNORECASE)
"""Open oa, oe, uy with the tone on the second vowel (hoà, khoẻ, uỷ)."""
OLD_STYLE = re.compile(rf"[òóỏõọ][ae]{END}|(?<!q)[ùúủũụ]y{END}", re.IGNORECASE)
"""The same syllables with the tone on the first vowel (hòa, khỏe, ủy)."""


@pytest.fixture(scope="module")
def project(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return corpus.write_project(tmp_path_factory.mktemp("bench") / "project", COUNT)


@pytest.fixture(scope="module")
def manifest(project: Path) -> dict:
    return corpus.load_manifest(project)


def _files(project: Path) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in sorted((project / "content").glob("0*.txt"))}


def test_same_seed_same_bytes(project: Path, tmp_path: Path) -> None:
    again = corpus.write_project(tmp_path / "again", COUNT)
    assert _files(again) == _files(project)
    assert (again / corpus.MANIFEST).read_bytes() == (project / corpus.MANIFEST).read_bytes()
    assert len(_files(project)) == COUNT


def test_other_seed_other_letters() -> None:
    first, _, _ = corpus.generate(5, seed=1)
    second, _, _ = corpus.generate(5, seed=2)
    assert set(first.values()).isdisjoint(second.values())


def test_shares_of_variants_over_a_larger_plan() -> None:
    letters, _ = corpus.plan(3000)

    def share(flag: str) -> float:
        return sum(getattr(letter, flag) for letter in letters) / len(letters)

    assert 0.08 <= share("nfd") <= 0.12
    assert 0.46 <= share("new_style") <= 0.54
    assert 0.02 <= share("draft") <= 0.06
    numbered = [letter for letter in letters if letter.number is not None]
    keys = [(letter.issuer.key, letter.date.year if not letter.issuer.party else corpus.term_of(letter.date),
             letter.number) for letter in numbered]  # fmt: skip
    assert len(keys) == len(set(keys)), "a number is used twice by one issuer in one year (term)"
    assert all(corpus.START <= letter.date <= corpus.END for letter in letters)


def test_files_are_written_as_planned(project: Path, manifest: dict) -> None:
    """NFD files are decomposed, others composed; tone style as flagged; words within 300–2,000."""
    for entry in manifest["letters"]:
        text = (project / "content" / entry["file"]).read_bytes().decode("utf-8-sig").replace("\r\n", "\n")
        composed = unicodedata.normalize("NFC", text)
        assert (text != composed) == entry["nfd"], entry["file"]
        new_forms = len(NEW_STYLE.findall(composed))
        old_forms = len(OLD_STYLE.findall(composed))
        if entry["new_style"]:
            assert new_forms > 0 and old_forms == 0, entry["file"]
        else:
            assert new_forms == 0 and old_forms > 0, entry["file"]
        assert 300 <= entry["words"] <= 2300


@pytest.mark.parametrize(
    ("old", "new"),
    [
        ("hòa", "hoà"),
        ("CỘNG HÒA", "CỘNG HOÀ"),
        ("Ủy ban", "Uỷ ban"),
        ("ỦY BAN", "UỶ BAN"),
        ("khỏe", "khoẻ"),
        ("Lệ Thủy", "Lệ Thuỷ"),
        ("quý", "quý"),
        ("hoàn thành", "hoàn thành"),
        ("ngoài", "ngoài"),
        ("xóa mù chữ", "xoá mù chữ"),
    ],
)
def test_new_tone_style(old: str, new: str) -> None:
    assert corpus.new_style(old) == new
    assert canonical(new) == canonical(old)


def test_every_letter_passes_vanban_check(project: Path) -> None:
    command = [sys.executable, "-m", "builder.cli", "check"]
    result = subprocess.run(command, cwd=project, capture_output=True, text=True, timeout=300)
    assert result.returncode == 0, result.stdout + result.stderr
    assert f"{COUNT} văn bản hợp lệ: 0 lỗi" in result.stdout + result.stderr


def test_reader_finds_what_was_generated(project: Path, manifest: dict) -> None:
    """Number, date, issuer, type and signer read back as generated; every citation links its letter."""
    archive = read_archive(project / "content")
    assert not archive.errors
    by_file = {letter.tep_goc: letter for letter in archive.letters}
    assert set(by_file) == {entry["file"] for entry in manifest["letters"]}
    links = 0
    for entry in manifest["letters"]:
        letter = by_file[entry["file"]]
        assert letter.so_ky_hieu == entry["so_ky_hieu"]
        assert letter.ngay_ban_hanh == entry["date"]
        assert letter.co_quan_ban_hanh == entry["issuer"]
        assert letter.loai_van_ban == entry["type"]
        assert canonical_key(letter.nguoi_ky or "") == canonical_key(entry["signer"])
        cited = {other.tep_goc for other in archive.cites(letter)}
        assert set(entry["cites_files"]) <= cited, entry["file"]
        links += len(entry["cites_files"])
    assert links > 0, "no citations to check: raise COUNT"


def test_queries_use_real_numbers_and_dates(manifest: dict) -> None:
    ids = {entry["file"]: letter_id(entry["file"]) for entry in manifest["letters"]}
    queries = choose_queries(manifest, ids)
    numbers = [q for q in queries if q["kind"] == "number"]
    assert numbers and all(len(q["expect"]) == 1 for q in numbers)
    by_id = {ids[e["file"]]: e for e in manifest["letters"]}
    assert numbers[0]["q"] == by_id[numbers[0]["expect"][0]]["so_ky_hieu"]
    assert {q["kind"] for q in queries} >= {"common", "rare", "name", "number", "date", "phrase"}
    texts = [q["q"] for q in queries]
    assert "phòng chống dịch" in texts and "phong chong dich" in texts


def test_peak_memory_of_a_process_tree_counts_its_forked_children(tmp_path: Path) -> None:
    """The build forks workers: a child's memory must be in the whole-build peak, and both
    figures behind it (the sampled tree and the largest process's high-water mark) are reported."""
    from benchmarks.measure import run_measured

    child = (
        "import os, time\n"
        "if os.fork() == 0:\n"
        "    block = bytearray(150 * 2**20)\n"
        "    time.sleep(1.5)\n"
        "    os._exit(0)\n"
        "os.wait()\n"
    )
    result = run_measured([sys.executable, "-c", child], cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    assert result.largest_process >= 150 * 2**20
    assert result.sampled_peak >= 150 * 2**20
    assert result.peak_rss == max(result.largest_process, result.sampled_peak)
    assert 0 < result.sampled_peak_at < result.seconds


def test_peak_memory_is_the_commands_own_not_the_runners(tmp_path: Path) -> None:
    """An exec'd child's ``ru_maxrss`` carries the high-water mark of the process that started
    it: measured that way, a 100,000-letter build was charged the runner's 1.26 GB."""
    from benchmarks.measure import run_measured

    block = bytearray(400 * 2**20)  # this process's high-water mark is now above 400 MB
    del block
    result = run_measured([sys.executable, "-c", "import time; time.sleep(0.5)"], cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    assert 0 < result.peak_rss < 100 * 2**20
