"""Which site paths are content-hashed, read from deploy/nginx.conf itself.

The nginx map that marks files immutable is the one definition of a "hashed name";
the tests use the same regexes so the server config, the index names and the tests
cannot drift apart.
"""

from __future__ import annotations

import re
from functools import cache
from pathlib import Path

CONF = Path(__file__).resolve().parent.parent / "deploy" / "nginx.conf"
LONG = "public, max-age=31536000, immutable"


@cache
def immutable_patterns() -> tuple[re.Pattern[str], ...]:
    """The regexes of the ``$vanban_cache_control`` map that give the year-long cache."""
    map_block = re.search(r"^map \$uri \$vanban_cache_control \{\n(.*?)^\}", CONF.read_text(), re.S | re.M)
    assert map_block, "deploy/nginx.conf has no $vanban_cache_control map"
    rules = re.findall(r'^\s*"~(.+)"\s+"([^"]+)";\s*$', map_block.group(1), re.M)
    patterns = tuple(re.compile(regex) for regex, value in rules if value == LONG)
    assert patterns, "no immutable rule in deploy/nginx.conf"
    return patterns


def is_hashed(path: str) -> bool:
    """True when nginx would cache ``path`` (site-relative, with or without a leading /) for a year."""
    uri = "/" + path.lstrip("/")
    return any(pattern.search(uri) for pattern in immutable_patterns())
