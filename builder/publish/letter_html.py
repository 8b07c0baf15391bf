"""A letter's body as HTML, made with markdown-it-py when its page is written.

Letter pages are most of the site. Rendering their bodies through MkDocs'
Python-Markdown made MkDocs convert every letter before writing any page and
keep all that HTML until the end of the build (memory growing with the
archive); this renderer is called by the site plugin for one page at a time
and its result is dropped once the page is written.

It follows the same rules as ``builder.publish.safe_markdown`` (which still serves the
hand-written pages): raw HTML is shown as text, links keep only the schemes
``is_safe_url`` allows (one implementation of the rule; any other link stays
plain text), images are shown as their alternative text. Tables ("|" rows)
and "- " lists are Markdown as usual; numbered paragraphs keep their numbers as
printed (``wording.body_markdown``).
"""

from __future__ import annotations

from collections.abc import Sequence

from markdown_it import MarkdownIt
from markdown_it.common.utils import escapeHtml
from markdown_it.renderer import RendererHTML
from markdown_it.token import Token
from markdown_it.utils import EnvType, OptionsDict

from builder.publish.safe_markdown import is_safe_url
from builder.publish.wording import body_markdown


def _image_as_text(
    self: RendererHTML, tokens: Sequence[Token], idx: int, options: OptionsDict, env: EnvType
) -> str:
    """An image becomes its alternative text (letters have none; remote ones would track readers)."""
    alt = self.renderInlineAsText(tokens[idx].children, options, env)
    return f"<span>{escapeHtml(alt)}</span>"


def _renderer() -> MarkdownIt:
    md = MarkdownIt("commonmark", {"html": False}).enable("table")
    md.validateLink = is_safe_url  # type: ignore[method-assign]
    md.add_render_rule("image", _image_as_text)
    return md


_MARKDOWN = _renderer()


def markdown_html(markdown: str) -> str:
    """Letter Markdown to safe HTML (see the module docstring)."""
    return _MARKDOWN.render(markdown)


def body_html(body: str) -> str:
    """A letter's body (``Letter.noi_dung``) as the HTML its page shows."""
    return markdown_html(body_markdown(body))


def body_html_parts(body: str) -> tuple[str, str]:
    """``body_html(body)`` in two: all but the last block, and the last block (paragraph, list,
    table …). The page prints the last one in one box with the signature, so a printed letter never
    ends with the signature alone on its last page (Chromium keeps a box whole, where it ignores
    ``break-after: avoid`` between a paragraph and what follows)."""
    tokens = _MARKDOWN.parse(body_markdown(body))
    starts = [i for i, token in enumerate(tokens) if token.level == 0 and token.nesting >= 0]
    cut = starts[-1] if starts else len(tokens)
    render = _MARKDOWN.renderer.render
    return render(tokens[:cut], _MARKDOWN.options, {}), render(tokens[cut:], _MARKDOWN.options, {})
