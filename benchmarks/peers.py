"""The peers, built from the same corpus in the same run: Pagefind 1.5 and mkdocs-material's search.

- Pagefind indexes the built letter pages (the HTML our build wrote), the way
  a site owner would add it to a static site; only letter pages, as if the
  letter template carried ``data-pagefind-body`` (list pages would add every
  subject four more times and put lists among the results).
- mkdocs-material's own search needs a second MkDocs build of the same
  project with its ``search`` plugin on and material's search box back in the
  header (our theme replaces that box with a form to ``/tim-kiem/``); our
  search export is skipped in that build. Its ``search_index.json`` is what
  every page of such a site downloads.
"""

from __future__ import annotations

import os
import re
import shutil
import sys
from pathlib import Path

from benchmarks.measure import ProcessResult, run_measured

MATERIAL_CONFIG = "mkdocs-material-search.yml"
MATERIAL_SITE = "site-material"
MATERIAL_THEME = "site_theme_material"
NO_BUNDLE = "{#- No material bundle"
"""Where site_theme/main.html starts leaving material's bundle out (the rest of the file)."""


def letter_pages(site: Path) -> list[Path]:
    """``site/van-ban/<id>/index.html`` of every letter: the folders that also hold the original file."""
    pages = []
    for folder in sorted((site / "van-ban").iterdir()):
        page = folder / "index.html"
        if page.exists() and any(p.suffix.lower() == ".txt" for p in folder.iterdir()):
            pages.append(page)
    return pages


def pagefind_index(site: Path, work: Path) -> tuple[ProcessResult, Path]:
    """Run Pagefind over the letter pages; returns the run and the directory to serve."""
    source, served = work / "pagefind-source", work / "pagefind-site"
    for directory in (source, served):
        if directory.exists():
            shutil.rmtree(directory)
    for page in letter_pages(site):
        target = source / page.relative_to(site)
        target.parent.mkdir(parents=True, exist_ok=True)
        os.link(page, target)  # same bytes, no copy
    served.mkdir(parents=True)
    result = run_measured(
        [sys.executable, "-m", "pagefind", "--site", str(source), "--output-path", str(served / "pagefind")],
        cwd=work,
    )
    return result, served


def material_variant(project: Path) -> Path:
    """A config for the same project with material's search on; returns its path.

    The theme override is a copy of ours without ``partials/search.html``, so
    that material's own search dialog is in the header again, and with material's
    bundle loaded again (our pages leave it out; its search needs it).
    """
    theme = project / MATERIAL_THEME
    if theme.exists():
        shutil.rmtree(theme)
    shutil.copytree((project / "site_theme").resolve(), theme)
    (theme / "partials" / "search.html").unlink(missing_ok=True)
    (theme / "partials" / "javascripts" / "base.html").unlink(missing_ok=True)
    main = (theme / "main.html").read_text(encoding="utf-8")
    if NO_BUNDLE not in main:
        raise RuntimeError("site_theme/main.html has changed shape: cannot put material's bundle back")
    (theme / "main.html").write_text(main[: main.index(NO_BUNDLE)], encoding="utf-8")
    text = (project / "mkdocs.yml").read_text(encoding="utf-8")
    text, themed = re.subn(r"(?m)^(\s*custom_dir:\s*)site_theme\s*$", rf"\g<1>{MATERIAL_THEME}", text)
    text, sited = re.subn(r"(?m)^site_dir:.*$", f"site_dir: {MATERIAL_SITE}", text)
    text, plugged = re.subn(r"(?m)^plugins:\s*$", "plugins:\n  - search", text)
    if not (themed and sited and plugged):
        raise RuntimeError("mkdocs.yml has changed shape: cannot derive the material-search variant")
    config = project / MATERIAL_CONFIG
    config.write_text(text, encoding="utf-8")
    return config
