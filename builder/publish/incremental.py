"""Incremental builds: a page is rendered only when what it is made from has changed.

Every page the plugin writes one at a time (letters, a list's later pages) has
a fingerprint: a hash of its own inputs (its front matter, the template
variables its template reads, the letter's whole text) together with the
*site key*, a hash of what every page is made from (the plugin's code, the
theme and its templates, MkDocs and the theme's versions, ``mkdocs.yml`` and
the hand-written pages). The search index has one too: the site key and every
listed letter, in order.

The fingerprints of a finished build are kept inside it, in
``FINGERPRINTS`` at the site's root, so they always describe exactly the files
beside them (they are swapped in with the site). The next build carries a page
over from that last good site, by a hard link into its own (empty) staging
folder, when its fingerprint is the same, and renders it otherwise; a page
that no longer exists is simply not carried over. Hard links are safe because
nothing writes into a carried file: a page is either linked or rendered, and
the previous site is only ever removed, never written.
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
from collections.abc import Iterable
from dataclasses import dataclass, field
from importlib import metadata
from pathlib import Path

from jinja2 import Environment, meta
from jinja2.exceptions import TemplateNotFound

FINGERPRINTS = ".vanban-fingerprints.json"
"""In the site's root: the fingerprints of the pages beside it (not linked from any page)."""
FORMAT = 1
VERSIONS_OF = (
    "mkdocs",
    "properdocs",
    "mkdocs-material",
    "jinja2",
    "markdown-it-py",
    "markdown",
    "pymdown-extensions",
)
"""Packages whose version is part of the site key: an upgrade may change every page."""


def _digest(*parts: bytes | str) -> str:
    digest = hashlib.sha256()
    for part in parts:
        data = part.encode("utf-8") if isinstance(part, str) else part
        digest.update(len(data).to_bytes(8, "little"))
        digest.update(data)
    return digest.hexdigest()


def tree_digest(folders: Iterable[Path]) -> str:
    """Every file under ``folders``: relative path and bytes (symlinked folders followed)."""
    digest = hashlib.sha256()
    for number, folder in enumerate(folders):  # by position: the same project anywhere
        digest.update(f"{number}\0".encode())
        if not folder.is_dir():
            continue
        for path in sorted(p for p in folder.rglob("*") if p.is_file() and "__pycache__" not in p.parts):
            digest.update(path.relative_to(folder).as_posix().encode("utf-8") + b"\0")
            digest.update(hashlib.sha256(path.read_bytes()).digest())
    return digest.hexdigest()


def _version(name: str) -> str:
    try:
        return metadata.version(name)
    except metadata.PackageNotFoundError:
        return "-"


def site_key(
    code_dir: Path, theme_dirs: Iterable[Path], config_file: Path, docs_dir: Path, resolved: dict
) -> str:
    """What every page is made from. ``resolved`` holds the configuration values read from the
    environment (``site_url`` from SITE_URL) or computed, which the file alone does not fix."""
    versions = {name: _version(name) for name in VERSIONS_OF}
    return _digest(
        str(FORMAT),
        tree_digest([code_dir]),
        tree_digest(theme_dirs),
        config_file.read_bytes() if config_file.is_file() else b"",
        tree_digest([docs_dir]),
        json.dumps({"versions": versions, "resolved": resolved}, sort_keys=True, default=str),
    )


class TemplateInputs:
    """Which of the plugin's template variables (``vb_*``) a page template reads, through its
    imports, includes and parent templates: a page's fingerprint holds those, and only those.

    Finding them parses every template a page reaches (~135 with material's, ~1 s of CPU).
    The answer depends only on the templates, which the site key covers (the theme folder,
    material's and Jinja's versions, the plugin's code): ``known`` gives the last good build's
    answers when its site key is this build's (``Fingerprints.templates``), and ``found`` holds
    this build's, kept for the next one."""

    def __init__(
        self, env: Environment, prefix: str = "vb_", known: dict[str, list[str] | None] | None = None
    ) -> None:
        self.env = env
        self.prefix = prefix
        self._names: dict[str, frozenset[str] | None] = {}
        self._known = known or {}
        self.found: dict[str, list[str] | None] = {}

    def names(self, template: str) -> frozenset[str] | None:
        """The variables, or None when the template reaches one it cannot name (then all count)."""
        if template not in self._names:
            if template in self._known:
                known = self._known[template]
                names = None if known is None else frozenset(known)
            else:
                names = self._walk(template)
            self._names[template] = names
            self.found[template] = None if names is None else sorted(names)
        return self._names[template]

    def _walk(self, first: str) -> frozenset[str] | None:
        seen: set[str] = set()
        names: set[str] = set()
        todo = [first]
        while todo:
            name = todo.pop()
            if name in seen:
                continue
            seen.add(name)
            try:
                source = self.env.loader.get_source(self.env, name)[0] if self.env.loader else None
            except TemplateNotFound:
                source = None
            if source is None:
                return None
            tree = self.env.parse(source)
            names |= {n for n in meta.find_undeclared_variables(tree) if n.startswith(self.prefix)}
            for referenced in meta.find_referenced_templates(tree):
                if referenced is None:  # an include whose name is computed: e.g. theme icons
                    continue  # material's icons are SVG files, never our variables
                todo.append(referenced)
        return frozenset(names)


def page_fingerprint(
    key: str, page_meta: dict, context: dict, names: frozenset[str] | None, extra: str
) -> str:
    """A page's inputs: its front matter, the template variables it reads (their ``repr``: plain
    dataclasses, lists and strings, the same text for equal values), and ``extra`` (the letter)."""
    used = sorted(context) if names is None else sorted(n for n in context if n in names)
    return _digest(
        key,
        json.dumps(page_meta, sort_keys=True, ensure_ascii=False),
        *(f"{name}={context[name]!r}" for name in used),
        extra,
    )


def file_fingerprint(key: str, *inputs: str) -> str:
    """A file other than a page (a committed original, a letter's open-data record): its inputs."""
    return _digest(key, *inputs)


def letter_digest(letter: object) -> str:
    """A letter whole (body, every field): its ``repr``, which a dataclass makes from its values."""
    return _digest(repr(letter))


def search_fingerprint(key: str, listed: Iterable[tuple[str, str]]) -> str:
    """The search index's inputs: the site key and every listed letter (id, digest), in order."""
    digest = hashlib.sha256(key.encode("utf-8"))
    for letter_id, letter in listed:
        digest.update(f"{letter_id}\0{letter}\n".encode())
    return digest.hexdigest()


@dataclass
class Fingerprints:
    """What ``FINGERPRINTS`` holds."""

    site: str = ""
    search: str = ""
    pages: dict[str, str] = field(default_factory=dict)
    """Site-relative output path ("van-ban/x/index.html") -> fingerprint."""
    templates: dict[str, list[str] | None] = field(default_factory=dict)
    """Page template -> the plugin's variables it reads (``TemplateInputs``), for the next build
    with the same site key."""

    @classmethod
    def read(cls, site_dir: Path | None) -> Fingerprints:
        """The last good site's fingerprints; empty (nothing carried over) if it has none."""
        if site_dir is None:
            return cls()
        try:
            data = json.loads((site_dir / FINGERPRINTS).read_text(encoding="utf-8"))
            if data.get("format") != FORMAT:
                return cls()
            templates = {
                str(name): None if names is None else [str(n) for n in names]
                for name, names in dict(data.get("templates", {})).items()
            }
            return cls(str(data["site"]), str(data["search"]), dict(data["pages"]), templates)
        except (OSError, ValueError, KeyError, TypeError, AttributeError):
            return cls()

    def write(self, site_dir: Path) -> None:
        data = {
            "format": FORMAT,
            "site": self.site,
            "search": self.search,
            "pages": dict(sorted(self.pages.items())),
            "templates": dict(sorted(self.templates.items())),
        }
        (site_dir / FINGERPRINTS).write_text(json.dumps(data, indent=0), encoding="utf-8")


@dataclass
class CarryOver:
    """Carries files over from the last good site (``previous``) into the build's folder (``site``)."""

    previous: Path | None
    site: Path
    last: Fingerprints
    now: Fingerprints
    carried: int = 0
    rendered: int = 0

    def take(self, relative: str, fingerprint: str) -> bool:
        """Link the previous site's file if its fingerprint is this one; False: render it."""
        self.now.pages[relative] = fingerprint
        if self.previous is None or self.last.pages.get(relative) != fingerprint:
            self.rendered += 1
            return False
        if not link_or_copy(self.previous / relative, self.site / relative):
            self.rendered += 1
            return False
        self.carried += 1
        return True

    def carried_text(self, relative: str, fingerprint: str) -> str | None:
        """``take`` for a page MkDocs writes itself: the previous site's page as text (None:
        render it), for MkDocs to write again as it was."""
        self.now.pages[relative] = fingerprint
        if self.previous is not None and self.last.pages.get(relative) == fingerprint:
            try:
                text = (self.previous / relative).read_bytes().decode("utf-8")
            except (OSError, UnicodeDecodeError):
                text = None
            if text:
                self.carried += 1
                return text
        self.rendered += 1
        return None

    def take_file(self, relative: str, fingerprint: str) -> bool:
        """``take`` for a file that is not a page (not counted among rendered or carried pages)."""
        self.now.pages[relative] = fingerprint
        if self.previous is None or self.last.pages.get(relative) != fingerprint:
            return False
        return link_or_copy(self.previous / relative, self.site / relative)

    def take_folder(self, relative: str, skip: Iterable[str] = ()) -> bool:
        """The previous site's folder ``relative`` (but ``skip``), file by file, if it exists."""
        if self.previous is None or not (self.previous / relative).is_dir():
            return False
        source = self.previous / relative
        skipped = {source / name for name in skip}
        for path in source.rglob("*"):
            target = self.site / path.relative_to(self.previous)
            if path.is_file() and path not in skipped and not link_or_copy(path, target):
                return False
        return True


def link_or_copy(source: Path, target: Path) -> bool:
    """Hard-link ``source`` at ``target`` (a copy where links are impossible); False if it is gone."""
    target.parent.mkdir(parents=True, exist_ok=True)
    try:
        os.link(source, target)
    except FileNotFoundError:
        return False
    except FileExistsError:
        target.unlink()
        return link_or_copy(source, target)
    except OSError:  # another file system, or one without hard links
        try:
            shutil.copyfile(source, target)
        except FileNotFoundError:
            return False
    return True


def copy_tree_as_links(source: Path, target: Path) -> None:
    """``target`` becomes a tree of hard links to ``source``'s files (replacing what it held)."""
    shutil.rmtree(target, ignore_errors=True)
    for folder, _, names in os.walk(source):  # os.walk skips a folder removed while it walks
        for name in names:
            path = Path(folder) / name
            link_or_copy(path, target / path.relative_to(source))
