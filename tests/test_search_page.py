"""The search page in headless Chromium, on really built sites: the header box, results,
highlighting, filters, sorting, the URL and the back button, escaping, and the
browser's ranking equal to ``vanban search --json``."""

from __future__ import annotations

import json
import re
from pathlib import Path
from urllib.parse import parse_qs, quote, urlparse

import pytest
from click.testing import CliRunner
from conftest import REPO, SEED_IDS, run_mkdocs

from builder.cli import main
from builder.search.analysis import analyze_document

pytestmark = pytest.mark.browser

ROOT = "[data-vb-search]"


def wait_done(page) -> list[str]:
    """Wait until the page has rendered a search; the result ids in rank order."""
    page.wait_for_selector(f"{ROOT}[data-state=done]", timeout=20_000)
    return json.loads(page.get_attribute(ROOT, "data-results"))


def rerender(page, action) -> list[str]:
    page.evaluate(f"document.querySelector('{ROOT}').dataset.state = ''")
    action()
    return wait_done(page)


def open_search(page, base: str, query: str, extra: str = "") -> list[str]:
    page.goto(f"{base}/tim-kiem/?q={quote(query)}{extra}")
    return wait_done(page)


def cli_ranking(project: Path, query: str, *options: str) -> list[str]:
    result = CliRunner().invoke(
        main, ["search", "--json", "--limit", "10", "--config", str(project / "mkdocs.yml"), *options, query]
    )
    assert result.exit_code == 0, result.output
    return [hit["id"] for hit in json.loads(result.output)]


def test_header_box_leads_to_highlighted_results(page, seed_url: str) -> None:
    page.goto(f"{seed_url}/")
    box = page.locator("header input[name=q]")
    box.fill("phong chong dich")
    box.press("Enter")
    page.wait_for_url(re.compile(r"/tim-kiem/\?q=phong(\+|%20)chong(\+|%20)dich$"))
    found = wait_done(page)
    assert set(found) == set(SEED_IDS.values())
    assert page.locator("[role=status]").inner_text() == "Tìm thấy 5 văn bản cho “phong chong dich”."
    assert page.locator(".vb-hit").count() == 5
    first = page.locator(".vb-hit").first
    assert "2642/UBND-VX" in first.locator(".vb-hit__meta").inner_text()
    assert "26/08/2021" in first.locator(".vb-hit__meta").inner_text()
    assert "Ủy ban nhân dân tỉnh Lai Châu" in first.locator(".vb-hit__meta").inner_text()
    href = first.locator("h2 a").get_attribute("href")
    assert href.endswith(f"/van-ban/{SEED_IDS['002']}/")
    marks = page.locator(".vb-hit mark").all_inner_texts()
    assert len(marks) >= 10
    assert all({"phong", "chong", "dich"} & set(analyze_document(mark)) for mark in marks), marks
    assert {"phòng", "chống", "dịch"} <= {mark.lower() for mark in marks}
    assert page.locator(f"{ROOT} input[name=q]").input_value() == "phong chong dich"


def test_filter_sort_url_and_back_button(page, seed_url: str) -> None:
    by_relevance = open_search(page, seed_url, "phòng, chống dịch")
    assert len(by_relevance) == 5
    issuer = page.locator("select[name=co_quan]")
    if not issuer.is_visible():
        page.locator("details.vb-tim-kiem__more summary").click()
    options = issuer.locator("option").all_inner_texts()
    assert "UBND tỉnh Lai Châu (1)" in options  # the full name is on the result cards
    assert "UBND huyện Mường Tè (2)" in options
    found = rerender(page, lambda: issuer.select_option(label="UBND tỉnh Lai Châu (1)"))
    assert found == [SEED_IDS["002"]]
    query = parse_qs(urlparse(page.url).query)
    assert query == {"q": ["phòng, chống dịch"], "co_quan": ["ubnd-tinh-lai-chau"]}  # the list page's slug
    assert page.locator("[role=status]").inner_text().startswith("Tìm thấy 1 văn bản")
    assert page.locator("select[name=nam] option").all_inner_texts() == ["Mọi năm", "2021 (1)"]

    found = rerender(page, page.go_back)
    assert len(found) == 5 and issuer.input_value() == ""
    found = rerender(page, lambda: page.locator("select[name=sap_xep]").select_option("moi-nhat"))
    assert found == [SEED_IDS[key] for key in ("001", "003", "004", "000", "002")]
    assert "sap_xep=moi-nhat" in page.url
    found = rerender(page, page.go_back)
    assert found == by_relevance and "sap_xep" not in page.url


def test_issuer_filter_by_the_slug_of_its_list_page(page, seed_url: str, seed_project: Path) -> None:
    """The slug in ``/van-ban/co-quan/<slug>/`` filters the search page and ``vanban search``."""
    assert (seed_project / "site" / "van-ban" / "co-quan" / "ubnd-huyen-muong-te").is_dir()
    found = open_search(page, seed_url, "phong chong dich", "&co_quan=ubnd-huyen-muong-te")
    expected = cli_ranking(seed_project, "phong chong dich", "--co-quan", "ubnd-huyen-muong-te")
    assert found == expected and set(found) == {SEED_IDS["000"], SEED_IDS["001"]}
    assert page.locator("select[name=co_quan]").input_value() == "ubnd-huyen-muong-te"
    by_name = cli_ranking(seed_project, "phong chong dich", "--co-quan", "Ủy ban nhân dân huyện Mường Tè")
    assert by_name == expected
    old_link = open_search(
        page, seed_url, "phong chong dich", f"&co_quan={quote('Ủy ban nhân dân huyện Mường Tè')}"
    )
    assert old_link == expected


def test_a_signer_query_marks_the_name_and_the_card_shows_the_signer(page, seed_url: str) -> None:
    """The card shows number, issuer, date, type and signer; a name typed marks the name, not
    the same syllables elsewhere ("năm 2021", "Hải" alone)."""
    found = open_search(page, seed_url, "kieu hai nam")
    assert set(found) == {SEED_IDS["000"], SEED_IDS["001"]}
    for card in page.locator(".vb-hit").all():
        meta = card.locator(".vb-hit__meta").inner_text()
        assert "Kiều Hải Nam" in meta and "Ủy ban nhân dân huyện Mường Tè" in meta
        marks = [mark.lower() for mark in card.locator("mark").all_inner_texts()]
        assert marks and set(marks) == {"kiều", "hải", "nam"}, marks
        assert card.locator(".vb-hit__meta mark").count() == 3


def test_date_range_and_signer_filters_in_the_page_the_url_and_the_cli(
    page, seed_url: str, seed_project: Path
) -> None:
    """From a link, from the fields, and with no words typed: what ``vanban search`` finds."""
    days = "&tu_ngay=2021-08-26&den_ngay=2021-09-09"
    found = open_search(page, seed_url, "phong chong dich", days)
    expected = cli_ranking(
        seed_project, "phong chong dich", "--tu-ngay", "26/8/2021", "--den-ngay", "2021-09-09"
    )
    assert found == expected and set(found) == {SEED_IDS[key] for key in ("002", "004", "000")}
    assert page.locator("input[name=tu_ngay]").input_value() == "2021-08-26"
    assert page.locator("input[name=den_ngay]").is_visible()  # a link with a filter shows the filters
    found = open_search(page, seed_url, "phong chong dich", f"&nguoi_ky={quote('kieu hai nam')}")
    assert found == cli_ranking(seed_project, "phong chong dich", "--nguoi-ky", "Kiều Hải Nam")
    assert set(found) == {SEED_IDS["000"], SEED_IDS["001"]}
    # The fields write the URL; with no words typed, the letters are listed newest first.
    page.goto(f"{seed_url}/tim-kiem/")
    wait_done(page)
    if not page.locator("input[name=nguoi_ky]").is_visible():
        page.locator("details.vb-tim-kiem__more summary").click()
    signer = page.locator("input[name=nguoi_ky]")
    signer.focus()
    page.wait_for_function("document.querySelectorAll('#vb-tk-signers option').length === 4")
    found = rerender(page, lambda: (signer.fill("Kiều Hải Nam"), signer.press("Enter")))
    assert found == [SEED_IDS["001"], SEED_IDS["000"]]
    found = rerender(page, lambda: page.locator("input[name=tu_ngay]").fill("2021-10-01"))
    assert found == [SEED_IDS["001"]]
    assert parse_qs(urlparse(page.url).query) == {"tu_ngay": ["2021-10-01"], "nguoi_ky": ["Kiều Hải Nam"]}
    found = rerender(page, page.go_back)
    assert len(found) == 2 and page.locator("input[name=tu_ngay]").input_value() == ""


def test_filters_fit_a_phone_screen(page, seed_url: str) -> None:
    """No horizontal scrolling, and every label, list entry and hint is shown whole."""
    open_search(page, seed_url, "phong chong dich")
    if not page.locator("select[name=co_quan]").is_visible():
        page.locator("details.vb-tim-kiem__more summary").click()
    overflow = page.evaluate("document.documentElement.scrollWidth - document.documentElement.clientWidth")
    assert overflow <= 0
    cut = page.evaluate(
        """() => {
        const canvas = document.createElement("canvas").getContext("2d");
        const width = (text, element) => {
          const style = getComputedStyle(element);
          canvas.font = `${style.fontWeight} ${style.fontSize} ${style.fontFamily}`;
          return canvas.measureText(text).width;
        };
        const room = (element) => {
          const style = getComputedStyle(element);
          return element.clientWidth - parseFloat(style.paddingLeft) - parseFloat(style.paddingRight);
        };
        const cut = [];
        const fields = document.querySelectorAll(".vb-tim-kiem__filters label");
        for (const label of fields) {
          const text = label.firstChild.textContent.trim();
          if (width(text, label) > label.clientWidth) cut.push(text);
          const field = label.querySelector("select, input");
          const right = document.documentElement.clientWidth;
          if (field.getBoundingClientRect().right > right) cut.push(field.name);
          // A select's arrow takes ~24 px; every entry must fit beside it.
          const select = field.tagName === "SELECT";
          const texts = select ? [...field.options].map((o) => o.text) : [field.placeholder];
          const spare = select ? 24 : 0;
          for (const t of texts) if (t && width(t, field) + spare > room(field)) cut.push(t);
        }
        return cut;
      }"""
    )
    assert cut == [], cut


def test_a_kind_and_number_query_marks_the_number(page, seed_url: str) -> None:
    """ "công văn 2642" marks 2642 where it is the letter's number, not the number elsewhere."""
    found = open_search(page, seed_url, "công văn 2642")
    assert found[0] == SEED_IDS["002"]
    card = page.locator(".vb-hit").first
    assert card.locator(".vb-hit__meta mark").all_inner_texts() == ["2642"]
    assert "2642" in card.locator(".vb-hit__meta").inner_text()


def test_the_empty_search_page_offers_every_filter_with_its_count(page, seed_url: str) -> None:
    page.goto(f"{seed_url}/tim-kiem/")
    assert wait_done(page) == []
    assert option_counts(page, "co_quan")["ubnd-tinh-lai-chau"] == 1
    assert option_counts(page, "co_quan")["ubnd-huyen-muong-te"] == 2
    assert sum(option_counts(page, "nam").values()) == sum(option_counts(page, "loai").values()) == 5
    assert "Nhập từ khóa" in page.locator("[role=status]").inner_text()


def test_number_date_and_nothing_found(page, seed_url: str) -> None:
    assert open_search(page, seed_url, "2642/ubnd-vx")[0] == SEED_IDS["002"]
    assert open_search(page, seed_url, "24-9-2021") == [SEED_IDS["000"]]
    for typed in ("thang 8 2021", "tháng 8/2021", "26 thang 8 2021", "2021-08-26"):  # as people type
        assert SEED_IDS["002"] in open_search(page, seed_url, typed), typed
    assert open_search(page, seed_url, "cộng hoà") == open_search(page, seed_url, "cộng hòa")
    assert open_search(page, seed_url, "tàu ngầm") == []
    assert "Không tìm thấy văn bản nào" in page.locator("[role=status]").inner_text()
    assert page.locator(".vb-hit").count() == 0


def test_accessible_markup_and_noscript(page, seed_url: str) -> None:
    page.goto(f"{seed_url}/tim-kiem/")
    wait_done(page)
    field = page.locator(f"{ROOT} input[name=q]")
    label = page.locator(f"label[for={field.get_attribute('id')}]")
    assert label.inner_text().strip()
    status = page.locator(f"{ROOT} [role=status]")
    assert status.get_attribute("aria-live") == "polite"
    assert "Nhập từ khóa" in status.inner_text()
    html = page.content()
    assert "<noscript>" in html and "danh sách tất cả văn bản" in html
    for name in ("co_quan", "nam", "loai", "sap_xep"):
        assert page.locator(f"label:has(select[name={name}])").count() == 1
    field.focus()
    page.keyboard.type("kieu hai nam")
    found = rerender(page, lambda: page.keyboard.press("Enter"))
    assert set(found) == {SEED_IDS["000"], SEED_IDS["001"]}
    assert "q=kieu+hai+nam" in page.url


@pytest.mark.parametrize(
    "query",
    [
        "phong chong dich",
        "phòng, chống dịch",
        "2642/ubnd-vx",
        "cộng hoà",
        "quyet dinh",
        "vắc xin",
        "ủy ban nhân dân",
        '"phòng chống dịch"',
        "Covid-19 tỉnh",
        "24/9/2021",
        "xyzzy",
    ],
)
def test_browser_ranking_equals_vanban_search(page, seed_project: Path, seed_url: str, query: str) -> None:
    assert open_search(page, seed_url, query) == cli_ranking(seed_project, query)


# --- a larger archive: tiers, the threshold ranking and escaping ----------------------------

HOSTILE = "<img src=x onerror=\"document.body.dataset.pwned='1'\"><b>phòng</b> &amp; <script>1</script>"


@pytest.fixture(scope="module")
def larger_site(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, str]:
    """300 generated letters (benchmarks.corpus) plus a letter full of HTML, really built."""
    corpus = pytest.importorskip("benchmarks.corpus")
    project = corpus.write_project(tmp_path_factory.mktemp("larger") / "project", 300, seed=7)
    seed = (REPO / "content" / "004_8b77143a53b7dc4f.txt").read_text(encoding="utf-8")
    hostile = seed.replace("V/v tiếp tục triển khai", f"V/v {HOSTILE} tiếp tục triển khai", 1)
    (project / "content" / "hostile.txt").write_text(hostile.replace("Mai Sơn", "Mường Tè"), encoding="utf-8")
    result = run_mkdocs(project)
    assert result.returncode == 0, result.stdout + result.stderr
    return project, ""


@pytest.fixture(scope="module")
def larger_url(larger_site: tuple[Path, str], serve) -> str:
    return serve(larger_site[0] / "site")


def test_letter_text_is_escaped(page, larger_url: str) -> None:
    found = open_search(page, larger_url, "onerror pwned")
    assert len(found) == 1
    title = page.locator(".vb-hit h2").first
    assert "<img src=x" in title.inner_text() and "<script>" in title.inner_text()
    assert page.locator(".vb-results img, .vb-results script, .vb-results b").count() == 0
    assert page.evaluate("document.body.dataset.pwned") is None


def test_browser_ranking_equals_vanban_search_on_a_larger_archive(
    page, larger_site: tuple[Path, str], larger_url: str
) -> None:
    project = larger_site[0]
    queries = ["phong chong dich", "ủy ban nhân dân", "kế hoạch", "quyết định", "tăng cường công tác", "2021"]
    manifest = json.loads((project / "site" / "tim-kiem" / "manifest.json").read_text(encoding="utf-8"))
    assert manifest["docs"] == 301
    for query in queries:
        expected = cli_ranking(project, query)
        assert len(expected) == 10, query
        assert open_search(page, larger_url, query) == expected, query


def test_more_results_button(page, larger_url: str) -> None:
    first = open_search(page, larger_url, "ủy ban nhân dân")
    assert len(first) == 10
    more = page.locator(".vb-more")
    assert more.is_visible()
    found = rerender(page, more.click)
    assert len(found) == 20 and found[:10] == first
    assert page.locator(".vb-hit").count() == 20


def cli_all(project: Path, query: str, *options: str) -> list[str]:
    """Every letter ``vanban search`` finds, in rank order."""
    args = ["search", "--json", "--limit", "100000", "--config", str(project / "mkdocs.yml"), *options, query]
    result = CliRunner().invoke(main, args)
    assert result.exit_code == 0, result.output
    return [hit["id"] for hit in json.loads(result.output)]


def option_counts(page, name: str) -> dict[str, int]:
    """A filter list's entries as {value: count} (its labels read "name (count)"; an issuer's value
    is the slug of its list page)."""
    options = page.eval_on_selector(
        f"select[name={name}]", "select => [...select.options].map((o) => [o.value, o.text])"
    )
    counts = {}
    for value, label in options[1:]:
        match = re.fullmatch(r"(.*) \((\d+)\)", label)
        assert match, label
        counts[value] = int(match[2])
    return counts


def test_filters_and_counts_equal_vanban_search_on_a_larger_archive(
    page, larger_site: tuple[Path, str], larger_url: str
) -> None:
    """Totals, the counts beside each filter value and the filtered top 10 (the page computes
    them on bitmaps of 301 letters, not a multiple of 32) are what whoosh finds."""
    project = larger_site[0]
    query = "ủy ban nhân dân"
    everything = cli_all(project, query)
    assert open_search(page, larger_url, query) == everything[:10]
    assert page.locator("[role=status]").inner_text().startswith(f"Tìm thấy {len(everything)} văn bản")
    years = option_counts(page, "nam")
    assert len(years) > 3
    for year, count in years.items():
        assert count == len(cli_all(project, query, "--nam", year)), year
    year = max(years, key=lambda value: years[value])
    in_year = cli_all(project, query, "--nam", year)
    assert open_search(page, larger_url, query, f"&nam={year}") == in_year[:10]
    assert page.locator("[role=status]").inner_text().startswith(f"Tìm thấy {len(in_year)} văn bản")
    issuers = option_counts(page, "co_quan")
    assert sum(issuers.values()) == len(in_year)
    for issuer, count in sorted(issuers.items(), key=lambda item: -item[1])[:6]:
        assert count == len(cli_all(project, query, "--nam", year, "--co-quan", issuer)), issuer
    issuer = max(issuers, key=lambda value: issuers[value])
    both = cli_all(project, query, "--nam", year, "--co-quan", issuer)
    assert open_search(page, larger_url, query, f"&nam={year}&co_quan={quote(issuer)}") == both[:10]
    assert option_counts(page, "nam")[year] == len(both)  # years counted under the issuer filter


def _column_bytes(requests: list[tuple[str, str | None]], manifest: dict) -> int:
    """How many bytes of the issuer and type columns the Range requests of ``requests`` read."""
    pack, offset = manifest["columns"]["at"][:2]
    end = offset + sum(manifest["columns"]["lengths"])
    read = 0
    for path, ranged in requests:
        if path.endswith(f"/{manifest['packs'][pack]}.pack") and ranged:
            first, last = (int(x) for x in ranged.removeprefix("bytes=").split("-"))
            read += max(0, min(last + 1, end) - max(first, offset))
    return read


def test_a_query_reads_the_column_blocks_of_its_candidates_only(
    page, larger_site: tuple[Path, str], larger_url: str
) -> None:
    """Every query read the issuer and type columns whole (~200 KB at 100,000 letters, a file of
    its own), and a date or signer filter a JSON of every letter's signer (~556 KB): the counts
    beside the filters now come from the blocks that hold the query's letters, read by Range;
    the empty page's counts over the whole archive from the manifest, without any row."""
    project = larger_site[0]
    manifest = json.loads((project / "site" / "tim-kiem" / "manifest.json").read_text(encoding="utf-8"))
    blocks = manifest["columns"]["lengths"]
    assert len(blocks) > 1
    requests: list[tuple[str, str | None]] = []
    page.on("request", lambda req: requests.append((urlparse(req.url).path, req.headers.get("range"))))
    assert len(open_search(page, larger_url, "onerror pwned")) == 1
    reads = [(path, ranged) for path, ranged in requests if "/tim-kiem/" in path and path != "/tim-kiem/"]
    assert all(path.endswith(("/manifest.json", ".pack")) for path, _ in reads)
    assert all(ranged for path, ranged in reads if path.endswith(".pack"))
    assert 0 < _column_bytes(requests, manifest) <= max(blocks)
    # A word nearly every letter has: the archive's counts less those of the few letters without it.
    requests.clear()
    query = "ủy ban nhân dân"
    everything = cli_all(project, query)
    assert open_search(page, larger_url, query) == everything[:10]
    assert _column_bytes(requests, manifest) < sum(blocks)
    issuers = option_counts(page, "co_quan")
    assert sum(issuers.values()) == len(everything)
    for issuer, count in sorted(issuers.items(), key=lambda item: -item[1])[:4]:
        assert count == len(cli_all(project, query, "--co-quan", issuer)), issuer
    kinds = option_counts(page, "loai")
    assert sum(kinds.values()) == len(everything)
    kind = max(kinds, key=lambda value: kinds[value])
    assert kinds[kind] == len(cli_all(project, query, "--loai", kind))
    # The empty page: every issuer with its count, from the manifest.
    requests.clear()
    page.goto(f"{larger_url}/tim-kiem/")
    wait_done(page)
    assert sum(option_counts(page, "co_quan").values()) == manifest["docs"]
    assert _column_bytes(requests, manifest) == 0


def test_counts_that_cost_much_are_read_when_the_filters_are_used(
    page, larger_site: tuple[Path, str], larger_url: str
) -> None:
    """A query whose counts would cost more column bytes than the page reads up front (at 100,000
    letters, a word in a tenth of the letters: ~145 KB) shows the filters' values without counts
    and reads none; focusing the filters reads them, and they are whoosh's. (The page is served
    saying ``data-counts-up-front="0"``: the 301 letters' columns cost less than any budget.)"""
    project = larger_site[0]
    manifest = json.loads((project / "site" / "tim-kiem" / "manifest.json").read_text(encoding="utf-8"))

    def nothing_up_front(route) -> None:
        response = route.fetch()
        body = response.text().replace("data-vb-search", 'data-vb-search data-counts-up-front="0"', 1)
        route.fulfill(response=response, body=body)

    page.route(re.compile(r".*/tim-kiem/(\?.*)?$"), nothing_up_front)
    requests: list[tuple[str, str | None]] = []
    page.on("request", lambda req: requests.append((urlparse(req.url).path, req.headers.get("range"))))
    query = "kế hoạch"
    everything = cli_all(project, query)
    assert 30 < len(everything) < manifest["docs"] - 30
    assert open_search(page, larger_url, query) == everything[:10]
    assert _column_bytes(requests, manifest) == 0
    labels = page.eval_on_selector("select[name=co_quan]", "s => [...s.options].map((o) => o.text)")
    assert len(labels) == len(manifest["issuers"]) + 1 and not any(label.endswith(")") for label in labels)
    if not page.locator("select[name=co_quan]").is_visible():
        page.locator("details.vb-tim-kiem__more summary").click()
    page.locator("select[name=co_quan]").focus()
    last_option = "[...document.querySelectorAll('select[name=co_quan] option')].pop()"
    page.wait_for_function(f"{last_option}.text.endsWith(')')")
    assert _column_bytes(requests, manifest) > 0
    issuers = option_counts(page, "co_quan")
    assert sum(issuers.values()) == len(everything)
    for issuer, count in sorted(issuers.items(), key=lambda item: -item[1])[:3]:
        assert count == len(cli_all(project, query, "--co-quan", issuer)), issuer


def test_a_query_run_again_fetches_nothing_and_keeps_its_order(
    page, larger_site: tuple[Path, str], serve, tmp_path: Path
) -> None:
    """Running the same query again in the page (the back button, a filter set and unset) uses
    what it already read (tiers, memberships, single impacts read with Range requests) and
    shows the same order."""
    site = larger_site[0] / "site"
    copy = tmp_path / "site"
    (copy / "tim-kiem").mkdir(parents=True)
    for child in site.iterdir():
        if child.name != "tim-kiem":
            (copy / child.name).symlink_to(child, target_is_directory=child.is_dir())
    for child in (site / "tim-kiem").iterdir():
        if child.name != "manifest.json":
            (copy / "tim-kiem" / child.name).symlink_to(child, target_is_directory=child.is_dir())
    manifest = json.loads((site / "tim-kiem" / "manifest.json").read_text(encoding="utf-8"))
    (copy / "tim-kiem" / "manifest.json").write_text(json.dumps(manifest), encoding="utf-8")
    base = serve(copy)
    fetched: list[str] = []
    page.on("request", lambda request: fetched.append(request.url) if "/tim-kiem/" in request.url else None)
    for query in ["tăng cường công tác", "ủy ban nhân dân", "kế hoạch", "phong chong dich"]:
        first = open_search(page, base, query)
        assert len(first) == 10
        fetched.clear()
        for _ in range(2):
            assert rerender(page, lambda: page.evaluate("window.vbSearch.render(false)")) == first, query
        assert fetched == [], query


def test_results_are_shown_in_pieces_the_first_one_first(page, larger_url: str) -> None:
    """The results are not built in one long task (the search page's total blocking time on a
    phone): the first result is shown on its own, the others after the page was given back; a
    longer list ("Xem thêm") replaces the shown results one by one, never emptying the list."""
    page.add_init_script(
        """
        window.__vbBatches = [];
        new MutationObserver((records) => {
          const added = records.flatMap((r) => [...r.addedNodes])
            .filter((n) => n.classList?.contains("vb-hit"));
          const shown = document.querySelectorAll(".vb-hit").length;
          if (added.length) window.__vbBatches.push([added.length, shown]);
        }).observe(document, { childList: true, subtree: true });
        """
    )
    assert len(open_search(page, larger_url, "ủy ban nhân dân")) == 10
    batches = page.evaluate("window.__vbBatches")
    assert batches[0] == [1, 1], batches
    assert len(batches) >= 2 and sum(added for added, _ in batches) == 10, batches
    page.evaluate("window.__vbBatches = []")
    assert len(rerender(page, page.locator(".vb-more").click)) == 20
    batches = page.evaluate("window.__vbBatches")
    assert sum(added for added, _ in batches) == 20 and min(shown for _, shown in batches) >= 10, batches


def test_every_module_the_search_page_imports_is_preloaded_and_fetched_once(page, seed_url: str) -> None:
    """search.js's imports (its JSON term tables included) are fetched with the page's scripts, not
    one round trip after the module that imports them; a preload the browser cannot use would
    fetch them twice."""
    scripts = REPO / "site_theme" / "assets" / "javascripts"
    wanted, todo = set(), ["search.js"]
    while todo:
        name = todo.pop()
        for imported in re.findall(r'^import .* from "\./([\w.-]+)"', (scripts / name).read_text(), re.M):
            if imported not in wanted and imported.endswith(".js"):
                todo.append(imported)
            wanted.add(imported)
    assert "vietnamese-terms.json" in wanted
    fetched: list[str] = []
    page.on("request", lambda request: fetched.append(urlparse(request.url).path))
    open_search(page, seed_url, "covid")
    preloaded = page.eval_on_selector_all(
        "link[rel=modulepreload]", "links => links.map((l) => new URL(l.href).pathname)"
    )
    for name in wanted:
        path = f"/assets/javascripts/{name}"
        assert path in preloaded, name
        assert fetched.count(path) == 1, (name, fetched)


def test_the_page_says_what_it_searches_before_the_form_not_among_the_results(seed_site: Path) -> None:
    """The search page's own sentence is its introduction, under the title: placed after the
    results it showed between the filters and the first result."""
    html = (seed_site / "tim-kiem" / "index.html").read_text(encoding="utf-8")
    intro = html.index("Tìm văn bản theo số ký hiệu")
    assert html.index("<h1>Tìm kiếm văn bản</h1>") < intro < html.index('<form class="vb-tim-kiem__form"')
