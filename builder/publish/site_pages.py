"""The pages of the portal: which exist, their Markdown, and what their templates show.

``plan_site`` reads the archive once and returns a ``SitePlan``: one
``GeneratedPage`` per URL (letter pages, paginated lists, the search page)
with the source MkDocs reads and, made only when that page is written, the
data its template in ``site_theme/`` shows (``SitePlan.context_for``): the
plan holds the letters and small page records, never every page's text,
views or HTML at once, so memory does not grow with pages × content. A letter
page's body is rendered by ``builder.publish.letter_html`` when its page is written.
The MkDocs plugin only hands these to MkDocs; nothing here imports MkDocs, so
the plan can be tested (and reused by another generator) alone.

All URLs here are site-relative without a leading slash ("van-ban/abc/"):
templates pass them through MkDocs' ``url`` filter, feeds and open data
prefix the site URL.
"""

from __future__ import annotations

import datetime as dt
import functools
import json
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath
from typing import Protocol
from urllib.parse import quote

from slugify import slugify

from builder.letters.citations import symbol_key
from builder.letters.legal_effect import EffectView, Relations, effect_view
from builder.letters.letter import CitedDocument, Letter
from builder.settings import Settings
from builder.text.vietnamese import canonical_key

LETTER_TEMPLATE = "van-ban.html"
LIST_TEMPLATE = "danh-sach.html"
SEARCH_TEMPLATE = "tim-kiem.html"
SEARCH_PAGE = "tim-kiem/index.md"


# --- how dates and numbers read on the page ------------------------------------------------


def _two(number: int) -> str:
    """NĐ 30/2020: days below 10 and months 1–2 are written with a leading zero."""
    return f"{number:02d}"


def date_words(iso: str) -> str:
    """The letter's own date line: "ngày 09 tháng 9 năm 2021"; blanks stay blank ("ngày … tháng 9")."""
    parts = iso.split("-")
    year = parts[0]
    month = int(parts[1]) if len(parts) > 1 else None
    day = int(parts[2]) if len(parts) > 2 else None
    day_text = _two(day) if day else "…"
    month_text = (_two(month) if month <= 2 else str(month)) if month else "…"
    return f"ngày {day_text} tháng {month_text} năm {year}"


def date_short(iso: str) -> str:
    """Compact date for tables and lists: "26/08/2021", "tháng 9 năm 2021 (chưa ghi ngày)"."""
    parts = iso.split("-")
    if len(parts) == 3:
        return f"{parts[2]}/{parts[1]}/{parts[0]}"
    if len(parts) == 2:
        return f"tháng {int(parts[1])} năm {parts[0]} (chưa ghi ngày)"
    return f"năm {parts[0]} (chưa ghi ngày, tháng)"


def number_text(letter: Letter) -> str:
    """ "2642/UBND-VX", or "…/UBND-TH (chưa ghi số)" for a draft whose number is blank."""
    if letter.so_ky_hieu:
        return letter.so_ky_hieu
    return f"…/{letter.ky_hieu} (chưa ghi số)"


def unissued_label(letter: Letter) -> str | None:
    """ "Bản chưa ghi số", "Bản chưa ghi ngày", "Bản chưa ghi số và ngày"; None for an issued letter."""
    missing = [
        part for part, blank in (("số", letter.so is None), ("ngày", len(letter.ngay_ban_hanh) < 10)) if blank
    ]
    return f"Bản chưa ghi {' và '.join(missing)}" if missing else None


def unissued_note(letter: Letter) -> str | None:
    """The one line a reader sees wherever an unnumbered or undated letter appears."""
    missing = [
        part for part, blank in (("số", letter.so is None), ("ngày", len(letter.ngay_ban_hanh) < 10)) if blank
    ]
    if not missing:
        return None
    parts = " và ".join(missing)
    return (
        f"Bản chưa ghi {parts}: văn bản được đăng từ bản trước khi ghi {parts} (bản dự thảo hoặc bản lưu),"
        f" nên chưa có {parts} chính thức."
    )


def letter_heading(letter: Letter) -> str:
    """Type and number, the way portals name a document: "Công văn 2642/UBND-VX"."""
    return f"{letter.loai_van_ban} {number_text(letter)}"


def letter_url(letter: Letter) -> str:
    """The letter's page; never changes once published (the id comes from the file path)."""
    return f"van-ban/{letter.id}/"


def original_name(letter: Letter) -> str:
    """File name of the committed original, as committed."""
    return PurePosixPath(letter.tep_goc).name


@dataclass(frozen=True, slots=True)
class SignedOriginal:
    """The signed original committed beside a letter (``archive.content_files``), as its page offers it."""

    source: Path
    """The committed file, copied byte for byte."""
    url: str
    """Site-relative URL, in the letter's folder."""
    name: str
    """Readable file name from the type, number and symbol ("cong-van-2642-ubnd-vx-2021-ban-goc.pdf")."""
    media_type: str
    size: int

    @property
    def kind(self) -> str:
        return (
            "PDF" if self.media_type == "application/pdf" else f"ảnh {self.media_type.split('/')[1].upper()}"
        )

    @property
    def size_text(self) -> str:
        """ "1,2 MB", "340 KB": the size a reader on a phone network wants to know first."""
        if self.size >= 1024 * 1024:
            return f"{self.size / 1048576:.1f} MB".replace(".", ",")
        return f"{max(1, round(self.size / 1024))} KB"


def signed_original_name(letter: Letter, suffix: str) -> str:
    """A file name that says what the download is, ASCII so every phone keeps it."""
    number = letter.so_ky_hieu or f"chua-co-so {letter.ky_hieu}"
    return f"{slugify(f'{letter.loai_van_ban} {number} {letter.nam}')}-ban-goc{suffix.lower()}"


def signed_originals(archive: object, letters: Iterable[Letter]) -> dict[str, SignedOriginal]:
    """Letter id -> its signed original, for the published (not withdrawn) letters that have one."""
    found = getattr(archive, "originals", None) or {}
    out: dict[str, SignedOriginal] = {}
    for letter in letters:
        original = found.get(letter.tep_goc)
        if original is None or not letter.is_listed:
            continue
        name = signed_original_name(letter, original.suffix)
        out[letter.id] = SignedOriginal(
            original.path, f"{letter_url(letter)}{name}", name, original.media_type, original.size
        )
    return out


def original_url(letter: Letter) -> str:
    """Where the committed file is served, next to the letter's page."""
    return f"{letter_url(letter)}{quote(original_name(letter))}"


@dataclass(frozen=True, slots=True)
class Utf8Copy:
    """A UTF-8 copy of a committed file whose bytes are in another encoding, served beside it."""

    name: str
    url: str
    encoding: str
    """The committed file's encoding as staff know it ("TCVN3 (ABC, phông .VnTime)")."""


ENCODING_LABELS = {
    "cp1258": "Windows-1258 (CP1258)",
    "VISCII": "VISCII",
    "utf-16-le": "UTF-16",
    "utf-16-be": "UTF-16",
    "utf-32-le": "UTF-32",
    "utf-32-be": "UTF-32",
    "utf-8": "UTF-8",
    "utf-8-sig": "UTF-8",
}


def encoding_label(encoding: str) -> str:
    """How a page names the committed file's encoding: "utf-16-le+TCVN3" → "UTF-16, chữ TCVN3 (…)"."""
    from builder.text.legacy_encodings import ENCODING_NAMES

    outer, _, inner = encoding.partition("+")
    name = ENCODING_LABELS.get(outer) or ENCODING_NAMES.get(outer, outer)
    return f"{name}, chữ {ENCODING_NAMES.get(inner, inner)}" if inner else name


def utf8_copy(letter: Letter) -> Utf8Copy | None:
    """The UTF-8 copy a letter committed in another encoding gets (``Letter.ma_hoa_goc``)."""
    if not letter.ma_hoa_goc:
        return None
    name = f"{PurePosixPath(original_name(letter)).stem}.utf-8.txt"
    return Utf8Copy(name, f"{letter_url(letter)}{quote(name)}", encoding_label(letter.ma_hoa_goc))


_NUMBERED = re.compile(r"^( {0,3})(\d+)([.)])(?=\s)", re.MULTILINE)


def body_markdown(body: str) -> str:
    """The letter body as Markdown to render, numbered sections kept as printed paragraphs.

    Markdown makes "5. Giao …" an ordered list whose number is a list marker, not
    text (Python-Markdown even renumbered it and merged a following "- " list
    into it: section "5." then its items came out as "6.", "7.", …). A letter's
    numbers are part of its text, so "5. Giao …" is escaped to stay a paragraph
    reading "5. Giao …", as on paper; "- " items stay lists.
    """
    return _NUMBERED.sub(r"\1\2\\\3", body)


def newest_first(letters: Iterable[Letter]) -> list[Letter]:
    """Newest first; ties broken by number then id so the order never depends on file order."""
    return sorted(letters, key=lambda x: (x.ngay_ban_hanh, x.so or 0, x.id), reverse=True)


# --- what templates receive ---------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class LetterSummary:
    """One line of a list: enough to recognize a letter and open it."""

    id: str
    url: str
    heading: str
    trich_yeu: str
    loai_van_ban: str
    co_quan_ban_hanh: str
    ngay: str
    """Short display date."""
    ngay_iso: str
    do_khan: str | None
    nhan_chua_ghi: str | None = None
    """ "Bản chưa ghi số" for an unnumbered or undated letter (``unissued_label``)."""
    chua_ghi: str | None = None
    """What that means, in one line (``unissued_note``)."""

    @classmethod
    def of(cls, letter: Letter) -> LetterSummary:
        return cls(
            id=letter.id,
            url=letter_url(letter),
            heading=letter_heading(letter),
            trich_yeu=letter.trich_yeu,
            loai_van_ban=letter.loai_van_ban,
            co_quan_ban_hanh=letter.co_quan_ban_hanh,
            ngay=date_short(letter.ngay_ban_hanh),
            ngay_iso=letter.ngay_ban_hanh,
            do_khan=letter.do_khan,
            nhan_chua_ghi=unissued_label(letter),
            chua_ghi=unissued_note(letter),
        )


@dataclass(frozen=True, slots=True)
class CitedLink:
    """A cited document, with the URL of its page when the archive has it."""

    document: CitedDocument
    url: str | None
    ngay: str | None


@dataclass(frozen=True, slots=True)
class LetterView:
    """Everything ``van-ban.html`` shows about one letter."""

    letter: Letter
    summary: LetterSummary
    so_ky_hieu: str
    ngay: str
    dong_ngay: str
    """The date line as printed on the letter: "Mường Tè, ngày … tháng 9 năm 2021"."""
    tep_goc_ten: str
    tep_goc_url: str
    tep_utf8: Utf8Copy | None
    """For a file committed in another encoding than UTF-8, its UTF-8 copy (else None)."""
    ban_goc: SignedOriginal | None
    """The signed original ("Bản gốc có chữ ký"), when one is committed beside the letter."""
    dan_chieu: list[CitedLink]
    duoc_dan_chieu: list[LetterSummary]
    linh_vuc: list[Facet]
    """The letter's fields, each with its list page."""
    hieu_luc: EffectView
    """Legal effect: status as of the build date, and what it replaces/amends/repeals, both ways."""
    json_ld: str
    """schema.org Legislation as JSON, already safe inside <script> (no "<" left)."""


@dataclass(frozen=True, slots=True)
class Facet:
    """A link to a list, with how many letters it holds."""

    label: str
    url: str
    count: int
    children: tuple[Facet, ...] = ()


@dataclass(frozen=True, slots=True)
class Browse:
    """Ways into the archive: by year (and month), by issuer, by type."""

    years: list[Facet]
    issuers: list[Facet]
    types: list[Facet]
    fields: list[Facet] = field(default_factory=list)
    """By field (lĩnh vực, ``content/linh-vuc.yml``), for letters tagged with one."""


@dataclass(frozen=True, slots=True)
class PageLink:
    """One item of a list page's page links: a page, or a gap (``number`` None) shown as "…"."""

    number: int | None
    """A numbered page (counted from the oldest letters), 0 for the list's first page."""
    url: str | None
    current: bool = False

    @property
    def gap(self) -> bool:
        return self.number is None

    @property
    def label(self) -> str:
        """What the link shows: the page's number; the list's first page is "Mới nhất"."""
        return "" if self.number is None else str(self.number) if self.number else "Mới nhất"


PAGE_WINDOW = 2
"""A list page links the pages this close to it (plus the first and the last)."""


def page_window(total: int, current: int, around: int = PAGE_WINDOW) -> list[int | None]:
    """The page numbers a list page links: first, last, current ± ``around``; None where pages are skipped.

    At most ``2 * around + 5`` items whatever the list's length, so the pages of a
    list of N pages hold O(N) links in all, not N². A gap of a single page shows
    that page instead (it takes the same room as "…"). Every page still reaches
    every other through its neighbours (and previous/next).
    """
    if total < 1:
        return []
    current = min(max(current, 1), total)
    shown = sorted({1, total, *range(max(1, current - around), min(total, current + around) + 1)})
    window: list[int | None] = []
    previous = 0
    for number in shown:
        if number - previous == 2:
            window.append(previous + 1)
        elif number - previous > 2:
            window.append(None)
        window.append(number)
        previous = number
    return window


def numbered_pages(total: int, page_size: int) -> int:
    """How many numbered pages (``trang-N/``) a list of ``total`` letters has.

    Pages are numbered from the oldest letter: page N always holds the same ``page_size``
    letters, so a new letter changes the list's first page (and, once a page fills, the few
    pages that link the new one), never every page. The newest full page is not a page of its
    own: the list's first page shows it with the letters after it (``page_size`` to
    ``2 × page_size − 1`` letters), so no list ever has a page of one letter or a page twice."""
    return max(0, total // max(page_size, 1) - 1)


def page_links(base: str, numbered: int, current: int) -> list[PageLink]:
    """The window of page links of the list at ``base`` (``numbered`` numbered pages) on page
    ``current`` (0: its first page), newest first as the list reads: "Mới nhất", N, …, 1."""
    top = numbered + 1  # the first page, in the window's ascending numbering
    links = []
    for number in reversed(page_window(top, current or top)):
        page = None if number is None else 0 if number == top else number
        url = None if page is None else _page_url(base, page)
        links.append(PageLink(page, url, page == current))
    return links


@dataclass(frozen=True, slots=True)
class Listing:
    """One page of a paginated list."""

    title: str
    description: str
    items: list[LetterSummary]
    total: int
    """Letters in the whole list (all its pages); shown on its first page only."""
    page: int
    """The page's number, counted from the oldest letters; 0 for the list's first page."""
    page_count: int
    """Pages of the list, its first page included."""
    pages: list[PageLink]
    """A window of page links around this page (``page_links``), not every page."""
    previous_url: str | None
    """The newer page (the list reads newest first)."""
    next_url: str | None
    """The older page."""
    oldest: str = ""
    """The page's oldest and newest dates (ISO), for a numbered page's summary."""
    newest: str = ""


@dataclass(slots=True)
class GeneratedPage:
    """A page the plugin adds to MkDocs: its source, and how to make its template's data."""

    src_uri: str
    markdown: str
    """The source MkDocs reads and renders: empty for a letter, whose body is
    read and rendered only when its page is written (``builder.publish.letter_html``)."""
    meta: dict[str, str] | None
    """Front matter MkDocs should see when rendering (template, title, robots); None for a
    letter page, whose front matter is made from ``letter`` when MkDocs reads it (``page_meta``)."""
    context: Callable[[], dict[str, object]] | None = None
    """Makes the template's own variables when the page is written; nothing of it is kept.
    None for a letter page: ``SitePlan.letter_context`` makes them from ``letter``."""
    letter: Letter | None = None
    """The letter a letter page shows."""
    lastmod: str | None = None
    """Date for the sitemap, from the letters (never the build time)."""
    in_sitemap: bool = True
    entry: bool = False
    """A page the nav or a hand-written page may link to: a list's first page, the search page.
    The others (letters, a list's later pages) are reached only through generated links."""

    def page_meta(self) -> dict[str, str]:
        """The front matter MkDocs sees (made now for a letter: 100,000 titles need not wait)."""
        return letter_meta(self.letter) if self.letter is not None else dict(self.meta or {})


@dataclass(slots=True)
class SitePlan:
    """All generated pages plus the data shared by every template."""

    pages: dict[str, GeneratedPage]
    browse: Browse
    newest: list[LetterSummary]
    """For the home page (Settings.home_size)."""
    listed: list[Letter]
    """Letters that appear in lists, feeds, open data lists and search, newest first."""
    letters: list[Letter]
    """Every letter with a page, withdrawn ones included."""
    letter_context: Callable[[Letter], dict[str, object]] | None = None
    """Makes a letter page's own template variables: one function for every letter page, not
    one closure each (~150 bytes a letter)."""
    originals: dict[str, SignedOriginal] = field(default_factory=dict)
    """Letter id -> the signed original published beside its page."""
    issuer_slug: Callable[[str], str] = field(default=lambda name: issuer_slug(name))
    """An issuer's slug (``issuer_slugs``): its list page's URL segment, the search filter's value."""

    def context_for(self, src_uri: str) -> dict[str, object]:
        """Template variables for a page (shared browse data plus the page's own)."""
        page = self.pages.get(src_uri)
        own: dict[str, object] = {}
        if page is not None and page.context is not None:
            own = page.context()
        elif page is not None and page.letter is not None and self.letter_context is not None:
            own = self.letter_context(page.letter)
        return {"vb_browse": self.browse, "vb_newest": self.newest, **own}

    def lastmod(self) -> dict[str, str]:
        """Site URL -> date for the sitemap; pages without a date are absent."""
        return {uri_to_url(uri): page.lastmod for uri, page in self.pages.items() if page.lastmod}

    def hidden_from_sitemap(self) -> set[str]:
        return {uri_to_url(uri) for uri, page in self.pages.items() if not page.in_sitemap}


def uri_to_url(src_uri: str) -> str:
    """ "van-ban/x/index.md" -> "van-ban/x/" (directory URLs, as MkDocs makes them)."""
    return src_uri.removesuffix("index.md")


def _front_matter(meta: dict[str, str]) -> str:
    """YAML front matter; JSON strings are valid YAML and need no escaping rules of their own."""
    lines = [f"{key}: {json.dumps(value, ensure_ascii=False)}" for key, value in meta.items()]
    return "---\n" + "\n".join(lines) + "\n---\n"


# --- the plan ---------------------------------------------------------------------------------


class IssuerSlugs(Protocol):
    """What the plan needs from the issuer registry (``builder.letters.registry.Registry``)."""

    def slug_for(self, name: str) -> str:
        """The issuer's list URL segment, fixed in the registry."""
        ...  # pragma: no cover


class ArchiveLike(Protocol):
    """What the plan needs from ``builder.archive.read.Archive``."""

    letters: list[Letter]

    @property
    def registry(self) -> IssuerSlugs: ...  # pragma: no cover

    def cites(self, letter: Letter) -> list[Letter]: ...  # pragma: no cover

    def cited_by(self, letter: Letter) -> list[Letter]: ...  # pragma: no cover


def plan_site(archive: ArchiveLike, settings: Settings, site_url: str = "") -> SitePlan:
    """Every generated page of the site, from the archive, in a stable order.

    Only what MkDocs needs before writing pages is made here (URLs, titles,
    sitemap dates); each page's template data and a letter's body are made when
    that page is written.
    """
    letters = [x for x in archive.letters if settings.publish_unissued or not x.is_draft]
    listed = newest_first(x for x in letters if x.is_listed)
    slug_for = functools.cache(issuer_slugs(archive))
    field_slug = _field_slugs(archive)
    browse = _browse(listed, slug_for, field_slug)
    pages: dict[str, GeneratedPage] = {}
    for letter in letters:
        page = _letter_page(letter)
        pages[page.src_uri] = page
    for page in _list_pages(listed, settings.page_size, slug_for, field_slug):
        pages[page.src_uri] = page
    pages[SEARCH_PAGE] = GeneratedPage(
        src_uri=SEARCH_PAGE,
        markdown=_front_matter({"template": SEARCH_TEMPLATE, "title": "Tìm kiếm"})
        + "\nTìm văn bản theo số ký hiệu, trích yếu, cơ quan ban hành, người ký hoặc nội dung.\n",
        meta={"template": SEARCH_TEMPLATE, "title": "Tìm kiếm"},
        entry=True,
    )
    newest = [LetterSummary.of(x) for x in listed[: settings.home_size]]
    relations = Relations(listed)  # a withdrawn letter replaces, amends and repeals nothing
    letter_context = functools.partial(
        _letter_context,
        archive=archive,
        settings=settings,
        site_url=site_url,
        relations=relations,
        today=dt.date.today().isoformat(),
    )
    originals = signed_originals(archive, listed)
    return SitePlan(pages, browse, newest, listed, letters, letter_context, originals, slug_for)


def _letter_page(letter: Letter) -> GeneratedPage:
    """The letter's page: no source text (its body is rendered when written), its front matter
    and view made then too (``SitePlan.letter_context``)."""
    return GeneratedPage(
        src_uri=f"{letter_url(letter)}index.md",
        markdown="",
        meta=None,
        letter=letter,
        lastmod=letter.ngay_ban_hanh,
        in_sitemap=letter.is_listed,
    )


def letter_meta(letter: Letter) -> dict[str, str]:
    """A letter page's front matter: its template and title, and noindex once withdrawn."""
    meta = {
        "template": LETTER_TEMPLATE,
        "title": f"{letter_heading(letter)}: {letter.trich_yeu}",
        "vb_description": letter_description(letter),
    }
    if not letter.is_listed:
        meta["robots"] = "noindex"
    return meta


def letter_description(letter: Letter) -> str:
    """The page's description (search results, links shared on Zalo or Facebook): type, number,
    date, issuer, subject, in one sentence of at most ~300 characters."""
    dated = f"{letter_heading(letter)} ngày {date_short(letter.ngay_ban_hanh)}"
    text = f"{dated} của {letter.co_quan_ban_hanh}: {letter.trich_yeu}"
    return text if len(text) <= 300 else text[:299].rsplit(" ", 1)[0] + "…"


def _letter_context(
    letter: Letter, archive: ArchiveLike, settings: Settings, site_url: str, relations: Relations, today: str
) -> dict[str, object]:
    return {"vb_letter": letter_view(letter, archive, settings, site_url, relations, today)}


def letter_view(
    letter: Letter,
    archive: ArchiveLike,
    settings: Settings,
    site_url: str = "",
    relations: Relations | None = None,
    today: str | None = None,
) -> LetterView:
    """The data the letter template shows, including links both ways between citing letters
    and between letters that replace, amend or repeal others (``builder.letters.legal_effect``)."""
    if relations is None:
        relations = Relations(x for x in archive.letters if x.is_listed)
    cited_letters = {symbol_key(x.so_ky_hieu): x for x in archive.cites(letter) if x.so_ky_hieu}
    links = []
    for document in letter.van_ban_dan_chieu:
        target = cited_letters.get(symbol_key(document.so_ky_hieu))  # '04/2013/…' cited as '4/2013/…'
        ngay = date_short(document.ngay_ban_hanh) if document.ngay_ban_hanh else None
        links.append(CitedLink(document, letter_url(target) if target else None, ngay))
    dong_ngay = date_words(letter.ngay_ban_hanh)
    if letter.dia_danh:
        dong_ngay = f"{letter.dia_danh}, {dong_ngay}"
    return LetterView(
        letter=letter,
        summary=LetterSummary.of(letter),
        so_ky_hieu=number_text(letter),
        ngay=date_short(letter.ngay_ban_hanh),
        dong_ngay=dong_ngay,
        tep_goc_ten=original_name(letter),
        tep_goc_url=original_url(letter),
        tep_utf8=utf8_copy(letter),
        ban_goc=signed_originals(archive, [letter]).get(letter.id),
        dan_chieu=links,
        duoc_dan_chieu=[LetterSummary.of(x) for x in newest_first(archive.cited_by(letter))],
        linh_vuc=[Facet(x, f"van-ban/linh-vuc/{_field_slugs(archive)(x)}/", 0) for x in letter.linh_vuc],
        hieu_luc=effect_view(letter, relations, today or dt.date.today().isoformat()),
        json_ld=json_ld(letter, settings, site_url, signed_originals(archive, [letter]).get(letter.id)),
    )


def json_ld(
    letter: Letter, settings: Settings, site_url: str = "", signed: SignedOriginal | None = None
) -> str:
    """schema.org ``Legislation`` for search engines, safe to place inside a <script> element."""
    data: dict[str, object] = {
        "@context": "https://schema.org",
        "@type": "Legislation",
        "name": letter.trich_yeu,
        "abstract": letter.trich_yeu,
        "legislationType": letter.loai_van_ban,
        "legislationDate": letter.ngay_ban_hanh,
        "legislationPassedBy": {"@type": "GovernmentOrganization", "name": letter.co_quan_ban_hanh},
        "legislationJurisdiction": settings.jurisdiction,
        "inLanguage": "vi",
        "url": site_url + letter_url(letter),
    }
    if letter.is_listed:  # a withdrawn letter's original is no longer published
        data["encoding"] = {
            "@type": "MediaObject",
            "contentUrl": site_url + original_url(letter),
            "name": original_name(letter),
            "encodingFormat": "text/plain",
        }
        if signed is not None:
            data["encoding"] = [
                {
                    "@type": "MediaObject",
                    "contentUrl": site_url + signed.url,
                    "name": signed.name,
                    "encodingFormat": signed.media_type,
                    "contentSize": str(signed.size),
                },
                data["encoding"],
            ]
    if letter.so_ky_hieu:
        data["legislationIdentifier"] = letter.so_ky_hieu
    if letter.nguoi_ky and letter.is_listed:
        responsible: dict[str, str] = {"@type": "Person", "name": letter.nguoi_ky}
        if letter.chuc_vu_nguoi_ky:
            responsible["jobTitle"] = letter.chuc_vu_nguoi_ky
        data["legislationResponsible"] = responsible
    if letter.thu_hoi:
        data["legislationLegalForce"] = "NotInForce"
    return script_safe_json(data)


def script_safe_json(data: object) -> str:
    """JSON that cannot end its <script> element or open a comment: "<", ">" and "&" as \\u escapes."""
    text = json.dumps(data, ensure_ascii=False, indent=2)
    return text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")


# --- lists ---------------------------------------------------------------------------------


def issuer_slugs(archive: ArchiveLike) -> Callable[[str], str]:
    """The registry's slug for an issuer (URLs that never change), else one made from the name:
    the one source of an issuer's slug (its list page, the search filter in the URL and the CLI)."""
    registry = getattr(archive, "registry", None)
    slug_for = getattr(registry, "slug_for", None)
    return (lambda name: slug_for(name) or issuer_slug(name)) if slug_for else issuer_slug


def issuer_slug(name: str) -> str:
    """Fallback slug for an issuer the registry does not know."""
    return slugify(name) or "khac"


@functools.cache
def type_slug(name: str) -> str:
    return slugify(name) or "khac"


@dataclass(frozen=True, slots=True)
class _Group:
    base: str
    title: str
    description: str
    letters: list[Letter]


def _groups(
    listed: list[Letter], slug_for: Callable[[str], str], field_slug: Callable[[str], str] = type_slug
) -> list[_Group]:
    """Every list of the site: all letters, each year, each month, each issuer, each type, each field."""
    groups = [_Group("van-ban/", "Văn bản", "Tất cả văn bản đã công khai, mới nhất trước.", listed)]
    by_year = _group_by(listed, lambda x: str(x.nam))
    for year, letters in by_year.items():
        groups.append(_Group(f"van-ban/nam/{year}/", f"Văn bản năm {year}", "", letters))
        for month, in_month in _group_by(letters, _month_of).items():
            if month:
                title = f"Văn bản tháng {int(month)} năm {year}"
                groups.append(_Group(f"van-ban/nam/{year}/{month}/", title, "", in_month))
    for slug, letters in _group_by(listed, lambda x: slug_for(x.co_quan_ban_hanh)).items():
        name = letters[0].co_quan_ban_hanh
        groups.append(_Group(f"van-ban/co-quan/{slug}/", f"Văn bản của {name}", "", letters))
    for slug, letters in _group_by(listed, lambda x: type_slug(x.loai_van_ban)).items():
        groups.append(_Group(f"van-ban/loai/{slug}/", letters[0].loai_van_ban, "", letters))
    for name, letters in _by_field(listed).items():
        title = f"Văn bản lĩnh vực {name}"
        groups.append(_Group(f"van-ban/linh-vuc/{field_slug(name)}/", title, "", letters))
    return groups


def _by_field(listed: list[Letter]) -> dict[str, list[Letter]]:
    """A letter is in the list of each of its fields (newest first, as ``listed``)."""
    groups: dict[str, list[Letter]] = {}
    for letter in listed:
        for name in letter.linh_vuc:
            groups.setdefault(name, []).append(letter)
    return groups


def _field_slugs(archive: ArchiveLike) -> Callable[[str], str]:
    """The field registry's slug for a field name (``builder.letters.fields``)."""
    registry = getattr(archive, "field_registry", None)
    return registry.slug_for if registry is not None else type_slug


def _month_of(letter: Letter) -> str:
    return letter.ngay_ban_hanh[5:7]


def _group_by(letters: list[Letter], key: Callable[[Letter], str]) -> dict[str, list[Letter]]:
    """Groups in first-seen order; with newest-first input, newest group first."""
    groups: dict[str, list[Letter]] = {}
    for letter in letters:
        groups.setdefault(key(letter), []).append(letter)
    return groups


def _list_pages(
    listed: list[Letter], page_size: int, slug_for: Callable[[str], str], field_slug: Callable[[str], str]
) -> list[GeneratedPage]:
    pages = []
    for group in _groups(listed, slug_for, field_slug):
        pages.extend(_paginate(group, max(page_size, 1)))
    return pages


def _page_url(base: str, number: int) -> str:
    """A list's page: its first page (``number`` 0) at ``base``, numbered pages below it."""
    return base if number == 0 else f"{base}trang-{number}/"


def _page_letters(group: _Group, page_size: int, number: int) -> list[Letter]:
    """The letters of page ``number`` (0: the first page), newest first as the list is."""
    total = len(group.letters)
    if number == 0:
        return group.letters[: total - numbered_pages(total, page_size) * page_size]
    return group.letters[total - number * page_size : total - (number - 1) * page_size]


def _paginate(group: _Group, page_size: int) -> list[GeneratedPage]:
    """The list's first page (base/) and its numbered pages (base/trang-N/, ``numbered_pages``);
    each page's listing made when written."""
    numbered = numbered_pages(len(group.letters), page_size)
    pages = []
    for number in range(numbered + 1):
        title = _page_title(group, number)
        meta = {"template": LIST_TEMPLATE, "title": title}
        src_uri = f"{_page_url(group.base, number)}index.md"
        newest = max((x.ngay_ban_hanh for x in _page_letters(group, page_size, number)), default=None)
        context = functools.partial(_list_context, group, page_size, number, numbered)
        pages.append(
            GeneratedPage(
                src_uri, _front_matter(meta), meta, context=context, lastmod=newest, entry=number == 0
            )
        )
    return pages


def _page_title(group: _Group, number: int) -> str:
    return group.title if number == 0 else f"{group.title} (trang {number})"


def _list_context(group: _Group, page_size: int, number: int, numbered: int) -> dict[str, object]:
    """Page ``number`` (0: the first) of the list ``group``, as its template reads it. A numbered
    page shows nothing that changes when letters are added after it (no total, no page count)."""
    letters = _page_letters(group, page_size, number)
    dates = sorted(x.ngay_ban_hanh for x in letters if x.ngay_ban_hanh)
    newer = None if number == 0 else _page_url(group.base, 0 if number == numbered else number + 1)
    older = number - 1 if number > 1 else numbered if number == 0 and numbered else None
    listing = Listing(
        title=_page_title(group, number),
        description=group.description,
        items=[LetterSummary.of(x) for x in letters],
        total=len(group.letters),
        page=number,
        page_count=numbered + 1,
        pages=page_links(group.base, numbered, number),
        previous_url=newer,
        next_url=None if older is None else _page_url(group.base, older),
        oldest=dates[0] if dates else "",
        newest=dates[-1] if dates else "",
    )
    return {"vb_list": listing}


def _browse(
    listed: list[Letter], slug_for: Callable[[str], str], field_slug: Callable[[str], str] = type_slug
) -> Browse:
    """Facets with counts, in a stable order: years newest first, names alphabetical."""
    years = []
    for year, letters in sorted(_group_by(listed, lambda x: str(x.nam)).items(), reverse=True):
        months = tuple(
            Facet(f"Tháng {int(month)}", f"van-ban/nam/{year}/{month}/", len(in_month))
            for month, in_month in sorted(_group_by(letters, _month_of).items(), reverse=True)
            if month
        )
        years.append(Facet(f"Năm {year}", f"van-ban/nam/{year}/", len(letters), months))
    issuers = _named_facets(listed, lambda x: x.co_quan_ban_hanh, slug_for, "co-quan")
    types = _named_facets(listed, lambda x: x.loai_van_ban, type_slug, "loai")
    fields = [
        Facet(name, f"van-ban/linh-vuc/{field_slug(name)}/", len(letters))
        for name, letters in _by_field(listed).items()
    ]
    fields.sort(key=lambda f: canonical_key(f.label))
    return Browse(years=years, issuers=issuers, types=types, fields=fields)


def _named_facets(
    listed: list[Letter], name: Callable[[Letter], str], slug: Callable[[str], str], kind: str
) -> list[Facet]:
    groups = _group_by(listed, lambda x: slug(name(x)))
    facets = [
        Facet(name(letters[0]), f"van-ban/{kind}/{key}/", len(letters)) for key, letters in groups.items()
    ]
    return sorted(facets, key=lambda f: (canonical_key(f.label), f.url))
