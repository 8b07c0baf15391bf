"""The pages of the portal: which exist, their Markdown, and what their templates show.

``plan_site`` reads the archive once and returns a ``SitePlan``: one
``GeneratedPage`` per URL (letter pages, paginated lists, the search page)
with the source MkDocs reads and, made only when that page is written, the
data its template in ``site_theme/`` shows (``SitePlan.context_for``): the
plan holds the letters and small page records, never every page's text,
views or HTML at once, so memory does not grow with pages × content. A letter
page's body is rendered by ``builder.publish.letter_html`` when its page is written.
How a letter reads and where it lives is in ``wording``, what templates receive in ``views``, the
paginated lists in ``lists``. The MkDocs plugin only hands these to MkDocs; nothing here imports MkDocs, so
the plan can be tested (and reused by another generator) alone.

All URLs here are site-relative without a leading slash ("van-ban/abc/"):
templates pass them through MkDocs' ``url`` filter, feeds and open data
prefix the site URL.
"""

from __future__ import annotations

import datetime as dt
import functools
import json
from collections.abc import Callable
from dataclasses import dataclass, field

from builder.letters.citations import symbol_key
from builder.letters.legal_effect import Relations, effect_view
from builder.letters.letter import Letter
from builder.publish.lists import _browse, _field_slugs, _list_pages, issuer_slug, issuer_slugs
from builder.publish.views import (
    SEARCH_PAGE,
    SEARCH_TEMPLATE,
    ArchiveLike,
    Browse,
    CitedLink,
    Facet,
    GeneratedPage,
    LetterLinks,
    LetterSummary,
    LetterView,
    _front_matter,
    uri_to_url,
)
from builder.publish.wording import (
    SignedOriginal,
    letter_url,
    newest_first,
    number_text,
    original_name,
    original_url,
    signed_originals,
    utf8_copy,
)
from builder.settings import Settings
from builder.text.dates import date_short, date_words


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
    letter_links: Callable[[Letter], LetterLinks] | None = None
    """What a letter page shows from outside the letter (``letter_links``): its view is made
    from these, the letter and the settings (``letter_context``)."""
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

    def fingerprint_context(self, src_uri: str) -> dict[str, object] | None:
        """A letter page's template variables as its fingerprint holds them: its view stands
        as its ``LetterLinks``, the rest of the view being the letter's (whose digest the page's
        fingerprint holds) and the settings' (the site key's); None for another page (its
        ``context_for`` is its fingerprint's)."""
        page = self.pages.get(src_uri)
        if page is None or page.letter is None or self.letter_links is None:
            return None
        links = self.letter_links(page.letter)
        return {"vb_browse": self.browse, "vb_newest": self.newest, "vb_letter": links}

    def lastmod(self) -> dict[str, str]:
        """Site URL -> date for the sitemap; pages without a date are absent."""
        return {uri_to_url(uri): page.lastmod for uri, page in self.pages.items() if page.lastmod}

    def hidden_from_sitemap(self) -> set[str]:
        return {uri_to_url(uri) for uri, page in self.pages.items() if not page.in_sitemap}

    def listed_issuer_slugs(self) -> dict[str, str]:
        """Each listed issuer's slug, as its list page has it (small: sent to the search process)."""
        return {name: self.issuer_slug(name) for name in {letter.co_quan_ban_hanh for letter in self.listed}}


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
    links = functools.partial(
        letter_links, archive=archive, relations=relations, today=dt.date.today().isoformat()
    )
    letter_context = functools.partial(_letter_context, links=links, settings=settings, site_url=site_url)
    originals = signed_originals(archive, listed)
    return SitePlan(pages, browse, newest, listed, letters, letter_context, links, originals, slug_for)


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


def _letter_context(
    letter: Letter, links: Callable[[Letter], LetterLinks], settings: Settings, site_url: str
) -> dict[str, object]:
    return {"vb_letter": view_of(letter, links(letter), settings, site_url)}


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
    return view_of(letter, letter_links(letter, archive, relations, today), settings, site_url)


def letter_links(
    letter: Letter, archive: ArchiveLike, relations: Relations | None = None, today: str | None = None
) -> LetterLinks:
    """What the letter's page shows from outside the letter: the letters it cites and that cite
    it, what replaces, amends or repeals it, its fields' list pages, its signed original."""
    if relations is None:
        relations = Relations(x for x in archive.letters if x.is_listed)
    cited_letters = {symbol_key(x.so_ky_hieu): x for x in archive.cites(letter) if x.so_ky_hieu}
    links = []
    for document in letter.van_ban_dan_chieu:
        target = cited_letters.get(symbol_key(document.so_ky_hieu))  # '04/2013/…' cited as '4/2013/…'
        ngay = date_short(document.ngay_ban_hanh) if document.ngay_ban_hanh else None
        links.append(CitedLink(document, letter_url(target) if target else None, ngay))
    return LetterLinks(
        ban_goc=signed_originals(archive, [letter]).get(letter.id),
        dan_chieu=links,
        duoc_dan_chieu=[LetterSummary.of(x) for x in newest_first(archive.cited_by(letter))],
        linh_vuc=[Facet(x, f"van-ban/linh-vuc/{_field_slugs(archive)(x)}/", 0) for x in letter.linh_vuc],
        hieu_luc=effect_view(letter, relations, today or dt.date.today().isoformat()),
    )


def view_of(letter: Letter, links: LetterLinks, settings: Settings, site_url: str = "") -> LetterView:
    """The letter's view from the letter, its links and the site's settings, nothing else (a
    letter page's fingerprint relies on it: ``SitePlan.fingerprint_context``)."""
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
        ban_goc=links.ban_goc,
        dan_chieu=links.dan_chieu,
        duoc_dan_chieu=links.duoc_dan_chieu,
        linh_vuc=links.linh_vuc,
        hieu_luc=links.hieu_luc,
        json_ld=json_ld(letter, settings, site_url, links.ban_goc),
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
