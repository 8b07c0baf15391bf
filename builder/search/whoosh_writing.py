"""Writing the whoosh index with a fraction of whoosh's memory and time: a compact postings pool
and a bulk segment writer that writes a term's postings at a time (``builder.search.whoosh_index``
uses them).
"""

from __future__ import annotations

import itertools
from array import array
from collections import Counter, deque
from collections.abc import Iterable, Iterator, Mapping
from typing import Any, TypeVar

import numpy as np
from whoosh.formats import Frequency
from whoosh.system import pack_uint
from whoosh.writing import SegmentWriter

from builder.archive.workers import forked_pool, usable_cores
from builder.search.analysis import source_terms


class CompactPool:
    """The postings of the segment being written, as four flat arrays: 16 bytes a posting.

    whoosh's own ``PostingPool`` holds a Python tuple per posting (~110 to 190
    bytes) and, past its memory limit, pickles sorted runs to disk one posting
    at a time: at 10,000 letters (~9 million postings) that was either 2 GB of
    memory or several times the time. Here a term is a number, a value
    (whoosh's encoded frequency) is a number, and sorting is one numpy call.
    ``add`` keeps whoosh's interface (merging old segments goes through it);
    ``add_terms`` takes a whole field of a letter at once.
    """

    def __init__(self) -> None:
        self.term_number: dict[tuple[str, bytes], int] = {}
        self.value_number: dict[bytes, int] = {}
        self.term_ids = array("I")
        self.docnums = array("I")
        self.weights = array("f")
        self.value_ids = array("I")

    def __len__(self) -> int:
        return len(self.docnums)

    def add(self, item: tuple) -> None:
        """One posting ``(fieldname, btext, docnum, weight, vbytes)``, as whoosh's pool takes it."""
        fieldname, btext, docnum, weight, vbytes = item
        if docnum == -1:  # whoosh's spelling-graph marker: not a posting
            return
        self.add_terms(fieldname, docnum, [(btext, 0, weight, vbytes or b"")])

    def add_terms(self, fieldname: str, docnum: int, postings: list[tuple[bytes, int, float, bytes]]) -> None:
        """All of one letter's postings in one field: ``(btext, frequency, weight, vbytes)``.

        A new term or value takes the next number (``setdefault`` with the dict's size)."""
        terms, values = self.term_number, self.value_number
        new_term, new_value = terms.setdefault, values.setdefault
        self.term_ids.extend([new_term((fieldname, btext), len(terms)) for btext, _, _, _ in postings])
        self.docnums.extend([docnum] * len(postings))
        self.weights.extend([weight for _, _, weight, _ in postings])
        self.value_ids.extend([new_value(vbytes, len(values)) for _, _, _, vbytes in postings])

    def terms_in_order(self) -> Iterator[tuple[str, bytes, np.ndarray, np.ndarray, list[bytes]]]:
        """``(fieldname, btext, docnums, weights, values)`` per term, in field, term, docnum order."""
        if not len(self):
            return
        keys = sorted(self.term_number)
        rank = np.empty(len(keys), dtype=np.uint32)
        rank[[self.term_number[key] for key in keys]] = np.arange(len(keys), dtype=np.uint32)
        # Each column is reordered, then the pool's own copy is let go: the sort never holds
        # more than the pool plus two columns (its peak was three times the pool).
        term_ranks = rank[np.frombuffer(self.term_ids, dtype=np.uint32)]
        self.term_ids = array("I")
        order = np.argsort(term_ranks, kind="stable")  # postings arrive docnum-ordered within a term
        ranks = term_ranks[order]
        del term_ranks
        sorted_docs = np.frombuffer(self.docnums, dtype=np.uint32)[order]
        self.docnums = array("I")
        if np.any((sorted_docs[1:] <= sorted_docs[:-1]) & (ranks[1:] == ranks[:-1])):
            within = np.lexsort((sorted_docs, ranks))  # by term, then docnum (stable: as lexsort did)
            order, ranks, sorted_docs = order[within], ranks[within], sorted_docs[within]
        weights = np.frombuffer(self.weights, dtype=np.float32)[order]
        self.weights = array("f")
        value_ids = np.frombuffer(self.value_ids, dtype=np.uint32)[order]
        self.value_ids = array("I")
        del order
        by_number = [b""] * len(self.value_number)
        for vbytes, number in self.value_number.items():
            by_number[number] = vbytes
        bounds = np.flatnonzero(np.diff(ranks)) + 1
        starts = [0, *bounds.tolist()]
        stops = [*bounds.tolist(), len(ranks)]
        for start, stop in zip(starts, stops, strict=True):
            fieldname, btext = keys[int(ranks[start])]
            values = [by_number[number] for number in value_ids[start:stop].tolist()]
            yield fieldname, btext, sorted_docs[start:stop], weights[start:stop], values

    def cleanup(self) -> None:
        self.__init__()  # type: ignore[misc]


def _write_term(
    postings: object, docnums: np.ndarray, weights: np.ndarray, values: list[bytes], lengths: np.ndarray
) -> None:
    """One term's postings into the field's W3 postings writer, a block at a time: what
    ``W3PostingsWriter.add_posting`` does one posting at a time (same blocks, same statistics)."""
    limit = postings._blocklimit  # type: ignore[attr-defined]
    for start in range(0, len(docnums), limit):
        if start:
            postings._write_block()  # type: ignore[attr-defined]
        stop = start + limit
        postings._ids.frombytes(docnums[start:stop].astype("=u4").tobytes())  # type: ignore[attr-defined]
        block_weights = weights[start:stop]
        postings._weights.frombytes(block_weights.astype("=f4").tobytes())  # type: ignore[attr-defined]
        heaviest = float(block_weights.max())
        if heaviest > postings._maxweight:  # type: ignore[attr-defined]
            postings._maxweight = heaviest  # type: ignore[attr-defined]
        postings._values.extend(value for value in values[start:stop] if value)  # type: ignore[attr-defined]
        known = lengths[start:stop]
        known = known[known > 0]
        if len(known):
            shortest, longest = int(known.min()), int(known.max())
            if postings._minlength is None or shortest < postings._minlength:  # type: ignore[attr-defined]
                postings._minlength = shortest  # type: ignore[attr-defined]
            if longest > postings._maxlength:  # type: ignore[attr-defined]
                postings._maxlength = longest  # type: ignore[attr-defined]


class BulkWriter(SegmentWriter):
    """whoosh's segment writer with a ``CompactPool``: the same files, a fraction of the memory
    and time. A letter's analyzer terms go to the pool a field at a time, and the segment's
    postings are written a term at a time (a block of postings per call, not a posting)."""

    pool: Any

    def __init__(self, ix: object) -> None:
        # Segments as separate files, not one compound file: whoosh reads a compound file's
        # parts by copying each into memory (BytesIO), so every process that opened the index
        # held a copy of all its postings (~720 MB at 100,000 letters; the export opens it three
        # times). Separate files are read from the page cache.
        super().__init__(ix, compound=False)
        self.pool.cleanup()
        self.pool = CompactPool()

    def add_document(self, **fields: object) -> None:
        schema = self.schema
        if any(name not in schema for name in fields) or any(
            schema[name].vector or schema[name].column_type or schema[name].separate_spelling()
            for name in fields
        ):
            raise ValueError(f"BulkWriter: unexpected fields {sorted(fields)}")
        docnum = self.docnum
        perdoc = self.perdocwriter
        perdoc.start_doc(docnum)
        for fieldname in sorted(fields):
            value = fields[fieldname]
            if value is None:
                continue
            field_type = schema[fieldname]
            length = 0
            if field_type.indexed:
                postings = list(field_type.index(value))
                if field_type.scorable:
                    length = sum(frequency for _, frequency, _, _ in postings)
                self.pool.add_terms(fieldname, docnum, postings)
            perdoc.add_field(fieldname, field_type, value if field_type.stored else None, length)
        perdoc.finish_doc()
        self._added = True
        self.docnum += 1

    def _merge_segments(self, mergetype: Any, optimize: Any, merge: Any) -> Any:
        """whoosh's merge policy, less the segments with no live letter: when every letter is
        written again (a new analyzer), the old segment, every letter in it deleted, was kept by
        ``commit(merge=False)`` and by ``MERGE_SMALL`` (too large), and every later export and
        query walked its postings (three such at 2,000 letters after three analyzer changes).
        ``commit`` writes the table of segments without them and removes their files."""
        self.segments = [segment for segment in self.segments if segment.doc_count() > 0]  # type: ignore[has-type]
        return super()._merge_segments(mergetype, optimize, merge)

    def _flush_segment(self) -> None:
        self.perdocwriter.close()
        lengths_reader = self.per_document_reader()
        try:
            _write_postings(self.fieldwriter, self.schema, lengths_reader, self.pool, self.docnum)
        finally:
            lengths_reader.close()
        self.fieldwriter.close()


def _write_postings(
    writer: object, schema: object, lengths_reader: object, pool: CompactPool, doc_count: int
) -> None:
    """The pool's postings into the segment's term files, a term at a time."""
    field_lengths: dict[str, np.ndarray] = {}
    current = None
    for fieldname, btext, docnums, weights, values in pool.terms_in_order():
        if fieldname != current:
            if current is not None:
                writer.finish_field()  # type: ignore[attr-defined]
            writer.start_field(fieldname, schema[fieldname])  # type: ignore[attr-defined,index]
            current = fieldname
            if fieldname not in field_lengths:
                field_lengths[fieldname] = np.array(
                    [lengths_reader.doc_field_length(docnum, fieldname) or 0 for docnum in range(doc_count)],  # type: ignore[attr-defined]
                    dtype=np.int64,
                )
        writer.start_term(btext)  # type: ignore[attr-defined]
        _write_term(writer._postwriter, docnums, weights, values, field_lengths[fieldname][docnums])  # type: ignore[attr-defined]
        writer.finish_term()  # type: ignore[attr-defined]
    if current is not None:
        writer.finish_field()  # type: ignore[attr-defined]


_PACKED = [pack_uint(count) for count in range(4096)]


class CountedFrequency(Frequency):
    """Term frequencies of a field, counted in one C-level pass (``Counter``).

    The value is a field source ``(text, extra terms)`` from ``letter_sources``
    (analyzed here, by the writer) or a list of terms already analyzed. Each
    count's value bytes are shared between letters.
    """

    def word_values(self, value: object, analyzer: object, **kwargs: object) -> Iterator[tuple]:
        boost = self.field_boost
        terms = value if isinstance(value, list) else source_terms(value)  # type: ignore[arg-type]
        for term, count in Counter(terms).items():
            yield term, count, count * boost, _PACKED[count] if count < 4096 else pack_uint(count)


class FieldPostings(list):
    """A field's postings made already (``analyzed``): the field's ``index`` gives them as they are."""


ANALYZE_ALONGSIDE_FROM = 200
"""Letters to write from which their fields are analysed in a worker process beside the writer
(a clean build, a new analyzer): analysis is about half of the writing's CPU, and the writer
runs in the search process beside the page rendering, so it was the build's longest path."""
BATCH = 16
"""Letters a worker analyses per task."""
AHEAD = 8
"""Tasks handed out before the writer takes the first one's results: enough to keep the worker
busy, few enough that only ~AHEAD × BATCH letters' sources are ever in flight."""

Item = TypeVar("Item")
_SCHEMA: Any = None
"""The index's schema, for the forked workers."""


def analyzed(
    items: Iterable[Item], sources_of: Any, schema: Any
) -> Iterator[tuple[Item, Mapping[str, object]]]:
    """Each item with its letter's search fields (``sources_of(item)``: field -> source) as the
    writer takes them, in order. Many items: the fields' postings are made in worker processes
    (``FieldPostings``: exactly what the field's ``index`` makes), a few batches ahead of the
    writer; few, or one core: the sources as they are, analysed by the writer."""
    items = iter(items)
    head = list(itertools.islice(items, ANALYZE_ALONGSIDE_FROM))
    workers = min(usable_cores() - 1, 2)
    if len(head) < ANALYZE_ALONGSIDE_FROM or workers < 1:
        yield from ((item, sources_of(item)) for item in itertools.chain(head, items))
        return
    global _SCHEMA
    _SCHEMA = schema
    pending: deque[tuple[list[Item], Any]] = deque()
    try:
        with forked_pool(workers) as pool:
            rest = itertools.chain(head, items)
            del head
            chunk = max(1, BATCH // (workers * 4))  # as Pool.map_async cut a batch
            while batch := list(itertools.islice(rest, BATCH)):
                sources = [sources_of(item) for item in batch]
                pending.append((batch, pool.map(_postings_of, sources, chunksize=chunk)))
                if len(pending) > AHEAD:
                    done, result = pending.popleft()
                    yield from zip(done, list(result), strict=True)
            while pending:
                done, result = pending.popleft()
                yield from zip(done, list(result), strict=True)
    finally:
        _SCHEMA = None


def _postings_of(sources: Mapping[str, object]) -> dict[str, FieldPostings]:
    """In a worker: each field's postings, as ``TermsField.index`` makes them."""
    return {name: FieldPostings(_SCHEMA[name].index(source)) for name, source in sources.items()}
