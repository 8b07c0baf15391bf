"""Hostile or odd input costs seconds, not gigabytes, and never a traceback.

Every regular expression of the builder is run over 100 KB adversarial lines
(runs of the characters its classes overlap on, behind the prefixes that get a
match going); a backtracking one takes minutes there. Whole letters carrying
such lines, and the shapes that crashed the reader, are read through the real
``read_letter`` and answered with diagnostics in time.
"""

from __future__ import annotations

import ast
import contextlib
import importlib
import io
import os
import pkgutil
import re
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

import builder
from builder.archive.letter_file import read_letter
from builder.archive.read import read_archive
from builder.letters.letter import Severity
from builder.letters.registry import load_registry
from tests.conftest import REPO, make_project

LONG = 100_000
SEED = (REPO / "content" / "002_1df910771a3bcb65.txt").read_text(encoding="utf-8")
UNITS = (" .", " ", "…", "_", "a ", "1/", "A-", "\t", "*")
PREFIXES = ("", "ngày", "Hà Nội, ngày", "ngày 5 tháng", "của", "Số: 1/")


@contextlib.contextmanager
def time_limit(seconds: float) -> Iterator[None]:
    """Fail (not hang) when the block takes longer: the regex engine checks for signals."""

    def expire(signum: int, frame: object) -> None:
        raise TimeoutError(f"over {seconds} s")

    previous = signal.signal(signal.SIGALRM, expire)
    signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)


_RE_CALLS = {"compile", "search", "match", "fullmatch", "sub", "subn", "split", "findall", "finditer"}


def _flags(call: ast.Call, position: int) -> int:
    """The ``flags`` of a ``re`` call when written as ``re.X | re.Y`` (else none)."""
    node = next((k.value for k in call.keywords if k.arg == "flags"), None)
    if node is None and len(call.args) > position:
        node = call.args[position]
    names = []
    while isinstance(node, ast.BinOp) and isinstance(node.op, ast.BitOr):
        names.append(node.right)
        node = node.left
    names.append(node)
    value = 0
    for name in names:
        if isinstance(name, ast.Attribute) and isinstance(name.value, ast.Name) and name.value.id == "re":
            value |= getattr(re, name.attr)
    return value


def _inline_patterns(module: object) -> list[tuple[str, re.Pattern[str]]]:
    """Literal patterns written inside functions (``re.sub(r"\\s*…", …)``): compiled where used,
    so the module-level scan misses them; one of them took 8 s on a 16 KB line."""
    tree = ast.parse(Path(module.__file__).read_text(encoding="utf-8"))
    found = []
    for node in ast.walk(tree):
        if (
            isinstance(node, ast.Call)
            and isinstance(node.func, ast.Attribute)
            and isinstance(node.func.value, ast.Name)
            and node.func.value.id == "re"
            and node.func.attr in _RE_CALLS
            and node.args
            and isinstance(node.args[0], ast.Constant)
            and isinstance(node.args[0].value, str)
        ):
            position = {"compile": 1, "sub": 4, "subn": 4, "split": 3}.get(node.func.attr, 2)
            name = f"{module.__name__.removeprefix('builder.')}:{node.lineno}"
            if node.func.attr in ("match", "fullmatch"):
                name += f" ({node.func.attr})"  # anchored where it is used: tried the same way
            found.append((name, re.compile(node.args[0].value, _flags(node, position))))
    return found


def _patterns() -> list[tuple[str, re.Pattern[str]]]:
    """Every regular expression of the builder: module-level patterns of every module (subpackages
    included) and literal patterns written inside functions."""
    found = []
    for info in pkgutil.walk_packages(builder.__path__, "builder."):
        module = importlib.import_module(info.name)
        for name, value in vars(module).items():
            if isinstance(value, re.Pattern) and isinstance(value.pattern, str):
                found.append((f"{info.name.removeprefix('builder.')}.{name}", value))
        if not info.ispkg or Path(module.__file__).name == "__init__.py":
            found.extend(_inline_patterns(module))
    unique = {
        (pattern.pattern, pattern.flags, name.endswith(")")): (name, pattern)
        for name, pattern in reversed(found)
    }
    return sorted(unique.values(), key=lambda item: item[0])


def _match_time(name: str, pattern: re.Pattern[str], line: str) -> float:
    """Seconds to search (which tries a match at the start first; a quadratic pattern fails at
    5 s; a slow moment of a busy machine is measured again by the caller)."""
    anchored = {"(match)": pattern.match, "(fullmatch)": pattern.fullmatch}
    start = time.perf_counter()
    with time_limit(5):
        anchored.get(name.rpartition(" ")[2], pattern.search)(line)
    return time.perf_counter() - start


@pytest.mark.parametrize(("name", "pattern"), _patterns(), ids=[name for name, _ in _patterns()])
def test_every_regex_is_linear_on_100_kb_lines(name: str, pattern: re.Pattern[str]) -> None:
    """The date-line regex took 50 s on one line padded with 40,000 ' .' (quadratic)."""
    slowest, worst = 0.0, ""
    for prefix in PREFIXES:
        for unit in UNITS:
            line = prefix + unit * (LONG // len(unit)) + "\x00"
            took = min(
                _match_time(name, pattern, line)
                for _ in range(3 if _match_time(name, pattern, line) > 1 else 1)
            )
            if took > slowest:
                slowest, worst = took, f"{prefix!r} + {unit!r} × {LONG // len(unit)}"
    assert slowest < 1.0, f"{name}: {slowest:.2f} s on {worst}"


def _read(text: str) -> tuple[object, list]:
    registry, _ = load_registry(REPO / "content")
    return read_letter(text.encode("utf-8"), "thu.txt", "content/thu.txt", registry)


def _timed_read(text: str, limit: float = 10.0) -> tuple[object, list]:
    start = time.perf_counter()
    with time_limit(limit + 5):
        outcome = _read(text)
    took = time.perf_counter() - start
    assert took < limit, f"{took:.1f} s"
    return outcome


@pytest.mark.parametrize("pad", [" .", " ", "…", "_"])
def test_a_padded_date_line_is_read_in_time(pad: str) -> None:
    line = "Lai Châu, ngày 26 tháng 8 năm 2021"
    assert line in SEED
    padded = "Lai Châu, ngày" + pad * (LONG // len(pad)) + " tháng"
    letter, problems = _timed_read(SEED.replace(line, padded, 1))
    assert letter is None or letter.ngay_ban_hanh != "2021-08-26"
    assert problems


@pytest.mark.parametrize(
    "padded",
    [
        "Số: 2642" + " " * LONG + "x/UBND-VX",
        "Số: " + "_" * LONG + "x/UBND-VX",
        "Số: " + "1" * LONG + "x/UBND-VX",
        "Số: 2642 " + "| " * (LONG // 2) + "/UBND-VX",
    ],
    ids=["spaces", "dots", "digits", "pipes"],
)
def test_a_padded_number_line_is_read_in_time(padded: str) -> None:
    """Fuzzing found 'Số:' lines that took 8 s at 16 KB: a regex written inside a function
    (``\\s*([/\\-.&])\\s*``), which the module-level scan did not see."""
    line = next(line for line in SEED.split("\n") if line.startswith("Số:"))
    letter, _ = _timed_read(SEED.replace(line, padded, 1))
    assert letter is None or letter.so_ky_hieu != "2642/UBND-VX"


def test_a_word_paragraph_of_tabs_is_imported_in_time() -> None:
    """The import's page-break and 'Số' cell regexes were quadratic on a paragraph of tabs."""
    from docx import Document
    from docx.enum.text import WD_BREAK

    from builder.staff.docx_import import import_docx

    document = Document()
    document.add_paragraph("Số: 12/UBND" + " \t" * LONG + "x")
    document.add_paragraph("Kính gửi:" + "\t" * LONG).add_run().add_break(WD_BREAK.PAGE)
    document.add_paragraph("\t" * LONG + "Số")
    out = io.BytesIO()
    document.save(out)
    start = time.process_time()  # CPU: the machine may be shared; a quadratic case takes minutes
    with time_limit(60):
        import_docx(out.getvalue(), "tab.docx")
    assert time.process_time() - start < 5


@pytest.mark.parametrize(
    "text",
    [
        "# \n***Nơi nhận:***\n",
        "#\n\nNơi nhận:\n- Lưu: VT.\n",
        "# \n\n# \n***Nơi nhận:***\n- Như trên;\n",
        "> \n***Nơi nhận:***\n",
    ],
    ids=["empty-heading", "bare-heading", "two-headings", "empty-quote"],
)
def test_empty_blocks_before_the_footer_are_errors_not_crashes(text: str) -> None:
    """An empty heading was dropped from the blocks but lines kept its place: IndexError."""
    letter, problems = _read(text)
    assert letter is None
    assert any(p.severity is Severity.ERROR for p in problems), problems


def test_arabic_indic_digits_are_not_a_date() -> None:
    line = "Lai Châu, ngày 26 tháng 8 năm 2021"
    letter, problems = _read(SEED.replace(line, "Lai Châu, ngày ٢٦ tháng ٨ năm ٢٠٢١", 1))
    assert letter is None or letter.ngay_ban_hanh != "2021-08-26"
    assert any(p.severity is Severity.ERROR for p in problems)


@pytest.mark.parametrize(
    "front",
    [
        "ngay_ban_hanh: ٢٠٢١-٠٨-٢٦",
        "ngay_ban_hanh: '２０２１-08-26'",
        "ngay_ban_hanh: '26/٨/2021'",
        "ngay_hieu_luc: '٢٠٢١-٠٩-٠١'",
        "thu_hoi: {ngay: '۲۰۲۱-۰۹-۰۱', ly_do: Nhầm}",
    ],
    ids=["arabic-indic", "fullwidth", "vietnamese-order", "effective", "withdrawn-persian"],
)
def test_only_ascii_digits_make_a_date_in_front_matter(front: str) -> None:
    """`\\d` matches every script's digits: '٢٠٢١-٠٨-٢٦' was published as the date."""
    letter, problems = _read("---\n" + front + "\n---\n" + SEED)
    assert letter is None
    assert any("không phải ngày hợp lệ" in p.message for p in problems), [str(p) for p in problems]


# --- files: only regular files inside content/, names that make safe ids -----------------------

SECRET = "mật-khẩu-máy-chủ-7f3a"
"""Text of a file outside content/: it must appear nowhere in what the build says or writes."""


def _project(tmp_path: Path, letters: dict[str, str] | None = None) -> Path:
    return make_project(tmp_path / "project", letters=letters)


def _told(project: Path) -> tuple[list[str], list[str]]:
    """(every diagnostic as printed, ids of the letters read)."""
    archive = read_archive(project / "content")
    return [str(d) for d in archive.diagnostics], [letter.id for letter in archive.letters]


def _errors_naming(told: list[str], name: str) -> list[str]:
    return [line for line in told if name in line and ": lỗi: " in line]


def test_a_symlinked_letter_is_refused_and_nothing_of_its_target_told(tmp_path: Path) -> None:
    outside = tmp_path / "outside.txt"
    outside.write_text(SEED.replace("Lai Châu", f"Lai Châu {SECRET}", 1), encoding="utf-8")
    project = _project(tmp_path)
    (project / "content" / "x.txt").symlink_to(outside)
    (project / "content" / "passwd.txt").symlink_to("/etc/passwd")
    told, ids = _told(project)
    assert _errors_naming(told, "x.txt") and _errors_naming(told, "passwd.txt")
    assert "x" not in ids and "passwd" not in ids
    assert not any(SECRET in line or "root:" in line for line in told)


def test_a_symlinked_folder_fifo_and_registry_are_refused(tmp_path: Path) -> None:
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    (elsewhere / "a.txt").write_text(SEED, encoding="utf-8")
    project = _project(tmp_path)
    (project / "content" / "linked").symlink_to(elsewhere, target_is_directory=True)
    os.mkfifo(project / "content" / "fifo.txt")
    with time_limit(20):
        told, ids = _told(project)
    assert _errors_naming(told, "linked") and _errors_naming(told, "fifo.txt")
    assert not any(i.startswith("linked") for i in ids)
    registry = project / "content" / "co-quan-ban-hanh.yml"
    registry.rename(tmp_path / "registry.yml")
    registry.symlink_to(tmp_path / "registry.yml")
    told, _ = _told(project)
    assert _errors_naming(told, "co-quan-ban-hanh.yml")


@pytest.mark.parametrize(
    ("name", "words"),
    [
        (".txt", "mã văn bản"),
        ("trang-2.txt", "trùng với một trang danh sách"),
        ("nam.txt", "trùng với một trang danh sách"),
        ("co-quan.txt", "trùng với một trang danh sách"),
        ("!!!.txt", "mã văn bản"),
    ],
)
def test_names_that_collide_with_generated_pages_are_errors(tmp_path: Path, name: str, words: str) -> None:
    project = _project(tmp_path, {name: SEED.replace("2642", "2700", 1)})
    told, ids = _told(project)
    assert any(words in line or "không phải văn bản" in line for line in _errors_naming(told, name)), told
    assert len(ids) == 5


@pytest.mark.parametrize("name", ["a\tb.txt", "a\x1b[31mb.txt", "a\x7fb.txt", "tep\u202etxt.exe.txt"])
def test_control_characters_in_a_file_name_are_refused(tmp_path: Path, name: str) -> None:
    project = _project(tmp_path, {name: SEED.replace("2642", "2700", 1)})
    archive = read_archive(project / "content")
    assert [d for d in archive.diagnostics if "ký tự điều khiển" in d.message]
    assert len(archive.letters) == 5


def test_a_newline_in_a_file_name_cannot_forge_a_message(tmp_path: Path) -> None:
    name = "a\n::error file=x.txt,line=1::giả mạo.txt"
    project = _project(tmp_path, {name: SEED})
    archive = read_archive(project / "content")
    bad = [d for d in archive.diagnostics if "ký tự điều khiển" in d.message]
    assert len(bad) == 1
    assert "\n" not in str(bad[0]) and "\n" not in bad[0].github_annotation()
    assert bad[0].github_annotation().count("::") == 2
    assert len(archive.letters) == 5


def test_an_oversized_letter_is_refused(tmp_path: Path) -> None:
    project = _project(tmp_path, {"lon.txt": SEED + "Nội dung. " * 300_000})
    told, ids = _told(project)
    assert any("quá lớn" in line for line in _errors_naming(told, "lon.txt")), told
    assert "lon" not in ids


# --- YAML: no aliases, no deep nesting, no value told unbounded ---------------------------------

ALIAS_BOMB = "\n".join(
    ['a0: &a0 ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]']
    + [f"a{n}: &a{n} [{','.join([f'*a{n - 1}'] * 9)}]" for n in range(1, 9)]
    + ["so: *a8"]
)


def test_an_alias_bomb_in_front_matter_is_refused_in_time() -> None:
    with time_limit(20):
        letter, problems = _read("---\n" + ALIAS_BOMB + "\n---\n" + SEED)
    assert letter is None
    assert any("neo hoặc bí danh" in p.message for p in problems)
    assert all(len(str(p)) < 2000 for p in problems)


def test_deep_nesting_in_front_matter_is_refused() -> None:
    letter, problems = _read("---\nso: " + "[" * 600 + "]" * 600 + "\n---\n" + SEED)
    assert letter is None and any("lồng nhau" in p.message for p in problems)


def test_a_huge_key_is_clipped_in_messages() -> None:
    letter, problems = _read("---\n" + "k" * 500_000 + ": 1\n---\n" + SEED)
    assert letter is None and problems and all(len(str(p)) < 2000 for p in problems)


@pytest.mark.parametrize(
    ("entry", "words"),
    [
        ("- ten: UBND xã A\n  slug: ../../x\n", "slug"),
        ("- ten: UBND xã A\n  slug: a/b\n", "slug"),
        ("- ten: UBND xã A\n  cach_viet_khac: 5\n", "sai kiểu"),
        ("- ten: Ủy ban nhân dân huyện Mường Tè\n  slug: khac\n", "trùng tên"),
        ("- ten: UBND xã B\n  slug: ubnd-huyen-muong-te\n", "trùng slug"),
        ("- ten: &t UBND xã C\n  slug: c\n- ten: *t\n  slug: d\n", "neo hoặc bí danh"),
        ("- ten: x\n  slug: " + "[" * 600 + "]" * 600 + "\n", "lồng nhau"),
    ],
    ids=["dotdot", "slash", "type", "same-name", "same-slug", "alias", "nesting"],
)
def test_a_wrong_registry_entry_is_an_error(tmp_path: Path, entry: str, words: str) -> None:
    project = _project(tmp_path)
    registry = project / "content" / "co-quan-ban-hanh.yml"
    registry.write_text(registry.read_text(encoding="utf-8") + entry, encoding="utf-8")
    with time_limit(20):
        told, _ = _told(project)
    assert any(words in line for line in _errors_naming(told, "co-quan-ban-hanh.yml")), told


@pytest.mark.parametrize(
    ("entry", "words"),
    [
        ("- ten: Môi trường\n  slug: ../../x\n", "slug '../../x' không hợp lệ"),
        ("- ten: Môi trường\n  slug: a/b\n", "không hợp lệ"),
        ("- ten: '!!!'\n", "slug '' không hợp lệ"),
        ("- ten: Y te\n  slug: y-te-2\n", "trùng tên với mục thứ 1"),
        ("- ten: Môi trường\n  slug: giao-duc\n", "trùng slug với mục thứ 2"),
        ("- ten: &t Môi trường\n  slug: c\n- ten: *t\n  slug: d\n", "neo hoặc bí danh"),
        ("- ten: 5\n", "thiếu 'ten' hoặc sai kiểu"),
    ],
    ids=["dotdot", "slash", "empty-slug", "same-name-folded", "same-slug", "alias", "type"],
)
def test_a_wrong_field_registry_entry_is_an_error(tmp_path: Path, entry: str, words: str) -> None:
    """The field registry (linh-vuc.yml) names list pages as the issuer registry does: its slugs
    were not checked ('../../x' was only stopped when writing) nor its names and slugs twice."""
    project = _project(tmp_path)
    fields = project / "content" / "linh-vuc.yml"
    fields.write_text(fields.read_text(encoding="utf-8") + entry, encoding="utf-8")
    with time_limit(20):
        told, _ = _told(project)
    assert any(words in line for line in _errors_naming(told, "linh-vuc.yml")), told


def test_vanban_check_answers_hostile_files_without_a_traceback(tmp_path: Path) -> None:
    outside = tmp_path / "outside.txt"
    outside.write_text(SECRET, encoding="utf-8")
    project = _project(
        tmp_path, {"bom.txt": "---\n" + ALIAS_BOMB + "\n---\n" + SEED, "nn.txt": "# \n***Nơi nhận:***\n"}
    )
    (project / "content" / "x.txt").symlink_to(outside)
    os.mkfifo(project / "content" / "fifo.txt")
    result = subprocess.run(
        [sys.executable, "-m", "builder.cli", "check"],
        cwd=project,
        capture_output=True,
        text=True,
        timeout=120,
        env={**os.environ, "GITHUB_ACTIONS": "true"},
    )
    output = result.stdout + result.stderr
    assert result.returncode == 1, output
    assert "Traceback" not in output and SECRET not in output
    for name in ("bom.txt", "nn.txt", "x.txt", "fifo.txt"):
        assert f"content/{name}:" in output and f"file=content/{name}," in output, name


# --- classification marks as a reader sees them -------------------------------------------------


@pytest.mark.parametrize(
    "mark",
    ["M Ậ T", "(MẬT)", "[MẬT]", "MẬT - KHẨN", "*** MẬT ***", "M.Ậ.T", "**TỐI MẬT**", "TUYỆT  MẬT", "mật"],
)
def test_a_classified_mark_in_any_spelling_is_refused(mark: str) -> None:
    lines = SEED.split("\n")
    at = next(i for i, line in enumerate(lines) if line.startswith("Số:")) + 1
    lines[at:at] = ["", mark, ""]
    letter, problems = _read("\n".join(lines))
    assert letter is None and any("độ mật" in p.message for p in problems), [str(p) for p in problems]


def test_a_classified_mark_in_a_table_row_is_refused() -> None:
    table = "\n| Độ mật | TỐI MẬT |\n|---|---|\n| Số trang | 2 |\n"
    letter, problems = _read(SEED.replace("Kính gửi", table + "\nKính gửi", 1))
    assert letter is None and any("độ mật" in p.message for p in problems)


@pytest.mark.parametrize("words", ["bí mật", "mật khẩu", "thân mật", "mật ong", "Mật độ dân số"])
def test_words_with_mat_still_pass(words: str) -> None:
    text = SEED.replace("Trước tình hình", f"Về {words}: trước tình hình", 1)
    lines = text.split("\n")
    at = next(i for i, line in enumerate(lines) if line.startswith("Số:")) + 1
    lines[at:at] = ["", f"({words})", ""]
    letter, problems = _read("\n".join(lines))
    assert letter is not None, [str(p) for p in problems if p.severity is Severity.ERROR]


# --- hidden characters: removed from what is published, with a warning --------------------------

HIDDEN_SAMPLES = "\u202e\u2066\u200f\u061c\ufffe\uffff\ufdd0\U0010ffff"


def test_hidden_characters_are_removed_with_a_warning_naming_the_line() -> None:
    lines = SEED.split("\n")
    at = next(i for i, line in enumerate(lines) if line.startswith("V/v"))
    lines[at] = lines[at].replace("V/v ", "V/v \u202egpj.exe\u202c \uffff", 1)
    letter, problems = _read('---\nnguoi_ky: "Lò Văn\u2067 Hùng"\n---\n' + "\n".join(lines))
    assert letter is not None
    warned = [p for p in problems if "ký tự ẩn" in p.message]
    assert [(p.line, p.severity) for p in warned] == [(2, Severity.WARNING), (at + 4, Severity.WARNING)]
    assert "3 ký tự ẩn (đầu tiên là U+202E)" in warned[1].message
    published = repr(letter)
    assert not any(ch in published for ch in HIDDEN_SAMPLES)
    assert "gpj.exe" in letter.trich_yeu and letter.nguoi_ky == "Lò Văn Hùng"


def test_a_site_with_hidden_characters_stays_well_formed(tmp_path: Path) -> None:
    """U+FFFF in a subject made feed.xml malformed; U+202E reversed titles in every list."""
    import json
    import xml.etree.ElementTree as ET

    from tests.conftest import run_mkdocs

    hostile = SEED.replace("2642", "2643", 1).replace("V/v ", "V/v " + HIDDEN_SAMPLES + " ", 1)
    project = _project(tmp_path, {"an.txt": hostile})
    built = run_mkdocs(project)
    assert built.returncode == 0, built.stdout + built.stderr
    site = project / "site"
    ET.parse(site / "feed.xml")
    ET.parse(site / "sitemap.xml")
    for path in site.rglob("*.json"):
        json.loads(path.read_text(encoding="utf-8"))
    original = site / "van-ban" / "an" / "an.txt"
    assert original.read_bytes() == hostile.encode("utf-8")  # the committed file, byte for byte
    for path in site.rglob("*"):
        if path.suffix in (".html", ".xml", ".json", ".txt", ".js") and path != original:
            text = path.read_text(encoding="utf-8", errors="replace")
            assert not any(ch in text for ch in HIDDEN_SAMPLES), path
    assert "ký tự ẩn" in built.stdout + built.stderr


# --- sizes: one field cannot make the site large -------------------------------------------------


@pytest.mark.parametrize(
    ("front", "said"),
    [
        ('trich_yeu: "' + "Về việc " * 100_000 + '"', "Phần đầu YAML dài 800013 ký tự, quá giới hạn 50000"),
        ('trich_yeu: "' + "Về việc " * 5_000 + '"', "Trường 'trich_yeu' dài 39999 ký tự, quá giới hạn 1000"),
        ('nguoi_ky: "Lò ' + "A" * 300 + '"', "Trường 'nguoi_ky' dài 303 ký tự, quá giới hạn 200"),
        ("co_quan_ban_hanh: " + "UBND " * 100, "Trường 'co_quan_ban_hanh' dài 499 ký tự"),
        ("noi_nhan:\n" + "- Như trên;\n" * 600, "Trường 'noi_nhan' có 600 mục, quá giới hạn 500"),
        ("kinh_gui:\n- UBND xã A\n- " + "x" * 1500, "Mục thứ 2 của trường 'kinh_gui' dài 1500 ký tự"),
    ],
    ids=["front-matter", "subject", "signer", "issuer", "recipients", "recipient"],
)
def test_a_huge_field_is_an_error_in_time(front: str, said: str) -> None:
    """A 15 MB subject made a 290 MB site: it is repeated on every list page, the feed, the index."""
    letter, problems = _timed_read("---\n" + front + "\n---\n" + SEED, limit=5.0)
    assert letter is None
    assert any(said in p.message and p.severity is Severity.ERROR for p in problems), [
        str(p)[:200] for p in problems
    ]


def test_a_huge_recipient_read_from_the_text_is_an_error() -> None:
    text = SEED.replace("- Như trên;", "- Như trên;\n- " + "Phòng " * 300 + ";", 1)
    letter, problems = _timed_read(text, limit=5.0)
    assert letter is None
    assert any("của trường 'noi_nhan' dài" in p.message for p in problems), [str(p)[:200] for p in problems]


@pytest.mark.parametrize("line", ["[\n", "a\n", "- \r"])
def test_too_many_lines_are_refused_before_reading(line: str) -> None:
    """Reading costs ~0.1 ms a line: 2 MB of one-character lines took 93 s of CPU."""
    letter, problems = _timed_read(SEED + line * 30_000, limit=5.0)
    assert letter is None
    assert any("quá giới hạn 20000 dòng" in p.message and p.line == 20_001 for p in problems)


def test_the_most_lines_allowed_are_read_in_time() -> None:
    start = time.process_time()
    _, problems = _timed_read(SEED + "[\n" * 19_000, limit=20.0)
    assert time.process_time() - start < 10
    assert problems


@pytest.mark.parametrize("unit", ["_", "[", "*", "]"])
def test_too_many_markdown_delimiters_are_refused_before_reading(unit: str) -> None:
    """Fuzzing found a letter with 566,000 '_' on a few lines: over 60 s in markdown-it (one token
    per delimiter, then their pairing); 50,000 of them are read in about a second."""
    letter, problems = _timed_read(SEED + "\n" + unit * 60_000 + "\n", limit=5.0)
    assert letter is None
    assert any(f"nhiều nhất là '{unit}'), quá giới hạn 50000" in p.message for p in problems)
    start = time.process_time()
    _timed_read(SEED + "\n" + (unit * 100 + "\n") * 490, limit=20.0)
    assert time.process_time() - start < 10


def test_read_letter_refuses_more_than_the_file_limit_in_time() -> None:
    """The file layer refuses a letter over 2 MB; bytes given to read_letter directly were read
    whole (a fuzzed 2.5 MB input: 10 s of CPU in the legacy-encoding detection)."""
    data = SEED.encode("utf-8") + bytes(range(128, 256)) * 20_000
    start = time.process_time()
    letter, problems = read_letter(data, "thu.txt", "content/thu.txt", load_registry(REPO / "content")[0])
    assert time.process_time() - start < 1
    assert letter is None and any("Tệp quá lớn (2.6 MB" in p.message for p in problems)
