"""The body between header and footer as clean Markdown, with paragraphs a page break split
joined again.
"""

from __future__ import annotations

import re

from builder.letters.blocks import Block, Line
from builder.letters.lines import TERMINAL

# --- body ---------------------------------------------------------------------------------------

_MARKDOWN_START = re.compile(r"^(\d{1,9}[.)]\s|[-+*]\s|#{1,6}\s|>|={3,}|-{3,}|`{3,}|~{3,})")


def _block_markdown(block: Block, lines: list[Line]) -> str:
    """One block as a line of clean Markdown (its lines joined; list marker kept)."""
    text = " ".join(line.markdown for line in lines if line.markdown)
    if block.kind == "code":
        text = _escape_text(" ".join(line.text for line in lines))
    if block.kind == "ordered" and lines[0].index == 0:
        return f"{block.marker} {text}"
    if block.kind == "bullet" and lines[0].index == 0:
        return f"- {text}"
    if _MARKDOWN_START.match(text):
        text = "\\" + text
    return text


def _escape_text(text: str) -> str:
    """Escape Markdown punctuation in plain text (from code blocks)."""
    return re.sub(r"([\\`*_\[\]<>#|])", r"\\\1", text)


def continues_sentence(previous: str, following: Block) -> bool:
    """Whether ``following`` is the rest of ``previous``'s sentence, split by a page break.

    The previous paragraph ends without terminal punctuation, and the next one
    is a plain paragraph that starts in lower case or with a digit, or the
    previous one ends on a comma or dash or leaves a bracket or quote open.
    """
    if following.kind not in ("paragraph", "code"):
        return False
    end = previous.rstrip(" *_")
    if not end or end[-1] in TERMINAL or end.endswith("./."):
        return False
    first = following.lines[0].text.lstrip(' "“‘(*_')[:1]
    if first.islower() or first.isdigit():
        return True
    if end[-1] in ",-–(":
        return True
    return previous.count("(") > previous.count(")") or previous.count("“") > previous.count("”")


def render_body(blocks: list[Block], start: tuple[int, int], end: int) -> tuple[str, list[str]]:
    """The body as Markdown paragraphs (page-break splits joined), and its plain text per paragraph."""
    pieces: list[tuple[str, str]] = []  # (markdown, plain)
    for number in range(start[0], end):
        block = blocks[number]
        lines = [line for line in block.lines if number != start[0] or line.index >= start[1]]
        if not lines:
            continue
        markdown = _block_markdown(block, lines)
        plain = " ".join(line.text for line in lines)
        if pieces and continues_sentence(pieces[-1][1], Block(block.kind, lines, block.marker)):
            last_md, last_plain = pieces[-1]
            pieces[-1] = (f"{last_md} {markdown.removeprefix(chr(92))}", f"{last_plain} {plain}")
        else:
            pieces.append((markdown, plain))
    return "\n\n".join(md for md, _ in pieces), [plain for _, plain in pieces]
