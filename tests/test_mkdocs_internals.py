"""The contract with MkDocs' internals (``builder.publish.mkdocs_internals``), pinned to MkDocs 1.6.

The plugin writes pages through MkDocs' private page steps and clears its private URL caches.
These tests fail when an upgrade renames or reshapes any of them, and when a private name of
MkDocs appears in any other module of ``builder/``.
"""

from __future__ import annotations

import ast
import inspect
from pathlib import Path

import mkdocs
import pytest
from mkdocs import utils
from mkdocs.commands import build
from mkdocs.exceptions import PluginError

from builder.publish import mkdocs_internals

BUILDER = Path(__file__).resolve().parent.parent / "builder"
ADAPTER = BUILDER / "publish" / "mkdocs_internals.py"


def test_the_mkdocs_in_use_is_the_series_the_adapter_was_written_for() -> None:
    assert mkdocs.__version__.startswith("1.6."), mkdocs.__version__
    mkdocs_internals.check_version()


def test_another_mkdocs_series_stops_the_build_with_a_message(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(mkdocs, "__version__", "2.0.0")
    with pytest.raises(PluginError, match=r"MkDocs 1\.6"):
        mkdocs_internals.check_version()


def test_the_page_steps_take_what_the_adapter_passes() -> None:
    """``write_page`` passes these positionally: a reordered or renamed parameter breaks it."""
    populate = list(inspect.signature(build._populate_page).parameters)
    assert populate[:3] == ["page", "config", "files"]
    build_page = list(inspect.signature(build._build_page).parameters)
    assert build_page[:5] == ["page", "config", "doc_files", "nav", "env"]


def test_a_file_s_destination_is_a_cached_property_of_its_dest_dir() -> None:
    """``write_page_into`` redirects a page's output by setting its file's ``dest_dir`` and
    dropping the cached ``abs_dest_path``: if MkDocs computed it otherwise, the quick path of
    `vanban serve` would write into the served folder in place."""
    import functools

    from mkdocs.structure.files import File

    assert isinstance(File.__dict__["abs_dest_path"], functools.cached_property)
    file = File("a/index.md", src_dir=None, dest_dir="/site", use_directory_urls=True)
    assert file.abs_dest_path == "/site/a/index.html"
    file.dest_dir = "/staging"
    file.__dict__.pop("abs_dest_path")
    assert file.abs_dest_path == "/staging/a/index.html"


def test_the_url_caches_cleared_between_pages_are_mkdocs_own() -> None:
    """If MkDocs renames its URL caches, clearing them would do nothing: memory would grow with
    the pages again (~1 KB each)."""
    utils.get_relative_url("van-ban/a/", "van-ban/b/")
    utils.normalize_url("van-ban/a/")
    for name in mkdocs_internals.URL_CACHES:
        assert getattr(utils, name).cache_info().currsize > 0
    mkdocs_internals.forget_normalized_urls()
    for name in mkdocs_internals.URL_CACHES:
        assert getattr(utils, name).cache_info().currsize == 0


def _private_mkdocs_names(path: Path) -> list[str]:
    """``module._name`` of an imported ``mkdocs`` module, or ``from mkdocs… import _name``."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    modules: set[str] = set()
    found = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            for alias in node.names:
                if alias.name.split(".")[0] == "mkdocs":
                    modules.add(alias.asname or alias.name.split(".")[0])
        elif isinstance(node, ast.ImportFrom) and (node.module or "").split(".")[0] == "mkdocs":
            for alias in node.names:
                if alias.name.startswith("_"):
                    found.append(f"{node.module}.{alias.name}")
                modules.add(alias.asname or alias.name)
    for node in ast.walk(tree):
        if (
            isinstance(node, ast.Attribute)
            and isinstance(node.value, ast.Name)
            and node.value.id in modules
            and node.attr.startswith("_")
            and not node.attr.startswith("__")
        ):
            found.append(f"{node.value.id}.{node.attr}")
    return found


def test_mkdocs_private_names_appear_in_the_adapter_only() -> None:
    assert _private_mkdocs_names(ADAPTER), "the scan no longer sees the adapter's own private calls"
    elsewhere = {
        str(path.relative_to(BUILDER)): names
        for path in sorted(BUILDER.rglob("*.py"))
        if path != ADAPTER and (names := _private_mkdocs_names(path))
    }
    assert elsewhere == {}
