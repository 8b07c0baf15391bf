"""The browser's analyzer is the Python analyzer: same canonical text, same terms, same clauses.

Node runs ``vietnamese.js`` and ``analysis.js`` (the files the site serves, unchanged)
over the seeds and thousands of generated strings; every output must equal
Python's exactly. Characters first assigned after Python's Unicode version
(14.0 for Python 3.11) are left out: their categories differ by definition.
"""

from __future__ import annotations

import json
import random
import shutil
import subprocess
import sys
import unicodedata
from pathlib import Path
from typing import Any

import pytest

from builder.search.analysis import analyze_document, analyze_query
from builder.search.ranking import QUERY_WEIGHTS
from builder.search.tokens import is_token_char
from builder.text.vietnamese import canonical, canonical_key, fold, published

REPO = Path(__file__).resolve().parent.parent
JS_DIR = REPO / "site_theme" / "assets" / "javascripts"
SEEDS = sorted((REPO / "content").glob("*.txt"))

RUNNER = """
import * as V from "%(js)s/vietnamese.js";
import * as A from "%(js)s/analysis.js";
const chunks = [];
for await (const chunk of process.stdin) chunks.push(chunk);
const input = JSON.parse(Buffer.concat(chunks).toString("utf8"));
const out = {
  strings: input.strings.map((s) => {
    const q = A.analyzeQuery(s, input.weights);
    return {
      published: V.published(s), canonical: V.canonical(s), canonical_key: V.canonicalKey(s),
      fold: V.fold(s), document: A.analyzeDocument(s),
      query: { groups: q.groups, weights: Object.fromEntries(q.weights), highlight: q.highlight },
    };
  }),
  token_chars: input.code_points.filter((c) => A.TOKEN_CHAR.test(String.fromCodePoint(c))),
};
process.stdout.write(JSON.stringify(out));
"""

ONSETS = ["", "b", "c", "ch", "d", "đ", "g", "gh", "gi", "h", "k", "kh", "l", "m", "n", "ng", "ngh", "nh"]
ONSETS += ["p", "ph", "qu", "r", "s", "t", "th", "tr", "v", "x", "Đ", "Qu", "Ngh", "TH"]
NUCLEI = ["a", "ă", "â", "e", "ê", "i", "o", "ô", "ơ", "u", "ư", "y", "oa", "oe", "uy", "uê", "ia", "iê"]
NUCLEI += [
    "ua",
    "uô",
    "ưa",
    "ươ",
    "oai",
    "uyê",
    "ươi",
    "uôi",
    "ay",
    "ây",
    "ao",
    "au",
    "âu",
    "eo",
    "oă",
    "UY",
    "OA",
]
CODAS = ["", "", "", "c", "ch", "m", "n", "ng", "nh", "p", "t", "i", "o", "u", "y"]
TONES = ["", "\u0300", "\u0301", "\u0303", "\u0309", "\u0323"]
PUNCT = [
    " ",
    " ",
    " ",
    ", ",
    ". ",
    "; ",
    ": ",
    "\n",
    "\n\n",
    " - ",
    "-",
    " – ",
    "/",
    "(",
    ") ",
    '"',
    "“",
    "”",
]
PUNCT += ["!", "?", "...", "*", "**", "_", "&", "\u00a0", "\u200b", "\u00ad", "\t", "'", "+"]
LOOK_ALIKES = [
    "Ð",
    "ð",
    "Ɖ",
    "ɖ",
    "\u2013",
    "\u2014",
    "\u2212",
    "\u2044",
    "\uff0f",
    "\u3000",
    "\u2009",
    "\ufeff",
    "\u202e",
    "\u2066",
    "\u200e",
    "\u061c",
    "\ufffe",
    "\ufdd0",
]
WORDS = ["UBND", "ubnd", "HĐND", "hdnd", "BCĐ", "BCD", "TTg", "CP", "TTYT", "MTTQ", "V/v", "v/v", "CV", "cv"]
WORDS += [
    "vắc xin",
    "vắc-xin",
    "vaccine",
    "vacxin",
    "vi rút",
    "virus",
    "quy",
    "qui",
    "quý",
    "quí",
    "lý",
    "lí",
]
WORDS += [
    "Chỉ thị số",
    "chi thi",
    "công văn",
    "Nghị quyết",
    "16",
    "2642",
    "16/CT-TTg",
    "325-CV/TU",
    "QĐi",
    "năm",
]
WORDS += [
    "kế hoạch 2024",
    "Công văn số 1999",
    "PCCC",
    "UBMTTQ",
    "ATTP",
    "GPMB",
    "THCS",
    "BCĐ",
    "117/2020/NĐ-CP",
    "2642/UBND-VX",
    "5 năm",
]
WORDS += ["kỹ", "kĩ", "Mỹ", "Mĩ", "Covid-19", "SARS-CoV-2", "F0", "5K", "covid19", "ngày", "tháng", "năm"]
WORDS += [
    "Số:",
    "số",
    "Cộng hòa",
    "CỘNG HOÀ",
    "Ủy ban",
    "UỶ BAN",
    "Tỉnh uỷ",
    "hoà",
    "khoẻ",
    "thuỷ",
    "qúy",
    "tòan",
]


def _syllable(rng: random.Random) -> str:
    onset, nucleus, coda = rng.choice(ONSETS), rng.choice(NUCLEI), rng.choice(CODAS)
    text = unicodedata.normalize("NFD", onset + nucleus + coda)
    tone = rng.choice(TONES)
    if tone:
        positions = [i for i, ch in enumerate(text) if ch.lower() in "aeiouy"] or [len(text) - 1]
        at = rng.choice(positions) + 1
        while at < len(text) and unicodedata.combining(text[at]):
            at += 1
        text = text[:at] + tone + text[at:] if rng.random() < 0.8 else text[:at] + text[at:] + tone
    if rng.random() < 0.2:
        text = text.upper()
    return text if rng.random() < 0.3 else unicodedata.normalize("NFC", text)


def _number(rng: random.Random) -> str:
    n = str(rng.randint(0, 3000)).zfill(rng.choice([1, 1, 2, 3]))
    symbol = rng.choice(["UBND-VX", "ubnd-vx", "UBND – VP", "CĐ-TTg", "CD-TTg", "NQ-CP", "TB/TU", "KH-UBND"])
    forms = [
        f"{n}/{symbol}",
        f"{n}/{rng.randint(1990, 2030)}/{rng.choice(['NĐ-CP', 'ND-CP', 'TT-BYT', 'QĐ-UBND'])}",
        f"{n}-{rng.choice(['CV', 'TB', 'KH'])}/{rng.choice(['TU', 'HU', 'ĐU'])}",
        f"{n} {symbol.replace('-', ' ')}",
        f"Số: /{symbol}",
        f"{n}/ {symbol}",
    ]
    return rng.choice(forms)


def _date(rng: random.Random) -> str:
    d, m, y = (
        rng.randint(0, 33),
        rng.randint(0, 13),
        rng.choice([rng.randint(1990, 2030), rng.randint(0, 99999)]),
    )
    sep = rng.choice(["/", "-", ".", " / "])
    forms = [
        f"{d}{sep}{m}{sep}{y}",
        f"{d:02d}/{m:02d}/{y}",
        f"ngày {d} tháng {m} năm {y}",
        f"Ngay {d} thang {m} nam {y}",
        f"tháng {m} năm {y}",
        f"{m}/{y}",
        f"ngày  tháng {m} năm {y}",
        f"{d}/{m}",
    ]
    return rng.choice(forms)


def _odd_char(rng: random.Random) -> str:
    while True:
        code = rng.choice([rng.randint(0x20, 0x2FF), rng.randint(0x300, 0x36F), rng.randint(0x370, 0x33FF)])
        code = rng.choice([code, rng.randint(0, 0x2FFFF)])
        ch = chr(code)
        if unicodedata.category(ch) not in ("Cn", "Cs"):
            return ch


def _generated(count: int, seed: int = 20240) -> list[str]:
    rng = random.Random(seed)
    makers = [_syllable] * 10 + [_number, _date] + [lambda r: r.choice(WORDS)] * 3
    makers += [lambda r: r.choice(LOOK_ALIKES), _odd_char]
    strings = []
    for _ in range(count):
        parts = []
        for _ in range(rng.randint(1, 14)):
            parts.append(rng.choice(makers)(rng))
            parts.append(rng.choice(PUNCT))
        text = "".join(parts)
        if rng.random() < 0.3:
            text = '"' + text
        if rng.random() < 0.2:
            text = unicodedata.normalize("NFD", text)
        strings.append(text)
    return strings


def _python(text: str) -> dict[str, object]:
    query = analyze_query(text)
    return {
        "published": published(text),
        "canonical": canonical(text),
        "canonical_key": canonical_key(text),
        "fold": fold(text),
        "document": analyze_document(text),
        "query": {"groups": query.groups, "weights": query.weights, "highlight": query.highlight},
    }


def _node(runner_source: str, payload: object, tmp_path: Path) -> Any:
    """Runs ``runner_source`` (a module importing the site's scripts from ``%(js)s``) with
    ``payload`` as JSON on its standard input; its standard output read as JSON."""
    if not shutil.which("node"):
        pytest.fail("node not found: apt-get install nodejs")
    # The site serves the modules as plain .js; a package.json marking them as ES modules lets every
    # Node version (Debian 12's 18 too) import the very same files without flags.
    modules = tmp_path / "js"
    if not modules.exists():
        shutil.copytree(JS_DIR, modules)
        (modules / "package.json").write_text('{"type": "module"}', encoding="utf-8")
    runner = tmp_path / "runner.mjs"
    runner.write_text(runner_source % {"js": modules.as_posix()}, encoding="utf-8")
    result = subprocess.run(
        ["node", "--no-warnings", str(runner)],
        input=json.dumps(payload).encode("utf-8"),
        capture_output=True,
        timeout=600,
    )
    assert result.returncode == 0, result.stderr.decode("utf-8", "replace")
    return json.loads(result.stdout)


def _run_node(strings: list[str], code_points: list[int], tmp_path: Path) -> dict[str, list]:
    payload = {"strings": strings, "code_points": code_points, "weights": QUERY_WEIGHTS}
    return _node(RUNNER, payload, tmp_path)


def _compare(strings: list[str], tmp_path: Path) -> None:
    node = _run_node(strings, [], tmp_path)["strings"]
    mismatches = []
    for text, js in zip(strings, node, strict=True):
        py = _python(text)
        for key in py:
            if py[key] != js[key]:
                mismatches.append((text, key, py[key], js[key]))
    assert not mismatches, f"{len(mismatches)} differences, first: {mismatches[0]!r}"


def test_seeds_give_identical_terms(tmp_path: Path) -> None:
    texts = [path.read_text(encoding="utf-8") for path in SEEDS]
    lines = [line for text in texts for line in text.splitlines() if line.strip()]
    assert len(texts) == 5
    _compare(texts + lines, tmp_path)


def test_generated_strings_give_identical_terms(tmp_path: Path) -> None:
    _compare(_generated(4000), tmp_path)


def test_queries_people_type_give_identical_clauses(tmp_path: Path) -> None:
    queries = [
        "phong chong dich",
        "phòng, chống dịch",
        "2642/ubnd-vx",
        "2642 ubnd vx",
        "cong van 2642",
        "117/2020/ND-CP",
        "325-CV/TU",
        "cộng hoà",
        "cộng hòa",
        "quyet dinh",
        "24-9-2021",
        "ngày 24 tháng 9 năm 2021",
        '"phòng chống dịch" Covid-19',
        "“vắc xin” vaccine",
        'UBND "tỉnh Lai Châu',
        "",
        "   ",
        '""',
    ]
    _compare(queries, tmp_path)


def test_word_characters_are_the_same_set(tmp_path: Path) -> None:
    """``[\\p{L}\\p{M}\\p{Nd}]`` in JS is exactly Python's category test, over every assigned code point."""
    code_points = [
        code for code in range(sys.maxunicode + 1) if unicodedata.category(chr(code)) not in ("Cn", "Cs")
    ]
    js = set(_run_node([], code_points, tmp_path)["token_chars"])
    py = {code for code in code_points if is_token_char(chr(code))}
    assert js == py, f"differ at {sorted(js ^ py)[:20]}"


KEY_RUNNER = """
import * as A from "%(js)s/analysis.js";
const chunks = [];
for await (const chunk of process.stdin) chunks.push(chunk);
const words = JSON.parse(Buffer.concat(chunks).toString("utf8"));
const syllable = /^[\\p{L}\\p{M}\\p{Nd}]+$/u;
const broken = [];
let keyed = 0;
let checked = 0;
for (const word of words) {
  const key = A.syllableKey(word);
  if (key === null || A.ABBREVIATION_KEYS.has(key)) continue;
  keyed += 1;
  for (const term of A.analyzeDocument(word)) {
    if (!syllable.test(term)) continue;
    checked += 1;
    if (A.syllableKey(term) !== key) broken.push([word, term, key, A.syllableKey(term)]);
  }
}
process.stdout.write(JSON.stringify({ keyed, checked, broken }));
"""


def test_a_word_holds_only_syllables_of_its_own_key(tmp_path: Path) -> None:
    """The search page analyses only the words whose ``syllableKey`` is a query syllable's (search.js
    ``matches``): sound only if every syllable a word's analysis makes has the word's key, for every
    word (seeds, generated syllables, look-alikes, decomposed text, odd code points)."""
    texts = [path.read_text(encoding="utf-8") for path in SEEDS] + _generated(4000, seed=7)
    texts += [unicodedata.normalize(form, " ".join(WORDS + LOOK_ALIKES)) for form in ("NFC", "NFD", "NFKD")]
    texts += [
        chr(code) for code in range(0x20, 0x3400) if unicodedata.category(chr(code)) not in ("Cn", "Cs")
    ]
    words = sorted({word for text in texts for word in _words(text)})
    out = _node(KEY_RUNNER, words, tmp_path)
    assert out["keyed"] > len(words) * 0.9 and out["checked"] >= out["keyed"], out
    assert not out["broken"], f"{len(out['broken'])} words, first: {out['broken'][:5]}"


def _words(text: str) -> list[str]:
    """The runs of word characters (search.js WORD_RUN, Python's is_token_char: the same set)."""
    return "".join(ch if is_token_char(ch) else " " for ch in text).split()


def test_hidden_characters_are_dropped_alike(tmp_path: Path) -> None:
    """Bidi controls and non-characters are dropped by both twins (a query pasted with a U+200E
    still finds the letter), and the Python set is the JavaScript set."""
    from builder.text.vietnamese import HIDDEN_BMP_CODES

    strings = [f"Ủy{chr(code)} ban {chr(code)}2642/UBND" for code in HIDDEN_BMP_CODES]
    _compare(strings, tmp_path)
    assert all(canonical(text) == "Ủy ban 2642/UBND" for text in strings)


DATES_RUNNER = """
import { dateShort } from "%(js)s/dates.js";
const chunks = [];
for await (const chunk of process.stdin) chunks.push(chunk);
process.stdout.write(JSON.stringify(JSON.parse(Buffer.concat(chunks).toString("utf8")).map(dateShort)));
"""


def test_dates_read_alike(tmp_path: Path) -> None:
    """The search page's results print a letter's date as its page, the lists and the feed do
    (``builder.text.dates.date_short`` and ``dates.js``): a draft's blank day or month too, which
    search.js once printed its own way ("tháng 09/2021", "2021")."""
    from builder.text.dates import date_short

    rng = random.Random(15)
    isos = ["2021-08-26", "2021-09", "2021", "2022-02-03", "1999-12-31"]
    for _ in range(500):
        year, month, day = rng.randint(1945, 2099), rng.randint(1, 12), rng.randint(1, 28)
        isos += [f"{year:04d}-{month:02d}-{day:02d}", f"{year:04d}-{month:02d}", f"{year:04d}"]
    printed = _node(DATES_RUNNER, isos, tmp_path)
    differences = [(iso, date_short(iso), js) for iso, js in zip(isos, printed, strict=True)]
    differences = [d for d in differences if d[1] != d[2]]
    assert not differences, f"{len(differences)} differences (iso, Python, JS), first: {differences[:3]}"


def test_date_forms_read_alike(tmp_path: Path) -> None:
    """Every form of the shared table's ``date_forms`` at its edges (separators mixed or spaced,
    a date that goes on, numbers out of range, dates side by side), and the same strings with the
    forms' parts shuffled: the same day and month terms in Python and in the browser."""
    from builder.search.tokens import DATE_FORMS

    edges = [
        "24/9/2021",
        "24-09-2021",
        "24.9.2021",
        "24/9-2021",
        "24 / 9 / 2021",
        "24//9//2021",
        "1/1/1000",
        "32/1/2021",
        "0/5/2021",
        "5/13/2021",
        "5/0/2021",
        "5/5/999",
        "5/5/3000",
        "001/5/2021",
        "5/5/20211",
        "ngày 24 tháng 9 năm 2021",
        "Ngày\t24\ttháng 9 năm 2021",
        "ngày 24, tháng 9 năm 2021",
        "ngày 24 tháng 9 năm 21",
        "ngày  tháng 9 năm 2021",
        "NGÀY 5 THÁNG 13 NĂM 2021",
        "ngay 31 thang 12 nam 2999",
        "tháng 9 năm 2021",
        "tháng 9, năm 2021",
        "tháng 09 năm 2021 và tháng 10 năm 2021",
        "tháng 0 năm 2021",
        "9/2021",
        "9/2021/NĐ-CP",
        "9/2021/",
        "9/2021-3",
        "09/2021 10/2021",
        "13/2021",
        "9 /2021",
        "9/2021.5",
        "24/9/2021/9/2021",
        "1/2/2021-3/4/2022",
        "ngày 24/9/2021",
        "tháng 9/2021",
        "Số 9/2021/QĐ-UBND ngày 1/2/2021",
        "ngay 24-9-2021",
        "ngày 24 / 9/2021",
        "ngày24/9/2021",
        "24 tháng 9 năm 2021",
        "24 thang 9 2021",
        "ngày 24 tháng 9 2021",
        "ngày 24 tháng 9 2021 năm",
        "tháng 9 2021",
        "tháng 9/2021/QĐ",
        "tháng 9.2021",
        "tháng 9 / 2021",
        "tháng 9/ 2021",
        "2021-09-24",
        "2021-9-24",
        "2021-09-24-1",
        "2021/09/24",
        "2021-13-01",
        "2021-2025",
    ]
    assert len(DATE_FORMS) == 11
    rng = random.Random(17)
    words = [
        w for text in edges for w in text.replace("/", " / ").replace("-", " - ").replace(".", " . ").split()
    ]
    shuffled = [" ".join(rng.choice(words) for _ in range(rng.randint(2, 9))) for _ in range(1500)]
    terms = {term for text in edges for term in analyze_document(text) if term.startswith("@")}
    assert {"@2021-09-24", "@2021-09", "@1000-01-01", "@2999-12-31"} <= terms
    _compare(edges + shuffled, tmp_path)
