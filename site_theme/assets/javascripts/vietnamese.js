// Vietnamese text rules, the browser twin of builder/vietnamese.py.
// A faithful port: tests/test_parity.py runs both over the seeds and thousands of
// generated strings and requires identical output. Keep the two files in step.
// Plain ES module, served as is.

const TONE_MARKS = new Set(["\u0300", "\u0301", "\u0303", "\u0309", "\u0323"]);
const VOWEL_MODIFIERS = new Set(["\u0306", "\u0302", "\u031b"]);
const VOWELS = new Set(["a", "e", "i", "o", "u", "y"]);
const FINAL_CONSONANTS = new Set(["", "c", "ch", "m", "n", "ng", "nh", "p", "t"]);

const LOOK_ALIKES = new Map([
  ["\u00d0", "\u0110"], ["\u0189", "\u0110"], ["\u00f0", "\u0111"], ["\u0256", "\u0111"],
  ["\u00a0", " "], ["\u2007", " "], ["\u202f", " "],
  ["\u200b", ""], ["\u200c", ""], ["\u200d", ""], ["\u2060", ""], ["\ufeff", ""], ["\u00ad", ""],
  ["\u2010", "-"], ["\u2011", "-"], ["\u2012", "-"], ["\u2013", "-"], ["\u2014", "-"], ["\u2015", "-"],
  ["\u2212", "-"], ["\u2044", "/"], ["\u2215", "/"], ["\uff0f", "/"],
  // HIDDEN_BMP_CODES of builder/vietnamese.py: bidi controls and non-characters are never text
  ...[0x061c, 0x200e, 0x200f, 0x202a, 0x202b, 0x202c, 0x202d, 0x202e, 0x2066, 0x2067, 0x2068, 0x2069,
    ...Array.from({ length: 0x20 }, (_, i) => 0xfdd0 + i), 0xfffe, 0xffff].map((code) => [String.fromCharCode(code), ""]),
]);
const LOOK_ALIKE_RE = new RegExp("[" + [...LOOK_ALIKES.keys()].join("") + "]", "gu");
const WIDE_SPACES = /[\u2000-\u200a\u205f\u3000]/gu;

// Python's `[^\W\d_]` is exactly letters plus Nl and No; marks U+0300-036F join words.
const WORD = /(?:[\p{L}\p{Nl}\p{No}]|[\u0300-\u036f])+/gu;

// Python's str.isspace() characters, for str.split() without arguments.
const PY_SPACE = /[\t\n\v\f\r\x1c-\x1f \x85\xa0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000]+/u;

// Code points whose canonical combining class is not 0 (Python's unicodedata.combining),
// generated from Python's Unicode database.
const COMBINING_RANGES = "300-34e,350-36f,483-487,591-5bd,5bf,5c1-5c2,5c4-5c5,5c7,610-61a,64b-65f,670,6d6-6dc,6df-6e4,6e7-6e8,6ea-6ed,711,730-74a,7eb-7f3,7fd,816-819,81b-823,825-827,829-82d,859-85b,898-89f,8ca-8e1,8e3-8ff,93c,94d,951-954,9bc,9cd,9fe,a3c,a4d,abc,acd,b3c,b4d,bcd,c3c,c4d,c55-c56,cbc,ccd,d3b-d3c,d4d,dca,e38-e3a,e48-e4b,eb8-eba,ec8-ecb,f18-f19,f35,f37,f39,f71-f72,f74,f7a-f7d,f80,f82-f84,f86-f87,fc6,1037,1039-103a,108d,135d-135f,1714-1715,1734,17d2,17dd,18a9,1939-193b,1a17-1a18,1a60,1a75-1a7c,1a7f,1ab0-1abd,1abf-1ace,1b34,1b44,1b6b-1b73,1baa-1bab,1be6,1bf2-1bf3,1c37,1cd0-1cd2,1cd4-1ce0,1ce2-1ce8,1ced,1cf4,1cf8-1cf9,1dc0-1dff,20d0-20dc,20e1,20e5-20f0,2cef-2cf1,2d7f,2de0-2dff,302a-302f,3099-309a,a66f,a674-a67d,a69e-a69f,a6f0-a6f1,a806,a82c,a8c4,a8e0-a8f1,a92b-a92d,a953,a9b3,a9c0,aab0,aab2-aab4,aab7-aab8,aabe-aabf,aac1,aaf6,abed,fb1e,fe20-fe2f,101fd,102e0,10376-1037a,10a0d,10a0f,10a38-10a3a,10a3f,10ae5-10ae6,10d24-10d27,10eab-10eac,10f46-10f50,10f82-10f85,11046,11070,1107f,110b9-110ba,11100-11102,11133-11134,11173,111c0,111ca,11235-11236,112e9-112ea,1133b-1133c,1134d,11366-1136c,11370-11374,11442,11446,1145e,114c2-114c3,115bf-115c0,1163f,116b6-116b7,1172b,11839-1183a,1193d-1193e,11943,119e0,11a34,11a47,11a99,11c3f,11d42,11d44-11d45,11d97,16af0-16af4,16b30-16b36,16ff0-16ff1,1bc9e,1d165-1d169,1d16d-1d172,1d17b-1d182,1d185-1d18b,1d1aa-1d1ad,1d242-1d244,1e000-1e006,1e008-1e018,1e01b-1e021,1e023-1e024,1e026-1e02a,1e130-1e136,1e2ae,1e2ec-1e2ef,1e8d0-1e8d6,1e944-1e94a".split(",").map((r) => {
  const [a, b] = r.split("-");
  return [parseInt(a, 16), parseInt(b ?? a, 16)];
});

function combining(ch) {
  const code = ch.codePointAt(0);
  let lo = 0;
  let hi = COMBINING_RANGES.length - 1;
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    const [a, b] = COMBINING_RANGES[mid];
    if (code < a) hi = mid - 1;
    else if (code > b) lo = mid + 1;
    else return true;
  }
  return false;
}

/** Text as printed, only composed (NFC): what pages show. */
export function published(text) {
  return text.normalize("NFC");
}

/** Text for matching: NFKC, look-alikes, dashes, spaces, one tone style. */
export function canonical(text) {
  let t = text.normalize("NFKC").replace(LOOK_ALIKE_RE, (ch) => LOOK_ALIKES.get(ch));
  t = t.replace(WIDE_SPACES, " ");
  const decomposed = t.normalize("NFD");
  const placed = decomposed.replace(WORD, (word) => placeTone(word));
  return placed.normalize("NFC");
}

/** Canonical, lower case, runs of white space as one space: for equality. */
export function canonicalKey(text) {
  return canonical(text)
    .toLowerCase()
    .split(PY_SPACE)
    .filter((part) => part !== "")
    .join(" ");
}

/** Canonical key without any marks, đ as d: what a diacritic-free query types. */
export function fold(text) {
  let out = "";
  for (const ch of canonicalKey(text).normalize("NFD")) {
    if (!combining(ch)) out += ch;
  }
  // Stripping a stand-alone mark can leave a run of spaces: collapse again.
  return out
    .replaceAll("đ", "d")
    .split(PY_SPACE)
    .filter((part) => part !== "")
    .join(" ");
}

function placeTone(word) {
  const letters = []; // [base, marks]
  const tones = [];
  for (const ch of word) {
    if (TONE_MARKS.has(ch)) {
      if (letters.length === 0) return word;
      tones.push(ch);
    } else if (combining(ch)) {
      if (letters.length === 0 || !VOWEL_MODIFIERS.has(ch)) return word;
      const last = letters[letters.length - 1];
      last[1] += ch;
    } else {
      letters.push([ch, ""]);
    }
  }
  if (tones.length !== 1) return word;
  const target = tonePosition(letters.map(([base, marks]) => [base.toLowerCase(), marks]));
  if (target === null) return word;
  let out = "";
  letters.forEach(([base, marks], index) => {
    out += base + marks + (index === target ? tones[0] : "");
  });
  return out;
}

function tonePosition(letters) {
  // Python indexes the joined string of lowered bases by code point: so do we.
  const bases = Array.from(letters.map(([base]) => base).join(""));
  const slice = (a, b) => bases.slice(a, b).join("");
  let start = 0;
  while (start < bases.length && !VOWELS.has(bases[start])) start += 1;
  if (slice(0, 2) === "qu" || (slice(0, 2) === "gi" && bases.length > 2 && VOWELS.has(bases[2]))) {
    start = Math.max(start, 2);
  }
  let end = start;
  while (end < bases.length && VOWELS.has(bases[end])) end += 1;
  const size = Math.max(0, end - start);
  if (size === 0 || !FINAL_CONSONANTS.has(slice(end)) || size > 3) return null;
  if (letters.slice(0, start).some(([, marks]) => marks) || letters.slice(end).some(([, marks]) => marks)) {
    return null;
  }
  const marked = [];
  for (let i = start; i < end; i += 1) if (letters[i] && letters[i][1]) marked.push(i);
  if (marked.length) return marked[marked.length - 1];
  if (size === 1) return start;
  if (slice(end)) return end - 1;
  if (size === 3) return start + 1;
  return start;
}
