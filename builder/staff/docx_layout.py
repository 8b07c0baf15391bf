"""Putting a Word letter in order: the header and signature tables, recipients, body paragraphs
and tables become the blocks of the committed text format, as the Word export would write it.
"""

from __future__ import annotations

import re
import unicodedata

from builder.staff.docx_reader import Grid, Para, Segment
from builder.text.dates import date_line

_URGENCY = {"KHẨN", "THƯỢNG KHẨN", "HỎA TỐC", "HOẢ TỐC"}
_SENTENCE_END = (".", "!", "?", ":", ";", "./.")
_DECORATION = re.compile(r"^[\s_\-–—=*.·•]*$")
"""Lines drawn with underscores or dashes under the issuer and the motto."""


# --- putting the letter in order --------------------------------------------------------------------


def _arrange(items: list[Para | Grid]) -> str:
    """The letter's text: header in reading order, body, distribution list, then signature."""
    blocks: list[str] = []
    pending: list[Para] = []  # body paragraphs, written by _flush (page-break joins, groups)
    header_done = body_started = False
    index = 0
    while index < len(items):
        item = items[index]
        if isinstance(item, Grid):
            _flush(pending, blocks)
            if not header_done and not body_started and _is_header(item):
                blocks += _header_blocks(item.columns())
                header_done = True
            elif _is_signature(item):
                blocks += _signature_blocks(item.columns())
            elif _is_recipients(item):
                blocks += _recipient_blocks(list(item.paragraphs()))
            else:
                blocks += _table_blocks(item)
            index += 1
            continue
        if not header_done and not body_started and _header_ahead(items, index):
            end = _header_end(items, index)
            region = [p for p in items[index:end] if isinstance(p, Para)]
            tabbed = any("\t" in p.plain.strip() for p in region)
            _flush(pending, blocks)
            blocks += _header_blocks(_split_columns(region) if tabbed else [region])
            header_done = True
            index = end
            continue
        if _is_distribution_start(item) and "\t" in item.plain.strip():
            rest = [p for p in items[index:] if isinstance(p, Para)]
            _flush(pending, blocks)
            blocks += _signature_blocks(_split_columns(rest))
            break
        if not item.is_blank:
            body_started = body_started or _starts_body(item)
        pending.append(item)
        index += 1
    _flush(pending, blocks)
    return _tighten(blocks)


def _header_end(items: list[Para | Grid], start: int) -> int:
    """Where a header typed as paragraphs ends: after number, date and the V/v lines."""
    seen_number = seen_date = in_subject = False
    index = start
    while index < len(items):
        item = items[index]
        if isinstance(item, Grid) or _starts_body(item):
            break
        text = item.plain.strip()
        if seen_number and seen_date:
            if re.match(r"[*_]*V/v\b", text):
                in_subject = True
            elif item.is_blank:
                if in_subject:
                    return index + 1
            elif not in_subject:
                break
        seen_number = seen_number or any(re.match(r"[*_\s]*Số\b", cell) for cell in text.split("\t"))
        seen_date = seen_date or date_line(text) is not None
        index += 1
    return index


def _flush(pending: list[Para], blocks: list[str]) -> None:
    """Body paragraphs as blocks: page-break cuts joined, signature lines grouped, "Kính gửi:⇥" split."""
    joined: list[Para] = []
    for para in pending:
        if para.is_blank:
            if para.break_after and joined:
                joined[-1].break_after = True
            if joined:
                joined.append(para)  # keeps groups apart
            continue
        previous = next((p for p in reversed(joined) if not p.is_blank), None)
        if (
            previous is not None
            and (previous.break_after or para.break_before)
            and _continues(previous, para)
        ):
            previous.segments = [*previous.segments, Segment(" "), *para.segments]
            previous.break_after = para.break_after
            while joined[-1] is not previous:
                joined.pop()
            continue
        joined.append(para)
    group: list[Para] = []
    for para in [*joined, Para()]:
        if _is_signature_line(para):
            group.append(para)
            continue
        if group:
            blocks.append(_group(group))
            group = []
        if para.is_blank:
            continue
        if re.match(r"[*_\s]*Kính\s+gửi\b", para.plain) and "\t" in para.plain.strip():
            blocks += _recipient_blocks([p for p in _split_at_tabs(para) if p is not None])
            continue
        blocks.append(_clean(para.markdown()))
    pending.clear()


def _is_signature_line(para: Para) -> bool:
    """Short, bold, in capitals: a signing-authority or title line ("KT. CHỦ TỊCH")."""
    text = para.plain.strip()
    return bool(text) and len(text) <= 60 and text == text.upper() and para.all("bold") and not para.marker


def _continues(previous: Para, para: Para) -> bool:
    """The sentence goes on across the break: no sentence end before it, no list item after it."""
    before = previous.plain.rstrip().rstrip("*_").rstrip()
    after = para.plain.lstrip()
    if not before or before.endswith(_SENTENCE_END) or para.marker:
        return False
    return not re.match(r"([-+•]\s|\d+[.)]\s|[a-zđ][)]\s)", after)


def _is_header(grid: Grid) -> bool:
    text = " ".join(p.plain for p in grid.paragraphs()).upper()
    return (
        "CỘNG HÒA" in text
        or "CỘNG HOÀ" in text
        or "ĐẢNG CỘNG SẢN" in text
        or bool(re.search(r"\bSỐ\b", text))
    )


def _is_signature(grid: Grid) -> bool:
    return any(_is_distribution_start(p) for p in grid.paragraphs())


def _is_distribution_start(para: Para) -> bool:
    return bool(re.match(r"[*_\s]*Nơi\s+nhận", unicodedata.normalize("NFC", para.plain)))


def _header_ahead(items: list[Para | Grid], start: int) -> bool:
    """A header typed as paragraphs starts here: the motto comes within the next few lines."""
    seen = 0
    for item in items[start:]:
        if isinstance(item, Grid) or _starts_body(item) or seen >= 8:
            return False
        if _is_motto(item):
            return True
        seen += not item.is_blank
    return False


def _starts_body(para: Para) -> bool:
    return bool(re.match(r"\s*(Kính\s+gửi|\d+\.\s|[-+]\s)", para.plain))


def _split_columns(paragraphs: list[Para]) -> list[list[Para]]:
    """Lines laid out with tabs as two columns: the text before the tabs left, after them right."""
    left: list[Para] = []
    right: list[Para] = []
    for para in paragraphs:
        before, after = _split_at_tabs(para)
        if before is not None:
            left.append(before)
        if after is not None:
            right.append(after)
    return [left, right]


def _split_at_tabs(para: Para) -> tuple[Para | None, Para | None]:
    """Split one paragraph at its first run of tabs (leading tabs put everything on the right)."""
    plain = para.marker + "".join(s.text for s in para.segments)
    stripped = plain.lstrip(" ")
    if stripped.startswith("\t"):
        return None, Para(_strip_segments(para.segments, "\t "))
    if "\t" not in plain:
        return para, None
    left, right, seen_tab = [], [], False
    for segment in para.segments:
        if seen_tab:
            right.append(segment)
            continue
        if "\t" in segment.text:
            head, _, tail = segment.text.partition("\t")
            left.append(Segment(head, segment.bold, segment.italic))
            right.append(Segment(tail.lstrip("\t "), segment.bold, segment.italic))
            seen_tab = True
        else:
            left.append(segment)
    right_para = Para(_strip_segments(right, "\t "))
    return Para(left, marker=para.marker), (None if right_para.is_blank else right_para)


def _strip_segments(segments: list[Segment], chars: str) -> list[Segment]:
    out = [Segment(s.text, s.bold, s.italic) for s in segments]
    while out and not out[0].text.strip(chars):
        out.pop(0)
    if out:
        out[0].text = out[0].text.lstrip(chars)
    return out


def _header_blocks(columns: list[list[Para]]) -> list[str]:
    """Issuer, motto, number, date, subject: the order the reader expects, whatever the table layout."""
    issuer: list[Para] = []
    motto: list[Para] = []
    number: list[Para] = []
    date: list[Para] = []
    subject: list[Para] = []
    other: list[Para] = []
    for column in columns:
        state = "issuer"
        for para in column:
            text = para.plain.strip()
            if para.is_blank or _DECORATION.match(text):
                continue
            if _is_motto(para):
                motto.append(para)
                state = "motto" if not _is_motto_end(para) else "after"
            elif state == "motto":
                motto.append(para)  # "Độc lập - Tự do - Hạnh phúc"
                state = "after"
            elif re.match(r"[*_\s]*Số\b", text):
                number.append(para)
                state = "subject"
            elif date_line(text) is not None:
                date.append(para)
                state = "after"
            elif text.upper().strip("*_ ") in _URGENCY:
                other.append(para)
            elif re.match(r"[*_]*V/v\b", text):
                subject.append(para)
                state = "subject"
            else:
                {"issuer": issuer, "subject": subject}.get(state, other).append(para)
    blocks = [_group(issuer), _group(motto)]
    blocks += [_clean(p.markdown()) for p in number + date]
    blocks.append(_group(subject))
    blocks += [_clean(p.markdown()) for p in other]
    return [b for b in blocks if b.strip()]


def _is_motto(para: Para) -> bool:
    text = para.plain.upper()
    return "CỘNG HÒA XÃ HỘI" in text or "CỘNG HOÀ XÃ HỘI" in text or "ĐẢNG CỘNG SẢN" in text


def _is_motto_end(para: Para) -> bool:
    text = para.plain.upper()
    return "HẠNH PHÚC" in text or "ĐẢNG CỘNG SẢN" in text


def _signature_blocks(columns: list[list[Para]]) -> list[str]:
    """Distribution list (the column with "Nơi nhận") first, then the signature column."""
    columns = [column for column in columns if any(not p.is_blank for p in column)]
    distribution = [c for c in columns if any(_is_distribution_start(p) for p in c)]
    others = [c for c in columns if not any(_is_distribution_start(p) for p in c)]
    blocks: list[str] = []
    for column in distribution:
        items = [p for p in column if not p.is_blank]
        blocks.append(_clean(items[0].markdown()))
        blocks += [_clean(p.markdown()) for p in items[1:]]
    for column in others:
        groups: list[list[Para]] = [[]]
        for para in column:
            if para.is_blank:
                if groups[-1]:
                    groups.append([])
            else:
                groups[-1].append(para)
        groups = [g for g in groups if g]
        if len(groups) == 1 and len(groups[0]) > 1:
            groups = [groups[0][:-1], groups[0][-1:]]  # no blank lines: the last line is the name
        blocks += [_group(g) for g in groups]
    return blocks


def _is_recipients(grid: Grid) -> bool:
    first = next((p for p in grid.paragraphs() if not p.is_blank), None)
    return first is not None and bool(re.match(r"[*_\s]*Kính\s+gửi\b", first.plain))


def _recipient_blocks(paragraphs: list[Para]) -> list[str]:
    """ "Kính gửi:" laid out in two columns: one recipient on the same line, several as a list."""
    lines = [p for p in paragraphs if not p.is_blank]
    head, items = _clean(lines[0].markdown()), [_clean(p.markdown()) for p in lines[1:]]
    if len(items) == 1 and not re.match(r"[-+•]\s", items[0]):
        return [f"{head} {items[0]}"]
    return [head, *[item if re.match(r"[-+]\s", item) else f"- {item.lstrip('• ')}" for item in items]]


def _table_blocks(grid: Grid) -> list[str]:
    """Any other table: a Markdown table when it is a grid of short cells, else its paragraphs in order."""
    rows = [[" ".join(p.markdown() for p in cell if not p.is_blank) for cell in row] for row in grid.rows]
    width = max((len(row) for row in rows), default=0)
    simple = (
        len(rows) >= 2
        and width >= 2
        and all(len([p for p in cell if not p.is_blank]) <= 1 for row in grid.rows for cell in row)
    )
    if simple:
        cells = [
            [c.replace("|", "\\|").replace("\n", " ").strip() for c in row + [""] * (width - len(row))]
            for row in rows
        ]
        lines = ["| " + " | ".join(cells[0]) + " |", "|" + "---|" * width]
        lines += ["| " + " | ".join(row) + " |" for row in cells[1:]]
        return ["\n".join(lines)]
    blocks: list[str] = []
    _flush([p for p in grid.paragraphs()], blocks)
    return blocks


def _group(paragraphs: list[Para]) -> str:
    """Lines that form one component (issuer, motto, signature): one bold block when all bold."""
    paragraphs = [p for p in paragraphs if not p.is_blank]
    if not paragraphs:
        return ""
    if all(p.all("bold") for p in paragraphs):
        inner = "\n".join(_clean(p.markdown(drop_bold=True)) for p in paragraphs)
        return f"**{inner}**"
    return "\n".join(_clean(p.markdown()) for p in paragraphs)


def _clean(text: str) -> str:
    """Tabs and runs of spaces as one space, line breaks kept, no trailing spaces."""
    lines = [re.sub(r"[ \t\u00a0]+", " ", line).strip() for line in text.split("\n")]
    return "\n".join(line for line in lines if line)


def _tighten(blocks: list[str]) -> str:
    """Blocks separated by blank lines; the items under "Kính gửi:" and "Nơi nhận:" as tight lists."""
    out: list[str] = []
    intro = in_list = False
    for block in blocks:
        if not block.strip():
            continue
        is_item = bool(re.match(r"[-+] ", block)) and "\n" not in block
        if is_item and in_list:
            out[-1] += "\n" + block
            continue
        in_list = is_item and intro
        intro = bool(re.fullmatch(r"(Kính\s+gửi|Nơi\s+nhận)\s*:", re.sub(r"[*_]", "", block).strip()))
        out.append(block)
    return "\n\n".join(out) + "\n"
