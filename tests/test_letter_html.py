"""Letter bodies rendered by ``builder.publish.letter_html`` (markdown-it-py): the same rules as the
Python-Markdown path had (``builder.publish.safe_markdown``): raw HTML as text, only web, mail and
relative links, images as their alternative text; tables, "- " lists and numbered
paragraphs kept as printed. Input/expected tables plus a property test on hostile text."""

from __future__ import annotations

import html
from html.parser import HTMLParser

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from builder.publish.letter_html import body_html, markdown_html
from builder.publish.safe_markdown import is_safe_url


@pytest.mark.parametrize(
    ("body", "expected"),
    [
        ("5. Giao UBND\n\n- một\n- hai", "<p>5. Giao UBND</p>\n<ul>\n<li>một</li>\n<li>hai</li>\n</ul>\n"),
        ("1. Một\n\n2. Hai", "<p>1. Một</p>\n<p>2. Hai</p>\n"),
        ("2021. Năm", "<p>2021. Năm</p>\n"),
        ("3) Ba", "<p>3) Ba</p>\n"),
        ("   4. Thụt ba dấu cách", "<p>4. Thụt ba dấu cách</p>\n"),
        ("a) Mục a", "<p>a) Mục a</p>\n"),
        ("Câu 1. không đổi", "<p>Câu 1. không đổi</p>\n"),
    ],
)
def test_section_numbers_stay_as_printed(body: str, expected: str) -> None:
    """A section number is text of the letter, not a list marker the browser draws (or renumbers)."""
    assert body_html(body) == expected


def test_dash_items_are_a_list() -> None:
    out = body_html("Gửi các đơn vị:\n\n- Phòng Y tế;\n- UBND các xã.")
    assert "<ul>\n<li>Phòng Y tế;</li>\n<li>UBND các xã.</li>\n</ul>" in out


def test_tables_are_tables_and_their_cells_escaped() -> None:
    out = body_html("| STT | Đơn vị |\n|---|---|\n| 1 | Phòng <b>Y tế</b> |\n| 2 | UBND xã |")
    assert "<table>" in out and "<th>STT</th>" in out and "<th>Đơn vị</th>" in out
    assert "<td>Phòng &lt;b&gt;Y tế&lt;/b&gt;</td>" in out and "<td>UBND xã</td>" in out
    assert out.count("<tr>") == 3


def test_emphasis_and_line_breaks() -> None:
    assert body_html('"*Chống dịch*" là **trách nhiệm**') == (
        "<p>&quot;<em>Chống dịch</em>&quot; là <strong>trách nhiệm</strong></p>\n"
    )
    assert body_html("dòng một  \ndòng hai") == "<p>dòng một<br />\ndòng hai</p>\n"


@pytest.mark.parametrize(
    ("body", "shown"),
    [
        ("<script>window.__xss=1</script>", "&lt;script&gt;window.__xss=1&lt;/script&gt;"),
        ('<img src=x onerror="window.__xss=2">', "&lt;img src=x onerror=&quot;window.__xss=2&quot;&gt;"),
        ("<div>\nkhối\n</div>", "&lt;div&gt;"),
        ("<!-- chú thích -->", "&lt;!-- chú thích --&gt;"),
        ('<a href="javascript:x()">bấm</a>', "&lt;a href=&quot;javascript:x()&quot;&gt;bấm&lt;/a&gt;"),
    ],
)
def test_raw_html_is_shown_as_text(body: str, shown: str) -> None:
    out = body_html(body)
    assert shown in out
    assert "<script" not in out and "<img" not in out and "<div" not in out and "<a " not in out


@pytest.mark.parametrize(
    "body",
    [
        "[bấm](javascript:window.__xss=1)",
        "[bấm](JaVaScRiPt:window.__xss=1)",
        "[bấm](&#106;avascript:window.__xss=1)",
        "[bấm](<java\tscript:window.__xss=1>)",
        "[bấm](data:text/html,<script>x</script>)",
        "[bấm](vbscript:msgbox)",
        "[bấm][r]\n\n[r]: javascript:window.__xss=1",
        "<javascript:window.__xss=1>",
        "![ảnh](javascript:window.__xss=1)",
    ],
)
def test_unsafe_links_stay_text(body: str) -> None:
    out = body_html(body)
    assert "bấm" in out or "ảnh" in out or "window.__xss" in out, "the text is still shown"
    for href in _links(out):
        assert is_safe_url(html.unescape(href)), href
    assert "<a " not in out or "javascript" not in out.lower()


@pytest.mark.parametrize(
    ("body", "href"),
    [
        ("[Cổng](https://chinhphu.vn/)", "https://chinhphu.vn/"),
        ("[thư](mailto:vanthu@example.org)", "mailto:vanthu@example.org"),
        ("[văn bản](../van-ban/)", "../van-ban/"),
        ("<https://example.org/a>", "https://example.org/a"),
    ],
)
def test_safe_links_are_links(body: str, href: str) -> None:
    assert _links(body_html(body)) == [href]


def test_images_are_their_alternative_text() -> None:
    out = body_html("Xem ![sơ đồ <b>vị trí</b>](https://tracker.example/x.png) bên dưới")
    assert out == "<p>Xem <span>sơ đồ &lt;b&gt;vị trí&lt;/b&gt;</span> bên dưới</p>\n"


def test_markdown_html_is_body_html_without_the_number_rule() -> None:
    assert markdown_html("5. Năm") == '<ol start="5">\n<li>Năm</li>\n</ol>\n'
    assert body_html("5. Năm") == "<p>5. Năm</p>\n"


# --- whatever a letter contains, nothing but safe markup comes out ------------------------------

ALLOWED = {
    "p": set(),
    "br": set(),
    "hr": set(),
    "em": set(),
    "strong": set(),
    "code": {"class"},
    "pre": set(),
    "blockquote": set(),
    "ul": set(),
    "ol": {"start"},
    "li": set(),
    "h1": set(),
    "h2": set(),
    "h3": set(),
    "h4": set(),
    "h5": set(),
    "h6": set(),
    "table": set(),
    "thead": set(),
    "tbody": set(),
    "tr": set(),
    "th": {"style"},
    "td": {"style"},
    "span": set(),
    "a": {"href", "title"},
}


class _Markup(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.problems: list[str] = []
        self.hrefs: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag not in ALLOWED:
            self.problems.append(f"<{tag}>")
            return
        for name, value in attrs:
            if name not in ALLOWED[tag]:
                self.problems.append(f"<{tag} {name}>")
            elif name == "href":
                self.hrefs.append(value or "")
            elif name in ("style", "class") and not (value or "").replace("-", "").replace(":", "").isalnum():
                self.problems.append(f"<{tag} {name}={value!r}>")

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.handle_starttag(tag, attrs)


def _links(out: str) -> list[str]:
    parser = _Markup()
    parser.feed(out)
    parser.close()
    return parser.hrefs


FRAGMENTS = [
    "<script>window.__xss=1</script>",
    "<img src=x onerror=window.__xss=2>",
    "<svg onload=window.__xss=3>",
    "<a href='javascript:window.__xss=4'>x</a>",
    "[a](javascript:window.__xss=5)",
    "[a](java\tscript:x)",
    "[a](<java script:x>)",
    "[a](&#x6A;avascript:x)",
    "[a](%6Aavascript:x)",
    "![a](x.png)",
    "![a](javascript:x)",
    "[a][r]",
    "\n[r]: javascript:x\n",
    "<javascript:x>",
    "<https://ok.example/>",
    "[ok](https://ok.example/)",
    "```js\n",
    "\n| a | b |\n|---|---|\n| <b> | c |\n",
    "\n- ",
    "\n5. ",
    "\n# ",
    "*",
    "**",
    "`",
    "\\",
    "&amp;",
    "&#0;",
    "\n\n",
    "    ",
    " chữ ",
    '"',
    "'",
    "<",
    ">",
]


@settings(max_examples=300, deadline=None)
@given(st.lists(st.sampled_from(FRAGMENTS) | st.text(max_size=8), max_size=25))
def test_any_letter_body_renders_only_safe_markup(parts: list[str]) -> None:
    parser = _Markup()
    parser.feed(body_html("".join(parts)))
    parser.close()
    assert parser.problems == []
    for href in parser.hrefs:
        assert is_safe_url(href), href
