// The search page: reads the static index written by builder/static_index.py and
// ranks exactly as `vanban search` does (same analyzer, same BM25F impacts).
// Plain ES module, served as is. Letter text is untrusted: every string from the
// index goes into the page through textContent, never innerHTML.

import { analyzeDocument, analyzeQuery, foldToken } from "./analysis.js";

const PAGE_SIZE = 10;
const TEXT_DECODER = new TextDecoder();

/** 32-bit FNV-1a of the UTF-8 bytes (builder.static_index.fnv1a). */
export function fnv1a(term) {
  let value = 0x811c9dc5;
  for (const byte of new TextEncoder().encode(term)) {
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
  uint16() {
    const value = this.view.getUint16(this.pos, true);
    this.pos += 2;
    return value;
  }
  float32() {
    const value = this.view.getFloat32(this.pos, true);
    this.pos += 4;
    return value;
  }
  hash() {
    let hex = "";
    for (let i = 0; i < 6; i += 1) hex += this.bytes[this.pos + i].toString(16).padStart(2, "0");
    this.pos += 6;
    return hex;
  }
  string(length) {
    const text = TEXT_DECODER.decode(this.bytes.subarray(this.pos, this.pos + length));
    this.pos += length;
    return text;
  }
}

function readPostings(reader) {
  const count = reader.varint();
  const docs = new Array(count);
  let previous = -1;
  for (let i = 0; i < count; i += 1) {
    previous += reader.varint() + 1;
    docs[i] = previous;
  }
  const impacts = new Array(count);
  for (let i = 0; i < count; i += 1) impacts[i] = reader.uint16();
  return { docs, impacts };
}

/** The static index: fetches only the pieces a query needs, and counts the bytes. */
export class SearchIndex {
  constructor(baseUrl) {
    this.base = new URL(baseUrl, window.location.href);
    this.cache = new Map();
    this.shards = new Map();
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

  async load() {
    if (!this.manifest) {
      const response = await fetch(new URL("manifest.json", this.base), { cache: "no-cache" });
      if (!response.ok) throw new Error(`manifest ${response.status}`);
      this.manifest = await response.json();
      const columns = new Uint8Array(await this.fetchBytes(this.manifest.columns));
      const n = this.manifest.docs;
      this.issuerOf = new Uint16Array(n);
      this.typeOf = new Uint16Array(n);
      const view = new DataView(columns.buffer);
      for (let d = 0; d < n; d += 1) {
        if (this.manifest.wide) {
          this.issuerOf[d] = view.getUint16(4 * d, true);
          this.typeOf[d] = view.getUint16(4 * d + 2, true);
        } else {
          this.issuerOf[d] = columns[2 * d];
          this.typeOf[d] = columns[2 * d + 1];
        }
      }
      this.yearOf = new Uint16Array(n);
      const starts = Object.entries(this.manifest.years).sort((a, b) => a[1] - b[1]);
      starts.forEach(([year, start], index) => {
        const end = index + 1 < starts.length ? starts[index + 1][1] : n;
        this.yearOf.fill(Number(year), start, end);
      });
    }
    return this.manifest;
  }

  async shard(number) {
    if (!this.shards.has(number)) {
      const promise = this.fetchBytes(`${this.manifest.gen}/s/${number}.bin`).then((buffer) => {
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
              entry.tiers.push({ hash: reader.hash(), count: reader.varint(), max: reader.uint16() });
            }
            entry.membership = reader.byte() === 1 ? reader.hash() : null;
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

  async tier(entry, index) {
    return readPostings(new Reader(await this.fetchBytes(`p/${entry.tiers[index].hash}.bin`)));
  }

  /** A 0/1 flag per letter: the letters that have the term. */
  async membership(entry) {
    const flags = new Uint8Array(this.manifest.docs);
    if (entry.inline) {
      for (const d of entry.inline.docs) flags[d] = 1;
    } else if (!entry.membership) {
      for (const d of (await this.tier(entry, 0)).docs) flags[d] = 1;
    } else {
      const bytes = new Uint8Array(await this.fetchBytes(`p/${entry.membership}.bin`));
      if (bytes[0] === 1) {
        for (let d = 0; d < flags.length; d += 1) flags[d] = (bytes[1 + (d >> 3)] >> (d & 7)) & 1;
      } else {
        const reader = new Reader(bytes.buffer);
        reader.pos = 1;
        let previous = -1;
        while (!reader.done) {
          previous += reader.varint() + 1;
          flags[previous] = 1;
        }
      }
    }
    return flags;
  }

  async doc(docnum) {
    const buffer = await this.fetchBytes(`${this.manifest.gen}/d/${docnum}.json`);
    return JSON.parse(TEXT_DECODER.decode(buffer));
  }

  /**
   * Letters matching `text` and the filters: {total, ranked: [{docnum, score}], facets, query}.
   * `count` results are ranked exactly when the byte budget allows (and always on small archives).
   */
  async search(text, filters = {}, { sort = "relevance", count = PAGE_SIZE } = {}) {
    const manifest = await this.load();
    const n = manifest.docs;
    const query = analyzeQuery(text);
    const terms = [...new Set([...query.weights.keys(), ...query.groups.flat()])];
    const entries = new Map();
    await Promise.all(terms.map(async (term) => entries.set(term, await this.entry(term))));

    let candidates;
    if (query.groups.length === 0) {
      const anyFilter = filters.issuer !== undefined || filters.year !== undefined || filters.type !== undefined;
      if (!anyFilter) return { total: 0, ranked: [], facets: null, query, empty: true };
      candidates = new Uint8Array(n).fill(1);
      sort = "date";
    } else {
      candidates = new Uint8Array(n).fill(1);
      for (const group of query.groups) {
        const present = group.map((term) => entries.get(term)).filter(Boolean);
        const flags = new Uint8Array(n);
        for (const flagsOfTerm of await Promise.all(present.map((entry) => this.membership(entry)))) {
          for (let d = 0; d < n; d += 1) flags[d] |= flagsOfTerm[d];
        }
        for (let d = 0; d < n; d += 1) candidates[d] &= flags[d];
      }
    }
    const facets = this.facets(candidates, filters);
    const chosen = new Uint8Array(n);
    let total = 0;
    for (let d = 0; d < n; d += 1) {
      if (candidates[d] && this.passes(d, filters)) {
        chosen[d] = 1;
        total += 1;
      }
    }
    let ranked;
    if (sort === "date" || total === 0) {
      ranked = [];
      for (let d = n - 1; d >= 0 && ranked.length < count; d -= 1) if (chosen[d]) ranked.push({ docnum: d, score: 0 });
    } else {
      ranked = await this.rank(query, entries, chosen, total, count);
    }
    return { total, ranked, facets, query };
  }

  passes(d, filters, skip = null) {
    if (skip !== "issuer" && filters.issuer !== undefined && this.issuerOf[d] !== filters.issuer) return false;
    if (skip !== "year" && filters.year !== undefined && this.yearOf[d] !== filters.year) return false;
    if (skip !== "type" && filters.type !== undefined && this.typeOf[d] !== filters.type) return false;
    return true;
  }

  /** Counts per issuer, year and type, each under the other filters. */
  facets(candidates, filters) {
    const counts = { issuer: new Map(), year: new Map(), type: new Map() };
    const of = { issuer: this.issuerOf, year: this.yearOf, type: this.typeOf };
    for (let d = 0; d < candidates.length; d += 1) {
      if (!candidates[d]) continue;
      for (const facet of ["issuer", "year", "type"]) {
        if (this.passes(d, filters, facet)) {
          const value = of[facet][d];
          counts[facet].set(value, (counts[facet].get(value) ?? 0) + 1);
        }
      }
    }
    return counts;
  }

  /**
   * Top `count` letters by score = Σ weight × impact, reading impact tiers best first and
   * stopping as soon as the order of the top `count` can no longer change (threshold
   * algorithm over impact-ordered lists), or when the byte budget is spent.
   */
  async rank(query, entries, chosen, total, count) {
    const quant = this.manifest.quant;
    const n = chosen.length;
    const required = new Set(query.groups.filter((group) => group.length === 1).map((group) => group[0]));
    const lists = [];
    // Seen letters (candidates found in some fetched list) and, per list, the known
    // quantized impact of each letter (0 = not known yet): typed arrays, no maps.
    const seenFlag = new Uint8Array(n);
    const seen = [];
    const see = (d) => {
      if (chosen[d] && !seenFlag[d]) {
        seenFlag[d] = 1;
        seen.push(d);
      }
    };
    for (const [term, weight] of query.weights) {
      const entry = entries.get(term);
      if (!entry) continue;
      const list = { entry, weight, scale: entry.scale / quant, known: new Uint16Array(n), fetched: 0, complete: false };
      if (entry.inline) {
        entry.inline.docs.forEach((d, i) => {
          list.known[d] = entry.inline.impacts[i];
          see(d);
        });
        list.complete = true;
      }
      lists.push(list);
    }
    const remaining = (list) => (list.complete ? 0 : list.weight * list.scale * list.entry.tiers[list.fetched].max);
    const fetchNext = async (list) => {
      const postings = await this.tier(list.entry, list.fetched);
      postings.docs.forEach((d, i) => {
        list.known[d] = postings.impacts[i];
        see(d);
      });
      list.fetched += 1;
      list.complete = list.fetched >= list.entry.tiers.length;
    };
    await Promise.all(lists.filter((list) => !list.complete).map(fetchNext));
    const startBytes = this.bytes;
    const budget = this.manifest.budget;
    let budgetSpent = false;
    for (;;) {
      const rest = lists.map(remaining);
      const factor = lists.map((list) => list.weight * list.scale);
      const scored = new Array(seen.length);
      for (let j = 0; j < seen.length; j += 1) {
        const d = seen[j];
        let lower = 0;
        let upper = 0;
        for (let l = 0; l < lists.length; l += 1) {
          const q = lists[l].known[d];
          if (q) lower += factor[l] * q;
          else upper += rest[l];
        }
        scored[j] = { docnum: d, score: lower, upper: lower + upper };
      }
      scored.sort((a, b) => b.score - a.score || b.docnum - a.docnum);
      const unseen = total - seen.length;
      const unseenUpper = unseen > 0 ? rest.reduce((sum, value) => sum + value, 0) : 0;
      const k = Math.min(count, total);
      let decided = scored.length >= k;
      if (decided) {
        let suffixMax = unseenUpper;
        const maxAfter = new Float64Array(scored.length);
        for (let i = scored.length - 1; i >= 0; i -= 1) {
          maxAfter[i] = suffixMax;
          if (scored[i].upper > suffixMax) suffixMax = scored[i].upper;
        }
        for (let i = 0; i < k; i += 1) {
          if (scored[i].score < maxAfter[i] || scored[i].upper > scored[i].score) {
            decided = false;
            break;
          }
        }
      }
      const open = lists.filter((list) => !list.complete);
      if (decided || open.length === 0 || budgetSpent || this.bytes - startBytes > budget) {
        if (!decided) {
          // Budget spent: estimate what is not known yet. Every candidate has each required
          // term (somewhere below the tiers read), an optional one only perhaps.
          const share = lists.map((list) => (required.has(list.entry.term) ? 0.6 : 0.25));
          for (const item of scored) {
            let guess = item.score;
            for (let l = 0; l < lists.length; l += 1) if (!lists[l].known[item.docnum]) guess += share[l] * rest[l];
            item.score = guess;
          }
          scored.sort((a, b) => b.score - a.score || b.docnum - a.docnum);
        }
        const ranked = scored.slice(0, k).map(({ docnum, score }) => ({ docnum, score }));
        for (let d = n - 1; d >= 0 && ranked.length < k; d -= 1) {
          if (chosen[d] && !seenFlag[d]) ranked.push({ docnum: d, score: 0 });
        }
        return ranked;
      }
      // Read, in parallel, the next tier of the lists that could still move the order most,
      // as far as the byte budget goes (a tier costs about 3.5 bytes a posting).
      open.sort((a, b) => remaining(b) - remaining(a));
      const top = remaining(open[0]);
      let left = budget - (this.bytes - startBytes);
      const picked = [];
      for (const list of open) {
        const cost = 3.5 * list.entry.tiers[list.fetched].count;
        if (remaining(list) < top / 2 || cost > left) break;
        left -= cost;
        picked.push(list);
      }
      if (picked.length === 0) {
        budgetSpent = true;
        continue;
      }
      await Promise.all(picked.map(fetchNext));
    }
  }
}

// ---------------------------------------------------------------- the page

const SORTS = { relevance: "lien-quan", date: "moi-nhat" };

function formatDate(iso) {
  const [y, m, d] = iso.split("-");
  if (d) return `${d}/${m}/${y}`;
  if (m) return `tháng ${m}/${y}`;
  return y;
}

const markCache = new Map();
function matches(word, highlight) {
  let folded = markCache.get(word);
  if (folded === undefined) {
    folded = analyzeDocument(word);
    if (markCache.size > 50000) markCache.clear();
    markCache.set(word, folded);
  }
  return folded.some((term) => highlight.has(term));
}

const WORD_RUN = /[\p{L}\p{M}\p{Nd}]+/gu;

/** Appends `text` to `parent`, each matching word in a <mark> (text nodes only, never HTML). */
function appendMarked(parent, text, highlight) {
  let last = 0;
  for (const match of text.matchAll(WORD_RUN)) {
    if (!matches(match[0], highlight)) continue;
    if (match.index > last) parent.append(document.createTextNode(text.slice(last, match.index)));
    const mark = document.createElement("mark");
    mark.textContent = match[0];
    parent.append(mark);
    last = match.index + match[0].length;
  }
  if (last < text.length) parent.append(document.createTextNode(text.slice(last)));
}

/** The ~36-word window of `text` with the most matching words. */
function snippet(text, highlight) {
  const words = [...text.matchAll(WORD_RUN)];
  if (!words.length) return "";
  const hit = words.map((m) => (matches(m[0], highlight) ? 1 : 0));
  const size = 36;
  let best = 0;
  let bestStart = 0;
  let sum = 0;
  for (let i = 0; i < words.length; i += 1) {
    sum += hit[i];
    if (i >= size) sum -= hit[i - size];
    if (sum > best) {
      best = sum;
      bestStart = Math.max(0, i - size + 1);
    }
  }
  const first = words[bestStart];
  const lastWord = words[Math.min(words.length - 1, bestStart + size - 1)];
  let out = text.slice(first.index, lastWord.index + lastWord[0].length).replace(/\s+/g, " ");
  if (bestStart > 0) out = `… ${out}`;
  if (lastWord !== words[words.length - 1]) out = `${out} …`;
  return out;
}

function readUrl() {
  const params = new URLSearchParams(window.location.search);
  return {
    q: params.get("q") ?? "",
    co_quan: params.get("co_quan") ?? "",
    nam: params.get("nam") ?? "",
    loai: params.get("loai") ?? "",
    sap_xep: params.get("sap_xep") === SORTS.date ? SORTS.date : SORTS.relevance,
  };
}

function urlFor(state) {
  const params = new URLSearchParams();
  if (state.q) params.set("q", state.q);
  if (state.co_quan) params.set("co_quan", state.co_quan);
  if (state.nam) params.set("nam", state.nam);
  if (state.loai) params.set("loai", state.loai);
  if (state.sap_xep === SORTS.date) params.set("sap_xep", SORTS.date);
  const query = params.toString();
  return `${window.location.pathname}${query ? `?${query}` : ""}`;
}

class SearchPage {
  constructor(root) {
    this.root = root;
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
    this.status = root.querySelector("[role=status]");
    this.list = root.querySelector(".vb-results");
    this.more = root.querySelector(".vb-more");
    this.count = PAGE_SIZE;
    this.run = 0;
    this.title = document.title;
    const details = root.querySelector("details");
    if (details && window.matchMedia("(min-width: 45em)").matches) details.open = true;
    this.form.addEventListener("submit", (event) => {
      event.preventDefault();
      this.navigate();
    });
    for (const name of ["co_quan", "nam", "loai", "sap_xep"]) {
      this.selects[name].addEventListener("change", () => this.navigate());
    }
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
    };
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
    }
    select.value = value;
  }

  filters(manifest, state) {
    const filters = {};
    if (state.co_quan) filters.issuer = manifest.issuers.indexOf(state.co_quan);
    if (state.nam) filters.year = Number(state.nam);
    if (state.loai) filters.type = manifest.types.indexOf(state.loai);
    return filters;
  }

  fillSelect(select, label, values, counts, current) {
    const options = [new Option(label, "")];
    for (const { value, text, key } of values) {
      const n = counts?.get(key) ?? 0;
      if (!n && value !== current) continue;
      options.push(new Option(`${text} (${n})`, value));
    }
    select.replaceChildren(...options);
    select.value = current;
  }

  async render(scrollTop) {
    const run = ++this.run;
    const state = this.state();
    this.root.classList.add("vb-busy");
    let manifest;
    try {
      manifest = await this.index.load();
    } catch (error) {
      this.status.textContent = "Không tải được chỉ mục tìm kiếm. Vui lòng thử lại sau.";
      this.root.classList.remove("vb-busy");
      return;
    }
    const filters = this.filters(manifest, state);
    const started = performance.now();
    const result = await this.index.search(state.q, filters, {
      sort: state.sap_xep === SORTS.date ? "date" : "relevance",
      count: this.count,
    });
    if (run !== this.run) return;
    const highlight = new Set(result.query.highlight);
    const docs = await Promise.all(result.ranked.map(({ docnum }) => this.index.doc(docnum)));
    if (run !== this.run) return;
    this.root.dataset.ms = String(Math.round(performance.now() - started));

    const facets = result.facets;
    this.fillSelect(
      this.selects.co_quan, "Tất cả cơ quan",
      manifest.issuers.map((name, key) => ({ value: name, text: name, key })), facets?.issuer, state.co_quan,
    );
    this.fillSelect(
      this.selects.nam, "Tất cả các năm",
      Object.keys(manifest.years).sort().reverse().map((year) => ({ value: year, text: year, key: Number(year) })),
      facets?.year, state.nam,
    );
    this.fillSelect(
      this.selects.loai, "Tất cả loại văn bản",
      manifest.types.map((name, key) => ({ value: name, text: name, key })), facets?.type, state.loai,
    );

    const items = docs.map((doc, i) => this.item(doc, highlight, result.ranked[i]));
    this.list.replaceChildren(...items);
    this.root.dataset.results = JSON.stringify(docs.map((doc) => doc.id));
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
    this.more.hidden = !(result.total > docs.length);
    document.title = state.q ? `${state.q} — ${this.title}` : this.title;
    this.root.classList.remove("vb-busy");
    this.root.dataset.state = "done";
    if (scrollTop && docs.length === 0) this.input.focus();
  }

  item(doc, highlight) {
    const li = document.createElement("li");
    li.className = "vb-hit";
    const title = document.createElement("h2");
    title.className = "vb-hit__title";
    const link = document.createElement("a");
    link.href = new URL(doc.url, this.siteBase).href;
    appendMarked(link, doc.trich_yeu || doc.id, highlight);
    title.append(link);
    const meta = document.createElement("p");
    meta.className = "vb-hit__meta";
    const parts = [
      ["Số", doc.so && !doc.so.startsWith("/") ? doc.so : `chưa có số${doc.so ? ` (${doc.so})` : ""}`],
      ["Cơ quan", doc.co_quan],
      ["Ngày", formatDate(doc.ngay)],
      ["Loại", doc.loai],
    ];
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
      } else {
        span.append(document.createTextNode(value));
      }
      meta.append(span);
    }
    const text = document.createElement("p");
    text.className = "vb-hit__snippet";
    appendMarked(text, snippet(doc.text || "", highlight), highlight);
    li.append(title, meta, text);
    return li;
  }
}

const root = typeof document !== "undefined" ? document.querySelector("[data-vb-search]") : null;
if (root) window.vbSearch = new SearchPage(root);

export { foldToken };
