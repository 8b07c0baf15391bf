"""Dates as letters print them: the one place that says what a date line is.

- ``date_line``: a line that is a letter's place and date of issue ("Lai Châu, ngày 26 tháng 8
  năm 2021", "ngày 26/8/2021", a draft's "Mường Tè, ngày … tháng … năm 20…"); the parser's
  header rule, its layout repair of a date line cut in two (``opens_date_line``) and the Word
  import all ask it;
- ``date_in_sentence``: "ngày 27 tháng 3 năm 2008" inside a title sentence.

Dates as search terms (``@2021-08-26``) are found token by token, the same way in letters and in
queries, by ``builder.search.specials`` and its twin ``analysis.js``.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

from builder.text.vietnamese import LOOK_ALIKES, published

_DATE_LINE = re.compile(  # possessive runs (*+): a long run of dots is never split two ways
    r"^(?:(?P<place>[^,\d][^,]{1,59}?)\s*,\s*)?ngày(?!\w)[\s.…_]*+(?P<d>[0-9]{1,2})?[\s.…_/-]*+"
    r"tháng(?![^\W\d])[\s.…_]*+(?P<m>[0-9]{1,2})?[\s.…_]*+năm(?![^\W\d])[\s.…_]*+(?P<y>[0-9]{4})?",
    re.IGNORECASE,
)
_NUMERIC_DATE_LINE = re.compile(
    r"^(?:(?P<place>[^,\d]{2,60}?)\s*,\s*)?ngày\s*(?P<d>[0-9]{1,2})\s*[/.-]\s*(?P<m>[0-9]{1,2})\s*[/.-]\s*(?P<y>[0-9]{4})\W*+$",
    re.IGNORECASE,
)
_DATE_OPEN = re.compile(
    r"(?:^|,)\s*ngày(?:\s+\d{1,2})?(?:\s+tháng(?:\s+\d{1,2})?)?(?:\s+năm)?\s*$", re.IGNORECASE
)
_DATE_IN_SENTENCE = re.compile(r"\bngày\s+(\d{1,2})\s+tháng\s+(\d{1,2})\s+năm\s+(\d{4})", re.IGNORECASE)


@dataclass(slots=True)
class DateLine:
    """Place and date of issue as printed; blank day or month stay None."""

    place: str | None
    day: int | None
    month: int | None
    year: int | None

    def iso(self) -> str | None:
        """ "2021-08-26", "2021-09" (blank day), "2021" (blank month) or None (blank year)."""
        if self.year is None:
            return None
        if self.month is None:
            return f"{self.year:04d}"
        if self.day is None:
            return f"{self.year:04d}-{self.month:02d}"
        return f"{self.year:04d}-{self.month:02d}-{self.day:02d}"

    def valid(self) -> bool:
        """Whether the printed day exists."""
        try:
            dt.date(self.year or 2000, self.month or 1, self.day or 1)
        except ValueError:
            return False
        return True


def date_line(text: str) -> DateLine | None:
    """ "Lai Châu, ngày 26 tháng 8 năm 2021" (day and month may be blank)."""
    printed = without_look_alikes(published(text)).strip()
    match = _DATE_LINE.match(printed) or _NUMERIC_DATE_LINE.match(printed)
    if not match or not (match["y"] or match["place"]):
        return None
    place = match["place"].strip(" *_") if match["place"] else None

    def number(value: str | None) -> int | None:
        return int(value) if value else None

    return DateLine(place or None, number(match["d"]), number(match["m"]), number(match["y"]))


def opens_date_line(text: str) -> bool:
    """ "Quảng Nam, ngày" or "…, ngày 13 tháng": a date line cut by a wrap or a cell, whose rest
    is on the next line (``date_line`` of the two joined says whether it is one)."""
    return _DATE_OPEN.search(text) is not None


def date_in_sentence(text: str) -> DateLine | None:
    """ "… NGÀY 27 THÁNG 3 NĂM 2008 VỀ VIỆC …": the first whole date written out in a sentence."""
    found = _DATE_IN_SENTENCE.search(text)
    return DateLine(None, int(found[1]), int(found[2]), int(found[3])) if found else None


_LOOK_ALIKE = re.compile("[" + "".join(re.escape(chr(code)) for code in LOOK_ALIKES) + "]")


def without_look_alikes(text: str) -> str:
    """``text.translate(LOOK_ALIKES)``, skipped when no character would change (the usual case)."""
    return text.translate(LOOK_ALIKES) if _LOOK_ALIKE.search(text) else text
