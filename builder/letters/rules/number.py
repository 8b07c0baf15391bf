"""The number and symbol of a document (NĐ 30/2020, Điều 8), in every form it is printed.

``so`` is the ordinal; ``ky_hieu`` the symbol only ("QĐ-UBND"); a legal
document's number carries its year between them ("15/2014/QĐ-UBND"), kept
apart as ``nam``; ``so_ky_hieu`` is the identifier as printed with spaces
removed, leading zeros kept ("01/KH-UBND"), so a search for the printed form
finds it. Forms read: state ``2642/UBND-VX``, blank ``/UBND-TH``, legal
``04/2013/QĐ-UBND``, party ``325-CV/TU``, old hyphen style ``55-BT``, and PDF
damage: spaces and dashes inside (``24 / PGD&ĐT- GDMN``, ``KH - UBND``,
``GDĐT – VP``) or a lost dash (``QĐUBND``).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from builder.text.vietnamese import canonical, canonical_key, fold

# --- vocabulary ---------------------------------------------------------------------------------

DOCUMENT_TYPES: dict[str, str] = {
    "NQ": "Nghị quyết",
    "QĐ": "Quyết định",
    "CT": "Chỉ thị",
    "QC": "Quy chế",
    "QyĐ": "Quy định",
    "TC": "Thông cáo",
    "TB": "Thông báo",
    "HD": "Hướng dẫn",
    "CTr": "Chương trình",
    "KH": "Kế hoạch",
    "PA": "Phương án",
    "ĐA": "Đề án",
    "DA": "Dự án",
    "BC": "Báo cáo",
    "BB": "Biên bản",
    "TTr": "Tờ trình",
    "HĐ": "Hợp đồng",
    "CĐ": "Công điện",
    "GM": "Giấy mời",
    "GGT": "Giấy giới thiệu",
    "GUQ": "Giấy ủy quyền",
    "BGN": "Bản ghi nhớ",
    "BTT": "Bản thỏa thuận",
    "GNP": "Giấy nghỉ phép",
    "NĐ": "Nghị định",
    "TT": "Thông tư",
    "TTLT": "Thông tư liên tịch",
    "CV": "Công văn",
    "KL": "Kết luận",
}
"""Type abbreviations in symbols (Phụ lục III of NĐ 30/2020, plus legal and party types)."""

TYPE_NAMES: tuple[str, ...] = (
    *sorted(set(DOCUMENT_TYPES.values()), key=len, reverse=True),
    "Luật",
    "Pháp lệnh",
    "Lệnh",
    "Điện",
    "Văn bản",
)
"""Type names a citation or a type line may print, longest first."""

TYPE_BY_KEY = {canonical_key(name): name for name in TYPE_NAMES}

SYMBOL_WORDS: tuple[str, ...] = (
    *DOCUMENT_TYPES,
    "UBND",
    "HĐND",
    "TTg",
    "CP",
    "QH",
    "UBTVQH",
    "VPCP",
    "BCĐ",
    "TU",
    "HU",
    "TW",
    "ĐU",
    "BYT",
    "BTC",
    "BNV",
    "BCA",
    "BQP",
    "BTP",
    "BXD",
    "BCT",
    "BTTTT",
    "BGDĐT",
    "BLĐTBXH",
    "BNNPTNT",
    "BKHĐT",
    "BTNMT",
    "BGTVT",
    "VP",
    "VX",
    "TH",
    "KT",
    "NC",
    "TCHC",
    "SYT",
)
"""Parts of symbols with their canonical letters, so "CD-Ttg" reads "CĐ-TTg"."""

_SYMBOL_EXACT = {word.upper(): word for word in SYMBOL_WORDS}
_SYMBOL_BY_FOLD: dict[str, list[str]] = {}
for _word in SYMBOL_WORDS:
    _SYMBOL_BY_FOLD.setdefault(fold(_word), []).append(_word)


_NUMBER_LINE = re.compile(r"^số\s*[:.]?\s*(?P<rest>.*)$", re.IGNORECASE)


@dataclass(slots=True)
class NumberSymbol:
    """A number and symbol: "2642/UBND-VX", "325-CV/TU", "/UBND-TH" (blank number), "04/2013/QĐ-UBND"."""

    so: int | None
    separator: str
    ky_hieu: str
    nam: int | None = None
    """The year inside a legal document's number ("2013" in "04/2013/QĐ-UBND")."""
    digits: str | None = None
    """The number as printed, leading zeros kept ("04")."""

    @property
    def so_ky_hieu(self) -> str | None:
        """ "2642/UBND-VX", "04/2013/QĐ-UBND"; None without a number."""
        if self.so is None:
            return None
        year = f"{self.nam}/" if self.nam else ""
        return f"{self.digits or self.so}{self.separator}{year}{self.ky_hieu}"


def canonical_symbol(symbol: str) -> str:
    """A symbol with canonical dashes, no spaces and canonical letters ("CD-Ttg" -> "CĐ-TTg")."""
    text = re.sub(r"\s+", "", canonical(symbol)).strip(".;,")
    parts = re.split(r"([/-])", text)
    return "".join(_symbol_word(part) if part not in "/-" else part for part in parts)


def _symbol_word(part: str) -> str:
    """One part of a symbol with its canonical letters when it is a known abbreviation."""
    if part in SYMBOL_WORDS:
        return part
    if part.upper() in _SYMBOL_EXACT:
        return _SYMBOL_EXACT[part.upper()]
    if not part.isascii():
        return part  # diacritics printed ("TƯ", "ĐU") are kept: only lost ones ("CD" -> "CĐ") are restored
    candidates = _SYMBOL_BY_FOLD.get(fold(part), [])
    return candidates[0] if len(candidates) == 1 else part


_GLUED_TYPE = re.compile(
    "^(" + "|".join(sorted(map(re.escape, DOCUMENT_TYPES), key=len, reverse=True)) + ")(?=[A-ZĐ]{2})"
)
_ISSUER_WORDS = ("UBND", "HĐND", "CTUBND", "UB", "BCĐ", "TU", "HU", "ĐU", "CP", "TTg", "VPCP")


def _restore_dash(symbol: str) -> str:
    """ "QĐUBND" (a PDF lost the dash) -> "QĐ-UBND": a type abbreviation glued to an issuer's."""
    if "-" in symbol or "/" in symbol:
        return symbol
    match = _GLUED_TYPE.match(symbol)
    if match and symbol[match.end() :] in _ISSUER_WORDS:
        return f"{symbol[: match.end()]}-{symbol[match.end() :]}"
    return symbol


_IDENTIFIER = re.compile(
    r"(?<![….·_0-9])[….·_]*+(?:(?P<so>[0-9]+)[….·_]*+)?(?P<sep>[/-])"
    r"(?:(?P<nam>(?:19|20)[0-9][0-9])/)?(?P<ky>[^\W_]\S*)"
)
"""Dots and digits are taken whole (possessive, from the start of their run): linear on a
100 KB run of them. ASCII digits only: '٢٦٤٢' is not a number here."""


def _tighten(text: str) -> str:
    """Spaces around the separators of a symbol dropped ("2642 / UBND - VX" -> "2642/UBND-VX"),
    by splitting at them: the regex ``\\s*([/\\-.&])\\s*`` took 8 s on a 16 KB line of spaces."""
    parts = _SEPARATOR.split(text)
    for index in range(0, len(parts), 2):
        if index > 0:
            parts[index] = parts[index].lstrip()
        if index < len(parts) - 1:
            parts[index] = parts[index].rstrip()
    return "".join(parts)


_SEPARATOR = re.compile(r"([/\-.&])")


def parse_number_symbol(text: str) -> NumberSymbol | None:
    """ "2642/UBND-VX", "/UBND – VP", "325-CV/TU", "04/2013/QĐ-UBND", "55-BT" as number and symbol."""
    compact = _tighten(canonical(text).strip()).strip(".;,| ")
    match = _IDENTIFIER.fullmatch(compact)
    if not match or not re.search(r"[^\W\d_]", match["ky"]):
        return None
    so = int(match["so"]) if match["so"] else None
    nam = int(match["nam"]) if match["nam"] else None
    return NumberSymbol(so, match["sep"], _restore_dash(canonical_symbol(match["ky"])), nam, match["so"])


def number_line(text: str) -> NumberSymbol | None:
    """The "Số: 2642/UBND-VX" line (also "Số 325-CV/TU" and blank "Số: /UBND-TH")."""
    match = _NUMBER_LINE.match(canonical(text).strip())
    return parse_number_symbol(match["rest"]) if match and match["rest"] else None
