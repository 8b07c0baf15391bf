"""A deterministic corpus of realistic letters for the benchmarks (no network, seeded).

``python -m benchmarks.corpus --count 1000 --out DIR`` writes a buildable project
into DIR (``mkdocs.yml``, a ``site_theme`` symlink, ``content/`` with the data
files of the repository's ``content/`` and N generated ``.txt`` letters, as the
tests' ``make_project(seeds=False)`` does) plus ``bench-manifest.json``: what
each letter is (number, date, issuer, signer, citations) so that the benchmark
can pick real queries and the smoke test can check the generator.

The letters follow the seeds and NĐ 30/2020: issuers are real districts and
provinces (People's Committees, a few party committees numbered ``325-CV/TU``),
numbers are unique per issuer and year (per term for party bodies) and grow
with the date, subjects span lines, bodies of 300–2,000 words cite earlier
generated letters, and the files vary the way real exports do: 10% NFD, half
in the new tone style (hoà, uỷ), some drafts with a blank number and day,
some with a BOM or CRLF line ends.
"""

from __future__ import annotations

import argparse
import bisect
import datetime as dt
import hashlib
import json
import re
import shutil
import unicodedata
from dataclasses import asdict, dataclass, field
from pathlib import Path
from random import Random

import yaml

from benchmarks import vocab

REPO = Path(__file__).resolve().parent.parent
DEFAULT_SEED = 20250701
MANIFEST = "bench-manifest.json"

NFD_SHARE = 0.10
NEW_STYLE_SHARE = 0.50
DRAFT_SHARE = 0.04
BOM_SHARE = 0.05
CRLF_SHARE = 0.05
START = dt.date(2015, 1, 1)
DISTRICTS_END = dt.date(2025, 6, 30)
"""District People's Committees were abolished on 1 July 2025; provinces go on."""
END = dt.date(2025, 12, 31)
REGISTER_SIZE = {"ubnd-tinh": 3500, "ubnd-huyen": 1500, "tinh-uy": 900, "huyen-uy": 700}
"""Letters a body registers in a year (a term for party bodies); only some are published."""


@dataclass(frozen=True)
class Issuer:
    """A body that issues letters, with every form of its name the letters print."""

    key: str
    kind: str
    """"ubnd-tinh", "ubnd-huyen", "tinh-uy" or "huyen-uy"."""
    name: str
    """Full name as the registry would hold it: "Ủy ban nhân dân huyện Mường Tè"."""
    short: str
    """How other letters cite it: "UBND huyện Mường Tè", "Tỉnh ủy Lai Châu"."""
    header: tuple[str, ...]
    """The issuer block as printed, in capitals, top to bottom."""
    place: str
    province: str
    weight: float

    @property
    def party(self) -> bool:
        return self.kind.endswith("-uy")

    @property
    def district(self) -> bool:
        return self.kind.endswith("huyen") or self.kind == "huyen-uy"

    @property
    def suffix(self) -> str:
        return {"tinh-uy": "TU", "huyen-uy": "HU"}.get(self.kind, "UBND")


@dataclass(frozen=True)
class LetterType:
    name: str
    abbr: str | None
    weight: float
    party_weight: float


TYPES = [
    LetterType("Công văn", None, 0.50, 0.60),
    LetterType("Quyết định", "QĐ", 0.12, 0.0),
    LetterType("Kế hoạch", "KH", 0.10, 0.10),
    LetterType("Báo cáo", "BC", 0.10, 0.10),
    LetterType("Thông báo", "TB", 0.09, 0.15),
    LetterType("Tờ trình", "TTr", 0.04, 0.0),
    LetterType("Hướng dẫn", "HD", 0.03, 0.05),
    LetterType("Chỉ thị", "CT", 0.02, 0.0),
]


@dataclass
class Planned:
    """One letter's facts, decided before its text is written (so others can cite it)."""

    index: int
    issuer: Issuer
    type: LetterType
    date: dt.date
    topic: vocab.Topic
    subject: str
    draft: bool = False
    blank_month: bool = False
    number: int | None = None
    symbol: str = ""
    signer: str = ""
    signer_title: str = ""
    authority: tuple[str, ...] = ()
    cites: list[int] = field(default_factory=list)
    national: list[int] = field(default_factory=list)
    nfd: bool = False
    new_style: bool = False
    bom: bool = False
    crlf: bool = False
    urgent: bool = False
    rare: bool = False
    words: int = 0
    articles: int = 0
    """Articles of a decision (the distribution list names the last one)."""
    unit: str = ""

    @property
    def so_ky_hieu(self) -> str | None:
        """ "2642/UBND-VX", "325-CV/TU", or None for a draft."""
        if self.number is None:
            return None
        if self.issuer.party:
            return f"{self.number}-{self.symbol}"
        return f"{self.number}/{self.symbol}"


@dataclass
class ManifestEntry:
    """What the benchmark and the smoke test need to know about one generated file."""

    file: str
    issuer: str
    issuer_short: str
    kind: str
    type: str
    so_ky_hieu: str | None
    date: str
    """ISO date as printed: "2021-09" for a blank day."""
    subject: str
    signer: str
    cites: list[str]
    """``so_ky_hieu`` of the generated letters this one cites."""
    cites_files: list[str]
    nfd: bool
    new_style: bool
    draft: bool
    words: int
    topic: str
    rare: bool


# --------------------------------------------------------------------------- issuers and people


def build_issuers(rng: Random) -> list[Issuer]:
    """Every province's People's Committee and party committee, its districts, a few Huyện ủy."""
    issuers: list[Issuer] = []
    for province, districts in vocab.PROVINCES.items():
        slug = _slug(province)
        issuers.append(
            Issuer(
                f"ubnd-tinh-{slug}",
                "ubnd-tinh",
                f"Ủy ban nhân dân tỉnh {province}",
                f"UBND tỉnh {province}",
                ("ỦY BAN NHÂN DÂN", f"TỈNH {province.upper()}"),
                province,
                province,
                1.6 * rng.lognormvariate(0, 0.4),
            )
        )
        issuers.append(
            Issuer(
                f"tinh-uy-{slug}",
                "tinh-uy",
                f"Tỉnh ủy {province}",
                f"Tỉnh ủy {province}",
                (f"TỈNH ỦY {province.upper()}",),
                province,
                province,
                0.4 * rng.lognormvariate(0, 0.4),
            )
        )
        for district in districts:
            issuers.append(
                Issuer(
                    f"ubnd-huyen-{_slug(district)}",
                    "ubnd-huyen",
                    f"Ủy ban nhân dân huyện {district}",
                    f"UBND huyện {district}",
                    ("ỦY BAN NHÂN DÂN", f"HUYỆN {district.upper()}"),
                    district,
                    province,
                    rng.lognormvariate(0, 0.6),
                )
            )
        for district in vocab.PARTY_DISTRICTS.get(province, []):
            issuers.append(
                Issuer(
                    f"huyen-uy-{_slug(district)}",
                    "huyen-uy",
                    f"Huyện ủy {district}",
                    f"Huyện ủy {district}",
                    (f"ĐẢNG BỘ TỈNH {province.upper()}", f"HUYỆN ỦY {district.upper()}"),
                    district,
                    province,
                    0.3 * rng.lognormvariate(0, 0.4),
                )
            )
    return issuers


def person(rng: Random) -> str:
    """A plausible full name: weighted family name, middle name, given name."""
    surnames, weights = zip(*vocab.SURNAMES, strict=True)
    surname = rng.choices(surnames, weights)[0]
    given = rng.choice(vocab.GIVEN_NAMES)
    if surname in {"Giàng", "Sùng", "Vàng", "Thào"}:
        middle = rng.choice(vocab.HMONG_MIDDLE)
    elif given in {"Hoa", "Lan", "Hương", "Thủy", "Thúy"} and rng.random() < 0.8:
        middle = "Thị"
    else:
        middle = rng.choice(vocab.MIDDLE_NAMES)
    if rng.random() < 0.3:
        middle = f"{middle} {rng.choice(vocab.MIDDLE_NAMES[2:])}"
    return f"{surname} {middle} {given}"


def term_of(date: dt.date) -> int:
    """Start year of the five-year term (congresses and People's Councils change in 2020–2021)."""
    return 2015 if date < dt.date(2020, 10, 1) else 2020


def officials(rng: Random, issuers: list[Issuer]) -> dict[tuple[str, int], dict[str, list[str]]]:
    """Who signs for each issuer in each term: head, deputies, office chief."""
    table: dict[tuple[str, int], dict[str, list[str]]] = {}
    for issuer in issuers:
        for term in (2015, 2020):
            table[(issuer.key, term)] = {
                "head": [person(rng)],
                "deputy": [person(rng) for _ in range(rng.randint(2, 3))],
                "office": [person(rng)],
            }
    return table


def authority_lines(rng: Random, issuer: Issuer, kind: LetterType) -> tuple[tuple[str, ...], str]:
    """Signing block (top to bottom) and which official signs ("head", "deputy", "office")."""
    if issuer.party:
        roll = rng.random()
        if roll < 0.25:
            return ("TM. BAN THƯỜNG VỤ", "BÍ THƯ"), "head"
        if roll < 0.75:
            return ("TM. BAN THƯỜNG VỤ", "PHÓ BÍ THƯ"), "deputy"
        return ("TL. BAN THƯỜNG VỤ", "CHÁNH VĂN PHÒNG"), "office"
    roll = rng.random()
    if kind.name in {"Quyết định", "Chỉ thị"}:
        if roll < 0.4:
            return ("CHỦ TỊCH",), "head"
        if roll < 0.6:
            return ("TM. ỦY BAN NHÂN DÂN", "CHỦ TỊCH"), "head"
        return ("KT. CHỦ TỊCH", "PHÓ CHỦ TỊCH"), "deputy"
    if kind.name == "Thông báo" and roll < 0.6:
        return ("TL. CHỦ TỊCH", "CHÁNH VĂN PHÒNG"), "office"
    if roll < 0.45:
        return ("TM. ỦY BAN NHÂN DÂN", "KT. CHỦ TỊCH", "PHÓ CHỦ TỊCH"), "deputy"
    if roll < 0.8:
        return ("KT. CHỦ TỊCH", "PHÓ CHỦ TỊCH"), "deputy"
    return ("TM. ỦY BAN NHÂN DÂN", "CHỦ TỊCH"), "head"


# --------------------------------------------------------------------------- planning


def plan(count: int, seed: int = DEFAULT_SEED) -> tuple[list[Planned], list[Issuer]]:
    """Decide every letter's facts: issuer, type, date, number, subject, signer, citations."""
    rng = Random(seed)
    issuers = build_issuers(rng)
    people = officials(rng, issuers)
    weights = [issuer.weight for issuer in issuers]
    letters: list[Planned] = []
    for index in range(count):
        issuer = rng.choices(issuers, weights)[0]
        type_weights = [t.party_weight if issuer.party else t.weight for t in TYPES]
        kind = rng.choices(TYPES, type_weights)[0]
        date = _workday(rng, issuer)
        topics = [t for t in vocab.TOPICS if t.years[0] <= date.year <= t.years[1]]
        topic = rng.choices(topics, [t.weight for t in topics])[0]
        letter = Planned(index, issuer, kind, date, topic, subject="")
        letter.subject = _subject(rng, letter)
        letter.draft = rng.random() < DRAFT_SHARE
        letter.blank_month = letter.draft and rng.random() < 0.2
        authority, role = authority_lines(rng, issuer, kind)
        letter.authority = authority
        letter.signer = rng.choice(people[(issuer.key, term_of(date))][role])
        letter.signer_title = authority[-1]
        letter.unit = rng.choice(vocab.PROVINCE_UNITS if issuer.kind == "ubnd-tinh" else vocab.DISTRICT_UNITS)
        letter.nfd = rng.random() < NFD_SHARE
        letter.new_style = rng.random() < NEW_STYLE_SHARE
        letter.bom = rng.random() < BOM_SHARE
        letter.crlf = rng.random() < CRLF_SHARE
        letter.urgent = kind.name == "Công văn" and rng.random() < 0.04
        letter.rare = rng.random() < 0.002
        letters.append(letter)
    _number(rng, letters)
    _cite(rng, letters)
    return letters, issuers


def _workday(rng: Random, issuer: Issuer) -> dt.date:
    end = DISTRICTS_END if issuer.district else END
    date = START + dt.timedelta(days=rng.randrange((end - START).days + 1))
    while date.weekday() >= 5 and rng.random() < 0.9:
        date -= dt.timedelta(days=1)
    return date


def _subject(rng: Random, letter: Planned) -> str:
    """The trích yếu without "V/v": topic subject or object, shaped by the letter type."""
    topic, issuer = letter.topic, letter.issuer
    where = f"huyện {issuer.place}" if issuer.district else f"tỉnh {issuer.province}"
    obj = rng.choice(topic.objects)
    year = letter.date.year
    name = letter.type.name
    if name == "Công văn":
        subject = rng.choice(topic.subjects)
        if rng.random() < 0.4:
            subject += f" trên địa bàn {where}"
        return subject
    if name == "Quyết định":
        pattern = rng.choice(
            [
                "Về việc thành lập Ban Chỉ đạo {obj} {where}",
                "Về việc kiện toàn Tổ công tác {obj} {where}",
                "Về việc phê duyệt Kế hoạch {obj} năm {year}",
                "Về việc ban hành Quy chế phối hợp trong {obj}",
            ]
        )
    elif name == "Kế hoạch":
        pattern = rng.choice(["Triển khai thực hiện {obj} năm {year}", "Tổ chức thực hiện {obj} {where}"])
    elif name == "Báo cáo":
        pattern = rng.choice(
            ["Kết quả thực hiện {obj} năm {year}", "Kết quả {obj} 6 tháng đầu năm {year}, nhiệm vụ trọng tâm"]
        )
    elif name == "Thông báo":
        pattern = "Kết luận của Chủ tịch UBND {where} tại cuộc họp về {obj}"
        if issuer.party:
            pattern = "Ý kiến chỉ đạo của Thường trực {short} về {obj}"
    elif name == "Tờ trình":
        pattern = "Về việc đề nghị phê duyệt kinh phí thực hiện {obj} năm {year}"
    elif name == "Hướng dẫn":
        pattern = "Thực hiện {obj} năm {year}"
    else:
        pattern = "Về việc tăng cường {obj} {where}"
    return pattern.format(obj=obj, where=where, year=year, short=issuer.short)


def _number(rng: Random, letters: list[Planned]) -> None:
    """Numbers from one register per issuer and year (per term for party bodies), growing with the date.

    Only some letters are published, so the published numbers are a sorted
    sample of the register's range rather than 1, 2, 3.
    """
    registers: dict[tuple[str, int], list[Planned]] = {}
    for letter in letters:
        if letter.draft:
            continue
        period = term_of(letter.date) if letter.issuer.party else letter.date.year
        registers.setdefault((letter.issuer.key, period), []).append(letter)
    for key in sorted(registers):
        members = sorted(registers[key], key=lambda item: (item.date, item.index))
        size = max(REGISTER_SIZE[members[0].issuer.kind], 3 * len(members))
        for letter, number in zip(members, sorted(rng.sample(range(1, size + 1), len(members))), strict=True):
            letter.number = number
    for letter in letters:
        letter.symbol = _symbol(letter)


def _symbol(letter: Planned) -> str:
    """The part after the number: "UBND-VP", "QĐ-UBND", "CV/TU", "TB/HU"."""
    issuer, kind = letter.issuer, letter.type
    if issuer.party:
        return f"{kind.abbr or 'CV'}/{issuer.suffix}"
    if kind.abbr is None:
        return f"UBND-{letter.unit}"
    return f"{kind.abbr}-UBND"


def _cite(rng: Random, letters: list[Planned]) -> None:
    """Each letter cites up to three earlier numbered letters, mostly recent ones.

    A district body cites its own district's letters and its province's; a
    province body cites the province's letters and now and then a district's report.
    """
    pools: dict[tuple[str, str], list[tuple[dt.date, int]]] = {}
    for letter in letters:
        if letter.number is not None:
            pools.setdefault(_scope(letter.issuer), []).append((letter.date, letter.index))
    districts: dict[str, list[tuple[dt.date, int]]] = {}
    for (province, place), entries in pools.items():
        entries.sort()
        if place:
            districts.setdefault(province, []).extend(entries)
    for entries in districts.values():
        entries.sort()
    for letter in letters:
        count = rng.choices([0, 1, 2, 3], [35, 40, 18, 7])[0]
        chosen: list[int] = []
        for _ in range(count):
            province = letter.issuer.province
            if letter.issuer.district:
                pool = pools.get(_scope(letter.issuer) if rng.random() < 0.5 else (province, ""), [])
            else:
                pool = pools.get((province, ""), []) if rng.random() < 0.85 else districts.get(province, [])
            earlier = bisect.bisect_left(pool, (letter.date, -1))
            window = pool[max(0, earlier - 40) : earlier]
            if not window:
                continue
            candidate = window[min(len(window) - 1, int(len(window) * rng.random() ** 0.5))][1]
            same_number = letters[candidate].so_ky_hieu == letter.so_ky_hieu  # reads as a self-reference
            if candidate not in chosen and not same_number:
                chosen.append(candidate)
        letter.cites = chosen
        national = [
            i for i, doc in enumerate(vocab.NATIONAL_DOCUMENTS) if dt.date.fromisoformat(doc[2]) < letter.date
        ]
        if national and rng.random() < 0.3:
            letter.national = [rng.choice(national)]


def _scope(issuer: Issuer) -> tuple[str, str]:
    """(province, district place) for district bodies, (province, "") for province bodies."""
    return (issuer.province, issuer.place if issuer.district else "")


# --------------------------------------------------------------------------- writing


class Writer:
    """Writes one planned letter as a Word-export-like ``.txt`` text (canonical style, NFC)."""

    def __init__(self, rng: Random, letters: list[Planned]):
        self.rng = rng
        self.letters = letters
        self.decks: dict[str, list[str]] = {}
        self.communes: dict[str, list[str]] = {}

    def text(self, letter: Planned) -> str:
        rng = self.rng
        self.decks = {}
        bold = rng.random() < 0.6
        soft = rng.random() < 0.15  # Word's manual line breaks export as two trailing spaces
        parts: list[str] = [""]
        parts.append(self._block(letter.issuer.header, bold, soft) + ("\n*" if letter.issuer.party else ""))
        if letter.issuer.party:
            parts.append(self._block(("ĐẢNG CỘNG SẢN VIỆT NAM",), bold, soft))
        else:
            dash = "–" if rng.random() < 0.1 else "-"
            motto = f"Độc lập {dash} Tự do {dash} Hạnh phúc"
            parts.append(self._block(("CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", motto), bold, soft))
        number = self._number_line(letter)
        date_line = self._date_line(letter)
        if letter.type.name == "Công văn":
            vv = self._wrap("V/v " + letter.subject, soft) if rng.random() < 0.4 else "V/v " + letter.subject
            parts += [number, date_line, vv] if rng.random() < 0.5 else [number, vv, date_line]
        else:
            parts += [number, date_line]
            title = letter.type.name.upper()
            parts.append(f"**{title}**" if bold else title)
            parts.append(self._wrap(letter.subject, soft) if rng.random() < 0.3 else letter.subject)
        if letter.urgent:
            parts.append(rng.choice(["KHẨN", "HỎA TỐC", "THƯỢNG KHẨN"]))
        if letter.type.name in {"Công văn", "Báo cáo", "Tờ trình"}:
            parts.append(self._recipients(letter))
        body = self._body(letter)
        letter.words = len(body.split())
        parts.append(body)
        parts.append(self._distribution(letter))
        parts.append(self._block(letter.authority, bold, soft))
        parts.append(f"**{letter.signer}**" if bold and rng.random() < 0.5 else letter.signer)
        return "\n\n".join(parts)

    # -- header pieces

    def _block(self, lines: tuple[str, ...], bold: bool, soft: bool) -> str:
        joiner = "  \n" if soft else "\n"
        text = joiner.join(lines)
        return f"**{text}**" if bold else text

    def _wrap(self, text: str, soft: bool) -> str:
        """A subject broken into lines of about 35 characters, as it sits in a narrow column."""
        width = self.rng.randint(30, 42)
        lines, line = [], ""
        for word in text.split():
            if line and len(line) + 1 + len(word) > width:
                lines.append(line)
                line = word
            else:
                line = f"{line} {word}".strip()
        lines.append(line)
        return ("  \n" if soft else "\n").join(lines)

    def _number_line(self, letter: Planned) -> str:
        if letter.issuer.party:
            number = "" if letter.number is None else str(letter.number)
            return f"Số {number}-{letter.symbol}" if number else f"Số -{letter.symbol}"
        number = "" if letter.number is None else str(letter.number)
        return f"Số: {number}/{letter.symbol}"

    def _date_line(self, letter: Planned) -> str:
        date = letter.date
        if letter.draft:
            month = "" if letter.blank_month else f" {_month(date.month)}"
            return f"{letter.issuer.place}, ngày tháng{month} năm {date.year}"
        return f"{letter.issuer.place}, ngày {date.day:02d} tháng {_month(date.month)} năm {date.year}"

    def _recipients(self, letter: Planned) -> str:
        rng = self.rng
        issuer = letter.issuer
        if letter.type.name in {"Báo cáo", "Tờ trình"}:
            target = self._superior(issuer)
            return f"Kính gửi: {target}."
        pool = (
            vocab.RECIPIENTS_PARTY
            if issuer.party
            else vocab.RECIPIENTS_DISTRICT
            if issuer.district
            else vocab.RECIPIENTS_PROVINCE
        )
        chosen = rng.sample(pool, rng.randint(1, len(pool)))
        if len(chosen) == 1 and rng.random() < 0.5:
            return f"Kính gửi: {chosen[0]}."
        items = [f"- {item};" for item in chosen[:-1]] + [f"- {chosen[-1]}."]
        return "Kính gửi:\n\n" + "\n".join(items)

    def _superior(self, issuer: Issuer) -> str:
        if issuer.kind == "ubnd-huyen":
            return f"Ủy ban nhân dân tỉnh {issuer.province}"
        if issuer.kind == "huyen-uy":
            return f"Ban Thường vụ Tỉnh ủy {issuer.province}"
        if issuer.kind == "tinh-uy":
            return "Ban Bí thư Trung ương Đảng"
        return "Văn phòng Chính phủ"

    # -- body

    def _body(self, letter: Planned) -> str:
        rng = self.rng
        target = int(min(1850, max(320, rng.lognormvariate(6.55, 0.5))))
        paragraphs = [self._opening(letter)]
        if letter.rare:
            paragraphs.append(f"- {vocab.RARE_SENTENCES[0]}")
        name = letter.type.name
        if name == "Quyết định":
            paragraphs = self._decision(letter, target)
        elif name in {"Kế hoạch", "Báo cáo", "Hướng dẫn"}:
            paragraphs += self._roman_sections(letter, target)
        else:
            paragraphs += self._numbered_sections(letter, target - _words(paragraphs))
        closing = self._closing(letter)
        if closing:
            paragraphs.append(closing)
        if rng.random() < 0.06:
            self._page_break(paragraphs)
        return "\n\n".join(paragraphs)

    def _opening(self, letter: Planned) -> str:
        rng = self.rng
        refs = [self._citation(letter, self.letters[i]) for i in letter.cites]
        refs += [_national(vocab.NATIONAL_DOCUMENTS[i], rng) for i in letter.national]
        who = self._self_name(letter)
        if letter.type.name == "Báo cáo":
            about = f"kết quả {rng.choice(letter.topic.objects)}"
            basis = f"Thực hiện {'; '.join(refs)}, " if refs else ""
            return f"{basis}{who} báo cáo {about} như sau:"
        if not refs:
            return (
                f"Nhằm thực hiện tốt {rng.choice(letter.topic.objects)} trong thời gian tới, {who} yêu cầu "
                "các cơ quan, đơn vị, địa phương thực hiện một số nội dung sau:"
            )
        return f"Thực hiện {'; '.join(refs)}. {rng.choice(vocab.OPENINGS).format(chu_the=who)}"

    def _citation(self, letter: Planned, cited: Planned) -> str:
        rng = self.rng
        date = cited.date
        when = (
            f"ngày {date.day}/{date.month}/{date.year}"
            if rng.random() < 0.7
            else f"ngày {date.day:02d} tháng {_month(date.month)} năm {date.year}"
        )
        owner = cited.issuer.short
        if cited.issuer.key == letter.issuer.key and not cited.issuer.party and rng.random() < 0.3:
            owner = "UBND huyện" if cited.issuer.district else "UBND tỉnh"  # "of this committee", as written
        about = cited.subject
        if about.startswith("Về việc "):
            about = about[len("Về việc ") :]
        about = _lower(about)
        return f"{cited.type.name} số {cited.so_ky_hieu} {when} của {owner} về việc {about}"

    def _self_name(self, letter: Planned) -> str:
        issuer = letter.issuer
        if issuer.party:
            return f"Ban Thường vụ {issuer.short}"
        if issuer.kind == "ubnd-tinh":
            return self.rng.choice(["UBND tỉnh", "Chủ tịch UBND tỉnh"])
        return self.rng.choice(["UBND huyện", "Chủ tịch UBND huyện"])

    def _agencies(self, letter: Planned) -> list[str]:
        issuer = letter.issuer
        if issuer.party:
            return vocab.PARTY_AGENCIES
        return vocab.DISTRICT_AGENCIES if issuer.district else vocab.PROVINCE_AGENCIES

    def _sentence(self, letter: Planned) -> str:
        """One sentence: a topic task, a general duty, a verb + object + tails, or a figure."""
        rng = self.rng
        issuer = letter.issuer
        roll = rng.random()
        if roll < 0.3:
            sentence = self._draw("task", letter.topic.tasks)
        elif roll < 0.45:
            sentence = self._draw("general", vocab.GENERAL_SENTENCES)
        elif roll < 0.6:
            sentence = rng.choice(vocab.FIGURE_SENTENCES)
        else:
            sentence = f"{rng.choice(vocab.VERBS)} {rng.choice(letter.topic.objects)}"
            for tail in rng.sample(vocab.TAILS, rng.randint(1, 2)):
                sentence += ", " + tail
            sentence += "."
        deadline = letter.date + dt.timedelta(days=rng.randint(5, 40))
        communes = self._communes(issuer)
        first, second = rng.sample(communes, 2)
        a, b = sorted((rng.randint(2, 60), rng.randint(2, 60)))
        return sentence.format(
            dia_ban=f"huyện {issuer.place}" if issuer.district else f"tỉnh {issuer.province}",
            bo_phan=rng.choice(["UBND huyện", "Văn phòng", "cơ quan thường trực"])
            if issuer.district
            else rng.choice(["UBND tỉnh", "Văn phòng UBND tỉnh", "Sở Nội vụ"]),
            han=f"{deadline.day}/{deadline.month}/{deadline.year}",
            cap_tren="Chủ tịch UBND huyện" if issuer.district else "Chủ tịch UBND tỉnh",
            cap="huyện" if issuer.district else "tỉnh",
            tien=_thousands(rng.randint(50, 25000)),
            a=a,
            b=b,
            pt=f"{100 * a / b:.1f}".replace(".", ","),
            xa=first,
            xa2=second,
            ban=" ".join(rng.sample(vocab.PLACE_SYLLABLES, 2)),
            thang=deadline.month,
            nam=deadline.year,
        )

    def _draw(self, key: str, pool: list[str]) -> str:
        """A sentence not used again in this letter until the pool is spent (letters rarely repeat)."""
        deck = self.decks.get(key)
        if not deck:
            deck = self.rng.sample(pool, len(pool))
            self.decks[key] = deck
        return deck.pop()

    def _communes(self, issuer: Issuer) -> list[str]:
        """Ten commune names per district, the same in every letter of that issuer."""
        if issuer.key not in self.communes:
            local = Random(int(hashlib.sha256(issuer.key.encode()).hexdigest()[:12], 16))
            names = {" ".join(local.sample(vocab.PLACE_SYLLABLES, 2)) for _ in range(12)}
            self.communes[issuer.key] = [f"xã {name}" for name in sorted(names)]
        return self.communes[issuer.key]

    def _items(self, letter: Planned, count: int) -> list[str]:
        return [f"- {self._sentence(letter)}" for _ in range(count)]

    def _numbered_sections(self, letter: Planned, target: int) -> list[str]:
        """3–9 numbered sections, each an agency with ``- `` items or a paragraph of tasks."""
        rng = self.rng
        agencies = rng.sample(self._agencies(letter), len(self._agencies(letter)))
        sections = max(3, min(9, target // 130))
        out: list[str] = []
        for section in range(1, sections + 1):
            quota = (target - _words(out)) // (sections - section + 1)
            start = _words(out)
            if section <= len(agencies) and rng.random() < 0.6:
                out.append(f"{section}. {agencies[section - 1]}:")
                while _words(out) - start < quota:
                    out.append(f"- {self._sentence(letter)}")
            else:
                sentences = [self._sentence(letter)]
                while len(" ".join(sentences).split()) < min(quota, 180):
                    sentences.append(self._sentence(letter))
                out.append(f"{section}. " + " ".join(sentences))
                while _words(out) - start < quota:
                    out.append(f"- {self._sentence(letter)}")
        return out

    def _roman_sections(self, letter: Planned, target: int) -> list[str]:
        rng = self.rng
        name = letter.type.name
        headings = {
            "Kế hoạch": ["MỤC ĐÍCH, YÊU CẦU", "NỘI DUNG, NHIỆM VỤ", "TỔ CHỨC THỰC HIỆN"],
            "Báo cáo": [
                "KẾT QUẢ THỰC HIỆN",
                "TỒN TẠI, HẠN CHẾ VÀ NGUYÊN NHÂN",
                "NHIỆM VỤ, GIẢI PHÁP TRONG THỜI GIAN TỚI",
                "ĐỀ XUẤT, KIẾN NGHỊ",
            ],
            "Hướng dẫn": ["PHẠM VI, ĐỐI TƯỢNG", "NỘI DUNG HƯỚNG DẪN", "TỔ CHỨC THỰC HIỆN"],
        }[name]
        out: list[str] = []
        per_section = max(60, target // len(headings))
        for roman, heading in zip(["I", "II", "III", "IV"], headings, strict=False):
            out.append(f"{roman}. {heading}")
            sub = 0
            start = _words(out)
            while _words(out) - start < per_section:
                sub += 1
                if name == "Báo cáo" and rng.random() < 0.5:
                    out.append(f"{sub}. {self._figures(letter)}")
                else:
                    out.append(f"{sub}. {_capital(rng.choice(letter.topic.objects))}")
                out += self._items(letter, rng.randint(1, 3))
        return out

    def _figures(self, letter: Planned) -> str:
        rng = self.rng
        total = rng.randint(12, 4800)
        done = rng.randint(total // 2, total)
        share = f"{100 * done / total:.1f}".replace(".", ",")
        figures = f"{_thousands(done)}/{_thousands(total)}"
        return (
            f"Kết quả {rng.choice(letter.topic.objects)}: đã thực hiện {figures} chỉ tiêu, "
            f"đạt {share}% kế hoạch năm {letter.date.year}."
        )

    def _decision(self, letter: Planned, target: int) -> list[str]:
        """Legal bases, "QUYẾT ĐỊNH:", three to five articles, the last one naming who executes it."""
        rng = self.rng
        issuer = letter.issuer
        where = f"HUYỆN {issuer.place.upper()}" if issuer.district else f"TỈNH {issuer.province.upper()}"
        out = [f"CHỦ TỊCH ỦY BAN NHÂN DÂN {where}"]
        out.append("Căn cứ Luật Tổ chức chính quyền địa phương ngày 19 tháng 6 năm 2015;")
        for i in letter.cites:
            out.append(f"Căn cứ {self._citation(letter, self.letters[i])};")
        agency = rng.choice(self._agencies(letter))
        out.append(f"Theo đề nghị của {_head_of(agency)}.")
        out.append("QUYẾT ĐỊNH:")
        articles = rng.randint(3, 5)
        out.append(f"Điều 1. {_capital(letter.subject.removeprefix('Về việc '))}.")
        for article in range(2, articles):
            quota = (target - _words(out)) // (articles - article)
            start = _words(out)
            out.append(f"Điều {article}. " + self._sentence(letter))
            while _words(out) - start < quota:
                out.append(f"- {self._sentence(letter)}")
        out.append(
            f"Điều {articles}. Quyết định này có hiệu lực kể từ ngày ký. Chánh Văn phòng, "
            f"{_head_of(agency)} và các cơ quan, đơn vị có liên quan chịu trách nhiệm thi hành "
            "Quyết định này./."
        )
        letter.articles = articles
        return out

    def _closing(self, letter: Planned) -> str:
        name = letter.type.name
        if name == "Quyết định":
            return ""
        if name == "Công văn":
            return self.rng.choice(vocab.CLOSINGS)
        if name == "Tờ trình":
            return f"Kính trình {self._superior(letter.issuer)} xem xét, phê duyệt./."
        if name == "Thông báo":
            return "Trên đây là nội dung thông báo để các cơ quan, đơn vị biết, thực hiện./."
        return (
            f"Trên đây là {name} {_lower(letter.subject)}. Trong quá trình thực hiện, nếu có khó khăn, "
            "vướng mắc, các cơ quan, đơn vị phản ánh kịp thời để tổng hợp, báo cáo./."
        )

    def _page_break(self, paragraphs: list[str]) -> None:
        """Split one long paragraph mid-sentence, as Word's page breaks do in the exports."""
        long = [i for i, p in enumerate(paragraphs) if len(p.split()) > 25 and not p.startswith("-")]
        if not long:
            return
        i = self.rng.choice(long)
        words = paragraphs[i].split(" ")
        cut = self.rng.randint(8, len(words) - 8)
        paragraphs[i : i + 1] = [" ".join(words[:cut]), " ".join(words[cut:])]

    def _distribution(self, letter: Planned) -> str:
        rng = self.rng
        issuer = letter.issuer
        label = rng.choice(["Nơi nhận:", "Nơi nhận:", "***Nơi nhận:***", "**Nơi nhận:**"])
        first = f"Như Điều {letter.articles}" if letter.type.name == "Quyết định" else "Như trên"
        items = [first]
        if issuer.kind == "ubnd-huyen":
            items += rng.sample(
                ["TT. Huyện ủy (b/c)", "TT. HĐND huyện", "Chủ tịch, các PCT UBND huyện", "Trang TTĐT huyện"],
                rng.randint(1, 4),
            )
        elif issuer.kind == "ubnd-tinh":
            items += rng.sample(
                ["TT: TU, HĐND tỉnh (b/c)", "Chủ tịch, các PCT UBND tỉnh", "MTTQ tỉnh", "Cổng TTĐT tỉnh"],
                rng.randint(1, 4),
            )
        else:
            items += rng.sample(["Thường trực", "Các đồng chí Ủy viên Ban Thường vụ", "Các ban Đảng"], 2)
        items.append(f"Lưu: VT{', ' + letter.unit if not issuer.party and rng.random() < 0.6 else ''}")
        lines = [f"- {item};" for item in items[:-1]] + [f"- {items[-1]}."]
        return label + "\n\n" + "\n".join(lines)


# --------------------------------------------------------------------------- variants


_OPEN_PAIR = re.compile(r"([òóỏõọÒÓỎÕỌ])([aeAE])(?![^\W\d_])|(?<![qQ])([ùúủũụÙÚỦŨỤ])([yY])(?![^\W\d_])")


def new_style(text: str) -> str:
    """The other tone style: hòa→hoà, khỏe→khoẻ, ủy→uỷ (open oa, oe, uy; NFC in and out)."""

    def move(match: re.Match[str]) -> str:
        first, second = match.group(1, 2) if match.group(1) else match.group(3, 4)
        decomposed = unicodedata.normalize("NFD", first)
        return decomposed[0] + unicodedata.normalize("NFC", second + decomposed[1:])

    return _OPEN_PAIR.sub(move, text)


def encode(letter: Planned, text: str) -> bytes:
    """The file's bytes: tone style, normalization form, line ends and BOM as planned."""
    if letter.new_style:
        text = new_style(text)
    text = unicodedata.normalize("NFD" if letter.nfd else "NFC", text)
    if letter.crlf:
        text = text.replace("\n", "\r\n")
    data = text.encode("utf-8")
    return b"\xef\xbb\xbf" + data if letter.bom else data


# --------------------------------------------------------------------------- project


def generate(
    count: int, seed: int = DEFAULT_SEED
) -> tuple[dict[str, bytes], list[ManifestEntry], list[Issuer]]:
    """N letters as ``{file name: bytes}``, their manifest, and the issuers they use."""
    letters, issuers = plan(count, seed)
    writer = Writer(Random(seed + 1), letters)
    files: dict[str, bytes] = {}
    names: dict[int, str] = {}
    for letter in letters:
        data = encode(letter, writer.text(letter))
        name = f"{letter.index:06d}_{hashlib.sha256(data).hexdigest()[:16]}.txt"
        files[name] = data
        names[letter.index] = name
    manifest = [
        ManifestEntry(
            file=names[letter.index],
            issuer=letter.issuer.name,
            issuer_short=letter.issuer.short,
            kind=letter.issuer.kind,
            type=letter.type.name,
            so_ky_hieu=letter.so_ky_hieu,
            date=_printed_date(letter),
            subject=letter.subject,
            signer=letter.signer,
            cites=[letters[i].so_ky_hieu or "" for i in letter.cites],
            cites_files=[names[i] for i in letter.cites],
            nfd=letter.nfd,
            new_style=letter.new_style,
            draft=letter.draft,
            words=letter.words,
            topic=letter.topic.key,
            rare=letter.rare,
        )
        for letter in letters
    ]
    used = {letter.issuer.key for letter in letters}
    return files, manifest, [issuer for issuer in issuers if issuer.key in used]


def write_project(out: Path, count: int, seed: int = DEFAULT_SEED) -> Path:
    """A buildable project in ``out`` (replaced if present), like the tests' ``make_project(seeds=False)``."""
    if out.exists():
        shutil.rmtree(out)
    content = out / "content"
    out.mkdir(parents=True)
    if (REPO / "mkdocs.yml").exists():
        shutil.copy(REPO / "mkdocs.yml", out / "mkdocs.yml")
    (out / "site_theme").symlink_to(REPO / "site_theme", target_is_directory=True)
    if (REPO / "pages").is_dir():  # mkdocs.yml's docs_dir: the hand-written pages
        shutil.copytree(REPO / "pages", out / "pages")
    shutil.copytree(REPO / "content", content, ignore=shutil.ignore_patterns("*.txt"))
    files, manifest, issuers = generate(count, seed)
    for name, data in files.items():
        (content / name).write_bytes(data)
    extend_registry(content, issuers)
    (out / MANIFEST).write_text(
        json.dumps(
            {"count": count, "seed": seed, "letters": [asdict(entry) for entry in manifest]},
            ensure_ascii=False,
            indent=0,
        ),
        encoding="utf-8",
    )
    return out


def extend_registry(content: Path, issuers: list[Issuer]) -> None:
    """Append the generated issuers to the issuer registry (``content/co-quan-ban-hanh.yml``).

    The registry is the reader's data file: it maps the printed issuer block to
    one canonical name, a slug and the place of the date line. Entries already
    there (the seeds' bodies) are kept; the file's comments are kept too, since
    new entries are appended as text in the same layout.
    """
    registry = content / "co-quan-ban-hanh.yml"
    if not registry.exists():
        return
    existing = yaml.safe_load(registry.read_text(encoding="utf-8")) or []
    known = {entry["ten"].lower() for entry in existing} | {entry.get("slug") for entry in existing}
    blocks = []
    for issuer in issuers:
        if issuer.name.lower() in known:
            continue
        # Two bodies may fold to one slug (Tam Đường, Lai Châu and Tam Dương, Vĩnh Phúc): the
        # registry refuses duplicate slugs, so the second takes its province as well.
        slug = issuer.key if issuer.key not in known else f"{issuer.key}-{_slug(issuer.province)}"
        known |= {issuer.name.lower(), slug}
        blocks.append(
            f"- ten: {issuer.name}\n"
            f"  ten_viet_tat: {issuer.short}\n"
            f"  tinh: {issuer.province}\n"
            f"  dia_danh: {issuer.place}\n"
            f"  slug: {slug}\n"
        )
    if blocks:
        text = registry.read_text(encoding="utf-8").rstrip("\n")
        registry.write_text(text + "\n\n" + "\n".join(blocks), encoding="utf-8")


def load_manifest(project: Path) -> dict:
    """The manifest ``write_project`` wrote."""
    return json.loads((project / MANIFEST).read_text(encoding="utf-8"))


# --------------------------------------------------------------------------- small helpers


def _slug(text: str) -> str:
    folded = unicodedata.normalize("NFD", text.lower().replace("đ", "d"))
    return re.sub(r"[^a-z0-9]+", "-", "".join(c for c in folded if not unicodedata.combining(c))).strip("-")


def _month(month: int) -> str:
    """Months 1 and 2 carry a leading zero (NĐ 30/2020), the others do not."""
    return f"{month:02d}" if month < 3 else str(month)


def _printed_date(letter: Planned) -> str:
    if letter.draft:
        return str(letter.date.year) if letter.blank_month else f"{letter.date.year}-{letter.date.month:02d}"
    return letter.date.isoformat()


def _words(paragraphs: list[str]) -> int:
    return sum(len(p.split()) for p in paragraphs)


def _lower(text: str) -> str:
    """First letter in lower case unless the first word is an acronym (UBND) or a name."""
    first = text.split(" ", 1)[0]
    if first.isupper() or first in {"Chương", "Đề"}:
        return text
    return text[:1].lower() + text[1:]


def _head_of(agency: str) -> str:
    """Who heads an agency: "Giám đốc Sở Y tế", "Trưởng phòng Nội vụ", "Thủ trưởng Công an huyện"."""
    if agency.startswith("Sở "):
        return f"Giám đốc {agency}"
    if agency.startswith("Phòng "):
        return f"Trưởng phòng {agency[len('Phòng ') :]}"
    if agency.startswith("Ban "):
        return f"Trưởng {agency}"
    return f"Thủ trưởng {agency}"


def _capital(text: str) -> str:
    return text[:1].upper() + text[1:]


def _thousands(value: int) -> str:
    return f"{value:,}".replace(",", ".")


def _national(doc: tuple[str, str, str, str, str], rng: Random) -> str:
    kind, number, iso, issuer, subject = doc
    date = dt.date.fromisoformat(iso)
    if kind == "Luật":
        return f"Luật {subject} số {number} ngày {date.day}/{date.month}/{date.year}"
    return f"{kind} số {number} ngày {date.day:02d}/{date.month:02d}/{date.year} của {issuer} về {subject}"


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description="Sinh kho văn bản giả lập để đo hiệu năng.")
    parser.add_argument("--count", type=int, required=True, help="số văn bản")
    parser.add_argument("--out", type=Path, required=True, help="thư mục dự án sẽ tạo (bị thay thế nếu có)")
    parser.add_argument("--seed", type=int, default=DEFAULT_SEED)
    args = parser.parse_args(argv)
    project = write_project(args.out, args.count, args.seed)
    print(f"{args.count} văn bản -> {project / 'content'}")


if __name__ == "__main__":
    main()
