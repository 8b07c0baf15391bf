"""The footer rules (``FOOTER_RULES``): the distribution list and the signature, from
``Nơi nhận:`` or the first signing-authority line down.
"""

from __future__ import annotations

import re
from collections.abc import Callable

from builder.letters.blocks import ParseState, cells
from builder.letters.lines import (
    _BULLET,
    _DISTRIBUTION,
    POSITION_WORDS,
    _clean_item,
    _is_upper,
    is_authority,
    is_decoration,
    is_distribution_heading,
    is_name,
    is_position,
    is_signature_placeholder,
    position_title,
)
from builder.letters.rules import layout

# --- footer rules -------------------------------------------------------------------------------


def footer_decoration(state: ParseState) -> bool:
    """Skip empty and decorative lines."""
    if not is_decoration(state.cell.text):
        return False
    state.pos += 1
    return True


def footer_distribution_heading(state: ParseState) -> bool:
    """ "Nơi nhận:" (maybe bold or italic) opens the distribution list."""
    if not is_distribution_heading(state.cell.text):
        return False
    state.in_distribution = True
    state.letter.source_lines.setdefault("noi_nhan", state.cell.lineno)
    rest = _DISTRIBUTION.sub("", state.cell.text).strip()
    if rest:
        state.letter.noi_nhan.append(_clean_item(_BULLET.sub("", rest)))
    state.pos += 1
    return True


def footer_authority(state: ParseState) -> bool:
    """ "TM. …", "KT. …", "TL. …", "TUQ. …", "Q. …": signing authority, top to bottom."""
    if not is_authority(state.cell.text):
        return False
    text = " ".join(state.cell.text.split())
    state.letter.tham_quyen_ky.append(re.sub(r"^(TM|KT|TL|TUQ|Q)\s*\.\s*", r"\1. ", text))
    state.letter.source_lines.setdefault("tham_quyen_ky", state.cell.lineno)
    state.signature_started = True
    state.pos += 1
    return True


def footer_placeholder(state: ParseState) -> bool:
    """ "(Đã ký)" and similar marks where the signature and seal were."""
    if not is_signature_placeholder(state.cell.text):
        return False
    state.pos += 1
    return True


def footer_distribution_item(state: ParseState) -> bool:
    """ "- Như trên;" … "- Lưu: VT, VX1." under "Nơi nhận:"."""
    cell = state.cell
    if not state.in_distribution:
        return False
    bulleted = (state.blocks[cell.block].kind == "bullet" and cell.part == 0) or bool(
        _BULLET.match(cell.text)
    )
    listed = not state.signature_started and cell.text[-1:] in ";.,"
    if not (bulleted or listed):
        return False
    block = state.blocks[cell.block]
    item = _BULLET.sub("", cell.text)
    previous = state.cells[state.pos - 1].text if state.pos else ""
    if block.kind == "bullet" and cell.index > 0 and previous[-1:] in ".;" and is_name(cell.text):
        return False  # "- Lưu: VT." then the signer's name under it: not the item going on
    if block.kind == "bullet" and cell.index > 0 and state.letter.noi_nhan:
        state.letter.noi_nhan[-1] = _clean_item(f"{state.letter.noi_nhan[-1]} {item}")
    elif _clean_item(item):
        state.letter.noi_nhan.append(_clean_item(item))
    state.pos += 1
    return True


def footer_title(state: ParseState) -> bool:
    """A line in capitals ("PHÓ CHỦ TỊCH"): the signer's title (the last such line wins)."""
    if not _is_upper(state.cell.text) or len(state.cell.text.split()) > 8:
        return False
    state.titles.append(state.cell)
    state.signature_started = True
    state.pos += 1
    return True


def footer_title_in_sentence_case(state: ParseState) -> bool:
    """A title in sentence case ("Phó Chủ tịch"), as web copies print the signature block."""
    if _is_upper(state.cell.text) or not is_position(state.cell.text):
        return False
    state.titles.append(state.cell)
    state.signature_started = True
    state.pos += 1
    return True


def footer_name(state: ParseState) -> bool:
    """The signer's name as printed ("Tổng Thanh Hải")."""
    if not is_name(state.cell.text):
        return False
    state.names.append(state.cell)
    state.pos += 1
    return True


def footer_stray(state: ParseState) -> bool:
    """Anything else in the footer: set aside and reported."""
    state.letter.stray_lines.append(state.cell)
    state.pos += 1
    return True


FooterRule = Callable[[ParseState], bool]

FOOTER_RULES: tuple[FooterRule, ...] = (
    footer_decoration,
    footer_distribution_heading,
    footer_authority,
    footer_placeholder,
    footer_distribution_item,
    footer_title,
    footer_title_in_sentence_case,
    footer_name,
    footer_stray,
)
"""Tried in order on each footer line (distribution list and signature, in either order)."""


def read_footer(state: ParseState) -> None:
    """The footer rules on every line from the footer's first block; then the signer's title and name."""
    footer_cells = [c for b in state.blocks[state.footer_from :] for line in b.lines for c in cells(line)]
    state.read(layout.split_title_name(footer_cells))
    while state.pos < len(state.cells):
        any(rule(state) for rule in FOOTER_RULES)
    _finish_signature(state)


_POSITION_WORDS = (*POSITION_WORDS, "thủ trưởng", "tổng")
"""Held (as a substring) by a position line, which a name in capitals is not."""


def _finish_signature(state: ParseState) -> None:
    """Title from the last capitals line; name from the last name line (or a name in capitals)."""
    titles, names = list(state.titles), list(state.names)
    if not names and len(titles) >= 2 and not any(w in titles[-1].key for w in _POSITION_WORDS):
        names.append(titles.pop())
    letter = state.letter
    if titles:
        letter.chuc_vu_nguoi_ky = position_title(titles[-1].text)
        letter.source_lines["chuc_vu_nguoi_ky"] = titles[-1].lineno
        letter.stray_lines.extend(t for t in titles[:-1])
    if names:
        letter.nguoi_ky = " ".join(names[-1].text.split())
        letter.source_lines["nguoi_ky"] = names[-1].lineno
        letter.stray_lines.extend(n for n in names[:-1])
