"""What templates receive: the page records (``GeneratedPage``), the typed records a page's
template reads (a letter's view, its summary in lists, facets, page links), and pagination.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Protocol

from builder.letters.legal_effect import EffectView
from builder.letters.letter import CitedDocument, Letter
from builder.publish.wording import (
    SignedOriginal,
    Utf8Copy,
    letter_heading,
    letter_url,
    unissued_label,
    unissued_note,
)
from builder.text.dates import date_short

LETTER_TEMPLATE = "van-ban.html"
LIST_TEMPLATE = "danh-sach.html"
SEARCH_TEMPLATE = "tim-kiem.html"
SEARCH_PAGE = "tim-kiem/index.md"


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
class LetterLinks:
    """What a letter's page shows from outside the letter: the archive's other letters, the
    signed original beside it, the field registry, the build date (``site_pages.letter_links``).
    Its view is made from this, the letter and the site's settings alone (``site_pages.view_of``),
    so a letter page's fingerprint holds this, the letter's digest and the site key, and the
    view itself is made only for a page that is rendered."""

    ban_goc: SignedOriginal | None
    dan_chieu: list[CitedLink]
    duoc_dan_chieu: list[LetterSummary]
    linh_vuc: list[Facet]
    hieu_luc: EffectView


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
    shows: Callable[[], list[Letter]] | None = None
    """A list's page: the letters it lists (`vanban serve`'s quick path renders again only the
    list pages that list a saved letter, before or after the save)."""

    def page_meta(self) -> dict[str, str]:
        """The front matter MkDocs sees (made now for a letter: 100,000 titles need not wait)."""
        return letter_meta(self.letter) if self.letter is not None else dict(self.meta or {})


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


def _page_url(base: str, number: int) -> str:
    """A list's page: its first page (``number`` 0) at ``base``, numbered pages below it."""
    return base if number == 0 else f"{base}trang-{number}/"
