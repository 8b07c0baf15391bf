// The search page: reads the static index written by builder/static_index.py and
// ranks exactly as `vanban search` does (same analyzer, same BM25F impacts).
// Plain ES module, served as is. Letter text is untrusted: every string from the
// index goes into the page through textContent, never innerHTML.

import { ABBREVIATION_KEYS, analyzeDocument, analyzeQuery, foldToken, syllableKey } from "./analysis.js";
import { dateShort } from "./dates.js";

const PAGE_SIZE = 10;
const TEXT_DECODER = new TextDecoder();
const TEXT_ENCODER = new TextEncoder();

/** 32-bit FNV-1a of the UTF-8 bytes (builder.static_index.fnv1a). */
export function fnv1a(term) {
  let value = 0x811c9dc5;
  for (const byte of TEXT_ENCODER.encode(term)) {
    value ^= byte;
    value = Math.imul(value, 0x01000193) >>> 0;
  }
  return value >>> 0;
}

class Reader {
  constructor(buffer) {
    this.bytes = new Uint8Array(buffer);
    this.view = new DataView(this.bytes.buffer, this.bytes.byteOffset, this.bytes.byteLength);
    this.pos = 0;
  }
  get done() {
    return this.pos >= this.bytes.length;
  }
  varint() {
    let value = 0;
    let shift = 0;
    for (;;) {
      const byte = this.bytes[this.pos++];
      value += (byte & 0x7f) * 2 ** shift;
      if (byte < 0x80) return value;
      shift += 7;
    }
  }
  byte() {
    return this.bytes[this.pos++];
  }
  uint24() {
    const value = this.bytes[this.pos] | (this.bytes[this.pos + 1] << 8) | (this.bytes[this.pos + 2] << 16);
    this.pos += 3;
    return value;
  }
  float32() {
    const value = this.view.getFloat32(this.pos, true);
    this.pos += 4;
    return value;
  }
  /** A piece's place (builder/search/packs.py Ref): pack, offset, length, deflated or not. */
  ref() {
    const pack = this.varint();
    const offset = this.varint();
    const length = this.varint();
    return { pack, offset, length: Math.floor(length / 2), deflated: length % 2 === 1 };
  }
  string(length) {
    const text = TEXT_DECODER.decode(this.bytes.subarray(this.pos, this.pos + length));
    this.pos += length;
    return text;
  }
}

/** Docnum-sorted postings: docnums (Int32Array) and quantized impacts (24 bits each; Uint32Array). */
function readPostings(reader) {
  const count = reader.varint();
  const docs = new Int32Array(count);
  const bytes = reader.bytes;
  let pos = reader.pos;
  let previous = -1;
  for (let i = 0; i < count; i += 1) {
    let byte = bytes[pos++];
    let gap = byte & 0x7f;
    for (let shift = 7; byte >= 0x80; shift += 7) {
      byte = bytes[pos++];
      gap += (byte & 0x7f) * 2 ** shift;
    }
    previous += gap + 1;
    docs[i] = previous;
  }
  const impacts = new Uint32Array(count);
  for (let i = 0; i < count; i += 1, pos += 3) impacts[i] = bytes[pos] | (bytes[pos + 1] << 8) | (bytes[pos + 2] << 16);
  reader.pos = pos;
  return { docs, impacts };
}

// Sets of letters are bitmaps: one Uint32 word per 32 letters, letter d at bit d % 32 of
// word d / 32. Unions, intersections and counts go a word at a time.

function bitCount(words) {
  let total = 0;
  for (let w = 0; w < words.length; w += 1) {
    let x = words[w];
    if (!x) continue;
    x -= (x >>> 1) & 0x55555555;
    x = (x & 0x33333333) + ((x >>> 2) & 0x33333333);
    total += (Math.imul((x + (x >>> 4)) & 0x0f0f0f0f, 0x01010101) >>> 24);
  }
  return total;
}

const has = (words, d) => (words[d >>> 5] >>> (d & 31)) & 1;

function popCount(x) {
  x -= (x >>> 1) & 0x55555555;
  x = (x & 0x33333333) + ((x >>> 2) & 0x33333333);
  return Math.imul((x + (x >>> 4)) & 0x0f0f0f0f, 0x01010101) >>> 24;
}

/** A piece stored deflated (builder/search/packs.py), inflated by the browser. */
async function inflate(buffer) {
  const stream = new Blob([buffer]).stream().pipeThrough(new DecompressionStream("deflate-raw"));
  return new Response(stream).arrayBuffer();
}

const DIRECTORY_ENTRY = 10; // uint16 pack, uint32 offset, uint32 length << 1 | deflated
const RANGE_GAP = 32;
const COLUMN_GAP = 512;
const COUNTS_UP_FRONT = 24 * 1024;
/** The column bytes a query may read to show the counts beside the filters with its results (the
 * page may say otherwise: data-counts-up-front). A query whose counts cost more (at 100,000
 * letters a word in a tenth of the letters: its blocks hold ~145 KB) shows the filters' values
 * without counts and reads them when the filters are used (the panel opened, pointed at or
 * focused). At 10,000 letters the whole columns cost less (~15 KB). */
/** Column blocks at most this many bytes apart are read in one request (what a request's headers cost). */
/** Impacts whose ranks are at most this far apart are read in one request. */
const TIER_BYTES = 4;
const REQUEST_BYTES = 400;
/** What reading a posting of a tier costs (about: a docnum gap and three bytes of impact), and
 * what one more request costs (its headers, both ways): the ranking reads a tier rather than
 * the impacts it needs one by one when the tier costs less. */

/**
 * The first `k` slots by key (highest first, then highest docnum), in order, like a full
 * sort with (b.key - a.key || b.docnum - a.docnum) would put them; and the highest `upper`
 * of the slots left out (-Infinity if none), when `upper` is given.
 */
function selectTop(docs, keys, size, k, upper = null) {
  const top = new Int32Array(Math.min(k, size));
  let m = 0;
  let restMax = -Infinity;
  for (let s = 0; s < size; s += 1) {
    const key = keys[s];
    const d = docs[s];
    if (m === k) {
      const worst = top[k - 1];
      if (!(key > keys[worst] || (key === keys[worst] && d > docs[worst]))) {
        if (upper && upper[s] > restMax) restMax = upper[s];
        continue;
      }
      if (upper && upper[worst] > restMax) restMax = upper[worst];
      m -= 1;
    }
    let i = m;
    while (i > 0) {
      const before = top[i - 1];
      if (!(key > keys[before] || (key === keys[before] && d > docs[before]))) break;
      top[i] = before;
      i -= 1;
    }
    top[i] = s;
    m += 1;
  }
  return { top, restMax };
}

/** counts[column[d]] += 1 for every letter d in the bitmap. */
function tally1(words, column, counts) {
  for (let w = 0; w < words.length; w += 1) {
    let x = words[w];
    while (x) {
      const bit = 31 - Math.clz32(x);
      counts[column[(w << 5) + bit]] += 1;
      x &= ~(1 << bit);
    }
  }
}

/** tally1 for three columns in one walk over the bitmap (a query without filters). */
function tally3(words, a, countsA, b, countsB, c, countsC) {
  for (let w = 0; w < words.length; w += 1) {
    let x = words[w];
    if (x === 0xffffffff) {
      for (let d = w << 5, end = d + 32; d < end; d += 1) {
        countsA[a[d]] += 1;
        countsB[b[d]] += 1;
        countsC[c[d]] += 1;
      }
      continue;
    }
    while (x) {
      const bit = 31 - Math.clz32(x);
      const d = (w << 5) + bit;
      countsA[a[d]] += 1;
      countsB[b[d]] += 1;
      countsC[c[d]] += 1;
      x &= ~(1 << bit);
    }
  }
}

const FACETS = ["issuer", "year", "type"];

/** The static index: fetches only the pieces a query needs, and counts the bytes. */
export class SearchIndex {
  constructor(baseUrl) {
    this.base = new URL(baseUrl, window.location.href);
    this.cache = new Map();
    this.wholeFiles = new Map();
    this.noRanges = false;
    this.pieces = new Map();
    this.parsed = new Map();
    this.shards = new Map();
    this.docs = new Map();
    this.bytes = 0;
    this.requests = 0;
  }

  async fetchBytes(path) {
    if (!this.cache.has(path)) {
      const promise = fetch(new URL(path, this.base)).then(async (response) => {
        if (!response.ok) throw new Error(`${response.status} ${path}`);
        const buffer = await response.arrayBuffer();
        this.bytes += buffer.byteLength;
        this.requests += 1;
        return buffer;
      });
      this.cache.set(path, promise);
    }
    return this.cache.get(path);
  }

  /**
   * Bytes `start` to `end` (excluded) of a file, with a Range request. A server that ignores
   * Range sends the whole file: it is kept, and the next parts of it are cut from it.
   */
  async fetchRange(path, start, end) {
    if (end <= start) return new ArrayBuffer(0);
    if (this.wholeFiles.has(path) || this.noRanges) {
      return (await this.fetchWhole(path)).slice(start, end);
    }
    const key = `${path}#${start}-${end}`;
    if (!this.cache.has(key)) {
      const headers = { Range: `bytes=${start}-${end - 1}` };
      const promise = fetch(new URL(path, this.base), { headers }).then(async (response) => {
        if (!response.ok) throw new Error(`${response.status} ${path}`);
        const buffer = await response.arrayBuffer();
        this.bytes += buffer.byteLength;
        this.requests += 1;
        if (response.status === 206) return buffer;
        this.noRanges = true;
        if (!this.wholeFiles.has(path)) this.wholeFiles.set(path, Promise.resolve(buffer));
        return buffer.slice(start, end);
      });
      this.cache.set(key, promise);
      promise.catch(() => this.cache.delete(key));
    }
    return this.cache.get(key);
  }

  fetchWhole(path) {
    if (!this.wholeFiles.has(path)) this.wholeFiles.set(path, this.fetchBytes(path));
    return this.wholeFiles.get(path);
  }

  /** A piece of a pack (inflated when stored deflated), read once. */
  piece(ref) {
    const key = `${ref.pack}:${ref.offset}`;
    if (!this.pieces.has(key)) {
      const path = `p/${this.manifest.packs[ref.pack]}.pack`;
      let promise = this.fetchRange(path, ref.offset, ref.offset + ref.length);
      if (ref.deflated) promise = promise.then(inflate);
      this.pieces.set(key, promise);
      promise.catch(() => this.pieces.delete(key));
    }
    return this.pieces.get(key);
  }

  /** The `number`-th entry of a directory (shards, display records): a piece's place. */
  async directoryEntry(directory, number) {
    const [pack, offset] = this.manifest[directory];
    const path = `p/${this.manifest.packs[pack]}.pack`;
    const at = offset + DIRECTORY_ENTRY * number;
    const view = new DataView(await this.fetchRange(path, at, at + DIRECTORY_ENTRY));
    const length = view.getUint32(6, true);
    return { pack: view.getUint16(0, true), offset: view.getUint32(2, true), length: Math.floor(length / 2), deflated: length % 2 === 1 };
  }

  /** The manifest and the letters' columns, read once (a failed read is retried next time). */
  load() {
    if (!this.loading) {
      this.loading = this.readManifest().catch((error) => {
        this.loading = null;
        throw error;
      });
    }
    return this.loading;
  }

  async readManifest() {
    const response = await fetch(new URL("manifest.json", this.base), { cache: "no-cache" });
    if (!response.ok) throw new Error(`manifest ${response.status}`);
    const manifest = await response.json();
    const n = manifest.docs;
    // Issuer and type per letter, filled a block at a time as queries need them (`loadRows`).
    this.issuerOf = new Uint16Array(n);
    this.typeOf = new Uint16Array(n);
    this.yearOf = new Uint16Array(n);
    const starts = Object.entries(manifest.years).sort((a, b) => a[1] - b[1]);
    starts.forEach(([year, start], index) => {
      const end = index + 1 < starts.length ? starts[index + 1][1] : n;
      this.yearOf.fill(Number(year), start, end);
    });
    this.of = { issuer: this.issuerOf, year: this.yearOf, type: this.typeOf };
    const years = Object.keys(manifest.years).map(Number);
    this.facetSize = { issuer: manifest.issuers.length, type: manifest.types.length, year: years.length ? Math.max(...years) + 1 : 0 };
    // Counts over the whole archive (the empty search page, and what a query's complement is taken from).
    this.totals = { issuer: Int32Array.from(manifest.issuer_counts), type: Int32Array.from(manifest.type_counts), year: new Int32Array(this.facetSize.year) };
    for (let d = 0; d < n; d += 1) this.totals.year[this.yearOf[d]] += 1;
    const { at, block, lengths } = manifest.columns;
    const count = lengths.length;
    this.columnBlock = block;
    this.blockStarts = new Float64Array(count + 1);
    lengths.forEach((length, b) => {
      this.blockStarts[b + 1] = this.blockStarts[b] + length;
    });
    this.columnAt = at;
    this.blocks = new Array(count).fill(null); // per block: null, or the promise of its rows
    this.wordCount = (n + 31) >>> 5;
    this.all = new Uint32Array(this.wordCount).fill(0xffffffff);
    if (n & 31) this.all[this.wordCount - 1] = (1 << (n & 31)) - 1;
    this.manifest = manifest;
    return manifest;
  }

  /** The column blocks (`builder/search/static_index.py` _column_blocks) holding a letter of `words`. */
  blocksOf(words) {
    const perBlock = this.columnBlock >>> 5;
    const out = [];
    for (let b = 0; b < this.blocks.length; b += 1) {
      for (let w = b * perBlock, end = Math.min(w + perBlock, words.length); w < end; w += 1) {
        if (words[w]) {
          out.push(b);
          break;
        }
      }
    }
    return out;
  }

  /**
   * The issuer and type of every letter of the blocks `wanted` (ascending), read once: blocks
   * next to each other (or a few bytes apart) in one Range request.
   */
  async loadRows(wanted) {
    const todo = wanted.filter((b) => !this.blocks[b]);
    const [pack, offset] = this.columnAt;
    const path = `p/${this.manifest.packs[pack]}.pack`;
    const wide = this.manifest.wide;
    for (let i = 0; i < todo.length; ) {
      let j = i;
      while (j + 1 < todo.length && this.blockStarts[todo[j + 1]] - this.blockStarts[todo[j] + 1] <= COLUMN_GAP) j += 1;
      const first = todo[i];
      const span = this.fetchRange(path, offset + this.blockStarts[first], offset + this.blockStarts[todo[j] + 1]);
      for (let x = i; x <= j; x += 1) {
        const b = todo[x];
        const promise = span.then(async (buffer) => {
          const from = this.blockStarts[b] - this.blockStarts[first];
          const raw = await inflate(buffer.slice(from, from + this.blockStarts[b + 1] - this.blockStarts[b]));
          // A block: its issuers, then its types (uint8, or uint16 when wide).
          const start = b * this.columnBlock;
          const count = Math.min(this.columnBlock, this.manifest.docs - start);
          const values = wide ? new Uint16Array(raw) : new Uint8Array(raw);
          this.issuerOf.set(values.subarray(0, count), start);
          this.typeOf.set(values.subarray(count, 2 * count), start);
        });
        this.blocks[b] = promise;
        promise.catch(() => {
          this.blocks[b] = null;
        });
      }
      i = j + 1;
    }
    await Promise.all(wanted.map((b) => this.blocks[b]));
  }

  async shard(number) {
    if (!this.shards.has(number)) {
      const promise = this.directoryEntry("shard_directory", number).then((ref) => this.piece(ref)).then((buffer) => {
        const entries = new Map();
        const reader = new Reader(buffer);
        while (!reader.done) {
          const term = reader.string(reader.varint());
          const entry = { term, df: reader.varint(), scale: reader.float32() };
          if (reader.byte() === 0) {
            entry.inline = readPostings(reader);
          } else {
            entry.tiers = [];
            const tierCount = reader.varint();
            for (let i = 0; i < tierCount; i += 1) {
              entry.tiers.push({ ref: reader.ref(), count: reader.varint(), max: reader.uint24() });
            }
            if (reader.byte() === 1) {
              entry.membership = reader.ref();
              entry.impacts = reader.ref();
            } else {
              entry.membership = null;
            }
          }
          entries.set(term, entry);
        }
        return entries;
      });
      this.shards.set(number, promise);
    }
    return this.shards.get(number);
  }

  async entry(term) {
    const entries = await this.shard(fnv1a(term) % this.manifest.shards);
    return entries.get(term) ?? null;
  }

  /** One impact tier, decoded once: {docs, impacts}. */
  tier(entry, index) {
    const tier = entry.tiers[index];
    if (!tier.postings) tier.postings = this.piece(tier.ref).then((buffer) => readPostings(new Reader(buffer)));
    return tier.postings;
  }

  /** The letters that have the term, as a bitmap (decoded once, then kept with the entry). */
  membership(entry) {
    if (!entry.bits) entry.bits = this.readMembership(entry);
    return entry.bits;
  }

  async readMembership(entry) {
    const words = new Uint32Array(this.wordCount);
    const setAll = (docs) => {
      for (let i = 0; i < docs.length; i += 1) words[docs[i] >>> 5] |= 1 << (docs[i] & 31);
    };
    if (entry.inline) {
      setAll(entry.inline.docs);
    } else if (!entry.membership) {
      setAll((await this.tier(entry, 0)).docs);
    } else {
      const bytes = new Uint8Array(await this.piece(entry.membership));
      if (bytes[0] === 1) {
        const end = Math.min(bytes.length - 1, 4 * words.length);
        for (let i = 0; i < end; i += 1) words[i >>> 2] |= bytes[1 + i] << (8 * (i & 3));
      } else {
        const reader = new Reader(bytes.buffer);
        reader.pos = 1;
        let previous = -1;
        while (!reader.done) {
          previous += reader.varint() + 1;
          words[previous >>> 5] |= 1 << (previous & 31);
        }
      }
    }
    return words;
  }

  /** The letters of `words` whose issuer, year or type (`facet`) is `value` (their rows read): a bitmap. */
  mask(facet, value, words) {
    const out = new Uint32Array(this.wordCount);
    const of = this.of[facet];
    for (let w = 0; w < words.length; w += 1) {
      for (let x = words[w]; x; x &= x - 1) {
        const d = (w << 5) + (31 - Math.clz32(x & -x));
        if (of[d] === value) out[w] |= 1 << (d & 31);
      }
    }
    return out;
  }

  /** A piece the manifest points to ([pack, offset, length, deflated]) as JSON, read and parsed
   * once (forgotten if reading it failed, so that the next use tries again, as `piece` does). */
  jsonPiece(name) {
    if (!this.parsed.has(name)) {
      const [pack, offset, length, deflated] = this.manifest[name];
      const ref = { pack, offset, length, deflated: deflated === 1 };
      const promise = this.piece(ref).then((buffer) => JSON.parse(TEXT_DECODER.decode(buffer)));
      this.parsed.set(name, promise);
      promise.catch(() => this.parsed.delete(name));
    }
    return this.parsed.get(name);
  }

  /** The date filter's data (builder/search/static_index.py _date_filter), fetched on first use. */
  dates() {
    return this.jsonPiece("dates");
  }

  /** The signer filter's data (builder/search/static_index.py _signer_filter), fetched on first use. */
  signers() {
    return this.jsonPiece("signers");
  }

  /**
   * The letters issued from `from` to `to` (ISO days, both included, either may be empty) and
   * signed by `signer` (a name, with or without accents): a bitmap, or null without such a filter.
   * Dates compare as strings, as whoosh_index.date_in_range does; letters are numbered by date,
   * so a range of dates is a range of letters.
   */
  async dateAndSignerMask({ from, to, signer }) {
    if (!from && !to && !signer) return null;
    const n = this.manifest.docs;
    const words = new Uint32Array(this.wordCount);
    let lo = 0;
    let hi = n;
    if (from || to) {
      const dates = await this.dates();
      const firstFrom = (test) => {
        const at = dates.findIndex(([date]) => test(date));
        return at < 0 ? n : dates[at][1];
      };
      if (from) lo = firstFrom((date) => date >= from);
      if (to) hi = firstFrom((date) => date > to);
    }
    if (!signer) {
      for (let d = lo; d < hi; d += 1) words[d >>> 5] |= 1 << (d & 31);
      return words;
    }
    // whoosh_index.person_key: the folded syllables analyzeQuery gives, in order.
    const key = analyzeQuery(signer, this.manifest.weights).highlight.join(" ");
    const data = await this.signers();
    const lists = [];
    data.keys.forEach((k, number) => {
      if (k !== key) return;
      const [pack, offset, length, deflated] = data.letters[number];
      lists.push(this.piece({ pack, offset, length, deflated: deflated === 1 }));
    });
    for (const buffer of await Promise.all(lists)) {
      const reader = new Reader(buffer);
      let d = -1;
      while (!reader.done) {
        d += reader.varint() + 1;
        if (d >= lo && d < hi) words[d >>> 5] |= 1 << (d & 31);
      }
    }
    return words;
  }

  /** What a result shows, parsed once (the last few hundred letters shown are kept). */
  doc(docnum) {
    if (!this.docs.has(docnum)) {
      if (this.docs.size >= 300) this.docs.clear();
      const record = this.directoryEntry("display_directory", docnum).then((ref) => this.piece(ref));
      this.docs.set(docnum, record.then((buffer) => JSON.parse(TEXT_DECODER.decode(buffer))));
    }
    return this.docs.get(docnum);
  }

  /**
   * Letters matching `text` and the filters: {total, ranked: [{docnum, score}], facets, query}.
   * The first `count` results are ranked exactly as whoosh ranks them (`rank`).
   */
  async search(text, filters = {}, { sort = "relevance", count = PAGE_SIZE } = {}) {
    const manifest = await this.load();
    const query = analyzeQuery(text, manifest.weights);
    const terms = [...new Set([...query.weights.keys(), ...query.groups.flat()])];
    const entries = new Map();
    await Promise.all(terms.map(async (term) => entries.set(term, await this.entry(term))));

    const narrowed = await this.dateAndSignerMask(filters);
    let candidates;
    if (query.groups.length === 0) {
      const anyFilter =
        filters.issuer !== undefined || filters.year !== undefined || filters.type !== undefined || narrowed !== null;
      // Nothing asked yet: the filters still offer every issuer, year and type with its count
      // over the whole archive (the manifest's).
      if (!anyFilter) return { total: 0, ranked: [], facets: this.ready(this.countsOf(this.totals)), query, empty: true };
      candidates = narrowed ?? this.all;
      sort = "date";
    } else {
      // Every group's letters (the union of its alternatives), all fetched at once, then intersected.
      const sets = await Promise.all(
        query.groups.map((group) =>
          Promise.all(group.map((term) => entries.get(term)).filter(Boolean).map((entry) => this.membership(entry))),
        ),
      );
      candidates = new Uint32Array(this.wordCount);
      sets.forEach((alternatives, index) => {
        if (index === 0) {
          for (const words of alternatives) for (let w = 0; w < words.length; w += 1) candidates[w] |= words[w];
          return;
        }
        if (alternatives.length === 1) {
          const words = alternatives[0];
          for (let w = 0; w < words.length; w += 1) candidates[w] &= words[w];
          return;
        }
        for (let w = 0; w < candidates.length; w += 1) {
          let union = 0;
          for (const words of alternatives) union |= words[w];
          candidates[w] &= union;
        }
      });
    }
    if (narrowed && query.groups.length) for (let w = 0; w < candidates.length; w += 1) candidates[w] &= narrowed[w];
    // The issuer and type filters need the rows of the candidates (read by blocks); the year is
    // a range of letters. Without either, the counts are worked out after the results are shown.
    const masks = {};
    const byRow = filters.issuer !== undefined || filters.type !== undefined;
    if (byRow) await this.loadRows(this.blocksOf(candidates));
    for (const facet of FACETS) if (filters[facet] !== undefined) masks[facet] = this.mask(facet, filters[facet], candidates);
    const facets = byRow ? this.ready(this.facets(candidates, masks)) : this.countsWithoutRowFilters(candidates, masks.year);
    let chosen = candidates;
    if (Object.keys(masks).length) {
      chosen = candidates.slice();
      for (const words of Object.values(masks)) for (let w = 0; w < chosen.length; w += 1) chosen[w] &= words[w];
    }
    const total = bitCount(chosen);
    let ranked;
    if (sort === "date" || total === 0) {
      ranked = this.latest(chosen, count).map((docnum) => ({ docnum, score: 0 }));
    } else {
      ranked = await this.rank(query, entries, chosen, total, count);
    }
    return { total, ranked, facets, query };
  }

  /** The `count` highest docnums (the latest letters) in `words`, skipping those `skip` says. */
  latest(words, count, skip = null) {
    const out = [];
    for (let w = words.length - 1; w >= 0 && out.length < count; w -= 1) {
      let x = words[w];
      while (x && out.length < count) {
        const bit = 31 - Math.clz32(x);
        const d = (w << 5) + bit;
        if (!skip || !skip(d)) out.push(d);
        x &= ~(1 << bit);
      }
    }
    return out;
  }

  /** Counts per facet value (Int32Arrays by facet) as `facets` returns them: Maps of the values counted. */
  countsOf(counts) {
    const result = {};
    for (const facet of FACETS) {
      const map = new Map();
      const tally = counts[facet];
      for (let value = 0; value < tally.length; value += 1) if (tally[value]) map.set(value, tally[value]);
      result[facet] = map;
    }
    return result;
  }

  /** Counts already known, as `countsWithoutRowFilters` gives counts still to read. */
  ready(counts) {
    return { cost: 0, load: () => Promise.resolve(counts) };
  }

  /**
   * The counts when no issuer or type filter is set (a year filter may be, `yearMask`), as
   * {cost, load()}: the column bytes still to read, and the reading. Years come from the letters'
   * numbers; issuers and types from the rows of the candidates, or, when fewer bytes of blocks
   * hold the letters that are not candidates, the archive's counts less theirs (a common word:
   * "ủy ban nhân dân" reads almost nothing).
   */
  countsWithoutRowFilters(candidates, yearMask) {
    let words = candidates;
    if (yearMask) {
      words = candidates.slice();
      for (let w = 0; w < words.length; w += 1) words[w] &= yearMask[w];
    }
    const rest = new Uint32Array(this.wordCount);
    for (let w = 0; w < rest.length; w += 1) rest[w] = this.all[w] & ~words[w];
    const cost = (blocks) => blocks.reduce((sum, b) => sum + (this.blocks[b] ? 0 : this.blockStarts[b + 1] - this.blockStarts[b]), 0);
    const mine = this.blocksOf(words);
    const others = this.blocksOf(rest);
    const complement = cost(others) < cost(mine);
    let reading = null;
    const load = () => {
      reading ??= this.loadRows(complement ? others : mine).then(() => {
        const counts = { year: new Int32Array(this.facetSize.year) };
        tally1(candidates, this.yearOf, counts.year);
        counts.issuer = new Int32Array(this.facetSize.issuer);
        counts.type = new Int32Array(this.facetSize.type);
        tally1(complement ? rest : words, this.issuerOf, counts.issuer);
        tally1(complement ? rest : words, this.typeOf, counts.type);
        if (complement) {
          for (const facet of ["issuer", "type"]) {
            const total = this.totals[facet];
            for (let value = 0; value < total.length; value += 1) counts[facet][value] = total[value] - counts[facet][value];
          }
        }
        return this.countsOf(counts);
      });
      reading.catch(() => {
        reading = null;
      });
      return reading;
    };
    return { cost: Math.min(cost(mine), cost(others)), load };
  }

  /** Counts per issuer, year and type, each under the other filters (`masks`: the filters'
   * bitmaps); the rows of every letter of `candidates` read. */
  facets(candidates, masks) {
    const active = Object.keys(masks);
    const counts = {};
    for (const facet of FACETS) counts[facet] = new Int32Array(this.facetSize[facet]);
    // Without filters every facet counts the same letters: one pass for all three.
    const passes = active.length ? FACETS.map((facet) => [facet]) : [FACETS];
    const scratch = active.length ? new Uint32Array(candidates.length) : null;
    for (const pass of passes) {
      let words = candidates;
      const others = active.filter((name) => !pass.includes(name));
      if (others.length) {
        words = scratch;
        words.set(candidates);
        for (const name of others) {
          const mask = masks[name];
          for (let w = 0; w < words.length; w += 1) words[w] &= mask[w];
        }
      }
      if (pass.length === 3) {
        tally3(words, this.issuerOf, counts.issuer, this.yearOf, counts.year, this.typeOf, counts.type);
      } else {
        tally1(words, this.of[pass[0]], counts[pass[0]]);
      }
    }
    return this.countsOf(counts);
  }

  /**
   * The quantized impacts of letters `docs` (ascending, each one having the term) in a term
   * with a membership file: its impacts file holds every letter's impact in docnum order, so a
   * letter's impact is three bytes at its rank among the term's letters. Ranks close together
   * share one request.
   */
  async impacts(entry, docs) {
    const words = await this.membership(entry);
    if (!entry.prefix) {
      const prefix = new Int32Array(words.length + 1);
      for (let w = 0; w < words.length; w += 1) prefix[w + 1] = prefix[w] + popCount(words[w]);
      entry.prefix = prefix;
    }
    const ranks = Array.from(docs, (d) => entry.prefix[d >>> 5] + popCount(words[d >>> 5] & ((1 << (d & 31)) - 1)));
    const out = new Uint32Array(docs.length);
    const { pack, offset } = entry.impacts;
    const path = `p/${this.manifest.packs[pack]}.pack`;
    const jobs = [];
    for (let i = 0; i < ranks.length; ) {
      let j = i;
      while (j + 1 < ranks.length && ranks[j + 1] - ranks[j] <= RANGE_GAP) j += 1;
      const first = ranks[i];
      const [from, to] = [i, j];
      jobs.push(
        this.fetchRange(path, offset + 3 * first, offset + 3 * ranks[j] + 3).then((buffer) => {
          const bytes = new Uint8Array(buffer);
          for (let x = from; x <= to; x += 1) {
            const at = 3 * (ranks[x] - first);
            out[x] = bytes[at] | (bytes[at + 1] << 8) | (bytes[at + 2] << 16);
          }
        }),
      );
      i = j + 1;
    }
    await Promise.all(jobs);
    return out;
  }

  /**
   * The first `count` letters of `chosen` by score = Σ weight × impact, in whoosh's order
   * (equal scores: the higher docnum, the newer letter, first), exactly, whatever the archive.
   *
   * Every letter's bounds are known from what has been read: for each term, a letter outside
   * its membership has nothing of it; one inside has its impact if a tier read holds it, else at
   * most the next unread tier's maximum. Tiers are read best first while that is the cheaper way
   * to settle the order; the letters still in doubt (a top letter with an impact unknown, or a
   * letter that could still pass the last one) then have their missing impacts read one by one
   * (`impacts`), which settles it.
   */
  async rank(query, entries, chosen, total, count) {
    const quant = this.manifest.quant;
    const n = this.manifest.docs;
    const k = Math.min(count, total);
    if (k === 0) return [];
    const candidates = new Int32Array(total);
    for (let w = 0, m = 0; w < chosen.length; w += 1) {
      for (let x = chosen[w]; x; x &= x - 1) candidates[m++] = (w << 5) + (31 - Math.clz32(x & -x));
    }
    const lists = [];
    for (const [term, weight] of query.weights) {
      const entry = entries.get(term);
      if (entry) lists.push({ entry, factor: (weight * entry.scale) / quant, fetched: 0, complete: false });
    }
    const absorb = (list, { docs, impacts }) => {
      for (let i = 0; i < docs.length; i += 1) list.known[docs[i]] = impacts[i];
    };
    const advance = async (list) => {
      if (list.entry.inline) {
        absorb(list, list.entry.inline);
        list.complete = true;
        return;
      }
      absorb(list, await this.tier(list.entry, list.fetched));
      list.fetched += 1;
      list.complete = list.fetched >= list.entry.tiers.length;
    };
    await Promise.all(
      lists.map(async (list) => {
        list.known = new Uint32Array(n); // quantized impact per letter; 0: not known (yet)
        const [words] = await Promise.all([this.membership(list.entry), advance(list)]);
        // The candidates with the term (their indexes in `candidates`).
        const members = [];
        for (let c = 0; c < total; c += 1) if (has(words, candidates[c])) members.push(c);
        list.members = Int32Array.from(members);
      }),
    );
    const lower = new Float64Array(total);
    const mass = new Float64Array(total);
    const unknown = new Int32Array(total);
    const doubt = new Uint8Array(total);
    for (;;) {
      lower.fill(0);
      mass.fill(0);
      unknown.fill(0);
      for (const list of lists) {
        // Summed in the order of the query's terms, as the scores are shown and compared.
        const rest = list.complete ? 0 : list.factor * list.entry.tiers[list.fetched].max;
        const { members, known, factor } = list;
        for (let i = 0; i < members.length; i += 1) {
          const c = members[i];
          const q = known[candidates[c]];
          if (q) {
            lower[c] += factor * q;
          } else {
            mass[c] += rest;
            unknown[c] += 1;
          }
        }
      }
      const { top } = selectTop(candidates, lower, total, k);
      const last = top[k - 1];
      const floor = lower[last];
      const slack = 1e-9 * Math.max(1, Math.abs(floor));
      doubt.fill(0);
      let doubts = 0;
      for (let i = 0; i < k; i += 1) if (unknown[top[i]]) (doubt[top[i]] = 1), (doubts += 1);
      for (let c = 0; c < total; c += 1) {
        if (!unknown[c] || doubt[c]) continue;
        const most = lower[c] + mass[c];
        // It could pass the last top letter (a tie within rounding is a doubt too).
        if (most >= floor - slack) {
          doubt[c] = 1;
          doubts += 1;
        }
      }
      if (doubts === 0) return Array.from(top, (c) => ({ docnum: candidates[c], score: lower[c] }));
      // Per term, the letters in doubt whose impact in it is not known.
      const wanted = lists.map((list) => {
        const out = [];
        for (const c of list.members) if (doubt[c] && !list.known[candidates[c]]) out.push(c);
        return out;
      });
      // A tier is worth reading when it costs less than reading those impacts one by one would.
      const next = lists.filter(
        (list, l) => wanted[l].length && !list.complete && TIER_BYTES * list.entry.tiers[list.fetched].count <= REQUEST_BYTES * wanted[l].length,
      );
      if (next.length) {
        await Promise.all(next.map(advance));
        continue;
      }
      await Promise.all(
        lists.map(async (list, l) => {
          if (!wanted[l].length) return;
          const docs = Int32Array.from(wanted[l], (c) => candidates[c]).sort();
          const impacts = await this.impacts(list.entry, docs);
          absorb(list, { docs, impacts });
        }),
      );
    }
  }
}

// ---------------------------------------------------------------- the page

const SORTS = { relevance: "lien-quan", date: "moi-nhat" };

/** An issuer as a filter list names it on a phone: "UBND huyện Mường Tè" for "Ủy ban nhân dân
 * huyện Mường Tè" (the list is labelled; the full name is on every result). */
function shortIssuer(name) {
  return name.replace(/^(?:Ủy|Uỷ) ban nhân dân /iu, "UBND ").replace(/^Hội đồng nhân dân /iu, "HĐND ");
}

const markCache = new Map();
const keyCache = new Map();
/** Whether the query marks `word`. Most words of a letter cannot hold a syllable of the query:
 * their syllable keys differ (analysis.js syllableKey), and only the others are analysed. */
function matches(word, marking) {
  let key = keyCache.get(word);
  if (key === undefined) {
    key = syllableKey(word);
    if (keyCache.size > 50000) keyCache.clear();
    keyCache.set(word, key);
  }
  if (key !== null && !marking.keys.has(key) && !marking.keys.has(null) && !ABBREVIATION_KEYS.has(key)) return false;
  const highlight = marking.highlight;
  let folded = markCache.get(word);
  if (folded === undefined) {
    folded = analyzeDocument(word);
    if (markCache.size > 50000) markCache.clear();
    markCache.set(word, folded);
  }
  return folded.some((term) => highlight.has(term));
}

const WORD_RUN = /[\p{L}\p{M}\p{Nd}]+/gu;
const PHRASE_GAP = /^[ \t,\-*_]+$/u; // what may stand inside a bigram (builder/analysis.py BIGRAM_GAP)

/** What a query marks: its folded syllables, and its bigrams (adjacent syllables typed). */
export class Marking {
  constructor(query) {
    this.highlight = new Set(query.highlight);
    this.keys = new Set(query.highlight.map(syllableKey));
    this.bigrams = new Set([...query.weights.keys()].filter((t) => t.includes(" ") && !"#@".includes(t[0])));
    this.pairs = new Map();
    // A kind and a number ("quyết định 1217": "#quyet dinh 1217"): the number is marked where it
    // is a letter's number (followed by its symbol: "1217/QĐ-UBND").
    this.numbers = new Set(
      [...query.weights.keys()].filter((t) => t[0] === "#" && / \d+$/.test(t)).map((t) => t.slice(t.lastIndexOf(" ") + 1)),
    );
  }

  /** Whether the word at `start`..`end` of `text` is a number typed after its kind. */
  number(text, start, end) {
    return this.numbers.has(text.slice(start, end)) && /^[/-]/.test(text.slice(end, end + 1));
  }

  /** Whether two words, written next to each other, are one of the query's bigrams. */
  pair(a, b) {
    const key = `${a}\u0000${b}`;
    let found = this.pairs.get(key);
    if (found === undefined) {
      const left = termsOf(a);
      const right = termsOf(b);
      found = left.some((x) => this.bigrams.has(x)) || right.some((y) => this.bigrams.has(y));
      for (const x of left) for (const y of right) if (this.bigrams.has(`${x} ${y}`)) found = true;
      if (this.pairs.size > 50000) this.pairs.clear();
      this.pairs.set(key, found);
    }
    return found;
  }

  /** The words of `text` the query matches: {start, end, phrase}, phrase when part of a bigram typed. */
  words(text) {
    const out = [];
    let previous = null;
    for (const match of text.matchAll(WORD_RUN)) {
      const word = { start: match.index, end: match.index + match[0].length, text: match[0], phrase: false };
      word.hit = matches(match[0], this);
      if (!word.hit && this.numbers.size && this.number(text, word.start, word.end)) word.hit = word.phrase = true;
      if (word.hit && this.bigrams.size && termsOf(match[0]).some((t) => this.bigrams.has(t))) word.phrase = true;
      if (previous?.hit && word.hit && PHRASE_GAP.test(text.slice(previous.end, word.start))) {
        if (this.pair(previous.text, word.text)) previous.phrase = word.phrase = true;
      }
      if (word.hit) out.push(word);
      previous = word;
    }
    return out;
  }

  /** Whether any of `texts` holds a bigram typed: then only bigrams are marked (a signer's name,
   * not "năm" elsewhere in the letter). */
  phraseIn(texts) {
    return this.bigrams.size > 0 && texts.some((text) => text && this.words(text).some((w) => w.phrase));
  }
}

function termsOf(word) {
  let terms = markCache.get(word);
  if (terms === undefined) {
    terms = analyzeDocument(word);
    if (markCache.size > 50000) markCache.clear();
    markCache.set(word, terms);
  }
  return terms;
}

/** Appends `text` to `parent`, each word the query matches in a <mark> (text nodes only, never
 * HTML); with `onlyPhrases`, only the words that are part of a bigram typed. */
function appendMarked(parent, text, marking, onlyPhrases = false) {
  let last = 0;
  for (const match of marking.words(text)) {
    if (onlyPhrases && !match.phrase) continue;
    if (match.start > last) parent.append(document.createTextNode(text.slice(last, match.start)));
    const mark = document.createElement("mark");
    mark.textContent = match.text;
    parent.append(mark);
    last = match.end;
  }
  if (last < text.length) parent.append(document.createTextNode(text.slice(last)));
}

const wordsCache = new WeakMap();

/**
 * Where the words of a letter's text are (start and end offsets) and which of its distinct
 * words each one is: worked out once per letter, so a search only tests each distinct word.
 */
function wordsOf(doc, text) {
  let words = wordsCache.get(doc);
  if (!words) {
    const starts = [];
    const ends = [];
    const ids = [];
    const distinct = [];
    const idOf = new Map();
    for (const match of text.matchAll(WORD_RUN)) {
      let id = idOf.get(match[0]);
      if (id === undefined) {
        id = distinct.length;
        idOf.set(match[0], id);
        distinct.push(match[0]);
      }
      starts.push(match.index);
      ends.push(match.index + match[0].length);
      ids.push(id);
    }
    words = { starts: Int32Array.from(starts), ends: Int32Array.from(ends), ids: Int32Array.from(ids), distinct };
    wordsCache.set(doc, words);
  }
  return words;
}

/** The ~36-word window of the letter's text with the most query evidence: a word of a bigram
 * typed counts three times a word matched alone. */
function snippet(doc, marking) {
  const text = doc.text || "";
  const { starts, ends, ids, distinct } = wordsOf(doc, text);
  const count = starts.length;
  if (!count) return "";
  const hitOf = new Uint8Array(distinct.length);
  for (let id = 0; id < distinct.length; id += 1) hitOf[id] = matches(distinct[id], marking) ? 1 : 0;
  const evidence = new Uint8Array(count);
  for (let i = 0; i < count; i += 1) {
    if (!hitOf[ids[i]]) {
      if (marking.numbers.size && marking.number(text, starts[i], ends[i])) evidence[i] = 3;
      continue;
    }
    evidence[i] = Math.max(evidence[i], 1);
    if (i && hitOf[ids[i - 1]] && marking.bigrams.size && PHRASE_GAP.test(text.slice(ends[i - 1], starts[i]))) {
      if (marking.pair(distinct[ids[i - 1]], distinct[ids[i]])) evidence[i - 1] = evidence[i] = 3;
    }
  }
  const size = 36;
  let best = 0;
  let bestStart = 0;
  let sum = 0;
  for (let i = 0; i < count; i += 1) {
    sum += evidence[i];
    if (i >= size) sum -= evidence[i - size];
    if (sum > best) {
      best = sum;
      bestStart = Math.max(0, i - size + 1);
    }
  }
  const last = Math.min(count - 1, bestStart + size - 1);
  let out = text.slice(starts[bestStart], ends[last]).replace(/\s+/g, " ");
  if (bestStart > 0) out = `… ${out}`;
  if (last !== count - 1) out = `${out} …`;
  return out;
}

/** How long one piece of the page's work may hold the main thread (ms, as the browser measures it:
 * a phone is several times slower, and Lighthouse counts a task over 50 ms there as blocking). */
const SLICE_MS = 4;

/** Gives the main thread back (input, paint) and resumes soon after: scheduler.yield where the
 * browser has it (the rest of the work keeps its place ahead of other tasks), else a new task. */
function yieldToMain() {
  if (globalThis.scheduler?.yield) return globalThis.scheduler.yield();
  return new Promise((resolve) => setTimeout(resolve, 0));
}

/** Resolves when the browser is idle (or after `timeout` ms), for work nobody is waiting to see. */
function whenIdle(timeout = 500) {
  if (typeof requestIdleCallback === "function") return new Promise((resolve) => requestIdleCallback(resolve, { timeout }));
  return new Promise((resolve) => setTimeout(resolve, 50));
}

/** A day from the URL as the date inputs give it (YYYY-MM-DD), or "" if it is not one. */
function isoDay(value) {
  return value && /^\d{4}-\d{2}-\d{2}$/.test(value) ? value : "";
}

function readUrl() {
  const params = new URLSearchParams(window.location.search);
  return {
    q: params.get("q") ?? "",
    co_quan: params.get("co_quan") ?? "",
    nam: params.get("nam") ?? "",
    loai: params.get("loai") ?? "",
    tu_ngay: isoDay(params.get("tu_ngay")),
    den_ngay: isoDay(params.get("den_ngay")),
    nguoi_ky: params.get("nguoi_ky") ?? "",
    sap_xep: params.get("sap_xep") === SORTS.date ? SORTS.date : SORTS.relevance,
  };
}

function urlFor(state) {
  const params = new URLSearchParams();
  if (state.q) params.set("q", state.q);
  if (state.co_quan) params.set("co_quan", state.co_quan);
  if (state.nam) params.set("nam", state.nam);
  if (state.loai) params.set("loai", state.loai);
  for (const name of ["tu_ngay", "den_ngay", "nguoi_ky"]) if (state[name]) params.set(name, state[name]);
  if (state.sap_xep === SORTS.date) params.set("sap_xep", SORTS.date);
  const query = params.toString();
  return `${window.location.pathname}${query ? `?${query}` : ""}`;
}

class SearchPage {
  constructor(root) {
    this.root = root;
    this.filled = new Map(); // select -> the option labels it shows (see fillSelect)
    this.index = new SearchIndex(root.dataset.index);
    this.siteBase = new URL(root.dataset.base, window.location.href);
    this.form = root.querySelector("form");
    this.input = root.querySelector("input[name=q]");
    this.selects = {
      co_quan: root.querySelector("select[name=co_quan]"),
      nam: root.querySelector("select[name=nam]"),
      loai: root.querySelector("select[name=loai]"),
      sap_xep: root.querySelector("select[name=sap_xep]"),
    };
    this.inputs = {
      tu_ngay: root.querySelector("input[name=tu_ngay]"),
      den_ngay: root.querySelector("input[name=den_ngay]"),
      nguoi_ky: root.querySelector("input[name=nguoi_ky]"),
    };
    this.signerList = root.querySelector("#vb-tk-signers");
    const upFront = Number.parseInt(root.dataset.countsUpFront ?? "", 10);
    this.countsUpFront = Number.isNaN(upFront) ? COUNTS_UP_FRONT : upFront;
    this.status = root.querySelector("[role=status]");
    this.list = root.querySelector(".vb-results");
    this.more = root.querySelector(".vb-more");
    this.count = PAGE_SIZE;
    this.run = 0;
    this.title = document.title;
    this.details = root.querySelector("details");
    if (this.details && window.matchMedia("(min-width: 45em)").matches) this.details.open = true;
    this.form.addEventListener("submit", (event) => {
      event.preventDefault();
      this.navigate();
    });
    for (const name of ["co_quan", "nam", "loai", "sap_xep"]) {
      this.selects[name].addEventListener("change", () => this.navigate());
    }
    for (const input of Object.values(this.inputs)) input.addEventListener("change", () => this.navigate());
    // The signers' names are offered once the field is used (their list is fetched then).
    this.inputs.nguoi_ky.addEventListener("focus", () => this.fillSigners(), { once: true });
    this.more.addEventListener("click", () => {
      this.count += PAGE_SIZE;
      this.render(false);
    });
    window.addEventListener("popstate", () => this.fromUrl());
    this.fromUrl();
  }

  state() {
    return {
      q: this.input.value.trim(),
      co_quan: this.selects.co_quan.value,
      nam: this.selects.nam.value,
      loai: this.selects.loai.value,
      sap_xep: this.selects.sap_xep.value,
      tu_ngay: this.inputs.tu_ngay.value,
      den_ngay: this.inputs.den_ngay.value,
      nguoi_ky: this.inputs.nguoi_ky.value.trim(),
    };
  }

  async fillSigners() {
    try {
      await this.index.load();
      const data = await this.index.signers();
      this.signerList.replaceChildren(...data.names.map((name) => new Option(name)));
    } catch {
      // No suggestions: the field still filters by what is typed.
    }
  }

  /** Shows the filters (a link that sets one must show it, even on a phone). */
  openFilters() {
    if (this.details) this.details.open = true;
  }

  navigate() {
    const url = urlFor(this.state());
    if (url !== `${window.location.pathname}${window.location.search}`) window.history.pushState(null, "", url);
    this.count = PAGE_SIZE;
    this.render(true);
  }

  fromUrl() {
    const state = readUrl();
    this.input.value = state.q;
    const header = document.querySelector("#vb-search-q");
    if (header && header !== this.input) header.value = state.q;
    this.wanted = state;
    for (const name of ["co_quan", "nam", "loai"]) this.setSelect(this.selects[name], state[name]);
    for (const name of ["tu_ngay", "den_ngay", "nguoi_ky"]) this.inputs[name].value = state[name];
    if (state.tu_ngay || state.den_ngay || state.nguoi_ky) this.openFilters();
    this.selects.sap_xep.value = state.sap_xep;
    this.count = PAGE_SIZE;
    this.render(true);
  }

  setSelect(select, value) {
    if (value && ![...select.options].some((option) => option.value === value)) {
      const option = document.createElement("option");
      option.value = value;
      option.textContent = value;
      select.append(option);
      this.filled.delete(select);
    }
    select.value = value;
  }

  filters(manifest, state) {
    const filters = {};
    if (state.co_quan) {
      // The issuer's list-page slug (what links and the filter write), or its name as older links had it.
      const bySlug = (manifest.issuer_slugs || []).indexOf(state.co_quan);
      filters.issuer = bySlug >= 0 ? bySlug : manifest.issuers.indexOf(state.co_quan);
    }
    if (state.nam) filters.year = Number(state.nam);
    if (state.loai) filters.type = manifest.types.indexOf(state.loai);
    if (state.tu_ngay) filters.from = state.tu_ngay;
    if (state.den_ngay) filters.to = state.den_ngay;
    if (state.nguoi_ky) filters.signer = state.nguoi_ky;
    return filters;
  }

  /** The issuer filter's value for the URL's: its slug (a name in an older link becomes its slug). */
  issuerValue(manifest, value) {
    const at = manifest.issuers.indexOf(value);
    return at >= 0 && manifest.issuer_slugs ? manifest.issuer_slugs[at] : value;
  }

  /** The options with their counts (every value, without counts, when they could not be read);
   * the list is only rebuilt when its labels change. */
  fillSelect(select, label, values, counts, current) {
    const wanted = [[label, ""]];
    for (const { value, text, key } of values) {
      if (!counts) {
        wanted.push([text, value]);
        continue;
      }
      const n = counts.get(key) ?? 0;
      if (!n && value !== current) continue;
      wanted.push([`${text} (${n})`, value]);
    }
    const signature = JSON.stringify(wanted);
    if (this.filled.get(select) !== signature) {
      select.replaceChildren(...wanted.map(([text, value]) => new Option(text, value)));
      this.filled.set(select, signature);
    }
    select.value = current;
  }

  async render(scrollTop) {
    const run = ++this.run;
    try {
      await this.renderRun(run, scrollTop);
    } catch (error) {
      // The manifest, a pack cut short or damaged (a deploy half done), a record that is no JSON:
      // say so instead of staying busy with an empty status line.
      if (run !== this.run) return;
      this.status.textContent = "Không tải được chỉ mục tìm kiếm. Vui lòng thử lại sau.";
      this.root.classList.remove("vb-busy");
      this.root.dataset.state = "error";
    }
  }

  async renderRun(run, scrollTop) {
    const state = this.state();
    this.root.classList.add("vb-busy");
    const manifest = await this.index.load();
    const filters = this.filters(manifest, state);
    const started = performance.now();
    const result = await this.index.search(state.q, filters, {
      sort: state.sap_xep === SORTS.date ? "date" : "relevance",
      count: this.count,
    });
    if (run !== this.run) return;
    const marking = new Marking(result.query);
    // Each letter is shown as soon as it is in and its turn comes, in slices of a few milliseconds:
    // the first results paint first, and no task holds the page for the whole list (TBT).
    const pending = result.ranked.map(({ docnum }) => this.index.doc(docnum));
    pending.forEach((promise) => promise.catch(() => {}));
    const docs = [];
    let slice = performance.now();
    for (const [at, promise] of pending.entries()) {
      const doc = await promise;
      if (run !== this.run) return;
      if (at === 1 || performance.now() - slice > SLICE_MS) {
        // The first result (the largest paint on a phone's first screen) goes out on its own.
        await yieldToMain();
        if (run !== this.run) return;
        slice = performance.now();
      }
      const item = this.item(doc, marking);
      if (at === 0) {
        // The first result with the status line above it, in one frame.
        this.root.dataset.ms = String(Math.round(performance.now() - started));
        this.showStatus(state, result);
      }
      // A result shown before (a search run again, "Xem thêm") stays until its replacement is
      // ready: the list does not shrink and grow back under the reader.
      const old = this.list.children[at];
      if (old) old.replaceWith(item);
      else this.list.append(item);
      docs.push(doc);
    }
    if (!docs.length) {
      this.root.dataset.ms = String(Math.round(performance.now() - started));
      this.showStatus(state, result);
    }
    while (this.list.children.length > docs.length) this.list.lastElementChild.remove();
    this.root.dataset.results = JSON.stringify(docs.map((doc) => doc.id));
    this.more.hidden = !(result.total > docs.length);
    document.title = state.q ? `${state.q} — ${this.title}` : this.title;
    this.root.classList.remove("vb-busy");
    if (scrollTop && docs.length === 0) this.input.focus();

    // The filters' counts: folded away on a phone until asked for, so filled when the page is idle
    // (at once, a list per task, where they show); the page is "done" when they are in.
    if (!this.details?.open) await whenIdle();
    if (run !== this.run) return;
    // The counts beside the filters: with the results when they cost little to read, else the
    // values alone, and the counts read when the filters are used.
    const counts = result.facets;
    const upFront = counts.cost <= this.countsUpFront;
    let facets = null;
    if (upFront) {
      try {
        facets = await counts.load();
      } catch {
        facets = null; // the counts could not be read: the lists offer the values without them
      }
      if (run !== this.run) return;
    }
    for (const fill of this.filterLists(manifest, state, facets)) {
      await yieldToMain();
      if (run !== this.run) return;
      fill();
    }
    if (!upFront) this.countsOnUse(run, manifest, state, counts);
    this.root.dataset.state = "done";
  }

  /** The three filter lists' fillers, with `facets`' counts (or none). */
  filterLists(manifest, state, facets) {
    return [
      () => this.fillSelect(
        this.selects.co_quan, "Tất cả cơ quan",
        manifest.issuers.map((name, key) => ({ value: manifest.issuer_slugs?.[key] ?? name, text: shortIssuer(name), key })),
        facets?.issuer, this.issuerValue(manifest, state.co_quan),
      ),
      () => this.fillSelect(
        this.selects.nam, "Mọi năm",
        Object.keys(manifest.years).sort().reverse().map((year) => ({ value: year, text: year, key: Number(year) })),
        facets?.year, state.nam,
      ),
      () => this.fillSelect(
        this.selects.loai, "Tất cả loại văn bản",
        manifest.types.map((name, key) => ({ value: name, text: name, key })), facets?.type, state.loai,
      ),
    ];
  }

  /** Reads the counts of run `run` once its filters are used: the panel opened, pointed at or
   * focused (on a phone it is folded until opened). */
  countsOnUse(run, manifest, state, counts) {
    const panel = this.details ?? this.root;
    const events = ["pointerenter", "focusin", "toggle"];
    const fill = async () => {
      for (const name of events) panel.removeEventListener(name, fill);
      if (run !== this.run) return;
      try {
        const facets = await counts.load();
        if (run !== this.run) return;
        for (const list of this.filterLists(manifest, state, facets)) list();
      } catch {
        // The values stay without counts.
      }
    };
    for (const name of events) panel.addEventListener(name, fill);
  }

  /** The line above the results: how many were found, or what to do. */
  showStatus(state, result) {
    if (result.empty) {
      this.status.textContent = "Nhập từ khóa, số ký hiệu (ví dụ 2642/UBND-VX) hoặc ngày ban hành để tìm văn bản.";
    } else if (result.total === 0) {
      this.status.textContent = state.q
        ? `Không tìm thấy văn bản nào cho “${state.q}”. Hãy thử từ khóa khác hoặc bỏ bớt bộ lọc.`
        : "Không có văn bản nào khớp bộ lọc.";
    } else {
      const what = state.q ? ` cho “${state.q}”` : "";
      this.status.textContent = `Tìm thấy ${result.total} văn bản${what}.`;
    }
  }

  item(doc, marking) {
    const li = document.createElement("li");
    li.className = "vb-hit";
    const title = document.createElement("h2");
    title.className = "vb-hit__title";
    const link = document.createElement("a");
    link.href = new URL(doc.url, this.siteBase).href;
    const excerpt = snippet(doc, marking);
    const onlyPhrases = marking.phraseIn([doc.trich_yeu, doc.ky, doc.co_quan, excerpt]);
    appendMarked(link, doc.trich_yeu || doc.id, marking, onlyPhrases);
    title.append(link);
    const meta = document.createElement("p");
    meta.className = "vb-hit__meta";
    const parts = [
      ["Số", doc.so && !doc.so.startsWith("/") ? doc.so : `chưa có số${doc.so ? ` (${doc.so})` : ""}`],
      ["Cơ quan", doc.co_quan],
      ["Ngày", dateShort(doc.ngay)],
      ["Loại", doc.loai],
    ];
    if (doc.ky) parts.push(["Người ký", doc.ky]);
    for (const [label, value] of parts) {
      const span = document.createElement("span");
      const hidden = document.createElement("span");
      hidden.className = "vb-visually-hidden";
      hidden.textContent = `${label}: `;
      span.append(hidden);
      if (label === "Ngày") {
        const time = document.createElement("time");
        time.dateTime = doc.ngay;
        time.textContent = value;
        span.append(time);
      } else if (label === "Người ký" || label === "Cơ quan" || label === "Số") {
        appendMarked(span, value, marking, onlyPhrases);
      } else {
        span.append(document.createTextNode(value));
      }
      meta.append(span);
    }
    const text = document.createElement("p");
    text.className = "vb-hit__snippet";
    appendMarked(text, excerpt, marking, onlyPhrases);
    li.append(title, meta, text);
    return li;
  }
}

const root = typeof document !== "undefined" ? document.querySelector("[data-vb-search]") : null;
if (root) window.vbSearch = new SearchPage(root);

export { foldToken };
