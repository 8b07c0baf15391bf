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
MAX_YAML_DEPTH = 16
"""Front matter and registry nest two or three levels; deeper is refused."""
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
        for event in yaml.parse(text, Loader=yaml.SafeLoader):
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
