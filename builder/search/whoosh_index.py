"""The whoosh index: the staff's search and the reference ranking.

whoosh (``whoosh-reloaded==2.7.5``) is unmaintained, so every call to it lives
here and in its two helpers, ``whoosh_writing`` (a compact pool and a bulk writer) and
``whoosh_reading`` (statistics and postings for the browser index's export).
Letters are indexed as the terms ``builder.search.analysis`` produces (counted
by the field format itself, no positions: bigrams do the phrase work), one
field per search field. The index is updated incrementally: each letter
carries a hash of its fields and of the analyzer's code, only new or changed
letters are written, and letters that left the archive are deleted.

Ranking: a query is a ``builder.search.analysis.Query``; a letter matches when it
has a term of every required group, and scores Σ weight(term) × Σ_field
boost(field) × BM25(term, field) with whoosh's BM25 formula over the live
letters' statistics (``PortalBM25F``). The browser index
(``builder.search.static_index``) stores exactly these per-term impacts, computed
from the statistics read back from this index, so both rank alike; equal
scores go newest first.
"""

from __future__ import annotations

import functools
import hashlib
import math
import shutil
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from slugify import slugify
from whoosh import index as whoosh_index
from whoosh import query as wq
from whoosh.analysis import Token, Tokenizer
from whoosh.fields import ID, STORED, TEXT, Schema
from whoosh.matching.binary import DisjunctionMaxMatcher
from whoosh.scoring import BM25F, BM25FScorer
from whoosh.searching import Searcher

from builder.letters.letter import Letter
from builder.search.analysis import FIELDS, Query, analyze_query, letter_sources
from builder.search.ranking import K1, B, bm25_parameters, field_boost, is_evidence
from builder.search.tokens import TERMS_FILE
from builder.search.whoosh_writing import BulkWriter, CountedFrequency, FieldPostings, analyzed
from builder.source import source_digest

INDEX_NAME = "vanban"
SCHEMA_VERSION = "5"
"""Bump when the schema or the analyzer changes: the index is then rebuilt from scratch."""
SEGMENT_POSTINGS = 8_000_000
"""Postings written as one segment (~8,500 letters; the pool holds 16 bytes a posting, and
sorting them briefly needs as much again: ~260 MB): past it, the next letters start a new
segment. At 16 million the search process held 0.56 GB at 100,000 letters."""


class PreAnalyzed(Tokenizer):
    """Passes the analyzer's terms through unchanged (a list, or one term per line)."""

    def __call__(
        self,
        value: str | list[str],
        positions: bool = False,
        chars: bool = False,
        keeporiginal: bool = False,
        removestops: bool = True,
        start_pos: int = 0,
        start_char: int = 0,
        tokenize: bool = True,
        mode: str = "",
        **kwargs: object,
    ) -> Iterator[Token]:
        token = Token(positions, chars, removestops=removestops, mode=mode, **kwargs)
        terms = value if isinstance(value, list | tuple) else value.split("\n")
        for position, text in enumerate(terms):
            token.text = text
            token.boost = 1.0
            token.stopped = False
            if positions:
                token.pos = start_pos + position
            yield token


def idf(doc_frequency: int, doc_count: int) -> float:
    """whoosh's BM25F inverse document frequency (``WeightingModel.idf``)."""
    return math.log(doc_count / (doc_frequency + 1)) + 1


class PortalBM25F(BM25F):
    """whoosh's BM25F over the *live* letters only.

    whoosh counts deleted documents in N, in document frequencies and in field
    lengths until segments merge, so an index updated incrementally would rank
    unlike a fresh one. Here N is the number of live letters, a term's document
    frequency counts live letters, and a field's average length is the mean of
    the live letters' stored lengths: the same statistics ``read_statistics``
    gives the browser index, whatever the index's update history.
    """

    def __init__(self, averages: Mapping[str, float] | None = None) -> None:
        super().__init__(B=B, K1=K1)
        self._averages: dict[str, float] = dict(averages or {})
        self._idfs: dict[tuple[str, str], float] = {}

    def idf(self, searcher: object, fieldname: str, text: bytes) -> float:
        parent = searcher.get_parent()  # type: ignore[attr-defined]
        reader = parent.reader()
        term = text.decode("utf-8") if isinstance(text, bytes) else text
        if (fieldname, term) in self._idfs:
            return self._idfs[fieldname, term]
        # Evidence is a letter's, whatever the field: its frequency counts letters with it anywhere.
        names = FIELDS if is_evidence(term) else (fieldname,)
        letters: set[int] = set()
        for name in names:
            if (name, text) in reader:
                letters.update(reader.postings(name, text).all_ids())
        self._idfs[fieldname, term] = value = idf(len(letters), parent.doc_count())
        return value

    def scorer(self, searcher: object, fieldname: str, text: bytes, qf: int = 1) -> object:
        scorer = super().scorer(searcher, fieldname, text, qf=qf)
        if isinstance(scorer, BM25FScorer):
            scorer.K1, scorer.B = bm25_parameters(text.decode("utf-8") if isinstance(text, bytes) else text)
            if fieldname not in self._averages:
                self._averages[fieldname] = live_average_length(searcher.get_parent().reader(), fieldname)  # type: ignore[attr-defined]
            scorer.avgfl = self._averages[fieldname]
        return scorer


def live_average_length(reader: object, fieldname: str) -> float:
    """Mean stored length of a field over the live letters (1 when there are none)."""
    total = count = 0
    for docnum in reader.all_doc_ids():  # type: ignore[attr-defined]
        total += reader.doc_field_length(docnum, fieldname) or 0  # type: ignore[attr-defined]
        count += 1
    return (total / count) if count and total else 1.0


_AVERAGES: dict[str, tuple[int, dict[str, float]]] = {}
"""Index folder -> (generation, every field's live average length): walking every letter's
lengths costs ~1 s a field at 100,000 letters, and they change only when the index does."""


def live_average_lengths(index_dir: Path, reader: object) -> dict[str, float]:
    """``live_average_length`` of every field, computed once per generation of the index in
    ``index_dir`` that ``reader`` reads (a commit, deletions included, makes a new one)."""
    key = str(Path(index_dir).resolve())
    generation = reader.generation()  # type: ignore[attr-defined]
    cached = _AVERAGES.get(key)
    if cached is None or cached[0] != generation:
        cached = (generation, {name: live_average_length(reader, name) for name in FIELDS})
        _AVERAGES[key] = cached
    return cached[1]


class TermsField(TEXT):
    """A text field of analyzer terms: its format's postings, term bytes encoded, in the order
    counted (whoosh's own ``index`` sorts them, which the writer's pool does anyway)."""

    def index(self, value: object, **kwargs: object) -> list[tuple[bytes, int, float, bytes]]:
        if isinstance(value, FieldPostings):  # made by ``whoosh_writing.analyzed``'s workers
            return value
        return [
            (term.encode("utf-8"), count, weight, packed)
            for term, count, weight, packed in self.format.word_values(value, None)
        ]


def _text_field() -> TEXT:
    text = TermsField(analyzer=PreAnalyzed(), phrase=False)
    text.format = CountedFrequency(field_boost=text.format.field_boost)
    return text


def _schema() -> Schema:
    text_fields = {name: _text_field() for name in FIELDS}
    return Schema(
        id=ID(stored=True, unique=True),
        hash=STORED(),
        display=STORED(),
        co_quan_slug=ID(),
        nam=ID(),
        loai_slug=ID(),
        **text_fields,
    )


@dataclass(slots=True)
class Hit:
    """One search result, in rank order."""

    id: str
    score: float
    so_ky_hieu: str | None
    trich_yeu: str
    co_quan_ban_hanh: str
    ngay_ban_hanh: str
    loai_van_ban: str
    nguoi_ky: str | None = None

    def to_json(self) -> dict[str, object]:
        return {
            "id": self.id,
            "score": round(self.score, 6),
            "so_ky_hieu": self.so_ky_hieu,
            "trich_yeu": self.trich_yeu,
            "co_quan_ban_hanh": self.co_quan_ban_hanh,
            "ngay_ban_hanh": self.ngay_ban_hanh,
            "loai_van_ban": self.loai_van_ban,
            "nguoi_ky": self.nguoi_ky,
        }


@dataclass(slots=True)
class UpdateReport:
    """What an incremental update did, for the build log."""

    added: int = 0
    changed: int = 0
    removed: int = 0
    unchanged: int = 0
    rebuilt: bool = False


def _display(letter: Letter) -> dict[str, object]:
    return {
        "so_ky_hieu": letter.so_ky_hieu,
        "trich_yeu": letter.trich_yeu,
        "co_quan_ban_hanh": letter.co_quan_ban_hanh,
        "ngay_ban_hanh": letter.ngay_ban_hanh,
        "loai_van_ban": letter.loai_van_ban,
        "nguoi_ky": letter.nguoi_ky,
    }


@functools.cache
def _analyzer_fingerprint() -> bytes:
    """Changes whenever the builder's code or the analyzer's data file changes, so every letter is
    re-indexed."""
    return hashlib.sha256(source_digest().encode() + TERMS_FILE.read_bytes()).digest()


def letter_hash(letter: Letter, issuer_slug: str = "") -> str:
    """Hash of everything the index keeps of a letter (its fields as parsed, its issuer's slug,
    and the analyzer)."""
    data = (repr(letter) + "\n" + issuer_slug).encode("utf-8")  # the repr lists every field but source lines
    return hashlib.sha256(_analyzer_fingerprint() + data).hexdigest()


def slug_of(issuer: str, issuer_slugs: Mapping[str, str] | None) -> str:
    """An issuer's slug as its list page has it (``lists.issuer_slugs``, given here as a
    table), or the slug of the name as given."""
    from builder.publish.lists import issuer_slug

    return (issuer_slugs or {}).get(issuer) or issuer_slug(issuer)


def _document(
    letter: Letter, fields: Mapping[str, object], digest: str, issuer_slug: str
) -> dict[str, object]:
    return {
        "id": letter.id,
        "hash": digest,
        "display": _display(letter),
        "co_quan_slug": issuer_slug,
        "nam": str(letter.nam),
        "loai_slug": slugify(letter.loai_van_ban),
        **{name: terms for name, terms in fields.items()},
    }


def _open_or_create(index_dir: Path) -> tuple[Any, bool]:
    version_file = index_dir / "SCHEMA_VERSION"
    if index_dir.is_dir() and version_file.exists() and version_file.read_text() == SCHEMA_VERSION:
        try:
            return whoosh_index.open_dir(str(index_dir), indexname=INDEX_NAME), False
        except Exception:
            pass  # any unreadable cache (a schema pickled under a module path that has moved,
            # a truncated table of contents, no index at all) is rebuilt, never a failed build
    if index_dir.exists():
        shutil.rmtree(index_dir)
    index_dir.mkdir(parents=True)
    ix = whoosh_index.create_in(str(index_dir), _schema(), indexname=INDEX_NAME)
    version_file.write_text(SCHEMA_VERSION)
    return ix, True


def update_index(
    index_dir: Path, letters: Iterable[Letter], issuer_slugs: Mapping[str, str] | None = None
) -> UpdateReport:
    """Bring the index in ``index_dir`` in line with ``letters``: add new and changed
    letters, delete the ones that are gone; unchanged letters are not touched.

    ``letters`` is read once, one letter at a time, each written as it comes: the
    caller may hand them over whole (body included) one by one, and no more than
    one segment's postings are ever held.
    """
    ix, created = _open_or_create(index_dir)
    report = UpdateReport(rebuilt=created)
    with ix.searcher() as searcher:
        existing = {stored["id"]: stored["hash"] for stored in searcher.all_stored_fields()}
    seen: set[str] = set()
    # One segment per SEGMENT_POSTINGS postings: memory stays flat however large the archive.
    # A small update merges small segments as whoosh does; a large one keeps its segments apart.
    writer: BulkWriter | None = None
    split = False

    def to_write() -> Iterator[tuple[Letter, str, str, str | None]]:
        for letter in letters:
            seen.add(letter.id)
            issuer_slug = slug_of(letter.co_quan_ban_hanh, issuer_slugs)
            digest = letter_hash(letter, issuer_slug)
            old = existing.get(letter.id)
            if old == digest:
                report.unchanged += 1
                continue
            if old is None:
                report.added += 1
            else:
                report.changed += 1
            yield letter, digest, issuer_slug, old

    try:
        for (letter, digest, issuer_slug, old), fields in analyzed(
            to_write(), lambda item: letter_sources(item[0]), ix.schema
        ):
            writer = writer or BulkWriter(ix)
            if old is not None:
                writer.delete_by_term("id", letter.id)
            writer.add_document(**_document(letter, fields, digest, issuer_slug))
            if len(writer.pool) >= SEGMENT_POSTINGS:
                writer.commit(merge=False)
                writer, split = BulkWriter(ix), True
        gone = sorted(set(existing) - seen)
        report.removed = len(gone)
        if gone:
            writer = writer or BulkWriter(ix)
            for letter_id in gone:
                writer.delete_by_term("id", letter_id)
    except BaseException:
        if writer is not None:
            writer.cancel()
        raise
    if writer is not None:
        writer.commit(merge=not split)
    return report


class _BestFieldMatcher(DisjunctionMaxMatcher):
    """whoosh's DisMax matcher, scoring only the sub-matchers on the current letter: whoosh's
    own takes the max of both sides wherever each stands (another letter's score)."""

    def score(self) -> float:
        a, b = self.a, self.b
        if not a.is_active():
            return b.score()
        if not b.is_active():
            return a.score()
        if a.id() < b.id():
            return a.score()
        if b.id() < a.id():
            return b.score()
        return max(a.score(), b.score())


class _BestField(wq.DisjunctionMax):
    """A term's best field's score (evidence, ``builder.search.ranking``)."""

    def _matcher(self, subs: list, searcher: object, context: object) -> object:
        reader = searcher.reader()  # type: ignore[attr-defined]
        return self._tree_matcher(
            subs, _BestFieldMatcher, searcher, context, lambda q: q.estimate_size(reader), tiebreak=0.0
        )


def _queries(query: Query) -> tuple[wq.Query, wq.Query]:
    """(scoring query, required-clauses filter) for a parsed query."""
    clauses: list[wq.Query] = []
    for term, weight in query.weights.items():
        per_field = [wq.Term(name, term, boost=weight * field_boost(term, name)) for name in FIELDS]
        # Evidence counts in its best field (ranking.py); other terms in every field, summed.
        clauses.extend([_BestField(per_field)] if is_evidence(term) else per_field)
    scoring = wq.Or(clauses)
    required = wq.And(
        [wq.Or([wq.Term(name, term) for term in group for name in FIELDS]) for group in query.groups]
    )
    return scoring, required


def search(
    index_dir: Path,
    query: str,
    co_quan: str | None = None,
    nam: int | str | None = None,
    loai: str | None = None,
    limit: int | None = 10,
    issuer_slugs: Mapping[str, str] | None = None,
    tu_ngay: str | None = None,
    den_ngay: str | None = None,
    nguoi_ky: str | None = None,
) -> list[Hit]:
    """Letters matching ``query`` (and the filters), best first; equal scores newest first
    (by issue date, then id: the browser index numbers letters in that order).

    ``co_quan`` is an issuer's name or the slug of its list page (``issuer_slugs``: name ->
    slug); ``loai`` a name or slug; ``nam`` a year; ``tu_ngay`` and ``den_ngay`` ISO dates,
    both included (``date_in_range``); ``nguoi_ky`` a signer's name, with or without accents
    (``person_key``).
    """
    parsed = analyze_query(query)
    if parsed.empty or not whoosh_index.exists_in(str(index_dir), indexname=INDEX_NAME):
        return []
    scoring, required = _queries(parsed)
    filters: list[wq.Query] = [required]
    if co_quan:
        slugs = {co_quan, slug_of(co_quan, issuer_slugs)}
        filters.append(wq.Or([wq.Term("co_quan_slug", slug) for slug in sorted(slugs)]))
    if nam:
        filters.append(wq.Term("nam", str(nam)))
    if loai:
        filters.append(wq.Term("loai_slug", slugify(loai)))
    ix = whoosh_index.open_dir(str(index_dir), indexname=INDEX_NAME)
    reader = ix.reader()
    weighting = PortalBM25F(live_average_lengths(index_dir, reader))
    with Searcher(reader, fromindex=ix, weighting=weighting) as searcher:
        results = searcher.search(scoring, filter=wq.And(filters), limit=None)
        hits = [Hit(id=hit["id"], score=hit.score, **hit["display"]) for hit in results]
    if tu_ngay or den_ngay:
        hits = [hit for hit in hits if date_in_range(hit.ngay_ban_hanh, tu_ngay, den_ngay)]
    if nguoi_ky:
        wanted = person_key(nguoi_ky)
        hits = [hit for hit in hits if hit.nguoi_ky and person_key(hit.nguoi_ky) == wanted]
    # whoosh sums a letter's field scores in an order that depends on which segment holds it
    # (large updates write several), so equal scores can differ in the last bits: compare them
    # rounded, for the newest-first tie order to hold.
    hits.sort(key=lambda hit: (round(hit.score, 9), hit.ngay_ban_hanh, hit.id), reverse=True)
    return hits if limit is None else hits[:limit]


def date_in_range(date: str, start: str | None, end: str | None) -> bool:
    """Whether an issue date (``2021-08-26``, or ``2021-08``/``2021`` when only that much is
    known) lies in ``[start, end]`` (ISO days, either may be missing), compared as strings: a
    date known to the month sorts before that month's first day. The browser does the same
    (``search.js``, on the letters' numbering by date)."""
    return (not start or date >= start) and (not end or date <= end)


def person_key(name: str) -> str:
    """A signer's name as the filter compares it: its folded syllables in order
    (``Trần Công Tuấn`` = ``tran cong tuan``); the browser takes the same from ``analyzeQuery``."""
    return " ".join(analyze_query(name).highlight)


def index_dir_for(cache_dir: Path) -> Path:
    """Where the whoosh index lives inside the build cache."""
    return Path(cache_dir) / "whoosh"


def search_archive(
    content_dir: Path,
    cache_dir: Path,
    query: str,
    co_quan: str | None = None,
    nam: int | str | None = None,
    loai: str | None = None,
    limit: int | None = 10,
    tu_ngay: str | None = None,
    den_ngay: str | None = None,
    nguoi_ky: str | None = None,
) -> list[Hit]:
    """Search the letters under ``content_dir`` as published (withdrawn ones left out),
    bringing the cached index up to date first (only changed letters are re-indexed)."""
    from builder.archive.read import read_archive
    from builder.publish.lists import issuer_slugs as slugs_of

    archive = read_archive(Path(content_dir), cache_dir=Path(cache_dir))
    index_dir = index_dir_for(cache_dir)
    listed = [x for x in archive.letters if x.is_listed]
    slug_for = slugs_of(archive)
    slugs = {name: slug_for(name) for name in {x.co_quan_ban_hanh for x in listed}}
    if co_quan and co_quan not in slugs and co_quan not in slugs.values():
        slugs[co_quan] = slug_for(co_quan)  # a name spelled as the registry knows it
    update_index(index_dir, (archive.store.with_body(x) for x in listed), slugs)
    return search(
        index_dir,
        query,
        co_quan=co_quan,
        nam=nam,
        loai=loai,
        limit=limit,
        issuer_slugs=slugs,
        tu_ngay=tu_ngay,
        den_ngay=den_ngay,
        nguoi_ky=nguoi_ky,
    )
