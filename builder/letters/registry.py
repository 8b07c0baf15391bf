"""The registry of issuing bodies: one canonical name per body, whatever the letter printed.

Letters print their issuer in capitals over two lines, in either tone style,
sometimes with a typo (seeds 000/001: ``HUYỆN MUỜNG TÈ``). Lists, pages and
open data group letters by issuer, so every spelling must resolve to the one
name in ``content/co-quan-ban-hanh.yml``. A body that is not in the registry
keeps its printed name (in sentence case) and the build says how to add it.
The issuer is never guessed from a place name.
"""

from __future__ import annotations

import difflib
import functools
import hashlib
from dataclasses import dataclass, field
from enum import StrEnum
from pathlib import Path

from slugify import slugify

from builder.letters.letter import Diagnostic, Severity
from builder.letters.registry_file import EntryNames, missing_name, read_registry
from builder.text.vietnamese import canonical_key, fold, published

REGISTRY_FILE = "co-quan-ban-hanh.yml"
"""Name of the registry inside ``content/``."""

MAX_TYPO_EDITS = 1
"""Character edits (beyond diacritics) under which a printed name is a typo of a registered one."""

ABBREVIATIONS = {
    "ubnd": "ủy ban nhân dân",
    "hđnd": "hội đồng nhân dân",
    "mttq": "mặt trận tổ quốc",
    "tp": "thành phố",
    "tp.": "thành phố",
}
"""Abbreviations that name the same body as their long form."""

ADMIN_UNITS = ("thành phố", "thị xã", "thị trấn", "tỉnh", "huyện", "quận", "xã", "phường")
"""Words after which a place name (capitalised) follows."""

_UNIT_WORDS = frozenset(word for unit in ADMIN_UNITS for word in unit.split())

_KEEP_UPPER = frozenset({"UBND", "HĐND", "MTTQ", "BCĐ", "TTYT", "VP", "BCH", "TW"})
"""Abbreviations kept in capitals when a printed name is put in sentence case."""


class MatchKind(StrEnum):
    """How a printed issuer was found in the registry."""

    EXACT = "exact"
    VARIANT = "variant"
    NEAR = "near"
    UNKNOWN = "unknown"


@dataclass(frozen=True, slots=True)
class IssuingBody:
    """One entry of the registry."""

    ten: str
    """Canonical name, as pages show it."""
    slug: str
    """URL segment of the body's list page; never changes once published."""
    ten_viet_tat: str | None = None
    """Usual abbreviation ("UBND huyện Mường Tè")."""
    cach_viet_khac: tuple[str, ...] = ()
    """Known misspellings met in letters."""
    tinh: str | None = None
    """Province."""
    dia_danh: str | None = None
    """Place printed in the date line."""
    dia_danh_viet_khac: tuple[str, ...] = ()
    """Known misspellings of the place."""


@dataclass(frozen=True, slots=True)
class IssuerMatch:
    """The canonical name chosen for a printed issuer, and how it was found."""

    name: str
    kind: MatchKind
    body: IssuingBody | None = None


@dataclass(frozen=True, slots=True)
class PlaceMatch:
    """The place name to publish for a printed one; ``corrected`` when it differs from print."""

    name: str
    corrected: bool


@dataclass(frozen=True, slots=True)
class Registry:
    """All registered issuing bodies, matched by canonical key."""

    bodies: tuple[IssuingBody, ...] = ()
    fingerprint: str = ""
    """sha256 of the registry file, so cached letters are re-read when it changes."""
    _lookup: _Lookup = field(init=False, repr=False, compare=False)
    """The bodies' keys, computed once (every letter and every list page asks)."""

    def __post_init__(self) -> None:
        object.__setattr__(self, "_lookup", _Lookup(self.bodies))

    def match(self, printed: str) -> IssuerMatch:
        """The registry's name for ``printed``; sentence-cased print when it is unknown."""
        answers = self._lookup.answers
        found = answers.get(printed)
        if found is None:
            found = answers[printed] = self._lookup.match(printed)
        return found

    def resolve(self, printed: str, parent: str | None = None) -> IssuerMatch:
        """Match the printed issuer, then with the parent's place ("SỞ Y TẾ" under "UBND TỈNH LAI CHÂU")."""
        found = self.match(printed)
        if found.kind is not MatchKind.UNKNOWN or not parent:
            return found
        words = canonical_key(parent).split()
        unit = next((i for i, word in enumerate(words) if word in _UNIT_WORDS), None)
        if unit is None:
            return found
        with_place = self.match(f"{printed} {' '.join(words[unit:])}")
        return with_place if with_place.kind is not MatchKind.UNKNOWN else found

    def place(self, body: IssuingBody | None, printed: str) -> PlaceMatch:
        """The registered spelling of the issuer's own place when ``printed`` is a variant of it."""
        if body is None or not body.dia_danh:
            return PlaceMatch(printed, False)
        if canonical_key(printed) == canonical_key(body.dia_danh):
            return PlaceMatch(printed, False)
        variants = {canonical_key(v) for v in body.dia_danh_viet_khac}
        if canonical_key(printed) in variants or fold(printed) == fold(body.dia_danh):
            return PlaceMatch(body.dia_danh, True)
        return PlaceMatch(printed, False)

    def body_named(self, name: str) -> IssuingBody | None:
        """The entry whose canonical name is ``name`` (as stored in a letter)."""
        return self._lookup.by_name.get(match_key(name))

    def slug_for(self, name: str) -> str:
        """URL segment of an issuer's list page: the registry's slug, else one made from the name."""
        body = self.body_named(name)
        return body.slug if body else slugify(name)


class _Lookup:
    """``match_key`` of every registered name, in registry order (the first body listed wins)."""

    def __init__(self, bodies: tuple[IssuingBody, ...]) -> None:
        self.exact: dict[str, IssuingBody] = {}
        self.variants: dict[str, IssuingBody] = {}
        self.by_name: dict[str, IssuingBody] = {}
        self.names: list[tuple[IssuingBody, tuple[str, ...]]] = []
        for body in bodies:
            for key in (match_key(body.ten), match_key(body.ten_viet_tat or body.ten)):
                self.exact.setdefault(key, body)
            for variant in body.cach_viet_khac:
                self.variants.setdefault(match_key(variant), body)
            self.by_name.setdefault(match_key(body.ten), body)
            self.names.append((body, tuple(match_key(name) for name in (body.ten, *body.cach_viet_khac))))
        self.answers: dict[str, IssuerMatch] = {}
        """``match`` results by printed text: letters of one issuer print it the same few ways."""

    def match(self, printed: str) -> IssuerMatch:
        key = match_key(printed)
        body = self.exact.get(key)
        if body is not None:
            return IssuerMatch(body.ten, MatchKind.EXACT, body)
        body = self.variants.get(key)
        if body is not None:
            return IssuerMatch(body.ten, MatchKind.VARIANT, body)
        for body, keys in self.names:
            for registered in keys:
                if _is_typo_of(key, registered):
                    return IssuerMatch(body.ten, MatchKind.NEAR, body)
        return IssuerMatch(sentence_case(printed), MatchKind.UNKNOWN)


@functools.lru_cache(maxsize=1 << 14)
def match_key(text: str) -> str:
    """Canonical key with abbreviations spelled out and edge punctuation dropped."""
    words = canonical_key(text).strip(" .,;:").split()
    return " ".join(ABBREVIATIONS.get(word, word) for word in words)


def _is_typo_of(printed_key: str, registered_key: str) -> bool:
    """Same name but for diacritics or one slipped character, in the same kind of unit.

    "huyện" and "tỉnh" bodies of one place are different bodies, so the
    administrative unit words must agree exactly.
    """
    if _units(printed_key) != _units(registered_key):
        return False
    if fold(printed_key) == fold(registered_key):
        return True
    matcher = difflib.SequenceMatcher(None, printed_key, registered_key, autojunk=False)
    edits = sum(max(i2 - i1, j2 - j1) for tag, i1, i2, j1, j2 in matcher.get_opcodes() if tag != "equal")
    return edits <= MAX_TYPO_EDITS


def _units(key: str) -> list[str]:
    """The administrative unit words of a name, in order."""
    return [word for word in key.split() if word in _UNIT_WORDS]


ORGAN_WORDS = frozenset(
    {"bộ", "sở", "phòng", "ban", "cục", "vụ", "viện", "chi cục", "trung tâm", "văn phòng"}
)
"""Words naming a kind of organ: the word after them starts with a capital ("Sở Y tế", "Phòng Nội vụ")."""


def sentence_case(printed: str) -> str:
    """A name printed in capitals, written as Vietnamese writes names of bodies.

    First word capitalised; the word after an organ word ("Sở Y tế") and after
    "và" in such a name ("Giáo dục và Đào tạo"); place names after "huyện",
    "tỉnh"... ("Ủy ban nhân dân huyện Sìn Hồ"). Abbreviations and words with
    digits stay as printed. Names already in mixed case are kept as printed.
    """
    text = " ".join(published(printed).split())
    if text != text.upper():
        return text
    words = text.split(" ")
    out: list[str] = []
    place = organ = False
    for index, word in enumerate(words):
        lower = word.lower()
        pair = " ".join(w.lower() for w in words[max(0, index - 1) : index + 1])
        capital = index == 0 or organ or (place and lower not in ("ủy", "uỷ"))
        if word in _KEEP_UPPER or any(ch.isdigit() for ch in word):
            out.append(word)
        else:
            out.append(lower[:1].upper() + lower[1:] if capital else lower)
        place = place or lower in ADMIN_UNITS or pair in ADMIN_UNITS
        organ = not place and pair not in ("ủy ban", "uỷ ban")
        organ = organ and (lower in ORGAN_WORDS or pair in ORGAN_WORDS or (lower == "và" and index > 1))
    return " ".join(out)


def load_registry(content_dir: Path) -> tuple[Registry, list[Diagnostic]]:
    """The registry in ``content_dir``; an empty one (and an error) when it is missing or malformed.
    Read and its entries checked as the field registry's are (``registry_file``)."""
    path = content_dir / REGISTRY_FILE
    if not path.exists() and not path.is_symlink():
        return Registry(), []
    read = read_registry(path, "Sổ cơ quan")
    fingerprint = hashlib.sha256(read.data).hexdigest() if read.data else Registry().fingerprint
    problems = [_registry_error(path, p.line, p.message) for p in read.problems]
    if read.entries is None:
        return Registry(fingerprint=fingerprint), problems
    bodies: list[IssuingBody] = []
    taken = EntryNames(canonical_key)
    for number, entry in enumerate(read.entries, start=1):
        body = _body(entry)
        problem = (
            missing_name(number, "sổ cơ quan") if body is None else taken.problem(number, body.ten, body.slug)
        )
        if problem is not None:
            problems.append(_registry_error(path, 1, problem))
        elif body is not None:
            bodies.append(body)
    return Registry(tuple(bodies), fingerprint), problems


def _body(entry: object) -> IssuingBody | None:
    """One registry entry from its YAML mapping, or None when it has no name."""
    if not isinstance(entry, dict) or not isinstance(entry.get("ten"), str):
        return None

    def strings(key: str) -> tuple[str, ...] | None:
        value = entry.get(key) or ()
        values = [value] if isinstance(value, str) else value
        if not isinstance(values, list | tuple) or not all(isinstance(v, str | int) for v in values):
            return None
        return tuple(published(str(v)) for v in values)

    optional_keys = ("ten_viet_tat", "tinh", "dia_danh", "slug")
    if any(entry.get(k) is not None and not isinstance(entry[k], str | int) for k in optional_keys):
        return None
    ten = published(entry["ten"])
    optional = {
        k: published(str(entry[k])) if entry.get(k) else None for k in ("ten_viet_tat", "tinh", "dia_danh")
    }
    cach_viet_khac, dia_danh_viet_khac = strings("cach_viet_khac"), strings("dia_danh_viet_khac")
    if cach_viet_khac is None or dia_danh_viet_khac is None:
        return None
    return IssuingBody(
        ten=ten,
        slug=str(entry.get("slug") or slugify(ten)),
        cach_viet_khac=cach_viet_khac,
        dia_danh_viet_khac=dia_danh_viet_khac,
        **optional,
    )


def _registry_error(path: Path, line: int, message: str) -> Diagnostic:
    return Diagnostic(
        str(path),
        line,
        Severity.ERROR,
        message,
        "Sửa tệp theo mẫu ở đầu tệp (mỗi mục có ít nhất 'ten' và 'slug') rồi chạy lại `vanban check`",
    )
