"""The MkDocs internals the plugin relies on, named here and nowhere else, pinned to MkDocs 1.6.

MkDocs has no public call to write one page, and it memoizes every URL it normalizes without a
bound. The plugin writes letter pages one at a time through MkDocs' own steps (so every
plugin's page events and the theme's templates apply) and clears those memos now and then.
Each private name below is checked by ``tests/test_mkdocs_internals.py``; a MkDocs (or
ProperDocs, which answers to ``mkdocs``) other than 1.6 stops the build with a clear message
instead of writing a wrong site.
"""

from __future__ import annotations

from collections.abc import Sequence

import mkdocs
from jinja2 import Environment
from mkdocs import utils as mkdocs_utils
from mkdocs.commands import build as mkdocs_build
from mkdocs.config.defaults import MkDocsConfig
from mkdocs.exceptions import PluginError
from mkdocs.structure.files import File, Files
from mkdocs.structure.nav import Navigation
from mkdocs.structure.pages import Page

SUPPORTED = "1.6."
"""The MkDocs series whose internals this module was written against (ProperDocs 1.6 too)."""

URL_CACHES = ("_norm_parts", "_get_norm_url")
"""MkDocs' unbounded ``functools.lru_cache`` helpers behind its ``url`` filter (``mkdocs.utils``)."""


def check_version() -> None:
    """Stop the build when MkDocs is not the series these internals are known in."""
    version = getattr(mkdocs, "__version__", "")
    if not version.startswith(SUPPORTED):
        raise PluginError(
            f"vanban: cần MkDocs {SUPPORTED}x, đang dùng {version or 'không rõ phiên bản'}"
            " — cài đúng phiên bản ghi trong pyproject.toml (pip install 'mkdocs>=1.6,<1.7')"
        )


def write_page(
    page: Page,
    config: MkDocsConfig,
    files: Files,
    doc_files: Sequence[File],
    nav: Navigation,
    env: Environment,
) -> None:
    """Render and write one page exactly as MkDocs writes its own: read its source, run every
    plugin's page events, render its template (``_populate_page``, then ``_build_page``)."""
    mkdocs_build._populate_page(page, config, files)
    mkdocs_build._build_page(page, config, doc_files, nav, env)


def write_page_into(
    folder: str,
    page: Page,
    config: MkDocsConfig,
    files: Files,
    doc_files: Sequence[File],
    nav: Navigation,
    env: Environment,
) -> str:
    """``write_page``, the output written under ``folder`` instead of the site folder (`vanban
    serve`'s quick path renders into a staging folder, then moves the pages into the served one).
    The page's file keeps its site folder: its ``abs_dest_path`` (a ``functools.cached_property``)
    is set for this write only. Returns where the page was written."""
    file = page.file
    site_dir = file.dest_dir
    file.dest_dir = folder
    file.__dict__.pop("abs_dest_path", None)  # the cached property, made again from dest_dir
    try:
        write_page(page, config, files, doc_files, nav, env)
        return file.abs_dest_path
    finally:
        file.dest_dir = site_dir
        file.__dict__.pop("abs_dest_path", None)


def forget_normalized_urls() -> None:
    """MkDocs memoizes every URL path its ``url`` filter normalizes, without a bound
    (``functools.lru_cache(maxsize=None)`` on two helpers): ~1 KB a page, 110 MB at 100,000
    letters. Pure functions, so clearing them now and then changes nothing but memory."""
    for name in URL_CACHES:
        getattr(mkdocs_utils, name).cache_clear()
