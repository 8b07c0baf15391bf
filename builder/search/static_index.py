"""The browser's search index: small binary pieces, only the ones a query needs.

Written from the whoosh index (``builder.search.whoosh_index``): the same terms, the
same BM25F statistics, so the browser ranks as ``vanban search`` does. Layout
under ``site/tim-kiem/`` (all integers little-endian, ``varint`` = LEB128): the
manifest and a few pack files, every piece read with a Range request
(``builder.search.packs``: a piece is found by pack number, offset and length).

- ``manifest.json`` — the one small, short-cached file the page loads: counts,
  the packs' names, the two directories, where the columns and filters are, the
  issuers', types' and years' names and counts over the whole archive.
- dictionary shards (in packs, through the shard directory) — the term
  dictionary cut into ``2^k`` shards by FNV-1a hash of the term, each ~1.5 KB, so
  a term costs one small piece whatever the archive's size. An entry: term, df,
  the term's maximum impact (float32), then either its postings inline (rare
  terms) or its tiers, membership and impacts.
- a tier (in packs) — up to TIER_SIZES[k] postings, the k-th highest-impact slice
  of one term (docnums delta-coded, impacts as 24-bit fractions of the maximum).
  A query reads tier 1 first and further tiers only while that is the cheapest
  way to settle its first results, so a common word's payload does not grow
  with the archive.
- a membership (in packs) — every letter that has a common term, as a bitmap or a
  delta list (whichever is smaller): exact counts and required clauses without
  the impacts.
- impacts (in packs, never deflated) — the same letters' impacts (24 bits, in
  docnum order): the impact of one letter is three bytes at its rank in the
  membership, so the browser ranks exactly as whoosh does without reading whole
  lists (``search.js`` ``rank``).
- display records (in packs, through the display directory) — what a result
  shows (number, subject, issuer, date, link, text for the snippet), read only
  for shown results.
- columns (one piece, found from the manifest) — per letter its issuer and type, in
  deflated blocks of ``COLUMN_BLOCK`` letters (letters are numbered by issue date, so years
  are ranges and need no column): a query reads the blocks that hold its candidates, for
  the counts beside the filters and the issuer and type filters; the counts over the whole
  archive (the empty search page) are in the manifest.
- the date filter (a piece) — UTF-8 JSON: issue dates with the first letter of each;
  read only when a date range is asked for.
- the signer filter (a piece) — UTF-8 JSON: the signers, their keys and where each one's
  letters are (a delta list of docnums, a piece each); read when the signer field is used.

Every file but the manifest is named by its content's hash and never changes:
long-cacheable.
"""

from __future__ import annotations

import json
import math
import os
import re
import shutil
import struct
import sys
import tempfile
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from builder.archive.workers import forked_pool, usable_cores
from builder.letters.letter import Letter
from builder.search.analysis import FIELDS
from builder.search.packs import PACK_SUFFIX, PackWriter, Ref, deflate, pack_list, varint
from builder.search.ranking import (
    EVIDENCE_B,
    EVIDENCE_K1,
    K1,
    B,
    field_boost,
    is_evidence,
    manifest_weights,
)
from builder.search.whoosh_index import idf, index_dir_for, person_key, slug_of, update_index
from builder.search.whoosh_reading import Statistics, iter_postings, read_statistics

FORMAT_VERSION = 5
TIER_SIZES = (128, 512, 2048, 8192, 32768)
"""Postings per tier, highest impacts first; the last size repeats."""
INLINE_MAX = 12
"""Terms in at most this many letters keep their postings in the dictionary entry."""
SHARD_TARGET_BYTES = 1536
QUANT = (1 << 24) - 1
"""Impacts are stored as 24-bit fractions of the term's maximum: with 16 bits, two letters whose
scores differ by 2e-4 in 868 (a 10,000-letter query) could swap places against whoosh's order."""
SEARCH_DIR = "tim-kiem"


def fnv1a(term: str) -> int:
    """32-bit FNV-1a of the UTF-8 bytes: the shard of a term (the browser computes the same)."""
    value = 0x811C9DC5
    for byte in term.encode("utf-8"):
        value = ((value ^ byte) * 0x01000193) & 0xFFFFFFFF
    return value


def _deltas(docnums: np.ndarray, out: bytearray) -> bytearray:
    """Appends the gaps between sorted docnums (minus one) as varints."""
    if not len(docnums):
        return out
    gaps = np.diff(docnums, prepend=-1) - 1
    if int(gaps.max()) < 0x80:  # the usual case: one byte per gap, no Python loop
        out += gaps.astype(np.uint8).tobytes()
        return out
    append = out.append
    for gap in gaps.tolist():
        while gap >= 0x80:
            append((gap & 0x7F) | 0x80)
            gap >>= 7
        append(gap)
    return out


def _impact_bytes(quantized: np.ndarray) -> bytes:
    """Quantized impacts as 3 bytes each, little-endian."""
    return np.ascontiguousarray(quantized.astype("<u4").view(np.uint8).reshape(-1, 4)[:, :3]).tobytes()


def _postings_bytes(docnums: np.ndarray, quantized: np.ndarray) -> bytes:
    """Docnum-sorted postings (docnums, quantized impacts): count, docnum deltas, then 24-bit impacts."""
    out = _deltas(docnums, bytearray(varint(len(docnums))))
    out += _impact_bytes(quantized)
    return bytes(out)


def _membership_bytes(docnums: np.ndarray, doc_count: int) -> bytes:
    """All letters with a term: a delta list (kind 0) or a bitmap (kind 1), the smaller one."""
    deltas = _deltas(docnums, bytearray(b"\x00"))
    if len(deltas) <= doc_count // 8 + 2:
        return bytes(deltas)
    bits = np.zeros((doc_count // 8 + 1) * 8, dtype=bool)
    bits[docnums] = True
    return b"\x01" + np.packbits(bits, bitorder="little").tobytes()


def _entry(term: str, docnums: np.ndarray, values: np.ndarray, doc_count: int, writer: PackWriter) -> bytes:
    """One dictionary entry (see the module docstring for the layout); ``docnums`` ascending."""
    top = float(values.max())
    scale = float(np.float32(top))
    if scale > 0:
        quantized = np.clip(np.rint(values / scale * QUANT), 1, QUANT).astype(np.int64)
    else:
        quantized = np.ones(len(values), dtype=np.int64)
    count = len(docnums)
    out = bytearray()
    encoded = term.encode("utf-8")
    out += varint(len(encoded)) + encoded + varint(count) + struct.pack("<f", scale)
    if count <= INLINE_MAX:
        out += b"\x00" + _postings_bytes(docnums, quantized)
        return bytes(out)
    ranked = np.lexsort((docnums, -quantized))  # highest impact first, then docnum
    ranked_docs = docnums[ranked]
    ranked_quant = quantized[ranked]
    sizes: list[int] = []
    start = 0
    while start < count:
        size = TIER_SIZES[min(len(sizes), len(TIER_SIZES) - 1)]
        sizes.append(min(size, count - start))
        start += size
    out += b"\x01" + varint(len(sizes))
    start = 0
    for size in sizes:
        tier_docs = ranked_docs[start : start + size]
        tier_quant = ranked_quant[start : start + size]
        by_docnum = np.argsort(tier_docs, kind="stable")
        ref = writer.put(_postings_bytes(tier_docs[by_docnum], tier_quant[by_docnum]))
        out += ref.encode() + varint(size) + struct.pack("<I", int(tier_quant[0]))[:3]
        start += size
    if len(sizes) > 1:
        # The membership, and every letter's impact in docnum order: once the membership is read,
        # the impact of any one letter is three bytes at a known place (read with a Range request).
        out += b"\x01" + writer.put(_membership_bytes(docnums, doc_count)).encode()
        out += writer.put(_impact_bytes(quantized), compress=False).encode()
    else:
        out += b"\x00"
    return bytes(out)


def plain_text(markdown: str) -> str:
    """The body without Markdown marks, for snippets."""
    text = re.sub(r"(?m)^\s{0,3}(?:#{1,6}\s+|>\s?|[-*+]\s+)", "", markdown)
    text = re.sub(r"[*_`]+", "", text)
    return re.sub(r"\n{2,}", "\n", text).strip()


def _display(letter: Letter) -> dict[str, object]:
    """What a result shows: from the letter whole, its body included (for the snippet)."""
    return {
        "id": letter.id,
        "so": letter.so_ky_hieu or (f"/{letter.ky_hieu}" if letter.ky_hieu else None),
        "trich_yeu": letter.trich_yeu,
        "co_quan": letter.co_quan_ban_hanh,
        "ngay": letter.ngay_ban_hanh,
        "loai": letter.loai_van_ban,
        "ky": letter.nguoi_ky,
        "url": f"van-ban/{letter.id}/",
        "text": plain_text(letter.noi_dung),
        # Fields (lĩnh vực) for a search filter; absent when the letter has none (most).
        **({"linh_vuc": list(letter.linh_vuc)} if letter.linh_vuc else {}),
    }


@dataclass(slots=True)
class PublishReport:
    """What ``publish_search`` wrote, for the build log and the benchmarks."""

    letters: int = 0
    terms: int = 0
    shards: int = 0
    files: int = 0
    bytes: int = 0
    index_update: object = None


@dataclass(slots=True)
class _Job:
    """What the term workers need (inherited by forked workers, never pickled).

    Flat numpy arrays, made once before the workers start: a worker reads their
    buffers and touches no Python object per letter, so it copies none of the
    parent's pages (copy-on-write) however large the archive.
    """

    index_dir: Path
    out: Path
    doc_count: int
    """Letters in the browser index."""
    live_count: int
    """Live letters in the whoosh index (the idf's N)."""
    browser_of: np.ndarray
    """whoosh docnum -> browser docnum (-1: deleted or not listed)."""
    norm_of: dict[str, np.ndarray]
    """Per field, whoosh docnum -> BM25's length norm K1 × ((1 − B) + B × length / average)."""
    evidence_norm_of: dict[str, np.ndarray]
    """The same with the evidence terms' EVIDENCE_K1 and EVIDENCE_B (``builder.search.ranking``)."""


def _job(index_dir: Path, out: Path, stats: Statistics, browser_docnum: dict[str, int]) -> _Job:
    slots = max(stats.docnums, default=-1) + 1
    browser_of = np.full(slots, -1, dtype=np.int64)
    norm_of = {name: np.zeros(slots, dtype=np.float64) for name in FIELDS}
    evidence_norm_of = {name: np.zeros(slots, dtype=np.float64) for name in FIELDS}
    for whoosh_docnum, letter_id in stats.docnums.items():
        browser_of[whoosh_docnum] = browser_docnum.get(letter_id, -1)
        for name in FIELDS:
            length, average = stats.lengths[letter_id][name], stats.average_length[name]
            norm_of[name][whoosh_docnum] = K1 * ((1 - B) + B * length / average)
            evidence_norm_of[name][whoosh_docnum] = EVIDENCE_K1 * (
                (1 - EVIDENCE_B) + EVIDENCE_B * length / average
            )
    return _Job(index_dir, out, len(browser_docnum), stats.doc_count, browser_of, norm_of, evidence_norm_of)


_JOB: _Job | None = None
PARALLEL_FROM_DOCS = 2000
"""From this many letters on, two processes share the terms."""


PARTS = 2
"""The terms are cut in two by hash, each part writing its own packs (numbered apart): two
processes share the work, or one does both parts; the files are the same either way."""

TermEntries = tuple[list[tuple[str, bytes]], dict[int, str], int]
"""Dictionary entries (term, bytes), the packs written (number -> name), their bytes."""


def _term_entries(job: _Job) -> TermEntries:
    """Dictionary entries of every term (writing their pieces into packs): one process, or two."""
    global _JOB
    if job.doc_count < PARALLEL_FROM_DOCS or usable_cores() < 2:
        return _entries_of_parts(job, tuple(range(PARTS)))
    _JOB = job
    try:
        with forked_pool(PARTS) as pool:
            results = list(pool.map(_entries_of_part_forked, range(PARTS)))
    finally:
        _JOB = None
    entries = sorted(entry for result in results for entry in result[0])
    names = {number: name for result in results for number, name in result[1].items()}
    return entries, names, sum(result[2] for result in results)


def _entries_of_part_forked(part: int) -> TermEntries:
    assert _JOB is not None
    return _entries_of_parts(_JOB, (part,))


def _entries_of_parts(job: _Job, parts: tuple[int, ...]) -> TermEntries:
    """Entries of the terms whose hash falls in ``part``: impacts = Σ_field boost × BM25."""
    writers = {part: PackWriter(job.out / "p", first=part, step=PARTS) for part in parts}
    doc_count, browser_of, norm_of = job.doc_count, job.browser_of, job.norm_of
    entries: list[tuple[str, bytes]] = []
    keep = (lambda term: fnv1a(term) % PARTS in writers) if len(parts) < PARTS else None
    for term, per_field in iter_postings(job.index_dir, keep):
        # Per-letter scores in field order: the same float operations as whoosh's bm25(idf, tf,
        # length, average length) × the field's boost, summed over fields (plain terms) or the
        # best field's (evidence, ``builder.search.ranking``). Only the term's own letters are touched
        # (a dense array per term would make the export quadratic).
        evidence = is_evidence(term)
        k1 = EVIDENCE_K1 if evidence else K1
        norms = job.evidence_norm_of if evidence else norm_of
        fields: list[tuple[str, np.ndarray, np.ndarray, np.ndarray]] = []
        for name, (docnums, listed_weights) in per_field.items():
            whoosh_docs = np.asarray(docnums, dtype=np.int64)
            weights = np.asarray(listed_weights, dtype=np.float64)
            # A letter deleted or withdrawn since the index was written keeps its postings (whoosh
            # marks it deleted) and may lie past the table, which ends at the last live letter.
            in_table = whoosh_docs < len(browser_of)
            if not in_table.all():
                whoosh_docs, weights = whoosh_docs[in_table], weights[in_table]
            targets = browser_of[whoosh_docs]
            live = targets >= 0
            fields.append(
                (name, targets[live], np.asarray(weights, dtype=np.float64)[live], whoosh_docs[live])
            )
        docs = np.unique(np.concatenate([targets for _, targets, _, _ in fields])) if fields else np.array([])
        by_field: list[tuple[np.ndarray, np.ndarray]] = []
        for name, targets, tf, whoosh_docs in fields:
            # Evidence's frequency counts letters with it in any field (whoosh_index.PortalBM25F).
            frequency = len(docs) if evidence else len(targets)
            scale = field_boost(term, name) * idf(frequency, job.live_count) * (k1 + 1)
            by_field.append((targets, scale * tf / (tf + norms[name][whoosh_docs])))
        if docs.size:
            sums = np.zeros(len(docs), dtype=np.float64)
            for targets, contributions in by_field:
                at = np.searchsorted(docs, targets)
                if evidence:
                    sums[at] = np.maximum(sums[at], contributions)
                else:
                    sums[at] += contributions
            writer = writers[fnv1a(term) % PARTS]
            entries.append((term, _entry(term, docs, sums, doc_count, writer)))
    names: dict[int, str] = {}
    for writer in writers.values():
        writer.close()
        names.update(writer.names)
    return entries, names, sum(writer.bytes_written for writer in writers.values())


@dataclass(frozen=True, slots=True)
class _Listed:
    """What the export keeps of each listed letter: its place in the order and its filters."""

    ngay_ban_hanh: str
    co_quan_ban_hanh: str
    loai_van_ban: str
    nguoi_ky: str | None


COLUMN_BLOCK = 256
"""Letters per block of the issuer and type columns: a query reads the blocks that hold its
candidates (adjacent ones in one Range request), not the columns whole (~200 KB at 100,000)."""


def _column_blocks(values: list[tuple[int, int]], wide: bool) -> tuple[bytes, list[int]]:
    """The issuer and type of every letter, in docnum order, cut in blocks of ``COLUMN_BLOCK``
    letters, each its issuers then its types (uint8, or uint16 when ``wide``), raw-deflated:
    the blocks back to back, and each one's length."""
    out = bytearray()
    lengths = []
    for start in range(0, len(values), COLUMN_BLOCK):
        block = values[start : start + COLUMN_BLOCK]
        issuers = [issuer for issuer, _ in block]
        kinds = [kind for _, kind in block]
        code = "H" if wide else "B"
        raw = struct.pack(f"<{len(block)}{code}", *issuers) + struct.pack(f"<{len(block)}{code}", *kinds)
        packed = deflate(raw)
        out += packed
        lengths.append(len(packed))
    return bytes(out), lengths


def _date_filter(order: list[str], listed: Mapping[str, _Listed]) -> bytes:
    """The date range filter's data (UTF-8 JSON): each issue date with the first letter numbered
    on it (letters are numbered by date). Read only when a date range is asked for."""
    dates: list[tuple[str, int]] = []
    for docnum, letter_id in enumerate(order):
        if not dates or dates[-1][0] != listed[letter_id].ngay_ban_hanh:
            dates.append((listed[letter_id].ngay_ban_hanh, docnum))
    return json.dumps(dates, ensure_ascii=False, separators=(",", ":")).encode("utf-8")


def _signer_filter(order: list[str], listed: Mapping[str, _Listed], writer: PackWriter) -> bytes:
    """The signer filter's data (UTF-8 JSON): the signers' names, each with its
    ``whoosh_index.person_key`` and the place of its letters (a delta list of docnums, a piece
    of its own): read when the signer field is used, then only the letters of the signer asked."""
    letters: dict[str, list[int]] = {}
    for docnum, letter_id in enumerate(order):
        signer = listed[letter_id].nguoi_ky
        if signer:
            letters.setdefault(signer, []).append(docnum)
    signers = sorted(letters)
    refs = []
    for name in signers:
        ref = writer.put(bytes(_deltas(np.asarray(letters[name], dtype=np.int64), bytearray())))
        refs.append([ref.pack, ref.offset, ref.length, int(ref.deflated)])
    data = {"names": signers, "keys": [person_key(name) for name in signers], "letters": refs}
    return json.dumps(data, ensure_ascii=False, separators=(",", ":")).encode("utf-8")


def _ref_list(ref: Ref) -> list[int]:
    """A piece's place as the manifest writes it: [pack, offset, length, deflated]."""
    return [ref.pack, ref.offset, ref.length, int(ref.deflated)]


def publish_search(
    letters: Iterable[Letter], site_dir: Path, cache_dir: Path, issuer_slugs: Mapping[str, str] | None = None
) -> PublishReport:
    """Update the whoosh index in ``cache_dir/whoosh`` (only changed letters) and write the
    browser index under ``site_dir/tim-kiem/``. ``issuer_slugs``: issuer name -> the slug of
    its list page (``lists.issuer_slugs``), the value of the issuer filter in a URL.

    ``letters`` is read twice, a letter at a time: once for the index, once for the
    results' text. A list will do; the build passes ``archive.StoredLetters``, which
    reads each letter from the archive's store, so no more than one is in memory.
    """
    index_dir = index_dir_for(cache_dir)
    listed: dict[str, _Listed] = {}

    def listed_letters() -> Iterator[Letter]:
        for letter in letters:
            if letter.is_listed:
                issuer, kind = sys.intern(letter.co_quan_ban_hanh), sys.intern(letter.loai_van_ban)
                signer = sys.intern(letter.nguoi_ky) if letter.nguoi_ky else None
                listed[letter.id] = _Listed(letter.ngay_ban_hanh, issuer, kind, signer)
                yield letter

    report = PublishReport()
    report.index_update = update_index(index_dir, listed_letters(), issuer_slugs)
    report.letters = len(listed)
    out = Path(site_dir) / SEARCH_DIR
    shutil.rmtree(out / "g", ignore_errors=True)  # the generation folders of format 2 and before
    # The index already in the folder stays whole until the new manifest replaces it: under
    # `vanban serve` the served folder is written again in the background after each save.
    (out / "p").mkdir(parents=True, exist_ok=True)

    stats = read_statistics(index_dir)
    order = sorted(
        (letter_id for letter_id in stats.lengths if letter_id in listed),
        key=lambda letter_id: (listed[letter_id].ngay_ban_hanh, letter_id),
    )
    doc_count = len(order)
    docnum_of = {letter_id: docnum for docnum, letter_id in enumerate(order)}
    job = _job(index_dir, out, stats, docnum_of)
    del stats
    entries, names, bytes_written = _term_entries(job)
    report.terms = len(entries)
    total = sum(len(data) for _, data in entries)
    shard_count = 1 << max(0, math.ceil(math.log2(max(1, total / SHARD_TARGET_BYTES))))
    shards: list[bytearray] = [bytearray() for _ in range(shard_count)]
    for term, data in entries:  # in term order, whatever the number of worker processes
        shards[fnv1a(term) % shard_count] += data
    report.shards = shard_count
    del entries

    # Shards and display records go into packs of their own, each found through a directory
    # (fixed-width entries: the browser reads the n-th with a Range request). Display records
    # are packed in docnum order, whatever order the letters come in, so the packs' names do
    # not depend on it; they wait in a scratch file (one letter's text at a time in memory).
    writer = PackWriter(out / "p", first=max(names, default=-1) + 1)
    shard_directory = b"".join(writer.put(bytes(shard)).directory_entry() for shard in shards)
    del shards
    display_refs: list[Ref | None] = [None] * doc_count
    with tempfile.TemporaryFile(dir=out) as scratch:
        spans: list[tuple[int, int] | None] = [None] * doc_count
        for letter in letters:
            docnum = docnum_of.get(letter.id) if letter.is_listed else None
            if docnum is not None:
                record = json.dumps(_display(letter), ensure_ascii=False).encode("utf-8")
                spans[docnum] = (scratch.tell(), len(record))
                scratch.write(record)
        for docnum, span in enumerate(spans):
            if span is not None:
                scratch.seek(span[0])
                display_refs[docnum] = writer.put(scratch.read(span[1]))
    display_directory = b"".join(ref.directory_entry() for ref in display_refs if ref is not None)
    directories = [writer.put(shard_directory, compress=False), writer.put(display_directory, compress=False)]

    issuers = sorted({letter.co_quan_ban_hanh for letter in listed.values()})
    types = sorted({letter.loai_van_ban for letter in listed.values()})
    issuer_number = {name: number for number, name in enumerate(issuers)}
    type_number = {name: number for number, name in enumerate(types)}
    wide = len(issuers) > 255 or len(types) > 255
    values = [
        (issuer_number[listed[letter_id].co_quan_ban_hanh], type_number[listed[letter_id].loai_van_ban])
        for letter_id in order
    ]
    issuer_counts = [0] * len(issuers)
    type_counts = [0] * len(types)
    for issuer, kind in values:
        issuer_counts[issuer] += 1
        type_counts[kind] += 1
    years: dict[str, int] = {}
    for docnum, letter_id in enumerate(order):
        years.setdefault(listed[letter_id].ngay_ban_hanh[:4], docnum)
    blocks, block_lengths = _column_blocks(values, wide)
    columns = writer.put(blocks, compress=False)
    date_filter = writer.put(_date_filter(order, listed))
    signer_filter = writer.put(_signer_filter(order, listed, writer))
    writer.close()
    names.update(writer.names)
    bytes_written += writer.bytes_written

    manifest = {
        "version": FORMAT_VERSION,
        "docs": doc_count,
        "shards": shard_count,
        "packs": pack_list(names),
        "shard_directory": [directories[0].pack, directories[0].offset, directories[0].length],
        "display_directory": [directories[1].pack, directories[1].offset, directories[1].length],
        "columns": {"at": _ref_list(columns), "block": COLUMN_BLOCK, "lengths": block_lengths},
        "dates": _ref_list(date_filter),
        "signers": _ref_list(signer_filter),
        "wide": wide,
        "issuers": issuers,
        "issuer_slugs": [slug_of(name, issuer_slugs) for name in issuers],
        "issuer_counts": issuer_counts,
        "types": types,
        "type_counts": type_counts,
        "years": years,
        "quant": QUANT,
        "weights": manifest_weights(),
    }
    written = out / f".manifest.json.{os.getpid()}"
    written.write_text(json.dumps(manifest, ensure_ascii=False), encoding="utf-8")
    os.replace(written, out / "manifest.json")
    kept = {f"{name}{PACK_SUFFIX}" for name in names.values()}
    for path in (out / "p").iterdir():  # the packs of the index replaced
        if path.name not in kept:
            path.unlink(missing_ok=True)
    report.files = len(names) + 1
    report.bytes = bytes_written
    return report


__all__ = ["FIELDS", "PublishReport", "fnv1a", "publish_search"]
