"""Graded relevance: queries of the kinds citizens type, judged from what the letters are.

Every judgment comes from the corpus manifest (``bench-manifest.json``: each generated letter's
number, type, issuer, date, signer, subject, topic and what it cites) and from the real letters'
answer key (``/work/shared/real-letters/cases.json``), never from any engine's output:

- 2 = the letter sought (the letter with that number; the letters issued that day, signed by
  that person, issued by that body; the letters whose subject holds the words typed);
- 1 = relevant (a letter citing the one sought; a letter on the same topic);
- 0 = everything else.

The engines run every query in one page each, once their index is loaded (the cold figures are
``benchmarks.browser``'s); their first ten are scored with nDCG@10 (gain 2^grade − 1), success@1
(the first result is graded 2) and the reciprocal rank of the first letter graded 2.
"""

from __future__ import annotations

import json
import math
import re
import shutil
import tempfile
import unicodedata
from collections.abc import Callable
from pathlib import Path
from random import Random
from typing import Any

REAL_LETTERS = Path("/work/shared/real-letters")
REAL_DIR = "real"
"""Where the real letters go under the generated project's ``content/``."""
TOP = 10


def fold_words(text: str) -> list[str]:
    """Lower-case syllables without marks (đ→d): how a subject is matched against the words typed."""
    stripped = "".join(c for c in unicodedata.normalize("NFD", text) if not unicodedata.combining(c))
    stripped = stripped.replace("đ", "d").replace("Đ", "D").lower()
    return re.findall(r"[^\W_]+", stripped)


def _contains(words: list[str], fragment: list[str]) -> bool:
    n = len(fragment)
    return any(words[i : i + n] == fragment for i in range(len(words) - n + 1))


def add_real_letters(project: Path) -> list[str]:
    """Copy into ``content/real/`` the real letters the portal accepts (those its reader
    refuses with an error, a few stubs without a number or a header, would fail the build)."""
    from builder.archive.read import read_archive

    target = project / "content" / REAL_DIR
    with tempfile.TemporaryDirectory() as temp:
        trial = Path(temp) / "content"
        shutil.copytree(project / "content", trial, ignore=shutil.ignore_patterns("*.txt"))
        shutil.copytree(REAL_LETTERS / "letters", trial / REAL_DIR)
        refused = {Path(d.path).name for d in read_archive(trial).errors}
    target.mkdir(parents=True, exist_ok=True)
    kept = []
    for path in sorted((REAL_LETTERS / "letters").glob("*.txt")):
        if path.name not in refused:
            shutil.copy(path, target / path.name)
            kept.append(path.name)
    return kept


def real_cases() -> dict[str, dict]:
    return json.loads((REAL_LETTERS / "cases.json").read_text(encoding="utf-8"))


TONE_MARKS = "\u0300\u0301\u0303\u0309\u0323"


def _drop_one_tone(text: str, rng: Random) -> str:
    """A typing slip: one syllable's tone mark left out."""
    words = text.split(" ")
    marked = [
        i
        for i, w in enumerate(words)
        if any(unicodedata.combining(c) for c in unicodedata.normalize("NFD", w))
    ]
    if not marked:
        return text
    i = rng.choice(marked)
    nfd = unicodedata.normalize("NFD", words[i])
    words[i] = unicodedata.normalize(
        "NFC", "".join(c for c in nfd if c not in "\u0300\u0301\u0303\u0309\u0323")
    )
    return " ".join(words)


def _plain(text: str) -> str:
    return " ".join(fold_words(text))


def relevance_queries(
    manifest: dict, ids: dict[str, str], cases: dict[str, dict], seed: int = 17
) -> list[dict]:
    """The graded query set: ``{"q", "kind", "known" (a known-item query), "grades": {id: grade}}``."""
    rng = Random(seed)
    letters = [e for e in manifest["letters"] if e["file"] in ids]
    by_file = {e["file"]: e for e in letters}
    cited_by: dict[str, list[str]] = {}
    for entry in letters:
        for cited in entry["cites_files"]:
            cited_by.setdefault(cited, []).append(entry["file"])
    real = {name: case for name, case in cases.items() if name in ids}
    queries: list[dict] = []

    def add(q: str, kind: str, sought: list[str], relevant: list[str] = (), known: bool = False) -> None:
        grades = {ids[f]: 1 for f in relevant if f in ids}
        grades.update({ids[f]: 2 for f in sought if f in ids})
        if any(grade == 2 for grade in grades.values()):
            queries.append({"q": q, "kind": kind, "known": known, "grades": grades})

    def numbered(entry_number: str) -> list[str]:
        own = [e["file"] for e in letters if e["so_ky_hieu"] == entry_number]
        own += [name for name, case in real.items() if (case.get("so_ky_hieu") or "") == entry_number]
        return own

    def citing(files: list[str]) -> list[str]:
        return [c for f in files for c in cited_by.get(f, [])]

    # Numbers: the whole number, typed loosely, and partly.
    with_number = [e for e in letters if e["so_ky_hieu"] and int(re.split(r"[/-]", e["so_ky_hieu"])[0]) >= 20]
    for entry in rng.sample(with_number, 15):
        number = entry["so_ky_hieu"]
        own = numbered(number)
        add(number, "number", own, citing(own), known=len(own) == 1)
        add(re.sub(r"[/-]", " ", _plain(number)), "number", own, citing(own), known=len(own) == 1)
        digits, symbol = number.split("/", 1) if "/" in number else number.split("-", 1)
        partial = f"{digits}/{re.split(r'[-/]', symbol)[0]}"
        same = [e["file"] for e in letters if (e["so_ky_hieu"] or "").startswith(partial)]
        add(partial, "partial number", same, citing(same))
    # A kind of letter and its number, accented and not.
    kinds = [e for e in with_number if e["type"] != "Công văn" or rng.random() < 0.3]
    for n, entry in enumerate(rng.sample(kinds, 12)):
        digits = re.split(r"[/-]", entry["so_ky_hieu"])[0]
        own = [
            e["file"]
            for e in letters
            if e["type"] == entry["type"] and re.split(r"[/-]", e["so_ky_hieu"] or "x")[0] == digits
        ]
        q = f"{entry['type'].lower()} {digits}"
        add(q if n % 2 else _plain(q), "type and number", own, citing(own))
    # Dates, written two ways.
    dated = [e for e in letters if re.fullmatch(r"\d{4}-\d\d-\d\d", e["date"] or "")]
    for n, entry in enumerate(rng.sample(dated, 10)):
        year, month, day = (int(p) for p in entry["date"].split("-"))
        same_day = [e["file"] for e in dated if e["date"] == entry["date"]]
        add(f"{day}/{month}/{year}", "date", same_day)
        add(
            f"ngày {day} tháng {month} năm {year}" if n % 2 else f"ngay {day} thang {month} nam {year}",
            "date",
            same_day,
        )
    # Signers, with and without accents.
    signers = sorted({e["signer"] for e in letters if e["signer"]})
    for name in rng.sample(signers, 10):
        signed = [e["file"] for e in letters if e["signer"] == name]
        add(name, "signer", signed)
        add(_plain(name), "signer", signed)
    # Issuers, by full name and by the short form letters cite them by.
    issuers = sorted({(e["issuer"], e["issuer_short"]) for e in letters})
    for full, short in rng.sample(issuers, 8):
        own = [e["file"] for e in letters if e["issuer"] == full]
        add(full, "issuer", own, citing(own))
        add(_plain(short), "issuer", own, citing(own))
    # Words of a subject: as typed with accents, without, with a tone left out.
    subjects = [e for e in letters if len(e["subject"].split()) >= 8]
    for n, entry in enumerate(rng.sample(subjects, 40)):
        words = entry["subject"].replace(",", "").split()
        start = rng.randrange(0, len(words) - 5)
        fragment = " ".join(words[start : start + rng.choice((4, 5, 6))])
        wanted = fold_words(fragment)
        holding = [e["file"] for e in letters if _contains(fold_words(e["subject"]), wanted)]
        topic = [e["file"] for e in letters if e["topic"] == entry["topic"]][:200]
        typed = (fragment, _plain(fragment), _drop_one_tone(fragment, rng))[n % 3]
        kind = ("subject words", "subject words, no accents", "subject words, a tone missed")[n % 3]
        add(typed, kind, holding, topic, known=len(holding) == 1)
    # The real letters: by number and by words of their subject.
    for n, (_name, case) in enumerate(sorted(real.items())):
        if case.get("so_ky_hieu"):
            own = numbered(case["so_ky_hieu"])
            add(case["so_ky_hieu"], "real: number", own, known=len(own) == 1)
        subject = case.get("trich_yeu") or ""
        words = subject.replace(",", "").split()
        if len(words) >= 5:
            fragment = " ".join(words[:6])
            wanted = fold_words(fragment)
            holding = [f for f, c in real.items() if _contains(fold_words(c.get("trich_yeu") or ""), wanted)]
            holding += [e["file"] for e in letters if _contains(fold_words(e["subject"]), wanted)]
            add(
                fragment if n % 2 else _plain(fragment),
                "real: subject words",
                holding,
                known=len(holding) == 1,
            )
    del by_file
    return queries


# --------------------------------------------------------------------------- scoring


def ndcg(top: list[str], grades: dict[str, int]) -> float:
    gains = [2 ** grades.get(i, 0) - 1 for i in top[:TOP]]
    ideal = sorted((2**g - 1 for g in grades.values()), reverse=True)[:TOP]
    dcg = sum(g / math.log2(r + 2) for r, g in enumerate(gains))
    best = sum(g / math.log2(r + 2) for r, g in enumerate(ideal))
    return dcg / best if best else 0.0


def first_sought(top: list[str], grades: dict[str, int]) -> int | None:
    """Rank (1-based) of the first letter graded 2 in the first ten."""
    return next((r + 1 for r, i in enumerate(top[:TOP]) if grades.get(i) == 2), None)


def score(queries: list[dict], tops: dict[str, dict[str, list[str]]]) -> dict[str, dict[str, Any]]:
    """Per engine: nDCG@10, success@1 (all, known-item), MRR, and per query figures."""
    out: dict[str, dict[str, Any]] = {}
    for engine, by_query in tops.items():
        rows = []
        for query in queries:
            top = by_query.get(query["q"], [])
            rank = first_sought(top, query["grades"])
            rows.append({"q": query["q"], "ndcg": ndcg(top, query["grades"]), "rank": rank})
        known = [row for row, query in zip(rows, queries, strict=True) if query["known"]]
        out[engine] = {
            "ndcg10": sum(r["ndcg"] for r in rows) / len(rows),
            "success1": sum(r["rank"] == 1 for r in rows) / len(rows),
            "success1_known": sum(r["rank"] == 1 for r in known) / len(known) if known else None,
            "known": len(known),
            "mrr": sum(1 / r["rank"] for r in rows if r["rank"]) / len(rows),
            "rows": rows,
        }
    return out


# --------------------------------------------------------------------------- running


def top_tens(
    engines: list, queries: list[str], log: Callable[[str], None] = print
) -> dict[str, dict[str, list[str]]]:
    """Each engine's first ten for every query, run in one page once its index is loaded."""
    from playwright.sync_api import sync_playwright

    from benchmarks import browser as bench_browser

    tops: dict[str, dict[str, list[str]]] = {}
    with sync_playwright() as playwright:
        chromium = bench_browser.launch(playwright)
        for engine in engines:
            tops[engine.name] = {}
            context = chromium.new_context(viewport={"width": 1280, "height": 800}, locale="vi-VN")
            context.set_default_timeout(bench_browser.RESULT_TIMEOUT_MS)
            page = context.new_page()
            engine.open(page, queries[0])
            engine.wait_results(page)
            for n, query in enumerate(queries):
                result = bench_browser.QueryResult(engine.name, query)
                try:
                    engine.warm(page, query)
                    engine.collect(page, result)
                except Exception as error:  # one query's failure is a miss, not the run's end
                    log(f"  {engine.name}: {query!r}: {type(error).__name__}")
                    page = context.new_page()
                    engine.open(page, query)
                    engine.wait_results(page)
                    engine.collect(page, result)
                tops[engine.name][query] = result.top
                if n % 25 == 0:
                    log(f"  {engine.name:9} relevance {n}/{len(queries)}")
            context.close()
        chromium.close()
    return tops


def tables(queries: list[dict], scores: dict[str, dict[str, Any]]) -> str:
    """Markdown: the summary per engine, by kind, and the per-query table."""
    engines = list(scores)
    lines = [
        f"Graded relevance: {len(queries)} queries ({sum(q['known'] for q in queries)} known-item), "
        "judged from the manifest and the real letters' key (`benchmarks/relevance.py`).",
        "",
        "| engine | nDCG@10 | success@1 | success@1, known-item | MRR |",
        "|---|--:|--:|--:|--:|",
    ]
    for engine in engines:
        s = scores[engine]
        known = "—" if s["success1_known"] is None else f"{s['success1_known']:.1%}"
        lines.append(f"| {engine} | {s['ndcg10']:.3f} | {s['success1']:.1%} | {known} | {s['mrr']:.3f} |")
    kinds = list(dict.fromkeys(q["kind"] for q in queries))
    lines += ["", "| kind | queries | " + " | ".join(f"nDCG@10 {e}" for e in engines) + " |"]
    lines.append("|---|--:|" + "--:|" * len(engines))
    for kind in kinds:
        picked = [i for i, q in enumerate(queries) if q["kind"] == kind]
        values = [sum(scores[e]["rows"][i]["ndcg"] for i in picked) / len(picked) for e in engines]
        lines.append(f"| {kind} | {len(picked)} | " + " | ".join(f"{v:.3f}" for v in values) + " |")
    lines += [
        "",
        "<details><summary>Every query: nDCG@10 and the rank of the first letter sought"
        " (✗: not in the first ten)</summary>",
        "",
        "| query | kind | judged 2/1 | " + " | ".join(engines) + " |",
        "|---|---|--:|" + "---|" * len(engines),
    ]
    for i, query in enumerate(queries):
        grades = list(query["grades"].values())
        cells = []
        for engine in engines:
            row = scores[engine]["rows"][i]
            cells.append(f"{row['ndcg']:.2f} {'#' + str(row['rank']) if row['rank'] else '✗'}")
        q = query["q"].replace("|", "\\|")
        lines.append(
            f"| `{q}` | {query['kind']} | {grades.count(2)}/{grades.count(1)} | " + " | ".join(cells) + " |"
        )
    lines += ["", "</details>"]
    return "\n".join(lines)
