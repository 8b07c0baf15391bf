"""Bounds on what one committed file may cost: its size, its YAML, the text of a message.

A letter or the registry is read by the build on CI, whose log is public and
whose machine is shared. So a hostile or broken file must cost seconds and
megabytes: the file size is limited, YAML anchors and aliases (a "billion
laughs" block expands nine levels of nine into gigabytes) and deep nesting
(PyYAML composes recursively) are refused before anything is built from the
YAML, and a value quoted in a message is clipped and shown with its control
characters escaped.
"""

from __future__ import annotations

import os
import stat
from pathlib import Path

import yaml

MAX_FILE_BYTES = 2_000_000
"""A letter (or the registry) larger than this is refused: ~1,000 printed pages of text."""
MAX_LINES = 20_000
"""Lines of one letter (a long regulation has a few thousand). Reading costs ~0.1 ms a line:
2 MB of one-character lines took 93 s of CPU."""
MARKUP_CHARACTERS = "*_[]"
"""What the Markdown reader pushes one token per character for (emphasis, links): ~25-40 µs each."""
MAX_MARKUP = 50_000
"""Of ``MARKUP_CHARACTERS`` in one letter (a letter has a few hundred: bold headers, a form's
'_____'): a fuzzed line of 566,000 '_' took over 20 s in markdown-it."""
MAX_FRONT_MATTER = 50_000
"""Characters of a letter's front matter: keys and short values (PyYAML reads ~100 KB/s;
a 1.6 MB subject there took 16 s before any check could refuse it)."""
MAX_YAML_DEPTH = 16
"""Front matter and registry nest two or three levels; deeper is refused."""
FIELD_CHARACTERS = {
    "trich_yeu": 1_000,
    "co_quan_ban_hanh": 300,
    "co_quan_chu_quan": 300,
    "loai_van_ban": 100,
    "so_ky_hieu": 100,
    "ky_hieu": 100,
    "dia_danh": 200,
    "chuc_vu_nguoi_ky": 300,
    "nguoi_ky": 200,
    "kinh_gui": 1_000,
    "noi_nhan": 1_000,
    "tham_quyen_ky": 300,
    "linh_vuc": 200,
    "thay_the": 100,
    "sua_doi": 100,
    "bai_bo": 100,
}
"""Characters of one value (of each item, for a list). A subject, an issuer, a signer are
repeated on every list page, in the feed, the sitemap's pages and the search index: a 15 MB
subject made a 290 MB site. Real values are far shorter (a subject is rarely 300 characters)."""
MAX_LIST_ITEMS = 500
"""Items of one list field (recipients, distribution list …)."""
MAX_QUOTED = 80
"""Characters of a file's own text quoted in a message."""


def clip(value: object, limit: int = MAX_QUOTED) -> str:
    """``value`` as text for a message: at most ``limit`` characters, control characters escaped."""
    text = (
        value if isinstance(value, str) else repr(value) if not isinstance(value, int | float) else str(value)
    )
    shortened = text[:limit]
    shown = "".join(ch if ch.isprintable() or ch == " " else f"\\u{ord(ch):04x}" for ch in shortened)
    return shown + ("…" if len(text) > limit else "")


def yaml_hazard(text: str) -> tuple[int, str] | None:
    """(0-based line, Vietnamese reason) of the first anchor, alias or too-deep nesting in
    ``text``, or None. Reads PyYAML's event stream (no recursion, nothing expanded); a syntax
    error is left to the loader, which reports it with its line."""
    depth = 0
    try:
        for event in yaml.parse(text, Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader)):  # libyaml: ~10×
            if isinstance(event, yaml.AliasEvent) or getattr(event, "anchor", None):
                return _line(event), "dùng neo hoặc bí danh YAML ('&…' hoặc '*…')"
            if isinstance(event, yaml.CollectionStartEvent):
                depth += 1
                if depth > MAX_YAML_DEPTH:
                    return _line(event), f"lồng nhau quá {MAX_YAML_DEPTH} tầng"
            elif isinstance(event, yaml.CollectionEndEvent):
                depth -= 1
    except yaml.YAMLError:
        return None
    return None


class NotRegularFile(OSError):
    """A path that is a link, a device, a FIFO or too large: never read."""


def read_regular(path: Path, limit: int = MAX_FILE_BYTES) -> bytes:
    """The bytes of ``path`` if it is a regular file (not a link to one) of at most ``limit`` bytes.

    Opened without following a link and without blocking on a FIFO, then checked on the open
    file itself, so a file swapped for a link after it was listed is not read either.
    """
    descriptor = os.open(path, os.O_RDONLY | os.O_NOFOLLOW | os.O_NONBLOCK | os.O_CLOEXEC)
    with os.fdopen(descriptor, "rb") as handle:
        status = os.fstat(descriptor)
        if not stat.S_ISREG(status.st_mode):
            raise NotRegularFile(f"{path}: không phải tệp thường")
        if status.st_size > limit:
            raise NotRegularFile(f"{path}: quá {limit // 1_000_000} MB")
        return handle.read(limit + 1)[:limit]


def _line(event: yaml.Event) -> int:
    """The 0-based line an event starts on (PyYAML's parser always marks its events)."""
    return event.start_mark.line if event.start_mark is not None else 0
