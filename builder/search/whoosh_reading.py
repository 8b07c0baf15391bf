"""Reading the whoosh index straight from its segments, for the browser index's export: the
collection's statistics and every term's postings per field.
"""

from __future__ import annotations

import heapq
import io
import itertools
import pickle
import struct
import zlib
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from whoosh import index as whoosh_index
from whoosh.codec.whoosh3 import W3TermsReader

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
    """(segment docnums, weights) of one term in one segment, through whoosh's public matcher
    (the fallback of ``_term_postings`` for a codec other than W3)."""
    matcher = segment._terms.matcher(name, term, segment.schema[name].format)  # type: ignore[attr-defined]
    ids: list[int] = []
    weights: list[float] = []
    for docnum, weight in matcher.items_as("weight"):
        ids.append(docnum)
        weights.append(weight)
    return ids, weights


_BLOCK_LENGTH = struct.Struct("!i")
"""A W3 postings block's length (negative for a term's last block)."""


def _w3_postings(data: bytes) -> tuple[list[int], list[float]]:
    """(docnums, weights) of one term's W3 postings (``W3PostingsWriter._write_block``'s bytes:
    a 4-byte tag, then blocks of length, pickled block info, pickled (maybe zlib-compressed)
    ids, weights and values), read a block at a time without whoosh's matcher, which costs
    several microseconds a posting and a hash lookup a term."""
    ids: list[int] = []
    weights: list[float] = []
    stream = io.BytesIO(data)
    position = 4  # past the header tag
    while True:
        (length,) = _BLOCK_LENGTH.unpack_from(data, position)
        position += 4
        stream.seek(position)
        count, _, _, compression, _, _ = pickle.load(stream)
        end = position + abs(length)
        block = data[stream.tell() : end]
        deltas, block_weights, _ = pickle.loads(zlib.decompress(block) if compression else block)
        ids.extend(itertools.accumulate(deltas))
        if block_weights is None:
            weights.extend([1.0] * count)
        elif isinstance(block_weights, float):
            weights.extend([block_weights] * count)
        else:
            weights.extend(block_weights)
        if length < 0:
            return ids, weights
        position = end


@dataclass(slots=True)
class _Found:
    """Where one term of one field is in one segment."""

    segment: int
    """Position in the reader's leaves."""
    info: Any
    """Its ``W3TermInfo`` (or None: look it up through the public matcher)."""


def _field_terms(segment: object, name: str) -> Iterator[tuple[bytes, Any]]:
    """A segment's terms of one field, in term order, each with its term info (None when the
    segment's codec is not W3: its postings are then read through the public matcher)."""
    terms = segment._terms  # type: ignore[attr-defined]
    if not isinstance(terms, W3TermsReader):
        for term in segment.lexicon(name):  # type: ignore[attr-defined]
            yield term, None
        return
    if name not in terms._fieldmap:
        return
    for (fieldname, term), info in terms.items_from(name, b""):
        if fieldname != name:
            return
        yield term, info


def _numbered(number: int, terms: Iterator[tuple[bytes, Any]]) -> Iterator[tuple[bytes, int, Any]]:
    for term, info in terms:
        yield term, number, info


def _merged_terms(leaves: list[tuple[Any, int]], name: str) -> Iterator[tuple[bytes, list[_Found]]]:
    """One field's terms over every segment, in term order, each with the segments that hold it."""
    streams = [_numbered(number, _field_terms(segment, name)) for number, (segment, _) in enumerate(leaves)]
    merged = streams[0] if len(streams) == 1 else heapq.merge(*streams, key=lambda item: (item[0], item[1]))
    current: bytes | None = None
    found: list[_Found] = []
    for term, number, info in merged:
        if term != current:
            if current is not None:
                yield current, found
            current, found = term, []
        found.append(_Found(number, info))
    if current is not None:
        yield current, found


def _term_postings(
    leaves: list[tuple[Any, int]], name: str, term: bytes, found: list[_Found]
) -> tuple[list[int], list[float]]:
    """(whoosh docnums, weights) of one term of one field over the segments that hold it."""
    docnums: list[int] = []
    weights: list[float] = []
    for place in found:
        segment, base = leaves[place.segment]
        info = place.info
        if info is not None and not info.is_inlined():
            offset, length = info.extent()
            if isinstance(length, tuple):  # W3TermInfo.from_bytes keeps it as struct.unpack gave it
                (length,) = length
            ids, values = _w3_postings(segment._terms._postfile.get(offset, length))
        else:
            ids, values = _leaf_postings(segment, name, term)
        docnums.extend([base + docnum for docnum in ids] if base else ids)
        weights.extend(values)
    return docnums, weights


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
        lexicons = {name: _merged_terms(leaves, name) for name in FIELDS}
        heads = {name: next(lexicon, None) for name, lexicon in lexicons.items()}
        while True:
            current = [head[0] for head in heads.values() if head is not None]
            if not current:
                return
            smallest = min(current)
            term = smallest.decode("utf-8")
            wanted = keep is None or keep(term)
            per_field: Postings = {}
            for name in FIELDS:
                head = heads[name]
                if head is None or head[0] != smallest:
                    continue
                heads[name] = next(lexicons[name], None)
                if wanted:
                    per_field[name] = _term_postings(leaves, name, smallest, head[1])
            if wanted:
                yield term, per_field
