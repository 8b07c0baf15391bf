"""Does the browser index rank as whoosh does? Issue 17's bar: the same top ten, in the same
order, for every graded query at 10,000 letters.

``python -m benchmarks.agreement --size 10000 [--project DIR] [--no-browser] [--show N]``

On a project ``benchmarks.run`` built (``benchmarks/out/N/project``, its site and its build
cache, whose whoosh index is the reference), for every graded query of
``benchmarks.relevance``: whoosh's first ten (``vanban search``'s ranking), the first ten our
search page shows in headless Chromium (its own ``render``, every query in one page as
``relevance.top_tens`` runs them), and the first ten of a full read of the browser index in
Python (every posting of every term, no early stop: what the index can give at best). Prints the
count of queries whose first ten agree, by kind of query, and the queries that differ.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections import Counter
from pathlib import Path

from benchmarks import corpus, relevance
from builder.search.static_reading import StaticIndex

HERE = Path(__file__).resolve().parent


class IndexReader(StaticIndex):
    """The browser index of a built site, read whole in Python."""

    def letter_id(self, docnum: int) -> str:
        return str(self.display(docnum)["id"])

    def top(self, text: str, count: int = 10) -> list[str]:
        """First ``count`` by Σ weight × impact over every posting (ties: the higher docnum)."""
        from builder.search.analysis import analyze_query

        query = analyze_query(text, self.manifest["weights"])
        if query.empty:
            return []
        candidates: set[int] | None = None
        for group in query.groups:
            letters: set[int] = set()
            for term in group:
                entry = self.entry(term)
                if entry is not None:
                    letters.update(self.postings(entry))
            candidates = letters if candidates is None else candidates & letters
        scores = dict.fromkeys(candidates or set(), 0.0)
        quant = self.manifest["quant"]
        for term, weight in query.weights.items():
            entry = self.entry(term)
            if entry is None:
                continue
            factor = weight * entry["scale"] / quant
            for docnum, impact in self.postings(entry).items():
                if docnum in scores:
                    scores[docnum] += factor * impact
        best = sorted(scores, key=lambda d: (scores[d], d), reverse=True)[:count]
        return [self.letter_id(d) for d in best]


def whoosh_tops(project: Path, texts: list[str]) -> dict[str, list[str]]:
    """whoosh's first ten (the reference) for each query, from the build cache's index."""
    from builder.search import whoosh_index

    index_dir = whoosh_index.index_dir_for(project / ".cache" / "vanban")
    return {q: [hit.id for hit in whoosh_index.search(index_dir, q)] for q in texts}


def agreeing(tops: dict[str, list[str]], reference: dict[str, list[str]]) -> tuple[int, int]:
    """(queries whose first ten equal the reference's, in order; queries)."""
    return sum(1 for q, top in reference.items() if tops.get(q) == top), len(reference)


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description="Tìm kiếm trên trình duyệt có xếp hạng như whoosh không?")
    parser.add_argument("--size", type=int, default=10000, help="số văn bản (thư mục benchmarks/out/N)")
    parser.add_argument("--project", type=Path, help="thư mục kho đã dựng")
    parser.add_argument("--no-browser", action="store_true", help="chỉ so bản đọc hết chỉ mục với whoosh")
    parser.add_argument("--show", type=int, default=20, help="in tối đa N câu hỏi khác nhau")
    parser.add_argument("--out", type=Path, help="ghi kết quả JSON")
    args = parser.parse_args(argv)

    from benchmarks.run import letter_ids

    project = args.project or HERE / "out" / str(args.size) / "project"
    site = project / "site"
    graded = relevance.relevance_queries(
        corpus.load_manifest(project), letter_ids(site), relevance.real_cases()
    )
    texts = list(dict.fromkeys(q["q"] for q in graded))
    kind = {q["q"]: q["kind"] for q in graded}
    reference = whoosh_tops(project, texts)
    reader = IndexReader(site / "tim-kiem")
    engines: dict[str, dict[str, list[str]]] = {"full read": {q: reader.top(q) for q in texts}}
    if not args.no_browser:
        from benchmarks import browser
        from benchmarks.run import theme_files

        server = browser.StaticServer(site)
        try:
            ours = browser.OurSearch(server.url, theme_files(site))
            engines["browser"] = relevance.top_tens([ours], texts, lambda m: print(m, file=sys.stderr))[
                "ours"
            ]
        finally:
            server.close()
    report: dict[str, object] = {"queries": len(texts), "whoosh": reference}
    for name, tops in engines.items():
        differ = [q for q in texts if tops.get(q) != reference[q]]
        by_kind = Counter(kind[q] for q in differ)
        print(f"{name}: same first ten as whoosh on {len(texts) - len(differ)} of {len(texts)} queries")
        for k, n in sorted(by_kind.items()):
            print(f"  differ: {n:3} {k}")
        for q in differ[: args.show]:
            print(f"  {kind[q]}: {q!r}\n    whoosh {reference[q]}\n    {name:6} {tops.get(q)}")
        report[name] = tops
    if args.out:
        args.out.write_text(json.dumps(report, ensure_ascii=False, indent=1), encoding="utf-8")


if __name__ == "__main__":
    main()
