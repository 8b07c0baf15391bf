"""``vanban build`` and ``vanban serve``: MkDocs' own commands, with its log shown."""

from __future__ import annotations

import logging
from pathlib import Path


def _show_mkdocs_log() -> None:
    """MkDocs' CLI installs a log handler; called from ours, do the same (plain lines)."""
    logger = logging.getLogger("mkdocs")
    if not logger.handlers:
        handler = logging.StreamHandler()
        handler.setFormatter(logging.Formatter("%(levelname)-7s -  %(message)s"))
        logger.addHandler(handler)
    logger.setLevel(logging.INFO)


def build_site(config_file: Path, strict: bool = False) -> None:
    """Exactly ``mkdocs build -f config_file``: startup, build, shutdown events included."""
    from mkdocs.commands.build import build
    from mkdocs.config import load_config

    _show_mkdocs_log()
    config = load_config(str(config_file), strict=strict)
    config.plugins.on_startup(command="build", dirty=False)
    try:
        build(config)
    finally:
        config.plugins.on_shutdown()


def serve_site(config_file: Path, dev_addr: str) -> None:
    """``mkdocs serve -f config_file -a dev_addr``: rebuilds when content/ changes; a failed build
    is shown in the browser over the last good site (builder.publish.serve_preview)."""
    from builder.publish.serve_preview import serve_preview

    _show_mkdocs_log()
    serve_preview(config_file, dev_addr)
