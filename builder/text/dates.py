"""Dates as letters print them: the one place that says what a date line is and how a date reads.

Recognised:

- ``date_line``: a line that is a letter's place and date of issue ("Lai Châu, ngày 26 tháng 8
  năm 2021", "ngày 26/8/2021", a draft's "Mường Tè, ngày … tháng … năm 20…"); the parser's
  header rule, its layout repair of a date line cut in two (``opens_date_line``) and the Word
  import all ask it;
- ``date_in_sentence``: "ngày 27 tháng 3 năm 2008" inside a title sentence;
- ``printed_dates``: every real day written in running text, for the message that proposes
  a date to a letter that has none.

Printed (from the ISO date a letter keeps: "2021-08-26", "2021-09" or "2021" for a blank day or
month):

- ``date_words``: a letter's own date line, "ngày 09 tháng 9 năm 2021" (a letter page, a new
  letter's text);
- ``date_short``: tables, lists, the feed and the search results, "26/08/2021". Its
  JavaScript twin is ``dateShort`` in ``site_theme/assets/javascripts/dates.js`` (the search
  page's results), kept equal by ``tests/test_parity.py``.

Dates as search terms (``@2021-08-26``) are found token by token, the same way in letters and in
queries, by ``builder.search.specials`` and its twin ``analysis.js``.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterator
from dataclasses import dataclass

from builder.text.vietnamese import LOOK_ALIKES, published

_DATE_LINE = re.compile(  # possessive runs (*+): a long run of dots is never split two ways; a year
    # is every digit of its run (ASCII only: `[0-9]`, never `\d`), so "năm 20215" is no year 2021
    r"^(?:(?P<place>[^,\d][^,]{1,59}?)\s*,\s*)?ngày(?!\w)[\s.…_]*+(?P<d>[0-9]{1,2})?[\s.…_/-]*+"
    r"tháng(?![^\W\d])[\s.…_]*+(?P<m>[0-9]{1,2})?[\s.…_]*+năm(?![^\W\d])[\s.…_]*+(?P<y>[0-9]{4}[0-9]*+)?",
    re.IGNORECASE,
)
_NUMERIC_DATE_LINE = re.compile(
    r"^(?:(?P<place>[^,\d]{2,60}?)\s*,\s*)?ngày\s*(?P<d>[0-9]{1,2})\s*[/.-]\s*(?P<m>[0-9]{1,2})\s*[/.-]\s*(?P<y>[0-9]{4})\W*+$",
    re.IGNORECASE,
)
_DATE_OPEN = re.compile(
    r"(?:^|,)\s*ngày(?:\s+[0-9]{1,2})?(?:\s+tháng(?:\s+[0-9]{1,2})?)?(?:\s+năm)?\s*$", re.IGNORECASE
)
_DATE_IN_SENTENCE = re.compile(
    r"\bngày\s+([0-9]{1,2})\s+tháng\s+([0-9]{1,2})\s+năm\s+([0-9]{4})(?![0-9])", re.IGNORECASE
)


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

        def given(value: int | None, blank: int) -> int:
            return blank if value is None else value  # 0 is a printed zero, not a blank

        try:
            dt.date(given(self.year, 2000), given(self.month, 1), given(self.day, 1))
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
        return int(value[:9]) if value else None  # a run of digits is no year: past 9999, invalid

    return DateLine(place or None, number(match["d"]), number(match["m"]), number(match["y"]))


def opens_date_line(text: str) -> bool:
    """ "Quảng Nam, ngày" or "…, ngày 13 tháng": a date line cut by a wrap or a cell, whose rest
    is on the next line (``date_line`` of the two joined says whether it is one)."""
    return _DATE_OPEN.search(text) is not None


def date_in_sentence(text: str) -> DateLine | None:
    """ "… NGÀY 27 THÁNG 3 NĂM 2008 VỀ VIỆC …": the first whole date written out in a sentence."""
    found = _DATE_IN_SENTENCE.search(text)
    return DateLine(None, int(found[1]), int(found[2]), int(found[3])) if found else None


def date_words(iso: str, blank: str = "…") -> str:
    """ "ngày 09 tháng 9 năm 2021": a leading zero for days below 10 and months 1–2 (NĐ 30/2020).
    A blank day or month reads ``blank`` ("ngày … tháng 9 năm 2021"); an empty ``blank`` leaves
    it out with one space ("ngày tháng 9 năm 2021"), as exported drafts print it."""
    year, month, day = ([*iso.split("-"), "", ""])[:3]
    words = ["ngày"]
    if day and int(day):
        words.append(f"{int(day):02d}")
    elif blank:
        words.append(blank)
    words.append("tháng")
    if month and int(month):
        words.append(f"{int(month):02d}" if int(month) <= 2 else str(int(month)))
    elif blank:
        words.append(blank)
    words.append(f"năm {year}")
    return " ".join(words)


def date_short(iso: str) -> str:
    """Compact date for tables and lists: "26/08/2021", "tháng 9 năm 2021 (chưa ghi ngày)".
    Twin: ``dateShort`` in ``site_theme/assets/javascripts/dates.js``."""
    parts = iso.split("-")
    if len(parts) == 3:
        return f"{parts[2]}/{parts[1]}/{parts[0]}"
    if len(parts) == 2:
        return f"tháng {int(parts[1])} năm {parts[0]} (chưa ghi ngày)"
    return f"năm {parts[0]} (chưa ghi ngày, tháng)"


_PRINTED_DATE = re.compile(
    r"ngày\s*([0-9]{1,2})\s*tháng\s*([0-9]{1,2})\s*năm\s*([0-9]{4})(?![0-9])|\b([0-9]{1,2})/([0-9]{1,2})/((?:19|20)[0-9][0-9])\b",
    re.IGNORECASE,
)


def printed_dates(text: str) -> Iterator[tuple[str, str]]:
    """Each real day written in ``text`` ("ngày 26 tháng 8 năm 2021", "26/8/2021"): (ISO, as printed)."""
    for match in _PRINTED_DATE.finditer(text):
        day, month, year = (match[1], match[2], match[3]) if match[1] else (match[4], match[5], match[6])
        try:
            iso = dt.date(int(year), int(month), int(day)).isoformat()
        except ValueError:
            continue
        yield iso, match[0]


_LOOK_ALIKE = re.compile("[" + "".join(re.escape(chr(code)) for code in LOOK_ALIKES) + "]")


def without_look_alikes(text: str) -> str:
    """``text.translate(LOOK_ALIKES)``, skipped when no character would change (the usual case)."""
    return text.translate(LOOK_ALIKES) if _LOOK_ALIKE.search(text) else text
