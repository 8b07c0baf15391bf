"""Other MkDocs plugins see each letter's body where MkDocs plugins look for a page's HTML."""

from __future__ import annotations

import json
from pathlib import Path

from conftest import make_project, run_mkdocs

from builder.archive.read import read_archive


def test_material_search_indexes_the_letter_bodies(tmp_path: Path) -> None:
    """Letter bodies are rendered when their page is written (on_page_context); a plugin reading
    ``page.content`` in that event (material's own search does) must still find the body."""
    project = make_project(tmp_path / "project")
    config = project / "mkdocs.yml"
    config.write_text(config.read_text(encoding="utf-8").replace("plugins:\n", "plugins:\n  - search\n", 1))
    result = run_mkdocs(project)
    assert result.returncode == 0, result.stderr[-2000:]
    docs = json.loads((project / "site" / "search" / "search_index.json").read_text(encoding="utf-8"))["docs"]
    text_by_page: dict[str, str] = {}
    for doc in docs:
        page = doc["location"].split("#")[0]
        text_by_page[page] = text_by_page.get(page, "") + " " + doc["text"]
    for letter in read_archive(project / "content").letters:
        last_paragraph = letter.noi_dung.strip().split("\n")[-1]
        words = " ".join(last_paragraph.split()[-4:]).rstrip("./")
        assert words in text_by_page.get(f"van-ban/{letter.id}/", ""), letter.id


PAGE_EVENTS = ("pre_page", "page_markdown", "page_content", "page_context", "post_page")

RECORDING_HOOKS = """
import gc, json, weakref
from pathlib import Path

seen, pages = {}, {}

def _saw(page, event):
    seen.setdefault(page.file.src_uri, []).append(event)

def on_pre_page(page, config, files):
    _saw(page, "pre_page")
    pages[page.file.src_uri] = weakref.ref(page)
    return page

def on_page_markdown(markdown, page, config, files):
    _saw(page, "page_markdown")
    return markdown

def on_page_content(html, page, config, files):
    _saw(page, "page_content")
    return html

def on_page_context(context, page, config, nav):
    _saw(page, "page_context")
    return context

def on_post_page(output, page, config):
    _saw(page, "post_page")
    return output

def on_post_build(config):
    gc.collect()
    alive = sorted(uri for uri, page in pages.items() if page() is not None)
    out = Path(config.config_file_path).parent / "events.json"
    out.write_text(json.dumps({"seen": seen, "alive": alive}))
"""


def _build_with_hooks(tmp_path: Path, hooks: str, written: str, page_size: int = 20) -> tuple[Path, dict]:
    """A sample project built with this MkDocs hooks file; what the hooks wrote to ``written``."""
    project = make_project(tmp_path / "project")
    (project / "hooks.py").write_text(hooks, encoding="utf-8")
    config = project / "mkdocs.yml"
    text = config.read_text(encoding="utf-8").replace("page_size: 20", f"page_size: {page_size}")
    config.write_text(text + "\nhooks:\n  - hooks.py\n", encoding="utf-8")
    result = run_mkdocs(project)
    assert result.returncode == 0, result.stderr[-2000:]
    return project, json.loads((project / written).read_text(encoding="utf-8"))


def test_pages_written_one_at_a_time_see_every_page_event_and_are_let_go(tmp_path: Path) -> None:
    """Letter pages and a list's later pages are not MkDocs' own (it keeps every page it builds
    until the build ends); other plugins must still see each through every page event, and
    nothing may keep them once written. A list's first page is MkDocs' own, and stays."""
    project, recorded = _build_with_hooks(tmp_path, RECORDING_HOOKS, "events.json", page_size=2)
    letters = [f"van-ban/{x.id}/index.md" for x in read_archive(project / "content").letters]
    one_at_a_time = [*letters, "van-ban/trang-1/index.md"]  # 5 letters, 2 a page: 3 + 2
    for uri in one_at_a_time:
        assert recorded["seen"].get(uri) == list(PAGE_EVENTS), uri
        assert uri not in recorded["alive"], uri
        assert (project / "site" / uri.replace(".md", ".html")).is_file(), uri
    assert recorded["seen"]["van-ban/index.md"] == list(PAGE_EVENTS)
    assert "van-ban/index.md" in recorded["alive"]


COUNTING_HOOKS = """
import gc, json
from pathlib import Path
from mkdocs.plugins import event_priority
from builder.letters.letter import Letter

def _letters_held():
    gc.collect()
    return sum(1 for o in gc.get_objects() if type(o) is Letter)

def on_env(env, config, files):
    global before
    before = _letters_held()
    return env

@event_priority(-200)  # after the vanban plugin's own on_post_build
def on_post_build(config):
    out = Path(config.config_file_path).parent / "letters-held.json"
    out.write_text(json.dumps({"before": before, "after": _letters_held()}))
"""


def test_the_build_lets_go_of_its_letters_once_every_page_is_written(tmp_path: Path) -> None:
    """The plan, and through it every letter's metadata, is let go once the pages and the sitemap
    are written: at archive scale it is most of the build process, and the search stage may still
    be at its own peak then. The hook counts the letters the build process holds."""
    project, held = _build_with_hooks(tmp_path, COUNTING_HOOKS, "letters-held.json")
    assert held["before"] >= len(read_archive(project / "content").letters) > 0
    assert held["after"] == 0
