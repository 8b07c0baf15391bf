"""The staff guide (content/HUONG-DAN.md) says what the code does, and is not published.

Every message the reading stages and `vanban import` can give staff is found in
the code (by the ``message`` argument of the calls that make diagnostics) and
must appear in the guide, piece by piece around its placeholders; the guide's
YAML examples must be read by the real reader as they claim; its `vanban new`
example must run; and the real MkDocs build must not publish the guide.
"""

from __future__ import annotations

import ast
import re
import shlex
from pathlib import Path

import pytest
import yaml
from click.testing import CliRunner
from conftest import REPO, make_project

from builder.archive.read import read_archive
from builder.cli import main

GUIDE = REPO / "content" / "HUONG-DAN.md"
MESSAGE_MODULES = [
    "text/decoding.py",
    "text/legacy_encodings.py",
    "text/legacy_tables.py",
    "text/syllables.py",
    "letters/frontmatter.py",
    "letters/parsing.py",
    "letters/lines.py",
    "letters/blocks.py",
    "letters/header.py",
    "letters/footer.py",
    "letters/body.py",
    "letters/citations.py",
    "letters/registry.py",
    "letters/checks.py",
    "archive/read.py",
    "archive/letter_file.py",
    "archive/workers.py",
    "archive/store.py",
    "archive/cache.py",
    "archive/content_files.py",
    "letters/legal_effect.py",
    "letters/fields.py",
    "staff/docx_import.py",
    "staff/docx_reader.py",
    "staff/docx_layout.py",
    "letters/registry_file.py",
]
"""Modules whose diagnostics staff read from `vanban check` / `vanban import`."""

MIN_FRAGMENT = 12
"""Shorter literal pieces ("Khóa '", "' của ") carry no meaning of their own."""


def _normal(text: str) -> str:
    return " ".join(text.replace("`", "").split())


def _literal_pieces(node: ast.expr) -> list[str]:
    """The fixed text of a message: a string, or the literal parts of an f-string or a sum."""
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        return [node.value]
    if isinstance(node, ast.JoinedStr):
        pieces, current = [], ""
        for value in node.values:
            if isinstance(value, ast.Constant):
                current += str(value.value)
            else:
                pieces.append(current)
                current = ""
        return [*pieces, current]
    if isinstance(node, ast.BinOp) and isinstance(node.op, ast.Add):
        return _literal_pieces(node.left) + _literal_pieces(node.right)
    return []


def _message_position(tree: ast.Module) -> dict[str, int]:
    """For each function or class of the module with a ``message`` parameter, its position."""
    positions = {"Diagnostic": 3}  # builder.letters.letter.Diagnostic(path, line, severity, message, fix)
    for node in ast.walk(tree):
        if isinstance(node, ast.FunctionDef):
            names = [a.arg for a in node.args.args]
            if "message" in names:
                positions[node.name] = names.index("message")
        elif isinstance(node, ast.ClassDef):
            init = next(
                (n for n in node.body if isinstance(n, ast.FunctionDef) and n.name == "__init__"), None
            )
            if init is not None and "message" in (names := [a.arg for a in init.args.args][1:]):
                positions[node.name] = names.index("message")
    return positions


def messages_in_code() -> dict[str, list[str]]:
    """``module:line`` -> the literal pieces of each message made there (notes included)."""
    found: dict[str, list[str]] = {}
    trees = {}
    for name in MESSAGE_MODULES:
        path = REPO / "builder" / name
        assert path.exists(), f"MESSAGE_MODULES names {name}, which is not in builder/"
        trees[name] = ast.parse(path.read_text(encoding="utf-8"))
    every_module = {}  # a helper that takes a message may be defined in a sibling module
    for tree in trees.values():
        every_module.update(_message_position(tree))
    for name, tree in trees.items():
        positions = {**every_module, **_message_position(tree)}
        imported = {
            "error": 2,
            "warning": 2,
        }  # builder.letters.checks.error/warning(path, line, message, fix)
        for node in ast.walk(tree):
            if isinstance(node, ast.Call):
                callee = node.func.id if isinstance(node.func, ast.Name) else getattr(node.func, "attr", "")
                position = positions.get(callee, imported.get(callee))
                if position is None:
                    continue
                keywords = {k.arg: k.value for k in node.keywords}
                argument = keywords.get("message") or (
                    node.args[position] if len(node.args) > position else None
                )
                pieces = _literal_pieces(argument) if argument is not None else []
                if pieces:
                    found[f"{name}:{node.lineno}"] = pieces
            elif isinstance(node, ast.FunctionDef) and "note" in node.name:
                for ret in (n for n in ast.walk(node) if isinstance(n, ast.Return) and n.value is not None):
                    found[f"{name}:{ret.lineno}"] = _literal_pieces(ret.value)
    return found


def test_the_extraction_finds_the_messages() -> None:
    """The scan is not vacuous: it sees messages of every stage, including known ones."""
    found = messages_in_code()
    text = " ".join(piece for pieces in found.values() for piece in pieces)
    assert len(found) >= 40
    for known in ("Văn bản chưa có số", "không có trong phần đầu YAML", "Đây là tệp Word cũ", "bảng mã cũ"):
        assert known in text


def test_guide_explains_every_message() -> None:
    guide = _normal(GUIDE.read_text(encoding="utf-8"))
    missing = []
    for where, pieces in messages_in_code().items():
        for piece in pieces:
            core = _normal(piece).strip(" '\"“”():;,.—-")
            if len(core) >= MIN_FRAGMENT and core not in guide:
                missing.append(f"{where}: {core}")
    assert missing == [], "messages the guide (content/HUONG-DAN.md) does not explain:\n" + "\n".join(missing)


def _yaml_examples() -> list[str]:
    return re.findall(r"```yaml\n(.*?)```", GUIDE.read_text(encoding="utf-8"), flags=re.S)


def test_guide_yaml_examples_are_read_as_the_guide_says(tmp_path: Path) -> None:
    examples = _yaml_examples()
    assert len(examples) >= 3
    seed = (REPO / "content" / "004_8b77143a53b7dc4f.txt").read_text(encoding="utf-8")
    letters = {f"vi-du-{n}.txt": example + "\n" + seed for n, example in enumerate(examples)}
    project = make_project(tmp_path / "project", letters=letters, seeds=False)
    archive = read_archive(project / "content")
    assert [d for d in archive.diagnostics if d.severity.value == "lỗi"] == []
    by_file = {letter.tep_goc: letter for letter in archive.letters}
    for name, example in zip(letters, examples, strict=True):
        values = yaml.safe_load(example.strip().strip("-"))
        letter = by_file[name]
        if "so" in values:
            assert letter.so == values["so"]
        if "ngay_ban_hanh" in values:
            assert letter.ngay_ban_hanh == str(values["ngay_ban_hanh"])
        if "thu_hoi" in values:
            assert not letter.is_listed and letter.thu_hoi.ly_do == values["thu_hoi"]["ly_do"]
        if "dinh_chinh" in values:
            assert [c.noi_dung for c in letter.dinh_chinh] == [c["noi_dung"] for c in values["dinh_chinh"]]


def test_guide_new_command_example_runs(tmp_path: Path) -> None:
    block = re.search(r"```sh\n(vanban new --co-quan.*?)```", GUIDE.read_text(encoding="utf-8"), flags=re.S)
    assert block, "the guide shows a one-line `vanban new` example"
    arguments = shlex.split(block.group(1).replace("\\\n", " "))[1:]
    project = make_project(tmp_path / "project", seeds=False)
    body = tmp_path / "noi-dung.txt"
    body.write_text("1. Các xã, thị trấn rà soát khu dân cư có nguy cơ sạt lở.\n", encoding="utf-8")
    arguments = [str(body) if a == "noi-dung.txt" else a for a in arguments]
    result = CliRunner().invoke(main, [*arguments, "--config", str(project / "mkdocs.yml")])
    assert result.exit_code == 0, result.output
    archive = read_archive(project / "content")
    (letter,) = archive.letters
    assert letter.co_quan_ban_hanh == "Ủy ban nhân dân huyện Mường Tè" and letter.dia_danh == "Mường Tè"
    assert "rà soát khu dân cư" in archive.store.body(letter.id)


def test_guide_lists_every_front_matter_key() -> None:
    from builder.letters.letter import FRONT_MATTER_KEYS

    guide = GUIDE.read_text(encoding="utf-8")
    assert [key for key in FRONT_MATTER_KEYS if f"`{key}`" not in guide] == []


@pytest.mark.parametrize("where", ["site"])
def test_guide_is_not_published(seed_project: Path, where: str) -> None:
    """The build from content/ (which holds the guide) makes no page or file of it."""
    assert (seed_project / "content" / GUIDE.name).exists()
    site = seed_project / where
    assert not [p for p in site.rglob("*") if "huong-dan" in p.name.lower()]
    title = GUIDE.read_text(encoding="utf-8").splitlines()[0].lstrip("# ")
    leaking = [p for p in site.rglob("*.html") if title in p.read_text(encoding="utf-8")]
    assert leaking == []
    ids = {letter.id for letter in read_archive(seed_project / "content").letters}
    assert not [i for i in ids if "huong-dan" in i]
