"""The header rules (``HEADER_RULES``): issuer, motto, number, date, type and subject, urgency,
recipients, claimed one line at a time from the top in whatever order the export put them.

Each rule is ``rule(state) -> bool``: it claims lines by advancing ``state.pos`` and returns
True, or returns False to let the next rule try. ``HEADER_RULES`` is the one table: each row also
names the part its rule reads and the line test (``claims``) that makes a line end a multi-line
part (``component_of``, ``is_component``).
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, replace
from typing import TYPE_CHECKING

from builder.letters.lines import (
    _BULLET,
    _DECORATION_TAIL,
    TERMINAL,
    _clean_item,
    _is_upper,
    classification_of,
    is_decoration,
    is_motto,
    recipients_start,
    subject_start,
    type_line,
    urgency_of,
)
from builder.letters.rules import title
from builder.letters.rules.number import (
    TYPE_BY_KEY,
    number_line,
    parse_number_symbol,
)
from builder.text.dates import date_in_sentence, date_line
from builder.text.vietnamese import canonical_key

if TYPE_CHECKING:
    from builder.letters.blocks import Line, ParseState

# --- header rules -------------------------------------------------------------------------------


def rule_decoration(state: ParseState) -> bool:
    """Skip rules and stars printed under the issuer and motto."""
    if not is_decoration(state.cell.text):
        return False
    state.pos += 1
    return True


def rule_classification(state: ParseState) -> bool:
    """MẬT / TỐI MẬT / TUYỆT MẬT: recorded so the letter is refused."""
    mark = classification_of(state.cell.text)
    if not mark:
        return False
    state.letter.do_mat = mark
    state.letter.source_lines.setdefault("do_mat", state.cell.lineno)
    state.pos += 1
    return True


def rule_urgency(state: ParseState) -> bool:
    """KHẨN / THƯỢNG KHẨN / HỎA TỐC (HOẢ TỐC) on a line of its own, anywhere in the header."""
    level = urgency_of(state.cell.text)
    if not level:
        return False
    state.letter.do_khan = level
    state.mark("urgency", state.cell, "do_khan")
    state.pos += 1
    return True


def rule_motto(state: ParseState) -> bool:
    """Quốc hiệu and tiêu ngữ (or "ĐẢNG CỘNG SẢN VIỆT NAM"): recognised, not stored."""
    if not is_motto(state.cell.text):
        return False
    state.found.add("motto")
    state.pos += 1
    return True


def rule_number(state: ParseState) -> bool:
    """ "Số: 2642/UBND-VX" (blank number, spaced dashes, party "Số 325-CV/TU" too)."""
    number = number_line(state.cell.text)
    if number is None or "number" in state.found:
        return False
    letter = state.letter
    letter.so, letter.ky_hieu, letter.separator = number.so, number.ky_hieu, number.separator
    letter.nam_so, letter.so_in = number.nam, number.digits
    letter.so_ky_hieu = number.so_ky_hieu
    state.mark("number", state.cell, "so", "ky_hieu", "so_ky_hieu")
    state.pos += 1
    return True


def rule_place_and_date(state: ParseState) -> bool:
    """ "Mường Tè, ngày 26 tháng 8 năm 2021"; a blank day or month makes a partial date."""
    found = date_line(state.cell.text)
    if found is None or "date" in state.found:
        return False
    letter = state.letter
    letter.dia_danh = found.place
    if found.valid():
        letter.ngay_ban_hanh = found.iso()
    else:
        letter.ngay_khong_hop_le = state.cell.text
    state.mark("date", state.cell, "dia_danh", "ngay_ban_hanh")
    state.pos += 1
    return True


def rule_subject(state: ParseState) -> bool:
    """ "V/v …" or "Về việc …", continued on the following lines of its block."""
    first = subject_start(state.cell.text)
    if first is None or "subject" in state.found:
        return False
    line = state.cell
    parts = [first] if first else []
    state.found.add("about")
    state.pos += 1
    if parts:
        state.pos = _collect_title_subject(state, parts)
    else:
        state.pos = _take_subject_lines(state, line.block, parts)
    _set_subject(state, parts, line)
    return True


def rule_bare_subject(state: ParseState) -> bool:
    """A subject in capitals under number and date, its type line dropped by a web page (type from symbol)."""
    text = state.cell.text
    if not {"number", "date"} <= state.found or state.found & {"type", "subject", "recipients"}:
        return False
    if not _is_upper(text) or len(text.split()) < 4 or is_component(text) or not title.may_start(text):
        return False
    line = state.cell
    parts = [text]
    state.pos = _collect_title_subject_from(state, state.pos + 1, parts)
    subject = title.clean(" ".join(parts))
    if len(subject) > title.MAX_SUBJECT_CHARS:
        return False
    _set_subject(state, [subject], line)
    return True


def rule_document_type(state: ParseState) -> bool:
    """A type in capitals ("QUYẾT ĐỊNH", "THÔNG BÁO", "KẾ HOẠCH") with the subject below it."""
    name, rest = type_line_and_rest(state.cell.text)
    if name is None or "type" in state.found or state.letter.loai_van_ban:
        return False
    line = state.cell
    state.letter.loai_van_ban = name
    state.mark("type", line, "loai_van_ban")
    state.pos += 1
    parts: list[str] = []
    if rest and title.is_title_sentence(rest):
        rest, state.pos = _whole_title_sentence(state, rest, state.pos)
        _read_title_sentence(state, rest, line)
        sentence = title.subject_of_title_sentence(rest)
        if sentence:
            parts.append(sentence)
    elif rest and not title.issuer_suffix(rest):
        parts.append(rest)  # "QUY CHẾ LÀM VIỆC …": type and subject on one line
    state.pos = _collect_title_subject(state, parts)
    if parts:
        text = title.clean(" ".join(parts))
        if len(text) <= title.MAX_SUBJECT_CHARS:
            _set_subject(state, [text], line)
    return True


def type_line_and_rest(text: str) -> tuple[str | None, str]:
    """The type of a type line and what follows it on the line ("QUYẾT ĐỊNH CỦA UBND TỈNH LÀO CAI")."""
    name = type_line(text)
    if name is not None:
        return name, ""
    if not _is_upper(text[:40]):
        return None, ""
    for key in sorted(TYPE_BY_KEY, key=len, reverse=True):
        head = text[: len(key)]
        if (
            canonical_key(head) == key
            and text[len(key) : len(key) + 1] in (" ", ":")
            and head == head.upper()
        ):
            rest = text[len(key) :].strip(" :")
            if _is_upper(rest) and not is_component(rest):
                return TYPE_BY_KEY[key], rest
    return None, ""


def _whole_title_sentence(state: ParseState, text: str, pos: int) -> tuple[str, int]:
    """A title sentence with the lines a wrap cut from it ("… NĂM 1982 VỀ" / "VIỆC ĐỔI TÊN …")."""
    capitals, taken = _is_upper(text), 0
    while (
        pos < len(state.cells)
        and not is_decoration(state.cells[pos].text)
        and taken < title.MAX_SUBJECT_LINES
    ):
        taken += 1
        following = state.cells[pos].text
        same_block = state.cells[pos].block == state.cells[pos - 1].block
        if not capitals or not title.continues(text, following, True, same_block):
            break
        text = f"{text} {following}"
        pos += 1
    return text, pos


def _read_title_sentence(state: ParseState, text: str, line: Line) -> None:
    """ "SỐ: 09/2008/QĐ-UBND NGÀY 27 THÁNG 3 NĂM 2008 VỀ VIỆC …" in a title: number and date, if unread."""
    letter = state.letter
    number = re.search(r"\bsố\s*:?\s*(\d[\w/.\-–&]*[^\W_])", text, re.IGNORECASE)
    if number and "number" not in state.found:
        found = parse_number_symbol(number[1])
        if found is not None and found.so is not None:
            letter.so, letter.ky_hieu, letter.separator = found.so, found.ky_hieu, found.separator
            letter.nam_so, letter.so_in, letter.so_ky_hieu = found.nam, found.digits, found.so_ky_hieu
            state.mark("number", line, "so", "ky_hieu", "so_ky_hieu")
    found_date = date_in_sentence(text)
    if found_date is not None and "date" not in state.found and found_date.valid():
        letter.ngay_ban_hanh = found_date.iso()
        state.mark("date", line, "ngay_ban_hanh")


def _collect_title_subject(state: ParseState, parts: list[str]) -> int:
    """The subject lines under a type line; returns the position after them (see ``rules.title``)."""
    return _collect_title_subject_from(state, state.pos, parts)


def _collect_title_subject_from(state: ParseState, pos: int, parts: list[str]) -> int:
    capitals = bool(parts) and _is_upper(parts[0])
    sentence_read = False
    while pos < len(state.cells) and len(parts) < title.MAX_SUBJECT_LINES:
        cell = state.cells[pos]
        text = cell.text
        if is_decoration(text):
            break
        if not parts:
            if not title.may_start(text):
                break
            if is_component(text) and subject_start(text) is None:
                break
            if re.match(r"^(?:của|CỦA)(?:\s|$)", text):  # "của Chính phủ số 159/2005/NĐ-CP ngày …"
                text, pos = _whole_title_sentence(state, text, pos + 1)
                if title.is_title_sentence(text):
                    _read_title_sentence(state, text, cell)
                sentence = title.subject_of_title_sentence(text)
                if sentence:
                    parts.append(sentence)
                    capitals = _is_upper(sentence)
                sentence_read = title.is_title_sentence(text) or not _is_upper(text)  # "CỦA UBND …": free
                continue
            if sentence_read and not (_is_upper(text) or re.match(r"^(?:về|VỀ)\s", text, re.IGNORECASE)):
                break  # after "của Chính phủ số … ngày …" only a "Về …" line or capitals is the subject
            parts.append(text)
            capitals = _is_upper(text)
            pos += 1
            continue
        if is_component(text) and subject_start(text) is None and not title.ends_open(parts[-1]):
            break
        same_block = cell.block == state.cells[pos - 1].block
        if not title.continues(parts[-1], text, capitals, same_block):
            break
        parts.append(text)
        pos += 1
    if len(parts) >= title.MAX_SUBJECT_LINES and pos < len(state.cells):
        following = state.cells[pos]
        same_block = following.block == state.cells[pos - 1].block
        if title.continues(parts[-1], following.text, capitals, same_block):
            parts.clear()  # longer than any subject: never publish it cut short
    if pos < len(state.cells) and parts and title.is_authority_line(state.cells[pos].text):
        state.authority_line = state.cells[pos]
    return pos


def _take_subject_lines(state: ParseState, block: int, parts: list[str]) -> int:
    """Extend a subject with the lines after it in its block and a lowercase next block."""
    pos = state.pos
    while (
        pos < len(state.cells) and state.cells[pos].block == block and not is_component(state.cells[pos].text)
    ):
        parts.append(state.cells[pos].text)
        pos += 1
    while pos < len(state.cells) and parts and parts[-1][-1:] not in TERMINAL:
        following = state.cells[pos]
        if state.blocks[following.block].kind != "paragraph" or not following.text[:1].islower():
            break
        block = following.block
        while pos < len(state.cells) and state.cells[pos].block == block:
            parts.append(state.cells[pos].text)
            pos += 1
    return pos


def _set_subject(state: ParseState, parts: list[str], line: Line) -> None:
    """Join subject lines with single spaces; drop a leading "V/v" / "Về việc"."""
    text = " ".join(" ".join(parts).split())
    start = subject_start(text)
    text = start if start is not None else text
    if text:
        state.letter.trich_yeu = text
    state.mark("subject", line, "trich_yeu")


def rule_recipients(state: ParseState) -> bool:
    """ "Kính gửi: X" on one line, or "Kính gửi:" followed by a "- …;" list."""
    first = recipients_start(state.cell.text)
    if first is None or "recipients" in state.found:
        return False
    line = state.cell
    items: list[str] = []
    if first:
        items.extend(p for p in re.split(r";\s*", _BULLET.sub("", first)) if p.strip(" .;,"))
    state.pos += 1
    listed_block = line.block
    while state.pos < len(state.cells) and not (items and items[-1].rstrip().endswith(".")):
        cell = state.cells[state.pos]
        kind = state.blocks[cell.block].kind
        first_cell = cell.index == 0 and cell.part == 0
        if cell.block == listed_block or (kind == "bullet" and first_cell) or _BULLET.match(cell.text):
            items.append(_BULLET.sub("", cell.text))
        elif kind == "bullet" and items and cell.text[:1].islower():
            items[-1] = f"{items[-1]} {cell.text}"  # a recipient's name wrapped onto the next line
        elif not items and kind == "paragraph" and not is_component(cell.text):
            items.append(cell.text)  # "Kính gửi:" with the recipient in the next paragraph
            listed_block = cell.block
        else:
            break
        state.pos += 1
    state.letter.kinh_gui = [_clean_item(i) for i in items if _clean_item(i)]
    state.mark("recipients", line, "kinh_gui")
    return True


def rule_issuer(state: ParseState) -> bool:
    """The issuer block at the top (with its parent body above it), before number and date."""
    if state.found & {"number", "date", "subject", "type", "recipients"}:
        return False
    text = _DECORATION_TAIL.sub("", state.cell.text)
    if "motto" in state.found and not _is_upper(text):
        return False
    if len(text) > MAX_ISSUER_LINE or text[-1:] in ".;:!?" or len(state.issuer_lines) >= MAX_ISSUER_LINES:
        return False
    state.issuer_lines.append(state.cell if text == state.cell.text else replace(state.cell, text=text))
    state.pos += 1
    return True


MAX_ISSUER_LINE = 100
"""Longer lines are sentences, not the issuer's name."""
MAX_ISSUER_LINES = 5
"""Parent body and issuer together never take more lines."""

STRAY_LOOKAHEAD = 6
"""How many short unclaimed lines may sit between two header parts and still be stray lines."""


def rule_stray(state: ParseState) -> bool:
    """Short lines stranded between header parts (an OCR'd stamp): set aside, reported."""
    pos = state.pos
    while pos < len(state.cells) and pos - state.pos < STRAY_LOOKAHEAD:
        text = state.cells[pos].text
        if is_decoration(text):
            pos += 1
            continue
        component = component_of(text)
        if component and component not in state.found and "recipients" not in state.found:
            break
        if len(text) > 60 or text[-1:] in ".!?" or state.blocks[state.cells[pos].block].kind != "paragraph":
            return False
        if title.opens_body(text):
            return False  # "Căn cứ Luật …" wrapped: the body, not a stamp
        pos += 1
    else:
        return False
    if pos >= len(state.cells) or pos == state.pos:
        return False
    state.letter.stray_lines.extend(c for c in state.cells[state.pos : pos] if not is_decoration(c.text))
    state.pos = pos
    return True


@dataclass(frozen=True, slots=True)
class HeaderRule:
    """One row of the header table."""

    run: Callable[[ParseState], bool]
    """Claims lines by moving ``state.pos`` on and returns True, or returns False."""
    part: str | None = None
    """The header part it reads ("date"), as ``ParseState.found`` records it."""
    claims: Callable[[str], object] | None = None
    """The line test that says a line is this part (not None when it is). A line it claims ends a
    multi-line part (a subject, the recipients, a run of stray lines): rules with None never do."""


HEADER_RULES: tuple[HeaderRule, ...] = (
    HeaderRule(rule_decoration),
    HeaderRule(rule_classification, "classification", classification_of),
    HeaderRule(rule_urgency, "urgency", urgency_of),
    HeaderRule(rule_motto, "motto", lambda text: is_motto(text) or None),
    HeaderRule(rule_number, "number", number_line),
    HeaderRule(rule_place_and_date, "date", date_line),
    HeaderRule(rule_subject, "subject", subject_start),
    HeaderRule(rule_document_type, "type", type_line),
    HeaderRule(rule_recipients, "recipients", recipients_start),
    HeaderRule(rule_bare_subject),
    HeaderRule(rule_issuer),
    HeaderRule(rule_stray),
)
"""Tried in order on each header line; the first line none claims starts the body."""


def component_of(text: str) -> str | None:
    """Which header part a line is ("number", "date", ...), or None: the first rule that claims it."""
    return next((rule.part for rule in HEADER_RULES if rule.claims and rule.claims(text) is not None), None)


def is_component(text: str) -> bool:
    """Whether any header rule claims the line (it ends a multi-line part)."""
    return component_of(text) is not None


def read_header(state: ParseState) -> None:
    """The header rules on each line from the top until none claims one; the issuer block split."""
    while state.pos < len(state.cells):
        if not any(rule.run(state) for rule in HEADER_RULES):
            break
    _finish_issuer(state)


def _finish_issuer(state: ParseState) -> None:
    """Split the issuer block into parent body and issuer (lines joined with spaces)."""
    groups: list[list[Line]] = []
    for line in state.issuer_lines:
        if groups and (_continues_name(line.key) or not _is_complete_name(_key_of(groups[-1]))):
            groups[-1].append(line)
        else:
            groups.append([line])
    letter = state.letter
    if not groups and state.authority_line is not None and "motto" not in state.found:
        line = state.authority_line  # no header: the authority line under the title names the issuer
        letter.co_quan_ban_hanh = " ".join(line.text.split())
        letter.source_lines["co_quan_ban_hanh"] = line.lineno
        return
    if not groups:
        return
    letter.co_quan_ban_hanh = _name_of(groups[-1])
    letter.source_lines["co_quan_ban_hanh"] = groups[-1][0].lineno
    if len(groups) > 1:
        letter.co_quan_chu_quan = " ".join(_name_of(g) for g in groups[:-1])
        letter.source_lines["co_quan_chu_quan"] = groups[0][0].lineno


_UNITS = ("tỉnh", "huyện", "quận", "xã", "phường", "thị xã", "thị trấn", "thành phố")


def _name_of(lines: list[Line]) -> str:
    return " ".join(" ".join(line.text for line in lines).split())


def _key_of(lines: list[Line]) -> str:
    return canonical_key(_name_of(lines))


def _continues_name(key: str) -> bool:
    """A line starting with a unit word ("HUYỆN MƯỜNG TÈ") continues the name above it."""
    return any(key.startswith(unit + " ") and not key.startswith(unit + " ủy") for unit in _UNITS)


def _is_complete_name(key: str) -> bool:
    """A name that already says which body it is: a unit word followed by a place."""
    words = key.split()
    for index, word in enumerate(words[:-1]):
        if word in ("tỉnh", "huyện", "quận", "xã", "phường", "trấn", "phố") and (
            words[index + 1] != "ủy" or index + 2 < len(words)
        ):
            return True
    return False
