"""The paginated lists (all letters, by year and month, issuer, type, field): which exist, their
pages and what each shows.
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from dataclasses import dataclass

from slugify import slugify

from builder.letters.letter import Letter
from builder.publish.views import (
    LIST_TEMPLATE,
    ArchiveLike,
    Browse,
    Facet,
    GeneratedPage,
    LetterSummary,
    Listing,
    _front_matter,
    _page_url,
    numbered_pages,
    page_links,
)
from builder.text.vietnamese import canonical_key

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
        shows = functools.partial(_page_letters, group, page_size, number)
        pages.append(
            GeneratedPage(
                src_uri, _front_matter(meta), meta, context, lastmod=newest, entry=number == 0, shows=shows
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
