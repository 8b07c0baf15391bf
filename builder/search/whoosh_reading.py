"""Reading the whoosh index straight from its segments, for the browser index's export: the
collection's statistics and every term's postings per field.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

from whoosh import index as whoosh_index

from builder.search.analysis import FIELDS
from builder.search.whoosh_index import INDEX_NAME, PortalBM25F, live_average_length


@dataclass(slots=True)
class Statistics:
    """What BM25F needs, read back from the index (deleted letters left out of the documents)."""

    doc_count: int
    """Live letters (the idf's N)."""
    average_length: dict[str, float]
    """Per field, ``live_average_length``."""
    lengths: dict[str, dict[str, int]] = field(default_factory=dict)
    """id -> field -> field length as whoosh stores it."""
    docnums: dict[int, str] = field(default_factory=dict)
    """whoosh docnum -> letter id, live letters only."""


def read_statistics(index_dir: Path) -> Statistics:
    """Collection statistics and every live letter's field lengths."""
    ix = whoosh_index.open_dir(str(index_dir), indexname=INDEX_NAME)
    with ix.searcher(weighting=PortalBM25F()) as searcher:
        reader = searcher.reader()
        stats = Statistics(
            doc_count=reader.doc_count(),
            average_length={name: live_average_length(reader, name) for name in FIELDS},
        )
        for docnum, stored in reader.iter_docs():
            stats.docnums[docnum] = stored["id"]
            stats.lengths[stored["id"]] = {
                name: reader.doc_field_length(docnum, name) or 0
                for name in FIELDS  # None: empty field
            }
    return stats


def _leaf_postings(segment: object, name: str, term: bytes) -> tuple[list[int], list[float]]:
    """(segment docnums, weights) of one term in one segment, read a block at a time.

    whoosh's public matcher costs several microseconds per posting; the W3
    codec's block arrays (private, but this whoosh version is pinned and
    unmaintained) are read whole. Falls back to the public API otherwise.
    """
    matcher = segment._terms.matcher(name, term, segment.schema[name].format)  # type: ignore[attr-defined]
    ids: list[int] = []
    weights: list[float] = []
    if not all(hasattr(matcher, a) for a in ("_read_ids", "_read_weights", "_lastblock", "_goto")):
        for docnum, weight in matcher.items_as("weight"):
            ids.append(docnum)
            weights.append(weight)
        return ids, weights
    while True:
        matcher._read_ids()
        matcher._read_weights()
        ids.extend(matcher._ids)
        weights.extend(matcher._weights)
        if matcher._lastblock:
            return ids, weights
        matcher._goto(matcher._nextoffset)


Postings = dict[str, tuple[list[int], list[float]]]
"""Per field: (whoosh docnums, deleted ones included; term frequencies)."""


def iter_postings(
    index_dir: Path, keep: Callable[[str], bool] | None = None
) -> Iterator[tuple[str, Postings]]:
    """Every term (those ``keep`` accepts) in term order, with its postings per field.

    Docnums are whoosh's, deleted letters included: map them with
    ``Statistics.docnums``. Streams one term at a time: memory does not grow
    with the archive.
    """
    ix = whoosh_index.open_dir(str(index_dir), indexname=INDEX_NAME)
    with ix.searcher() as searcher:
        reader = searcher.reader()
        leaves = list(reader.leaf_readers())
        lexicons = {name: iter(reader.lexicon(name)) for name in FIELDS}
        heads: dict[str, bytes | None] = {name: next(lexicon, None) for name, lexicon in lexicons.items()}
        while True:
            current = [value for value in heads.values() if value is not None]
            if not current:
                return
            smallest = min(current)
            term = smallest.decode("utf-8")
            wanted = keep is None or keep(term)
            per_field: Postings = {}
            for name in FIELDS:
                if heads[name] != smallest:
                    continue
                heads[name] = next(lexicons[name], None)
                if not wanted:
                    continue
                docnums: list[int] = []
                weights: list[float] = []
                for segment, base in leaves:
                    if (name, smallest) not in segment._terms:
                        continue
                    ids, found = _leaf_postings(segment, name, smallest)
                    docnums.extend(base + docnum for docnum in ids)
                    weights.extend(found)
                per_field[name] = (docnums, weights)
            if wanted:
                yield term, per_field
