"""The files beside the pages: each letter's committed original (and its UTF-8 copy), the feed,
robots.txt and the sitemap. Written straight to the site folder, or handed to MkDocs when small.
"""

from __future__ import annotations

import hashlib
import shutil
from pathlib import Path

from builder.letters.letter import Letter
from builder.publish import feeds, incremental, site_output
from builder.publish.site_pages import SitePlan
from builder.publish.wording import letter_url, original_name, utf8_copy
from builder.text.decoding import decode


def copy_originals(
    plan: SitePlan, content_dir: Path, site_dir: Path, carry: incremental.CarryOver | None
) -> int:
    """Each letter's committed file next to its page, byte for byte (not a withdrawn one's).
    Copied here rather than handed to MkDocs: its File objects (100,000 more at archive
    scale) last the whole build."""
    published = [letter for letter in plan.letters if letter.thu_hoi is None]
    copies = [(original_uri(letter), content_dir / letter.tep_goc) for letter in published]
    # "Bản gốc có chữ ký", byte for byte, readable name
    copies += [(signed.url, Path(signed.source)) for signed in plan.originals.values()]
    for relative, source in copies:
        target = site_output.inside(site_dir, relative)
        if carry is not None:  # the same bytes as last time: a link to the last site's copy
            fingerprint = incremental.file_fingerprint(carry.now.site, file_digest(source))
            if carry.take_file(relative, fingerprint):
                continue
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(source, target)
    return len(copies) + write_utf8_copies(content_dir, site_dir, published)


def write_utf8_copies(content_dir: Path, site_dir: Path, letters: list[Letter]) -> int:
    """A letter committed in a legacy encoding (or UTF-16) is also served as UTF-8 text: the
    site serves text as UTF-8, so its own file opens as garbage in a browser."""
    written = 0
    for letter in letters:
        copy = utf8_copy(letter)
        if copy is None:
            continue
        source = content_dir / letter.tep_goc
        text = decode(source.read_bytes(), letter.tep_goc).text  # the bytes read when it was checked
        site_output.write_files(site_dir, {letter_url(letter) + copy.name: text.encode("utf-8")})
        written += 1
    return written


def data_files(plan: SitePlan, site_url: str, site_name: str, feed_size: int) -> dict[str, bytes]:
    """The feed and robots.txt: small, so MkDocs writes them with the other files."""
    feed = feeds.atom_feed(plan.listed[:feed_size], site_url, site_name)
    return {feeds.FEED: feed.encode("utf-8"), feeds.ROBOTS: feeds.robots_txt(site_url).encode("utf-8")}


def write_sitemap(site_dir: Path, plan: SitePlan, page_urls: list[str], site_url: str) -> None:
    """Replace MkDocs' sitemap (dated with the build day) with one dated by the letters."""
    hidden = plan.hidden_from_sitemap()
    urls = [url for url in page_urls if url not in hidden]
    for name, xml in feeds.sitemap_files(urls, plan.lastmod(), site_url):
        data = xml.encode("utf-8")
        site_output.write_files(site_dir, {name: data, name + ".gz": feeds.gzip_bytes(data)})


def original_uri(letter: Letter) -> str:
    """Where the committed file is copied, byte for byte: van-ban/<id>/<original name>."""
    return letter_url(letter) + original_name(letter)


def file_digest(path: Path) -> str:
    with path.open("rb") as handle:
        return hashlib.file_digest(handle, "sha256").hexdigest()
