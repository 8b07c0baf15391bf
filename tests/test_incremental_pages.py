"""Incremental builds render only the pages whose inputs changed and carry the others over
from the last good site, and the result is the site a clean build of the same project gives,
byte for byte: after a letter is added, edited, withdrawn, deleted or renamed, after the
registry, a template or mkdocs.yml changes.

One project is changed step by step and built after each step (its cache and last site
kept); after each, a fresh copy of it (no cache, no site) is built clean and the two trees
compared. The log says how many pages were rendered and how many carried over.
"""

from __future__ import annotations

import json
import re
import shutil
from dataclasses import dataclass
from pathlib import Path

import pytest
from conftest import REPO, make_project, run_mkdocs
from jinja2 import DictLoader, Environment

from builder.archive.read import read_archive
from builder.publish import carry_over, incremental
from builder.publish.incremental import FINGERPRINTS, CarryOver, Fingerprints, TemplateInputs
from builder.publish.site_pages import letter_view, plan_site, view_of
from builder.publish.views import LETTER_TEMPLATE
from builder.settings import Settings

STEPS = (
    "nothing",
    "add",
    "edit",
    "withdraw",
    "delete",
    "rename",
    "registry",
    "template-same",
    "template",
    "config",
)
"""In order: each step changes the project as it was left by the one before."""
SEED = "002_1df910771a3bcb65.txt"
EDITED = "004_8b77143a53b7dc4f.txt"
WITHDRAWN = "003_e735ed85d8d8326f.txt"
DELETED = "001_c4338ab285b75807.txt"
RENAMED = ("000_7b39c955ad7f8a28.txt", "2021/cv-muong-te-da-doi-ten.txt")


def _tree(site: Path) -> dict[str, bytes]:
    return {p.relative_to(site).as_posix(): p.read_bytes() for p in sorted(site.rglob("*")) if p.is_file()}


@dataclass
class Step:
    name: str
    log: str
    files: dict[str, bytes]
    clean: dict[str, bytes]
    inodes: dict[str, int]

    def counts(self) -> tuple[int, int]:
        found = re.search(r"vanban: dựng (\d+) trang, giữ nguyên (\d+) trang", self.log)
        assert found, self.log
        return int(found.group(1)), int(found.group(2))


def _added_letter(number: int) -> str:
    text = (REPO / "content" / SEED).read_text(encoding="utf-8")
    return text.replace("Số: 2642/UBND-VX", f"Số: {number}/UBND-VX", 1).replace(
        "V/v tăng cường", f"V/v lần {number} tăng cường", 1
    )


def _clean_copy(project: Path, root: Path) -> Path:
    """The project as it now is, without its cache or site (its theme a copy of the project's)."""
    clean = root / "clean"
    shutil.rmtree(clean, ignore_errors=True)
    clean.mkdir()
    for name in ("mkdocs.yml", "content", "pages", "site_theme"):
        source = project / name
        if source.is_dir():
            shutil.copytree(source, clean / name, symlinks=False)
        else:
            shutil.copy(source, clean / name)
    return clean


def _inodes(site: Path) -> dict[str, int]:
    return {p.relative_to(site).as_posix(): p.stat().st_ino for p in site.rglob("*.html")}


ENTRY_PAGES = 12
"""MkDocs' own pages among the generated ones: the seeds' 11 lists' first pages and the search
page; carried over as the others are (the plugin gives MkDocs the last good site's HTML)."""
QUICK = ("nothing", "add", "template")
"""The steps of the default test run (each is two builds); the others are marked slow."""


@pytest.fixture(scope="module")
def quick_steps(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Step]:
    return _steps(tmp_path_factory, QUICK)


@pytest.fixture(scope="module")
def steps(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Step]:
    return _steps(tmp_path_factory, STEPS)


def _steps(tmp_path_factory: pytest.TempPathFactory, wanted: tuple[str, ...]) -> dict[str, Step]:
    root = tmp_path_factory.mktemp("incremental-pages")
    project = make_project(root / "project")
    theme = project / "site_theme"  # a copy the test may change (make_project links the repo's)
    theme.unlink()
    shutil.copytree(REPO / "site_theme", theme)
    content = project / "content"

    def build(name: str) -> Step | None:
        if name not in wanted:
            return None
        before = _inodes(project / "site") if (project / "site").is_dir() else {}
        result = run_mkdocs(project)
        assert result.returncode == 0, result.stdout + result.stderr
        clean_project = _clean_copy(project, root)
        clean = run_mkdocs(clean_project)
        assert clean.returncode == 0, clean.stdout + clean.stderr
        after = _inodes(project / "site")
        kept = {path: inode for path, inode in after.items() if before.get(path) == inode}
        return Step(
            name, result.stdout + result.stderr, _tree(project / "site"), _tree(clean_project / "site"), kept
        )

    results = {}
    run_mkdocs(project)  # the first build: nothing to carry over
    results["nothing"] = build("nothing")
    (content / "2021").mkdir(exist_ok=True)
    (content / "2021" / "cv-2701.txt").write_text(_added_letter(2701), encoding="utf-8")
    results["add"] = build("add")
    edited = content / EDITED
    edited.write_text(edited.read_text(encoding="utf-8").replace("15/9/2021", "17/9/2021"), encoding="utf-8")
    results["edit"] = build("edit")
    withdrawn = content / WITHDRAWN
    withdrawal = '---\nthu_hoi:\n  ngay: 2021-12-01\n  ly_do: "Đăng nhầm"\n---\n'
    withdrawn.write_text(withdrawal + withdrawn.read_text(encoding="utf-8"), encoding="utf-8")
    results["withdraw"] = build("withdraw")
    (content / DELETED).unlink()
    results["delete"] = build("delete")
    (content / RENAMED[0]).rename(content / RENAMED[1])
    results["rename"] = build("rename")
    registry = content / "co-quan-ban-hanh.yml"
    registry.write_text(
        registry.read_text(encoding="utf-8").replace("slug: ubnd-tinh-lai-chau", "slug: ubnd-lai-chau"),
        encoding="utf-8",
    )
    results["registry"] = build("registry")
    template = theme / "van-ban.html"
    template.write_text(template.read_text(encoding="utf-8") + "\n{#- a comment -#}\n", encoding="utf-8")
    results["template-same"] = build("template-same")
    macros = theme / "partials" / "vb-macros.html"
    macros.write_text(macros.read_text(encoding="utf-8").replace("Không ghi", "Không có"), encoding="utf-8")
    results["template"] = build("template")
    config = project / "mkdocs.yml"
    config.write_text(
        config.read_text(encoding="utf-8").replace("page_size: 20", "page_size: 2"), encoding="utf-8"
    )
    results["config"] = build("config")
    return {name: step for name, step in results.items() if step is not None}


@pytest.mark.parametrize("name", QUICK)
def test_an_incremental_build_is_a_clean_build(quick_steps: dict[str, Step], name: str) -> None:
    _same_as_clean(quick_steps[name])


@pytest.mark.slow
@pytest.mark.parametrize("name", STEPS)
def test_every_kind_of_change_builds_as_a_clean_build(steps: dict[str, Step], name: str) -> None:
    _same_as_clean(steps[name])


def _same_as_clean(step: Step) -> None:
    incremental, clean = step.files, step.clean
    assert sorted(incremental) == sorted(clean), {
        "only in the incremental build": sorted(set(incremental) - set(clean)),
        "only in the clean build": sorted(set(clean) - set(incremental)),
    }
    differ = [path for path in incremental if incremental[path] != clean[path]]
    assert not differ, f"{step.name}: files that differ from a clean build: {differ}"
    assert FINGERPRINTS in incremental


def test_nothing_changed_renders_nothing(quick_steps: dict[str, Step]) -> None:
    step = quick_steps["nothing"]
    assert step.counts() == (0, 5 + ENTRY_PAGES)
    assert "không đổi: giữ nguyên từ lần dựng trước" in step.log
    assert any(path.startswith("van-ban/") for path in step.inodes), "pages are hard links, not rewritten"


def test_one_letter_renders_only_its_own_page(quick_steps: dict[str, Step]) -> None:
    rendered, carried = quick_steps["add"].counts()
    # The new letter's page, and the lists' first pages: their browse links count the letters.
    # Every letter's page and the search page carried over.
    assert rendered == 1 + ENTRY_PAGES - 1 and carried == 5 + 1, quick_steps["add"].log
    assert "không đổi: giữ nguyên từ lần dựng trước" not in quick_steps["add"].log


def test_a_template_change_renders_every_page(quick_steps: dict[str, Step]) -> None:
    assert quick_steps["template"].counts()[1] == 0


@pytest.mark.slow
def test_an_edit_renders_one_page_and_the_configuration_every_page(steps: dict[str, Step]) -> None:
    assert steps["edit"].counts() == (1, 5 + ENTRY_PAGES)
    assert steps["config"].counts()[1] == 0


@pytest.mark.slow
def test_a_deleted_or_renamed_letter_leaves_no_page(steps: dict[str, Step]) -> None:
    deleted_id = DELETED.removesuffix(".txt").replace("_", "-")
    assert not any(deleted_id in path for path in steps["delete"].files)
    old_id = RENAMED[0].removesuffix(".txt").replace("_", "-")
    assert not any(old_id in path for path in steps["rename"].files)
    assert any("cv-muong-te-da-doi-ten" in path for path in steps["rename"].files)


def test_template_variables_are_kept_for_the_next_build(quick_steps: dict[str, Step]) -> None:
    """The variables each page template reads are found once per site key, not on every build
    (finding them parses every template a page reaches)."""
    kept = json.loads(quick_steps["nothing"].files[FINGERPRINTS])["templates"]
    assert "vb_letter" in kept["van-ban.html"]


def test_known_template_variables_are_not_looked_for_again() -> None:
    inputs = TemplateInputs(Environment(loader=DictLoader({})), known={"van-ban.html": ["vb_letter"]})
    assert inputs.names("van-ban.html") == frozenset({"vb_letter"})  # not there to be parsed
    assert inputs.names("other.html") is None  # not known and not found: every variable counts
    assert inputs.found == {"van-ban.html": ["vb_letter"], "other.html": None}


def test_a_letter_page_is_fingerprinted_without_its_view(tmp_path: Path) -> None:
    """A letter page's fingerprint holds what its view is made from besides the letter (its
    links to other letters, its original, its fields, its legal effect), not the view: a
    carried page's view (its JSON-LD above all) is never made. The view made from those alone
    is the view."""
    archive = read_archive(REPO / "content")
    settings = Settings()
    plan = plan_site(archive, settings, site_url="https://example.org/")
    carry = CarryOver(None, tmp_path, Fingerprints(), Fingerprints(site="key"))
    inputs = TemplateInputs(Environment(loader=DictLoader({})), known={LETTER_TEMPLATE: ["vb_letter"]})
    digests = {letter.id: incremental.letter_digest(letter) for letter in plan.letters}
    for page in plan.pages.values():
        if page.letter is None:
            continue
        fingerprint, context = carry_over.page_fingerprint(carry, plan, digests, page, inputs)
        assert context is None and fingerprint
        view = letter_view(page.letter, archive, settings, "https://example.org/")
        assert plan.context_for(page.src_uri)["vb_letter"] == view
        links = plan.letter_links(page.letter) if plan.letter_links else None
        assert links is not None and view_of(page.letter, links, settings, "https://example.org/") == view
