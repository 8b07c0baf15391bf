"""Legal effect: when a decision takes effect and ends, what it replaces, amends or repeals.

NĐ 42/2022 asks portals to publish the effective date where one applies, and
citizens ask first whether a decision is still in force. Staff may set
``ngay_hieu_luc``, ``het_hieu_luc``, ``thay_the``, ``sua_doi`` and ``bai_bo`` in
front matter; otherwise they are read here from the articles of a normative
letter (Quyết định, Nghị quyết, Chỉ thị, Quy định, Quy chế), only from
sentences whose subject is the letter itself:

- "Quyết định này có hiệu lực (thi hành) (kể) từ ngày ký" → the issue date;
- "… có hiệu lực (thi hành) (kể) từ ngày 01 tháng 10 năm 2025" / "từ ngày 01/10/2025";
- "… có hiệu lực sau 10 ngày kể từ ngày ký";
- "… đến hết ngày 31/12/2025" / "hết hiệu lực (kể) từ ngày …" → ``het_hieu_luc``
  (the first day the letter is no longer in force);
- "thay thế / bãi bỏ / sửa đổi, bổ sung (một số điều của) Quyết định số 15/2019/QĐ-UBND".

A sentence that says the letter takes effect but gives no date this reader
can prove is left empty with a warning saying how to set it: never a guess.
The status (còn hiệu lực, chưa có hiệu lực, hết hiệu lực, bị thay thế, bị bãi
bỏ) is computed from these dates and from the relations of the other letters
of the archive, as of the build date.
"""

from __future__ import annotations

import datetime as dt
import re
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field

from builder.letters.letter import Diagnostic, Letter, Severity
from builder.text.vietnamese import canonical_key

NORMATIVE_TYPES = ("Quyết định", "Nghị quyết", "Chỉ thị", "Quy định", "Quy chế")
"""Types whose articles say when they take effect (and which other letters they end)."""
RELATION_KEYS = ("thay_the", "sua_doi", "bai_bo")
FRONT_MATTER_HINT = "phần đầu YAML (khối giữa hai dòng '---' ở đầu tệp)"

_TYPE = r"(?:quyết định|nghị quyết|chỉ thị|quy định|quy chế|thông tư|nghị định|công văn|kế hoạch|thông báo)"
_SELF = r"(?:quyết định|nghị quyết|chỉ thị|quy định|quy chế)(?: và quy (?:định|chế) ban hành kèm theo)? này"
_DATE = r"(?:ngày\s+)?(\d{1,2})\s*(?:tháng\s*(\d{1,2})\s*năm\s*(\d{4})|[/.-](\d{1,2})[/.-](\d{4}))"
_DATE_NC = r"(?:ngày\s+)?\d{1,2}\s*(?:tháng\s*\d{1,2}\s*năm\s*\d{4}|[/.-]\d{1,2}[/.-]\d{4})"
"""``_DATE`` without groups, inside larger patterns (``_date`` reads the date again)."""
_SYMBOL = r"\d+(?:[/-][0-9A-Za-zĐđ]+)*/[0-9A-Za-zĐđ-]*[A-Za-zĐđ]"
_EFFECT = re.compile(
    rf"{_SELF}\s+có hiệu lực(?:\s+thi hành)?\s+(?:(?:kể\s+)?từ\s+(?P<from>ngày\s+(?:ký|ban hành)|{_DATE_NC})"
    rf"|sau\s+(?P<days>\d+)\s+ngày\s+(?:kể\s+)?từ\s+ngày\s+(?:ký|ban hành))"
    rf"(?:[^.;]*?đến\s+hết\s+(?P<until>{_DATE_NC}))?",
    re.IGNORECASE,
)
_CLAIMS_EFFECT = re.compile(rf"{_SELF}\s+có hiệu lực", re.IGNORECASE)
_ENDS = re.compile(rf"{_SELF}\s+hết hiệu lực\s+(?:kể\s+)?(?:từ\s+)?(?P<date>{_DATE_NC})", re.IGNORECASE)
_RELATION = re.compile(
    r"(?P<verb>thay thế|bãi bỏ|sửa đổi,?\s+bổ sung)(?:\s+(?:toàn bộ|một số điều(?:,\s*khoản)?(?:\s+của)?|"
    rf"các|điều\s+\d+(?:\s+của)?))*\s+(?P<rest>{_TYPE}\s+số\s+{_SYMBOL}[^.;\n]*)",
    re.IGNORECASE,
)
_CITED = re.compile(
    rf"{_TYPE}\s+số\s+(?P<symbol>{_SYMBOL})|(?:,|và)\s+số\s+(?P<more>{_SYMBOL})", re.IGNORECASE
)
_VERB_KEY = {"thay thế": "thay_the", "bãi bỏ": "bai_bo"}


@dataclass(slots=True)
class EffectReading:
    """What the letter's own text says about its legal effect."""

    ngay_hieu_luc: str | None = None
    het_hieu_luc: str | None = None
    thay_the: list[str] = field(default_factory=list)
    sua_doi: list[str] = field(default_factory=list)
    bai_bo: list[str] = field(default_factory=list)
    diagnostics: list[Diagnostic] = field(default_factory=list)


def _date(text: str) -> str | None:
    """An ISO date from the first date in ``text``, None if there is none on the calendar."""
    found = re.search(_DATE, text, re.IGNORECASE)
    if found is None:
        return None
    day, month, year = found.group(1), found.group(2) or found.group(4), found.group(3) or found.group(5)
    try:
        return dt.date(int(year), int(month), int(day)).isoformat()
    except ValueError:
        return None


def _line_of(text: str, position: int) -> int:
    return text.count("\n", 0, position) + 1


def read_effect(
    text: str, loai_van_ban: str, ngay_ban_hanh: str, path: str = "", first_line: int = 1
) -> EffectReading:
    """The effect a normative letter's text gives itself (empty for other types); see the module docstring.

    ``text`` is the letter's text; ``first_line`` its first line's number in the committed file.
    """
    reading = EffectReading()
    if loai_van_ban not in NORMATIVE_TYPES:
        return reading
    flat = re.sub(r"[*_]", "", text)
    effect = _EFFECT.search(flat)
    if effect is not None:
        if effect["days"]:
            if len(ngay_ban_hanh) == 10:
                signed = dt.date.fromisoformat(ngay_ban_hanh)
                reading.ngay_hieu_luc = (signed + dt.timedelta(days=int(effect["days"]))).isoformat()
        elif effect["from"] and re.match(r"ngày\s+(?:ký|ban hành)", effect["from"], re.IGNORECASE):
            reading.ngay_hieu_luc = ngay_ban_hanh if len(ngay_ban_hanh) == 10 else None
        else:
            reading.ngay_hieu_luc = _date(effect["from"])
        if effect["until"]:
            last = _date(effect["until"])
            if last:
                reading.het_hieu_luc = (dt.date.fromisoformat(last) + dt.timedelta(days=1)).isoformat()
    claim = _CLAIMS_EFFECT.search(flat)
    if claim is not None and reading.ngay_hieu_luc is None and len(ngay_ban_hanh) == 10:
        reading.diagnostics.append(
            Diagnostic(
                path,
                first_line + _line_of(flat, claim.start()) - 1,
                Severity.WARNING,
                "Văn bản nói về ngày có hiệu lực nhưng không đọc được ngày đó;"
                " trang chưa ghi ngày có hiệu lực",
                f"Thêm 'ngay_hieu_luc: năm-tháng-ngày' vào {FRONT_MATTER_HINT}",
            )
        )
    ends = _ENDS.search(flat)
    if ends is not None and reading.het_hieu_luc is None:
        reading.het_hieu_luc = _date(ends["date"])
    for relation in _RELATION.finditer(flat):
        verb = " ".join(relation["verb"].lower().replace(",", "").split())
        key = _VERB_KEY.get(verb, "sua_doi")
        target: list[str] = getattr(reading, key)
        for cited in _CITED.finditer(relation["rest"]):
            symbol = cited["symbol"] or cited["more"]
            if symbol and symbol not in target:
                target.append(symbol)
    return reading


# --- status, from the archive's letters ---------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Related:
    """Another letter named in a relation, with its page when the archive has it."""

    so_ky_hieu: str
    letter: Letter | None


@dataclass(frozen=True, slots=True)
class EffectView:
    """What a letter page shows about legal effect, both ways."""

    trang_thai: str | None
    """"Còn hiệu lực", "Chưa có hiệu lực", "Hết hiệu lực", "Bị thay thế", "Bị bãi bỏ"; None when
    the letter has no legal effect to state (a công văn, or nothing known)."""
    ma_trang_thai: str | None
    """The same as a slug, for styling and data: "con-hieu-luc", …"""
    tinh_den: str
    """ISO date the status is computed for (the build date)."""
    thay_the: list[Related]
    sua_doi: list[Related]
    bai_bo: list[Related]
    bi_thay_the_boi: list[Letter]
    bi_sua_doi_boi: list[Letter]
    bi_bai_bo_boi: list[Letter]

    @property
    def any(self) -> bool:
        return bool(
            self.trang_thai
            or self.thay_the
            or self.sua_doi
            or self.bai_bo
            or self.bi_thay_the_boi
            or self.bi_sua_doi_boi
            or self.bi_bai_bo_boi
        )


class Relations:
    """Every relation of the archive, indexed both ways by number and symbol."""

    def __init__(self, letters: Iterable[Letter]) -> None:
        self.by_symbol: dict[str, list[Letter]] = defaultdict(list)
        self.incoming: dict[tuple[str, str], list[Letter]] = defaultdict(list)
        for letter in letters:
            if letter.so_ky_hieu:
                self.by_symbol[_key(letter.so_ky_hieu)].append(letter)
            for relation in RELATION_KEYS:
                for symbol in getattr(letter, relation, ()) or ():
                    self.incoming[(relation, _key(symbol))].append(letter)

    def named(self, symbol: str) -> list[Letter]:
        """Every letter numbered ``symbol`` (spaces, case and đ/d aside)."""
        return self.by_symbol.get(_key(symbol), [])

    def find(self, symbol: str) -> Letter | None:
        found = self.named(symbol)
        return found[0] if len(found) == 1 else None

    def against(self, letter: Letter, relation: str) -> list[Letter]:
        """Letters that replace, amend or repeal ``letter``, oldest first."""
        if not letter.so_ky_hieu:
            return []
        found = [x for x in self.incoming.get((relation, _key(letter.so_ky_hieu)), []) if x.id != letter.id]
        return sorted(found, key=lambda x: (x.ngay_ban_hanh, x.id))


def _key(symbol: str) -> str:
    return canonical_key(re.sub(r"\s+", "", symbol)).replace("đ", "d")


def _in_force_from(letter: Letter) -> str:
    return letter.ngay_hieu_luc or letter.ngay_ban_hanh


STATUS_SLUGS = {
    "Còn hiệu lực": "con-hieu-luc",
    "Chưa có hiệu lực": "chua-co-hieu-luc",
    "Hết hiệu lực": "het-hieu-luc",
    "Bị thay thế": "bi-thay-the",
    "Bị bãi bỏ": "bi-bai-bo",
}


def effect_view(letter: Letter, relations: Relations, today: str) -> EffectView:
    """The letter's status as of ``today`` and its relations both ways."""
    replaced = relations.against(letter, "thay_the")
    repealed = relations.against(letter, "bai_bo")
    amended = relations.against(letter, "sua_doi")
    status: str | None = None
    if any(_in_force_from(x) <= today for x in repealed):
        status = "Bị bãi bỏ"
    elif any(_in_force_from(x) <= today for x in replaced):
        status = "Bị thay thế"
    elif letter.het_hieu_luc and letter.het_hieu_luc <= today:
        status = "Hết hiệu lực"
    elif letter.ngay_hieu_luc and letter.ngay_hieu_luc > today:
        status = "Chưa có hiệu lực"
    elif letter.ngay_hieu_luc:
        status = "Còn hiệu lực"
    return EffectView(
        trang_thai=status,
        ma_trang_thai=STATUS_SLUGS.get(status or ""),
        tinh_den=today,
        thay_the=[Related(s, relations.find(s)) for s in letter.thay_the],
        sua_doi=[Related(s, relations.find(s)) for s in letter.sua_doi],
        bai_bo=[Related(s, relations.find(s)) for s in letter.bai_bo],
        bi_thay_the_boi=replaced,
        bi_sua_doi_boi=amended,
        bi_bai_bo_boi=repealed,
    )
