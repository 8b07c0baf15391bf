"""The graded queries through whoosh only (``vanban search``'s ranking), without a site build:
for working on the ranking model between full runs.

``python -m benchmarks.relevance_whoosh --size 1000 [--project DIR] [--reindex]``

Generates the corpus (``benchmarks.corpus``, the real letters mixed in) once into ``--project``,
reads it with the build's reader (its parse cache kept), indexes it with whoosh, runs every
graded query of ``benchmarks.relevance`` and prints the scores and the queries whose letter
sought is not first. The browser ranks as whoosh does (``tests/test_ranking.py``), so the
figures are the search page's, except where its byte budget stops the ranking early; the full
benchmark (``benchmarks.run``) measures the page itself.
"""

from __future__ import annotations

import argparse
import shutil
from pathlib import Path

from benchmarks import corpus, relevance


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description="Bộ câu hỏi chấm điểm, chỉ qua whoosh (không dựng trang).")
    parser.add_argument("--size", type=int, default=1000, help="số văn bản sinh ra")
    parser.add_argument("--project", type=Path, help="thư mục kho (mặc định benchmarks/out/whoosh-N)")
    parser.add_argument("--reindex", action="store_true", help="dựng lại chỉ mục whoosh")
    args = parser.parse_args(argv)

    from builder.archive.read import read_archive
    from builder.publish.lists import issuer_slugs
    from builder.search import whoosh_index

    project = args.project or Path(__file__).resolve().parent / "out" / f"whoosh-{args.size}"
    if not (project / "content").is_dir():
        corpus.write_project(project, args.size)
        relevance.add_real_letters(project)
    cache = project / ".cache" / "vanban"
    archive = read_archive(project / "content", cache_dir=cache)
    listed = [letter for letter in archive.letters if letter.is_listed]
    index_dir = whoosh_index.index_dir_for(cache)
    if args.reindex:
        shutil.rmtree(index_dir, ignore_errors=True)
    slug_for = issuer_slugs(archive)
    slugs = {name: slug_for(name) for name in {letter.co_quan_ban_hanh for letter in listed}}
    whoosh_index.update_index(index_dir, (archive.store.with_body(letter) for letter in listed), slugs)

    ids = {Path(letter.tep_goc).name: letter.id for letter in listed}
    graded = relevance.relevance_queries(corpus.load_manifest(project), ids, relevance.real_cases())
    tops = {"ours": {q["q"]: [hit.id for hit in whoosh_index.search(index_dir, q["q"])] for q in graded}}
    scores = relevance.score(graded, tops)
    s = scores["ours"]
    print(
        f"{len(listed)} letters, {len(graded)} queries ({s['known']} known-item): nDCG@10 {s['ndcg10']:.3f}, "
        f"success@1 {s['success1']:.1%}, known-item {s['success1_known']:.1%}, MRR {s['mrr']:.3f}"
    )
    for query, row in zip(graded, s["rows"], strict=True):
        if row["rank"] != 1:
            mark = "known-item " if query["known"] else ""
            print(f"  {mark}#{row['rank'] or '✗'} nDCG {row['ndcg']:.2f} {query['kind']}: {query['q']}")


if __name__ == "__main__":
    main()
