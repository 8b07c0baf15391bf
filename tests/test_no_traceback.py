"""`vanban check`, `build`, `import` and `new` answer hostile input with Vietnamese
``path:line: lỗi: …`` messages, never a traceback, in seconds and under 2 GB.

Each command runs as staff run it: a subprocess, its address space capped at 2 GB
(``RLIMIT_AS``: a command that needs more fails here instead of swapping a CI
runner), its CPU time measured (the machine may be shared: wall time is only a
generous timeout). The hostile files are the reproductions of issue 14 and the
shapes the fuzzer found, one project holding them all.
"""

from __future__ import annotations

import io
import os
import resource
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

from tests.conftest import REPO, make_project
from tests.test_hostile_input import ALIAS_BOMB, SEED

ADDRESS_SPACE = 2 << 30
"""The bar: every hostile file answered under 2 GB (the cap makes a bigger one fail)."""
CPU_SECONDS = 20.0
"""The bar: every hostile file answered under 20 s (of CPU: the machine may be shared)."""


def run_capped(args: list[str], cwd: Path, stdin: str = "") -> tuple[subprocess.CompletedProcess[str], float]:
    """``python -m builder.cli *args`` under the 2 GB cap: its outcome and CPU seconds."""

    def cap() -> None:
        resource.setrlimit(resource.RLIMIT_AS, (ADDRESS_SPACE, ADDRESS_SPACE))

    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    result = subprocess.run(
        [sys.executable, "-m", "builder.cli", *args],
        cwd=cwd,
        input=stdin,
        capture_output=True,
        text=True,
        timeout=300,
        preexec_fn=cap,  # only setrlimit, before exec
        env={**os.environ, "PYTHONPATH": str(REPO)},
    )
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    return result, cpu


def _assert_answered(result: subprocess.CompletedProcess[str], cpu: float) -> str:
    output = result.stdout + result.stderr
    assert "Traceback" not in output, output[-3000:]
    assert "MemoryError" not in output, output[-3000:]
    assert cpu < CPU_SECONDS, f"{cpu:.1f} s of CPU"
    return output


HOSTILE_LETTERS: dict[str, str | bytes] = {
    "bom.txt": "---\n" + ALIAS_BOMB + "\n---\n" + SEED,
    "nn.txt": "# \n***Nơi nhận:***\n",
    "lon.txt": '---\ntrich_yeu: "' + "Về việc " * 100_000 + '"\n---\n' + SEED.replace("2642", "2701", 1),
    "ngay.txt": SEED.replace(
        "Lai Châu, ngày 26 tháng 8 năm 2021", "Lai Châu, ngày" + " ." * 50_000 + " tháng", 1
    ),
    "long.txt": "---\nso: " + "[" * 600 + "]" * 600 + "\n---\n" + SEED,
    "mat.txt": SEED.replace("Số: 2642/UBND-VX", "Số: 2703/UBND-VX\n\n(M Ậ T)", 1),
    "trang-2.txt": SEED.replace("2642", "2704", 1),
    "so.txt": SEED.replace("Số: 2642/UBND-VX", "Số: 2705" + " " * 100_000 + "x/UBND-VX", 1),
    "rac.txt": bytes(range(256)) * 400,
}
"""File name -> content: each must be named in an error."""


@pytest.fixture(scope="module")
def hostile_project(tmp_path_factory: pytest.TempPathFactory) -> Path:
    project = make_project(tmp_path_factory.mktemp("hostile") / "project", letters=HOSTILE_LETTERS)
    (project / "content" / "x.txt").symlink_to("/etc/passwd")
    os.mkfifo(project / "content" / "fifo.txt")
    return project


@pytest.mark.parametrize("command", ["check", "build"])
def test_check_and_build_name_every_hostile_file(hostile_project: Path, command: str) -> None:
    result, cpu = run_capped([command], hostile_project)
    output = _assert_answered(result, cpu)
    assert result.returncode == 1
    for name in [*HOSTILE_LETTERS, "x.txt", "fifo.txt"]:
        assert f"content/{name}:" in output and ": lỗi: " in output.split(f"content/{name}:", 1)[1][:12], name
    assert "root:" not in output  # nothing of the symlink's target
    assert not (hostile_project / "site").exists()  # nothing published, nothing large written


# --- vanban import -------------------------------------------------------------------------------

_CONTENT_TYPES = (
    '<?xml version="1.0"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
    '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
    '<Default Extension="xml" ContentType="application/xml"/><Override PartName="/word/document.xml" '
    'ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/></Types>'
)
_RELS = (
    '<?xml version="1.0"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
    '<Relationship Id="rId1" Target="word/document.xml" '
    'Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument"/></Relationships>'
)
_W = 'xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"'


def _package(document: bytes | None = None, spaces: int = 0) -> bytes:
    """A .docx package; its document.xml given, or a paragraph of ``spaces`` spaces (a zip bomb)."""
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as package:
        package.writestr("[Content_Types].xml", _CONTENT_TYPES)
        package.writestr("_rels/.rels", _RELS)
        if document is not None:
            package.writestr("word/document.xml", document)
        else:
            with package.open("word/document.xml", "w", force_zip64=True) as part:
                part.write(f'<w:document {_W}><w:body><w:p><w:r><w:t xml:space="preserve">'.encode())
                chunk = b" " * (1 << 20)
                for _ in range(spaces >> 20):
                    part.write(chunk)
                part.write(b"</w:t></w:r></w:p></w:body></w:document>")
    return out.getvalue()


ENTITY_BOMB = (
    '<?xml version="1.0"?><!DOCTYPE w:document ['
    + '<!ENTITY a0 "MẬT MẬT MẬT MẬT MẬT MẬT MẬT MẬT MẬT MẬT">'
    + "".join(f'<!ENTITY a{n} "{f"&a{n - 1};" * 10}">' for n in range(1, 10))
    + f"]><w:document {_W}><w:body><w:p><w:r><w:t>&a9;</w:t></w:r></w:p></w:body></w:document>"
).encode()

HOSTILE_DOCX = {
    "zip-bom.docx": lambda: _package(spaces=512 << 20),
    "entity-bom.docx": lambda: _package(ENTITY_BOMB),
    "hong.docx": lambda: b"PK\x03\x04" + b"\x00" * 100 + b"garbage",
    "khong-phai-zip.docx": lambda: bytes(range(256)) * 10,
    "xml-hong.docx": lambda: _package(b"<w:document"),
    "cu.doc": lambda: bytes.fromhex("D0CF11E0A1B11AE1") + b"\x00" * 600,
}


def test_import_refuses_broken_and_hostile_word_files(tmp_path: Path) -> None:
    sources = []
    for name, make in HOSTILE_DOCX.items():
        (tmp_path / name).write_bytes(make())
        sources.append(str(tmp_path / name))
    out = tmp_path / "content"
    result, cpu = run_capped(["import", *sources, "--out", str(out)], tmp_path)
    output = _assert_answered(result, cpu)
    assert result.returncode == 1
    for source in sources:
        assert f"{source}:1: lỗi: " in output, (source, output[-2000:])
    assert "zip-bom.docx:1: lỗi: Tệp .docx giải nén ra quá lớn (537 MB" in output
    assert not out.exists() or not any(out.rglob("*.txt"))


# --- vanban new ----------------------------------------------------------------------------------

ANSWERS = {
    "eof-at-once": "",
    "escape-codes": "\x1b[31mUBND\x1b[0m\n\n\x00\n",
    "huge-answer": "A" * 300_000 + "\n",
    "bad-dates": "UBND xã A\n\nCông văn\n12\nUBND-VP\nMường Tè\n31/02/2021\n٢٦/٨/٢٠٢١\nngày mai\n",
}


@pytest.mark.parametrize("answers", ANSWERS.values(), ids=list(ANSWERS))
def test_new_answers_bad_input_in_vietnamese(tmp_path: Path, answers: str) -> None:
    project = make_project(tmp_path / "project", seeds=False)
    result, cpu = run_capped(["new"], project, stdin=answers)
    output = _assert_answered(result, cpu)
    assert "Đã dừng" in output or ": lỗi: " in output, output[-2000:]


def test_new_refuses_a_body_file_that_is_not_text(tmp_path: Path) -> None:
    project = make_project(tmp_path / "project", seeds=False)
    body = tmp_path / "noi-dung.txt"
    body.write_bytes(bytes(range(128, 256)) * 1000)
    args = ["new", "--co-quan", "UBND xã A", "--loai", "Công văn", "--so", "12", "--ky-hieu", "UBND-VP"]
    args += ["--dia-danh", "Mường Tè", "--ngay", "26/8/2021", "--trich-yeu", "Về việc A"]
    args += ["--kinh-gui", "UBND xã B", "--tham-quyen", "TM. ỦY BAN NHÂN DÂN", "--chuc-vu", "Chủ tịch"]
    args += ["--nguoi-ky", "Lò Văn A", "--noi-dung-tu", str(body)]
    result, cpu = run_capped(args, project)
    output = _assert_answered(result, cpu)
    assert result.returncode != 0
    assert f"{body}:1: lỗi: " in output, output[-2000:]
    assert not any((project / "content").rglob("2021/*.txt"))
