"""Material's stylesheet cut to the rules the portal's pages can use.

Material's ``main.*.min.css`` (137 KB, 23 KB compressed) blocks the first paint of every page,
and about 80% of it styles components the portal never renders (its search, code blocks,
admonitions, tabs, versions, …). ``site_theme/assets/stylesheets/material.<hash>.css`` keeps every rule
that could match a page of the portal: a rule goes only when one of its selectors' classes is
named nowhere (not in a built page, not in the theme's templates and scripts, not in material's
navigation partials); rules without classes (elements, attributes, ``:root`` variables),
``@font-face`` and ``@keyframes`` stay. ``main.html`` loads it in place of material's file.

The file says which material stylesheet and which classes it was made from; after a template
change or a material upgrade, ``tests/test_theme_css.py`` fails until it is made again::

    mkdocs build && python3 -m builder.publish.theme_css site

(the committed project's site; add more built sites to keep their classes too). The file is named by
its content's hash (``material.<8 hex>.css``), so that browsers may keep it for a year
(deploy/nginx.conf), and the command renames it in ``site_theme/main.html``.
"""

from __future__ import annotations

import hashlib
import importlib.util
import re
import sys
from collections.abc import Iterable, Iterator
from pathlib import Path

_SPEC = importlib.util.find_spec("material")
MATERIAL = Path(_SPEC.origin if _SPEC and _SPEC.origin else "material").resolve().parent / "templates"
THEME = Path(__file__).resolve().parents[2] / "site_theme"
STYLESHEETS = "assets/stylesheets"
"""Where the file lives, relative to the theme folder (and to the built site)."""
_SUBSET_NAME = re.compile(r"material\.([0-9a-f]{8})\.css")
_SWAP = re.compile(r'replace\("assets/stylesheets/[^"]+", "assets/stylesheets/[^"]+"\)')
NAVIGATION_PARTIALS = ("nav", "nav-item", "tabs", "tabs-item", "toc", "toc-item", "footer", "content")
"""Material's partials the portal's pages include: every class they may write is kept, whichever
the pages of the sites the file was made from happened to show."""
CHARSET = '@charset "UTF-8";'
HEADER = re.compile(
    r"\A(?:@charset \"UTF-8\";)?\n"
    r"/\* made from (\S+) by builder/publish/theme_css\.py; classes: ([^*]*) \*/\n"
)
"""The first lines of the file: material's stylesheet it was made from and the classes kept."""

_CLASS_ATTRIBUTE = re.compile(r'class="([^"]*)"')
_WORD = re.compile(r"[\w-]+")
_MATERIAL_CLASS = re.compile(r"md-[\w-]+")
_CLASS = re.compile(r"\.(-?[_a-zA-Z][\w-]*)")
_INNERMOST = re.compile(r":(is|where|has|matches|-webkit-any|not)\(([^()]*)\)")


def material_stylesheet() -> Path:
    """The installed material's main stylesheet (its name carries its hash)."""
    found = sorted((MATERIAL / "assets" / "stylesheets").glob("main.*.min.css"))
    if len(found) != 1:
        raise RuntimeError(f"expected one material main stylesheet, found {found}")
    return found[0]


def class_names(sites: Iterable[Path], theme: Path = THEME) -> set[str]:
    """Every class a page may carry: those of the built pages, the words of the theme templates'
    class attributes (a class written under a condition), every ``md-`` word of the theme's
    templates and scripts, and every ``md-`` class of material's navigation partials."""
    names: set[str] = set()
    for site in sites:
        for page in site.rglob("*.html"):
            for match in _CLASS_ATTRIBUTE.finditer(page.read_text(encoding="utf-8", errors="replace")):
                names.update(match[1].split())
    for path in theme.rglob("*"):
        if path.is_file() and path.suffix in (".html", ".js"):
            text = path.read_text(encoding="utf-8")
            names.update(_MATERIAL_CLASS.findall(text))
            if path.suffix == ".html":
                for match in _CLASS_ATTRIBUTE.finditer(text):
                    names.update(_WORD.findall(match[1]))
    for name in NAVIGATION_PARTIALS:
        names.update(_MATERIAL_CLASS.findall((MATERIAL / "partials" / f"{name}.html").read_text("utf-8")))
    return names


def blocks(css: str) -> Iterator[tuple[str, str | None]]:
    """The top-level statements of ``css``: ``(prelude, body)``, body None for ``@import …;``."""
    at, size = 0, len(css)
    while at < size:
        end = at
        while end < size and css[end] not in "{;":
            end = _skip_string(css, end) if css[end] in "\"'" else end + 1
        if end >= size:
            return
        if css[end] == ";":
            yield css[at:end].strip(), None
            at = end + 1
            continue
        depth, close = 1, end + 1
        while depth:
            char = css[close]
            if char in "\"'":
                close = _skip_string(css, close)
                continue
            depth += {"{": 1, "}": -1}.get(char, 0)
            close += 1
        yield css[at:end].strip(), css[end + 1 : close - 1]
        at = close


def _skip_string(css: str, at: int) -> int:
    """The index after the string literal starting at ``at``."""
    quote, at = css[at], at + 1
    while css[at] != quote:
        at += 2 if css[at] == "\\" else 1
    return at + 1


def selectors(prelude: str) -> list[str]:
    """A selector list split at its top-level commas (not those inside ``:is(…)``)."""
    parts: list[str] = []
    current: list[str] = []
    depth = 0
    for char in prelude:
        depth += {"(": 1, ")": -1}.get(char, 0)
        if char == "," and depth == 0:
            parts.append("".join(current))
            current = []
        else:
            current.append(char)
    parts.append("".join(current))
    return parts


def may_match(selector: str, classes: set[str]) -> bool:
    """False only if the selector needs a class no page carries. ``:not(…)`` needs nothing;
    ``:is``/``:where``/``:has(…)`` need one of their alternatives."""
    while True:
        match = _INNERMOST.search(selector)
        if not match:
            return all(name in classes for name in _CLASS.findall(selector))
        keep = match[1] == "not" or any(may_match(part, classes) for part in selectors(match[2]))
        if not keep:
            return False
        selector = selector[: match.start()] + selector[match.end() :]


def subset(css: str, classes: set[str]) -> str:
    """The rules of ``css`` that may match a page whose classes are among ``classes``."""
    out = []
    for prelude, body in blocks(css):
        if body is None:
            out.append(prelude + ";")
        elif prelude.startswith(("@media", "@supports", "@layer", "@container")):
            inner = subset(body, classes)
            if inner:
                out.append(prelude + "{" + inner + "}")
        elif prelude.startswith("@"):
            out.append(prelude + "{" + body + "}")
        else:
            kept = [s for s in selectors(prelude) if may_match(s, classes)]
            if kept:
                out.append(",".join(kept) + "{" + body + "}")
    return "".join(out)


def styled(css: str) -> set[str]:
    """The classes ``css`` names."""
    return set(_CLASS.findall(css))


def made(source: Path, classes: set[str]) -> str:
    """The file's text: a header naming its source and the classes kept (those of ``classes`` the
    source styles), then the rules kept."""
    css = source.read_text(encoding="utf-8")
    kept = classes & styled(css)
    names = " ".join(sorted(kept))
    rules = subset(css, kept)
    charset = CHARSET if rules.startswith(CHARSET) else ""  # first in the file, or ignored
    header = f"/* made from {source.name} by builder/publish/theme_css.py; classes: {names} */\n"
    return charset + "\n" + header + rules[len(charset) :] + "\n"


def subset_name(text: str) -> str:
    """The file's name: its content's hash in it."""
    return f"material.{hashlib.sha256(text.encode('utf-8')).hexdigest()[:8]}.css"


def committed(theme: Path = THEME) -> Path:
    """The theme's cut stylesheet (exactly one)."""
    found = [p for p in (theme / STYLESHEETS).iterdir() if _SUBSET_NAME.fullmatch(p.name)]
    if len(found) != 1:
        raise RuntimeError(f"expected one material.<hash>.css in {theme / STYLESHEETS}, found {found}")
    return found[0]


def swap(source: str, name: str) -> str:
    """The expression main.html uses to load ``name`` in place of material's ``source``."""
    return f'replace("{STYLESHEETS}/{source}", "{STYLESHEETS}/{name}")'


def main(argv: list[str]) -> int:
    if not argv:
        print(__doc__)
        return 2
    source = material_stylesheet()
    text = made(source, class_names(Path(site) for site in argv))
    name = subset_name(text)
    for old in (THEME / STYLESHEETS).iterdir():
        if _SUBSET_NAME.fullmatch(old.name):
            old.unlink()
    (THEME / STYLESHEETS / name).write_text(text, encoding="utf-8")
    template = THEME / "main.html"
    html, count = _SWAP.subn(swap(source.name, name), template.read_text(encoding="utf-8"))
    if count != 1:
        raise RuntimeError(f"{template}: expected one {swap(source.name, name)}")
    template.write_text(html, encoding="utf-8")
    print(f"{STYLESHEETS}/{name}: {len(text):,} bytes from {source.name} ({source.stat().st_size:,} bytes)")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
