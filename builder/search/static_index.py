"""The browser's search index: small binary pieces, only the ones a query needs.

Written from the whoosh index (``builder.search.whoosh_index``): the same terms, the
same BM25F statistics, so the browser ranks as ``vanban search`` does. Layout
under ``site/tim-kiem/`` (all integers little-endian, ``varint`` = LEB128):

- ``manifest.json`` — the one small, short-cached file the page loads: counts,
  the generation directory, the filter names, the columns file.
- ``<gen>/s/<n>.bin`` — the term dictionary cut into ``2^k`` shards by FNV-1a
  hash of the term, each ~6 KB, so a term costs one small file whatever the
  archive's size. An entry: term, df, the term's maximum impact (float32),
  then either its postings inline (rare terms) or its tiers and membership.
- ``p/<sha1-12>.bin`` — a tier: up to TIER_SIZES[k] postings, the k-th
  highest-impact slice of one term (docnums delta-coded, impacts as uint16
  fractions of the maximum). A query reads tier 1 first and further tiers
  only while that is the cheapest way to settle its first results, so a common
  word's payload does not grow with the archive.
- ``p/<sha1-12>.bin`` (membership) — every letter that has a common term,
  as a bitmap or a delta list (whichever is smaller): exact counts and
  required clauses without the impacts.
- ``p/<sha1-12>.pack`` (impacts) — the same letters' impacts (uint16, in
  docnum order): the impact of one letter is two bytes at its rank in the
  membership, read with a Range request, so the browser ranks exactly as
  whoosh does without reading whole lists (``search.js`` ``rank``).
- ``p/<sha1-12>.bin`` (columns) — per letter its issuer and type (letters are
  numbered by issue date, so years are ranges): filters, counts, date order.
- ``p/<sha1-12>.bin`` (filters) — UTF-8 JSON for the date range and signer
  filters: issue dates with the first letter of each, signers and each
  letter's signer; fetched only when one of those filters is used.
- ``<gen>/d/<docnum>.json`` — what a result shows (number, subject, issuer,
  date, link, text for the snippet), fetched only for shown results.

Files named by their content hash (and everything under the ``<gen>``
directory, itself named by a hash of its content) never change: long-cacheable.
"""

from __future__ import annotations

import hashlib
import json
import math
import multiprocessing
import re
import shutil
import struct
import sys
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

from builder.archive.workers import frozen_for_workers, usable_cores
from builder.letters.letter import Letter
from builder.search.analysis import FIELDS
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

FORMAT_VERSION = 2
TIER_SIZES = (128, 512, 2048, 8192, 32768)
"""Postings per tier, highest impacts first; the last size repeats."""
INLINE_MAX = 12
"""Terms in at most this many letters keep their postings in the dictionary entry."""
SHARD_TARGET_BYTES = 1536
QUANT = 65535
SEARCH_DIR = "tim-kiem"
RANGED_SUFFIX = ".pack"
"""Files the browser reads in parts (Range requests): never precompressed (``vanban precompress``
skips the suffix), since a host serving a ``.gz`` twin answers a Range request with the whole
file (nginx's ``gzip_static``)."""


def fnv1a(term: str) -> int:
    """32-bit FNV-1a of the UTF-8 bytes: the shard of a term (the browser computes the same)."""
    value = 0x811C9DC5
    for byte in term.encode("utf-8"):
        value = ((value ^ byte) * 0x01000193) & 0xFFFFFFFF
    return value


def varint(value: int) -> bytes:
    out = bytearray()
    while True:
        byte = value & 0x7F
        value >>= 7
        if value:
            out.append(byte | 0x80)
        else:
            out.append(byte)
            return bytes(out)


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


def _postings_bytes(docnums: np.ndarray, quantized: np.ndarray) -> bytes:
    """Docnum-sorted postings (docnums, quantized impacts): count, docnum deltas, then uint16 impacts."""
    out = _deltas(docnums, bytearray(varint(len(docnums))))
    out += quantized.astype("<u2").tobytes()
    return bytes(out)


def _membership_bytes(docnums: np.ndarray, doc_count: int) -> bytes:
    """All letters with a term: a delta list (kind 0) or a bitmap (kind 1), the smaller one."""
    deltas = _deltas(docnums, bytearray(b"\x00"))
    if len(deltas) <= doc_count // 8 + 2:
        return bytes(deltas)
    bits = np.zeros((doc_count // 8 + 1) * 8, dtype=bool)
    bits[docnums] = True
    return b"\x01" + np.packbits(bits, bitorder="little").tobytes()


@dataclass(slots=True)
class _Writer:
    """Writes content-addressed files once each."""

    root: Path
    written: set[str] = field(default_factory=set)
    bytes_written: int = 0

    def put(self, data: bytes, suffix: str = ".bin") -> bytes:
        digest = hashlib.sha1(data).digest()[:6]
        name = digest.hex() + suffix
        if name not in self.written:
            (self.root / "p" / name).write_bytes(data)
            self.written.add(name)
            self.bytes_written += len(data)
        return digest


def _entry(term: str, docnums: np.ndarray, values: np.ndarray, doc_count: int, writer: _Writer) -> bytes:
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
        digest = writer.put(_postings_bytes(tier_docs[by_docnum], tier_quant[by_docnum]))
        out += digest + varint(size) + struct.pack("<H", int(tier_quant[0]))
        start += size
    if len(sizes) > 1:
        # The membership, and every letter's impact in docnum order: once the membership is read,
        # the impact of any one letter is two bytes at a known place (read with a Range request).
        out += b"\x01" + writer.put(_membership_bytes(docnums, doc_count))
        out += writer.put(quantized.astype("<u2").tobytes(), RANGED_SUFFIX)
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


def _term_entries(job: _Job) -> tuple[list[tuple[str, bytes]], int, int]:
    """Dictionary entries of every term (writing their tier files): one process, or two."""
    global _JOB
    parts = 2 if job.doc_count >= PARALLEL_FROM_DOCS and usable_cores() > 1 else 1
    if parts == 1:
        return _entries_of_part(job, 0, 1)
    _JOB = job
    try:
        with frozen_for_workers(), multiprocessing.get_context("fork").Pool(parts) as pool:
            results = pool.starmap(_entries_of_part_forked, [(part, parts) for part in range(parts)])
    finally:
        _JOB = None
    entries = sorted(entry for result in results for entry in result[0])
    return entries, sum(result[1] for result in results), sum(result[2] for result in results)


def _entries_of_part_forked(part: int, parts: int) -> tuple[list[tuple[str, bytes]], int, int]:
    assert _JOB is not None
    return _entries_of_part(_JOB, part, parts)


def _entries_of_part(job: _Job, part: int, parts: int) -> tuple[list[tuple[str, bytes]], int, int]:
    """Entries of the terms whose hash falls in ``part``: impacts = Σ_field boost × BM25."""
    writer = _Writer(job.out)
    doc_count, browser_of, norm_of = job.doc_count, job.browser_of, job.norm_of
    entries: list[tuple[str, bytes]] = []
    keep = (lambda term: fnv1a(term) % parts == part) if parts > 1 else None
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
            entries.append((term, _entry(term, docs, sums, doc_count, writer)))
    return entries, len(writer.written), writer.bytes_written


@dataclass(frozen=True, slots=True)
class _Listed:
    """What the export keeps of each listed letter: its place in the order and its filters."""

    ngay_ban_hanh: str
    co_quan_ban_hanh: str
    loai_van_ban: str
    nguoi_ky: str | None


def _date_and_signer_filters(order: list[str], listed: Mapping[str, _Listed]) -> bytes:
    """The date range and signer filters' data (UTF-8 JSON), fetched only when one is used:
    each issue date with the first letter numbered on it (letters are numbered by date), and
    per letter its signer's number in a list of signers (-1: none), each with its
    ``whoosh_index.person_key``."""
    dates: list[tuple[str, int]] = []
    for docnum, letter_id in enumerate(order):
        if not dates or dates[-1][0] != listed[letter_id].ngay_ban_hanh:
            dates.append((listed[letter_id].ngay_ban_hanh, docnum))
    signers = sorted({x.nguoi_ky for x in listed.values() if x.nguoi_ky})
    number = {name: n for n, name in enumerate(signers)}
    data = {
        "dates": dates,
        "signers": signers,
        "signer_keys": [person_key(name) for name in signers],
        "signer_of": [number.get(listed[letter_id].nguoi_ky or "", -1) for letter_id in order],
    }
    return json.dumps(data, ensure_ascii=False, separators=(",", ":")).encode("utf-8")


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
    for stale in ("p", "g"):
        shutil.rmtree(out / stale, ignore_errors=True)
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
    entries, written, bytes_written = _term_entries(job)
    report.terms = len(entries)
    total = sum(len(data) for _, data in entries)
    shard_count = 1 << max(0, math.ceil(math.log2(max(1, total / SHARD_TARGET_BYTES))))
    shards: list[bytearray] = [bytearray() for _ in range(shard_count)]
    for term, data in entries:  # in term order, whatever the number of worker processes
        shards[fnv1a(term) % shard_count] += data
    report.shards = shard_count
    del entries

    # The generation directory is named by a hash of everything in it; display files are written
    # as they are made (one letter's text at a time in memory), then the directory is renamed.
    staging = out / "g" / "_new"
    (staging / "s").mkdir(parents=True)
    (staging / "d").mkdir(parents=True)
    generation = hashlib.sha1()
    for number, shard in enumerate(shards):
        generation.update(hashlib.sha1(shard).digest())
        (staging / "s" / f"{number}.bin").write_bytes(bytes(shard))
    del shards
    display_digests = [b""] * doc_count
    display_bytes = 0
    for letter in letters:
        docnum = docnum_of.get(letter.id) if letter.is_listed else None
        if docnum is None:
            continue
        display = json.dumps(_display(letter), ensure_ascii=False).encode("utf-8")
        display_digests[docnum] = hashlib.sha1(display).digest()
        (staging / "d" / f"{docnum}.json").write_bytes(display)
        display_bytes += len(display)
    for digest in display_digests:  # in result order, whatever the order letters came in
        generation.update(digest)
    gen = generation.hexdigest()[:12]
    staging.rename(out / "g" / gen)

    issuers = sorted({letter.co_quan_ban_hanh for letter in listed.values()})
    types = sorted({letter.loai_van_ban for letter in listed.values()})
    issuer_number = {name: number for number, name in enumerate(issuers)}
    type_number = {name: number for number, name in enumerate(types)}
    wide = len(issuers) > 255 or len(types) > 255
    values = [
        value
        for letter_id in order
        for value in (
            issuer_number[listed[letter_id].co_quan_ban_hanh],
            type_number[listed[letter_id].loai_van_ban],
        )
    ]
    column = struct.pack(f"<{len(values)}H", *values) if wide else bytes(values)
    years: dict[str, int] = {}
    for docnum, letter_id in enumerate(order):
        years.setdefault(listed[letter_id].ngay_ban_hanh[:4], docnum)
    columns = _Writer(out).put(column).hex()
    more_filters = _Writer(out).put(_date_and_signer_filters(order, listed)).hex()

    manifest = {
        "version": FORMAT_VERSION,
        "docs": doc_count,
        "shards": shard_count,
        "gen": f"g/{gen}",
        "columns": f"p/{columns}.bin",
        "filters": f"p/{more_filters}.bin",
        "wide": wide,
        "issuers": issuers,
        "issuer_slugs": [slug_of(name, issuer_slugs) for name in issuers],
        "types": types,
        "years": years,
        "quant": QUANT,
        "weights": manifest_weights(),
    }
    (out / "manifest.json").write_text(json.dumps(manifest, ensure_ascii=False), encoding="utf-8")
    report.files = written + 1 + shard_count + doc_count + 1
    report.bytes = bytes_written + len(column) + total + display_bytes
    return report


__all__ = ["FIELDS", "PublishReport", "fnv1a", "publish_search"]


# --------------------------------------------------------------------------- reading it back
# What search.js reads, in Python: for tests and benchmarks (``benchmarks.agreement``).


class _Bytes:
    def __init__(self, data: bytes, pos: int = 0):
        self.data, self.pos = data, pos

    def varint(self) -> int:
        value, shift = 0, 0
        while True:
            byte = self.data[self.pos]
            self.pos += 1
            value |= (byte & 0x7F) << shift
            if byte < 0x80:
                return value
            shift += 7

    def take(self, count: int) -> bytes:
        out = self.data[self.pos : self.pos + count]
        self.pos += count
        return out


def _read_postings(reader: _Bytes) -> dict[int, int]:
    count = reader.varint()
    docs, previous = [], -1
    for _ in range(count):
        previous += reader.varint() + 1
        docs.append(previous)
    impacts = struct.unpack(f"<{count}H", reader.take(2 * count))
    return dict(zip(docs, impacts, strict=True))


def read_shard(search_dir: Path, manifest: Mapping[str, object], shard: int) -> dict[str, dict]:
    """A dictionary shard's entries: term -> {df, scale, inline | tiers, membership}."""
    data = (Path(search_dir) / str(manifest["gen"]) / "s" / f"{shard}.bin").read_bytes()
    reader = _Bytes(data)
    entries: dict[str, dict] = {}
    while reader.pos < len(data):
        term = reader.take(reader.varint()).decode("utf-8")
        entry: dict[str, object] = {"df": reader.varint(), "scale": struct.unpack("<f", reader.take(4))[0]}
        if reader.take(1) == b"\x00":
            entry["inline"] = _read_postings(reader)
        else:
            tiers = []
            for _ in range(reader.varint()):
                digest = reader.take(6).hex()
                tiers.append(
                    {"hash": digest, "count": reader.varint(), "max": struct.unpack("<H", reader.take(2))[0]}
                )
            entry["tiers"] = tiers
            if reader.take(1) == b"\x01":
                entry["membership"] = reader.take(6).hex()
                if int(manifest["version"]) >= 2:  # type: ignore[call-overload]
                    entry["impacts"] = reader.take(6).hex()
            else:
                entry["membership"] = None
        entries[term] = entry
    return entries


def read_term_postings(
    search_dir: Path, manifest: Mapping[str, object], entry: Mapping[str, object]
) -> dict[int, int]:
    """Every letter with the term and its quantized impact."""
    if "inline" in entry:
        return dict(entry["inline"])  # type: ignore[call-overload]
    postings: dict[int, int] = {}
    for tier in entry["tiers"]:  # type: ignore[attr-defined]
        postings.update(_read_postings(_Bytes((Path(search_dir) / "p" / f"{tier['hash']}.bin").read_bytes())))
    return postings


def read_display(search_dir: Path, manifest: Mapping[str, object], docnum: int) -> dict[str, object]:
    """What a result shows."""
    path = Path(search_dir) / str(manifest["gen"]) / "d" / f"{docnum}.json"
    return dict(json.loads(path.read_text(encoding="utf-8")))
