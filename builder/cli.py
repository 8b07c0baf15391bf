"""The ``vanban`` command: thin wrappers that turn options into library calls.

Each command reads its settings from ``mkdocs.yml`` (``--config``), calls one
function of the stage it belongs to and prints the result; no logic lives here.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

import click

from builder.letter import Diagnostic, Severity
from builder.settings import Settings, load_settings

CONFIG_OPTION = click.option(
    "--config",
    "config_file",
    type=click.Path(path_type=Path, dir_okay=False),
    default=Path("mkdocs.yml"),
    show_default=True,
    help="Tệp cấu hình MkDocs có mục plugin vanban.",
)


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
def main() -> None:
    """Cổng văn bản: kiểm tra, chuẩn hóa, lập chỉ mục và xuất bản văn bản."""


def settings_for(config_file: Path) -> Settings:
    """Settings from ``config_file``, or the defaults when there is none."""
    if config_file.exists():
        return load_settings(config_file)
    return Settings().resolve(Path.cwd())


def print_diagnostics(diagnostics: list[Diagnostic]) -> None:
    """Print problems for people, and as annotations when running under GitHub Actions."""
    annotate = os.environ.get("GITHUB_ACTIONS") == "true"
    for diagnostic in diagnostics:
        click.echo(str(diagnostic), err=True)
        if annotate:
            click.echo(diagnostic.github_annotation())


def exit_code(diagnostics: list[Diagnostic]) -> int:
    """1 when any diagnostic is an error."""
    return 1 if any(d.severity is Severity.ERROR for d in diagnostics) else 0


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
