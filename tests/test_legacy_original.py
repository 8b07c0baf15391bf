"""A letter committed in a legacy encoding (VNI, VISCII, TCVN3 …) is offered as it was committed,
byte for byte, and as UTF-8 text that a browser opens readably (served by deploy/nginx.conf, which
labels every .txt UTF-8); a UTF-8 letter keeps its one download."""

from __future__ import annotations

from pathlib import Path

import pytest
from conftest import REPO, SEED_IDS, make_project, run_mkdocs
from test_nginx import Nginx

from builder.text import legacy_tables
from builder.text.decoding import decode

VNI_SEED = "004_8b77143a53b7dc4f.txt"
VISCII_SEED = "003_e735ed85d8d8326f.txt"


def _committed() -> dict[str, bytes]:
    vni = (REPO / "content" / VNI_SEED).read_text(encoding="utf-8")
    viscii = (REPO / "content" / VISCII_SEED).read_text(encoding="utf-8")
    viscii = viscii.translate(str.maketrans({"–": "-", "“": '"', "”": '"'}))  # not in VISCII
    return {
        VNI_SEED: legacy_tables.unicode_to_vni(vni).encode("cp1252"),
        VISCII_SEED: legacy_tables.viscii_encode(viscii),
    }


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    project = make_project(tmp_path_factory.mktemp("legacy") / "project", letters=_committed())
    result = run_mkdocs(project)
    assert result.returncode == 0, result.stdout + result.stderr
    return project / "site"


@pytest.mark.parametrize(("seed", "label"), [(VNI_SEED, "VNI Windows"), (VISCII_SEED, "VISCII")])
def test_original_as_committed_and_as_utf8(site: Path, seed: str, label: str) -> None:
    committed = _committed()[seed]
    folder = site / "van-ban" / SEED_IDS[seed[:3]]
    assert (folder / seed).read_bytes() == committed  # as it was
    copy = folder / seed.replace(".txt", ".utf-8.txt")
    assert copy.read_text(encoding="utf-8") == decode(committed, seed).text
    assert "Độc lập - Tự do - Hạnh phúc" in copy.read_text(encoding="utf-8")
    page = (folder / "index.html").read_text(encoding="utf-8")
    assert f'href="{copy.name}" download="{copy.name}"' in page
    assert f'href="{seed}" download="{seed}"' in page and f"bảng mã {label}" in page


def test_a_utf8_letter_has_no_copy(site: Path) -> None:
    folder = site / "van-ban" / SEED_IDS["002"]
    assert not list(folder.glob("*.utf-8.txt"))
    assert "Tải tệp gốc dạng chữ (002_1df910771a3bcb65.txt)" in (folder / "index.html").read_text(
        encoding="utf-8"
    )


@pytest.mark.browser
@pytest.mark.parametrize("width", [360, 1280])
def test_chromium_opens_the_utf8_copy_readably(site: Path, browser, tmp_path: Path, width: int) -> None:
    server = Nginx(tmp_path / "nginx", site)
    context = browser.new_context(viewport={"width": width, "height": 800}, locale="vi-VN")
    try:
        page = context.new_page()
        page.goto(f"{server.url}/van-ban/{SEED_IDS['004']}/")
        utf8 = page.locator("a.vb-utf8")
        original = page.locator("a.vb-legacy-original")
        assert utf8.is_visible() and original.is_visible()
        assert "UTF-8" in utf8.inner_text() and "VNI Windows" in original.inner_text()
        page.goto(f"{server.url}/van-ban/{SEED_IDS['004']}/{utf8.get_attribute('href')}")
        text = page.inner_text("body")
        assert "Độc lập - Tự do - Hạnh phúc" in text and "Lại Như Long" in text, text[:300]
    finally:
        context.close()
        server.stop()
