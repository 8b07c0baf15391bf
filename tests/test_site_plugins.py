"""Other MkDocs plugins see each letter's body where MkDocs plugins look for a page's HTML."""

from __future__ import annotations

import json
from pathlib import Path

from conftest import make_project, run_mkdocs

from builder.archive import read_archive


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
