"""What a build carries over from the last good site (``builder.publish.incremental``): the key of
this build, each letter's digest, and the fingerprints of the pages, the open-data records and
lists and the search index that decide whether each is carried over or made again.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable, Mapping
from pathlib import Path

from mkdocs.config.defaults import MkDocsConfig

import builder
from builder.archive.store import LetterStore
from builder.letters.letter import Letter
from builder.publish import incremental, open_data
from builder.publish.site_pages import SitePlan
from builder.publish.views import GeneratedPage
from builder.search.packs import PACK_SUFFIX
from builder.search.static_index import SEARCH_DIR


def carry_over(
    config: MkDocsConfig, options: Mapping[str, object], previous: Path | None
) -> incremental.CarryOver:
    """What this build may carry over from the site at ``previous``: the last good site and its
    fingerprints; ``options``: the plugin's options as written in mkdocs.yml."""
    config_file = Path(config.config_file_path or "mkdocs.yml")
    custom_dir = config.theme.custom_dir
    key = incremental.site_key(
        code_dir=Path(builder.__file__).parent,
        theme_dirs=[Path(custom_dir)] if custom_dir else [],
        config_file=config_file,
        docs_dir=Path(config.docs_dir),
        resolved={
            "site_url": config.site_url,
            "site_name": config.site_name,
            "use_directory_urls": config.use_directory_urls,
            "extra": config.extra,
            "theme": dict(config.theme),
            "vanban": {k: str(v) for k, v in options.items() if k not in ("cache_dir",)},
        },
    )
    last = incremental.Fingerprints.read(previous)
    if last.site != key:  # another code, theme or configuration: every page is made again
        last = incremental.Fingerprints()
    return incremental.CarryOver(previous, Path(config.site_dir), last, incremental.Fingerprints(site=key))


def letter_digests(plan: SitePlan, store: LetterStore) -> dict[str, str]:
    """Every letter's digest: its page's, its record's and the search index's fingerprints."""
    return {letter.id: incremental.letter_digest(store.with_body(letter)) for letter in plan.letters}


def page_fingerprint(
    carry: incremental.CarryOver,
    plan: SitePlan,
    digests: Mapping[str, str],
    generated: GeneratedPage,
    inputs: incremental.TemplateInputs,
) -> tuple[str, dict | None]:
    """A generated page's fingerprint (``builder.publish.incremental``) and its template variables
    (None for a letter page: its view is made only if it is rendered, by ``SitePlan.context_for``;
    its fingerprint holds what the view is made from, ``SitePlan.fingerprint_context``)."""
    page_meta = generated.page_meta()
    letter = digests.get(generated.letter.id, "") if generated.letter else ""
    names = inputs.names(str(page_meta.get("template", "main.html")))
    standing = plan.fingerprint_context(generated.src_uri) if letter else None
    if standing is not None:
        return incremental.page_fingerprint(carry.now.site, page_meta, standing, names, letter), None
    context = plan.context_for(generated.src_uri)
    return incremental.page_fingerprint(carry.now.site, page_meta, context, names, letter), context


def record_carried(
    carry: incremental.CarryOver | None, plan: SitePlan, digests: Mapping[str, str], site_url: str
) -> Callable[[str, Letter], bool] | None:
    """For open data: carries a letter's record over when the letter (and its original's URL,
    and the site's URL) are as they were."""
    if carry is None:
        return None

    def carried(relative: str, letter: Letter) -> bool:
        signed = plan.originals.get(letter.id)
        fingerprint = incremental.file_fingerprint(
            carry.now.site, digests[letter.id], site_url, signed.url if signed else ""
        )
        return carry.take_file(relative, fingerprint)

    return carried


def lists_carried(
    carry: incremental.CarryOver | None, plan: SitePlan, digests: Mapping[str, str], site_url: str
) -> bool:
    """The open-data lists carried over when every listed letter, the site's URL and every
    signed original's URL are as they were (each letter's record is made from those)."""
    if carry is None:
        return False
    signed = sorted((letter_id, original.url) for letter_id, original in plan.originals.items())
    fingerprint = incremental.file_fingerprint(
        carry.now.site,
        site_url,
        json.dumps(signed),
        *(f"{letter.id}\0{digests[letter.id]}" for letter in plan.listed),
    )
    # Both are looked at (each records its fingerprint for the next build).
    carried = [carry.take_file(path, fingerprint) for path in open_data.LINKED_FILES]
    if all(carried):
        return True
    for path in open_data.LINKED_FILES:  # never written through a link to the last good site
        (carry.site / path).unlink(missing_ok=True)
    return False


def search_carried(carry: incremental.CarryOver | None, plan: SitePlan, digests: Mapping[str, str]) -> bool:
    """The search index carried over from the last good site if no listed letter changed."""
    if carry is None:
        return False
    slugs = json.dumps(plan.listed_issuer_slugs(), sort_keys=True, ensure_ascii=False)  # in its manifest
    key = incremental.search_fingerprint(
        carry.now.site + slugs, ((letter.id, digests[letter.id]) for letter in plan.listed)
    )
    carry.now.search = key
    if carry.last.search != key or carry.previous is None or not _search_intact(carry.previous / SEARCH_DIR):
        return False
    return carry.take_folder(SEARCH_DIR, skip=["index.html"])


def keep_background_index(site_dir: Path, kept: Path) -> None:
    """Under `mkdocs serve`: the index the last build made in the background into ``site_dir``,
    once whole, added to ``kept`` (that build's site, taken before the index was done), so that a
    failed build, which restores ``kept``, leaves a site whose search page still searches."""
    index = site_dir / SEARCH_DIR
    if kept.is_dir() and _search_intact(index):
        incremental.copy_tree_as_links(index, kept / SEARCH_DIR)


def _search_intact(folder: Path) -> bool:
    """The last good site's browser index as it was written: its manifest reads and every file it
    names has the content its name hashes. A pack cut short or lost (a disk full, a hand-made
    copy) is written again, not carried over from build to build (~0.2 s a 100 MB index)."""
    try:
        manifest = json.loads((folder / "manifest.json").read_text(encoding="utf-8"))
        names = [f"p/{name}{PACK_SUFFIX}" for name in manifest["packs"] if name]
        for name in names:
            path = folder / name
            if hashlib.sha1(path.read_bytes()).hexdigest()[:12] != path.stem:
                return False
    except (OSError, ValueError, KeyError, TypeError, AttributeError):
        return False
    return True
