// The Vietnamese analyzer, the browser twin of builder/analysis.py: the same
// terms for a document and the same clauses for a query. tests/test_parity.py
// proves both produce identical output; change them together.
// Plain ES module, served as is.

import { canonical, fold } from "./vietnamese.js";
import TERMS from "./vietnamese-terms.json" with { type: "json" };

const BIGRAM_GAP = new Set([" ", "\t", ",", "-", "*", "_"]);
const SYMBOL_CHARS = new Set(Array.from("abcdefghijklmnopqrstuvwxyz0123456789đ"));
const DIGITS = new Set(Array.from("0123456789"));

// One data file with builder/search/tokens.py: abbreviations, kinds of letters, the forms of dates.
export const ABBREVIATIONS = new Map(Object.entries(TERMS.abbreviations));
const DOCUMENT_TYPES = new Set(TERMS.document_types);
const SYMBOL_TYPES = new Map(Object.entries(TERMS.symbol_types));
const NOT_TYPES_BEFORE = new Set(TERMS.not_types_before);
const ATTACHED = new Set(["/", "-", ".", ",", ":"]);

const I_TO_Y = new Map([["i", "y"], ["ì", "ỳ"], ["í", "ý"], ["ỉ", "ỷ"], ["ĩ", "ỹ"], ["ị", "ỵ"]]);
const I_Y_ONSETS = ["qu", "l", "k", "m", "s", "t", "h"];
const PHRASE_QUOTES = /[\u201c\u201d\u201e\u00ab\u00bb]/gu;
const PY_SPACE_ONLY = /^[\t\n\v\f\r\x1c-\x1f \x85\xa0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000]*$/u;


// Python: unicodedata.category(ch)[0] in "LM" or category == "Nd".
const TOKEN_RUN = /[\p{L}\p{M}\p{Nd}]+/gu;
export const TOKEN_CHAR = /[\p{L}\p{M}\p{Nd}]/u;

const foldCache = new Map();
/** Folded form of one canonical, lower-case token (cached). */
export function foldToken(token) {
  let folded = foldCache.get(token);
  if (folded === undefined) {
    folded = fold(token);
    if (foldCache.size > 200000) foldCache.clear();
    foldCache.set(token, folded);
  }
  return folded;
}

function scan(text) {
  const tokens = [];
  let end = 0;
  for (const match of text.matchAll(TOKEN_RUN)) {
    tokens.push({ text: match[0], gap: text.slice(end, match.index), consumed: false, numberPart: false });
    end = match.index + match[0].length;
  }
  return tokens;
}

function isDigits(text, lo = 1, hi = 99) {
  const length = Array.from(text).length;
  if (length < lo || length > hi) return false;
  for (const ch of text) if (!DIGITS.has(ch)) return false;
  return true;
}

function isSymbolPart(text) {
  const chars = Array.from(text);
  return chars.length <= 12 && chars.every((ch) => SYMBOL_CHARS.has(ch)) && chars.some((ch) => !DIGITS.has(ch));
}

const pad = (value, size) => String(value).padStart(size, "0");

function dateTerm(day, month, year) {
  const d = parseInt(day, 10);
  const m = parseInt(month, 10);
  const y = parseInt(year, 10);
  if (d >= 1 && d <= 31 && m >= 1 && m <= 12 && y >= 1000 && y <= 2999) return `@${pad(y, 4)}-${pad(m, 2)}-${pad(d, 2)}`;
  return null;
}

function monthTerm(month, year) {
  const m = parseInt(month, 10);
  const y = parseInt(year, 10);
  if (m >= 1 && m <= 12 && y >= 1000 && y <= 2999) return `@${pad(y, 4)}-${pad(m, 2)}`;
  return null;
}

const spaces = (gap) => gap !== "" && Array.from(gap).every((ch) => ch === " " || ch === "\t");
const stripSpaces = (gap) => gap.replace(/^ +| +$/g, "");

const [DAY, MONTH, YEAR] = ["DD", "MM", "YYYY"];
const NUMBERS = new Set([DAY, MONTH, YEAR]);
// The shared file's date_forms, by their first part ("#": a number), as builder/search/specials.py.
const DATE_STARTS = new Map();
// Each form with, for each gap between its parts, whether a number stands on both sides (the
// form's separator goes there; beside a word, spaces): worked out once, as specials.py does.
for (const form of TERMS.date_forms) {
  const first = NUMBERS.has(form.parts[0]) ? "#" : form.parts[0];
  const sides = form.parts.slice(1).map((part, k) => NUMBERS.has(form.parts[k]) && NUMBERS.has(part));
  if (!DATE_STARTS.has(first)) DATE_STARTS.set(first, []);
  DATE_STARTS.get(first).push({ ...form, sides });
}

/** The term of the date of `form` written from token i, or null (specials.py _date_at). */
function dateAt(t, i, form) {
  const end = i + form.parts.length;
  if (end > t.length) return null;
  const numbers = {};
  for (let k = 0; k < form.parts.length; k += 1) {
    const part = form.parts[k];
    const text = t[i + k].text;
    if (NUMBERS.has(part)) {
      if (!(part === YEAR ? isDigits(text, 4, 4) : isDigits(text, 1, 2))) return null;
      numbers[part] = text;
    } else if (foldToken(text) !== part) {
      return null;
    }
  }
  const gaps = t.slice(i + 1, end).map((token) => token.gap);
  // Between two numbers the form's separator (one throughout); beside a word, spaces.
  const between = gaps.filter((gap, k) => form.sides[k]);
  let beside = gaps;
  let separator = gaps[0];
  if (form.separators !== null && between.length > 0) {
    beside = gaps.filter((gap, k) => !form.sides[k]);
    separator = between[0];
    if (!form.separators.includes(separator) || between.some((gap) => gap !== separator)) return null;
  }
  if (!beside.every(spaces)) return null;
  if (form.ends && end < t.length && t[end].gap === separator) return null;
  if (DAY in numbers) return dateTerm(numbers[DAY], numbers[MONTH], numbers[YEAR]);
  return monthTerm(numbers[MONTH], numbers[YEAR]);
}

function findDates(t, specials) {
  let i = 0;
  while (i < t.length) {
    const first = t[i].text;
    let end = i + 1;
    for (const form of DATE_STARTS.get(isDigits(first) ? "#" : foldToken(first)) ?? []) {
      const term = dateAt(t, i, form);
      if (term) {
        specials.push(term);
        end = i + form.parts.length;
        for (let k = i; k < end; k += 1) t[k].consumed = true;
        break;
      }
    }
    i = end;
  }
}

/** Returns where each number starts -> the first part of its symbol (folded). */
function findNumbers(t, specials) {
  const found = new Map();
  const n = t.length;
  let i = 0;
  while (i < n) {
    if (t[i].consumed || !isDigits(t[i].text, 1, 9)) {
      i += 1;
      continue;
    }
    let j = i + 1;
    let year = "";
    const parts = [];
    if (j < n && stripSpaces(t[j].gap) === "/" && !t[j].consumed) {
      if (j + 1 < n && isDigits(t[j].text, 4, 4) && stripSpaces(t[j + 1].gap) === "/" && isSymbolPart(t[j + 1].text)) {
        year = t[j].text;
        j += 1;
      }
    } else if (!(j + 1 < n && t[j].gap === "-" && stripSpaces(t[j + 1].gap) === "/")) {
      i += 1;
      continue;
    }
    while (j < n && !t[j].consumed && isSymbolPart(t[j].text)) {
      const separator = stripSpaces(t[j].gap);
      if (parts.length && separator !== "-" && separator !== "/") break;
      parts.push(t[j].text);
      j += 1;
    }
    if (!parts.length || (t[i + 1].gap === "-" && parts.length < 2)) {
      i += 1;
      continue;
    }
    const symbol = parts.map(foldToken).join("-");
    const number = String(parseInt(t[i].text, 10));
    specials.push(year ? `#${number}/${year}/${symbol}` : `#${number}/${symbol}`);
    for (let k = i; k < j; k += 1) {
      t[k].consumed = true;
      t[k].numberPart = true;
    }
    found.set(i, foldToken(parts[0]));
    i = j;
  }
  return found;
}

/** The kind of letter written just before token i and where it starts, or null. */
function typeBefore(t, i) {
  let k = i;
  if (k >= 1 && foldToken(t[k - 1].text) === "so" && spaces(t[k].gap)) k -= 1;
  if (k >= 2 && spaces(t[k].gap) && spaces(t[k - 1].gap) && !t[k - 2].consumed && !t[k - 1].consumed) {
    const kind = `${foldToken(t[k - 2].text)} ${foldToken(t[k - 1].text)}`;
    if (DOCUMENT_TYPES.has(kind)) return [kind, k - 2];
  }
  return null;
}

const MAYBE = "?";
const looksLikeAYear = (digits) => digits.length === 4 && Number(digits) >= 1945 && Number(digits) <= 2099;

/** "#chi thi 16": a number with the kind of letter it numbers (builder/analysis.py). */
function findTypedNumbers(t, numbers, specials, query) {
  const n = t.length;
  for (let i = 0; i < n; i += 1) {
    const symbolFirst = numbers.get(i);
    if (symbolFirst === undefined) {
      if (t[i].consumed || !isDigits(t[i].text, 1, 9)) continue;
      if (i + 1 < n && (ATTACHED.has(t[i + 1].gap) || NOT_TYPES_BEFORE.has(foldToken(t[i + 1].text)))) continue;
    }
    const before = typeBefore(t, i);
    const kinds = before ? [before[0]] : [];
    if (!query && symbolFirst !== undefined && SYMBOL_TYPES.has(symbolFirst) && !kinds.includes(SYMBOL_TYPES.get(symbolFirst))) {
      kinds.push(SYMBOL_TYPES.get(symbolFirst));
    }
    const number = String(parseInt(t[i].text, 10));
    if (query && symbolFirst === undefined && looksLikeAYear(t[i].text)) {
      for (const kind of kinds) specials.push(`${MAYBE}#${kind} ${number}`); // ranks, restricts nothing
      continue;
    }
    for (const kind of kinds) specials.push(`#${kind} ${number}`);
    if (query && before) for (let k = before[1]; k <= i; k += 1) t[k].consumed = true;
  }
}

function spelling(token) {
  const chars = Array.from(token);
  for (const onset of I_Y_ONSETS) {
    const last = chars[chars.length - 1];
    if (chars.length === onset.length + 1 && token.startsWith(onset) && I_TO_Y.has(last)) {
      return onset + I_TO_Y.get(last);
    }
  }
  return token;
}

function expand(token) {
  const longForm = ABBREVIATIONS.get(foldToken(token));
  if (longForm !== undefined) return longForm.split(" ");
  return [spelling(token)];
}

const joins = (gap) => Array.from(gap).every((ch) => BIGRAM_GAP.has(ch));
/** A letter's number's parts across a slash (316/KH) are adjacent (analysis.py _inside_number). */
const insideNumber = (tokens, i) => tokens[i].gap === "/" && tokens[i].numberPart && tokens[i - 1].numberPart;

function analyze(text, query) {
  const tokens = scan(canonical(text).toLowerCase());
  const result = { items: [], specials: [], compounds: [] };
  findDates(tokens, result.specials);
  findTypedNumbers(tokens, findNumbers(tokens, result.specials), result.specials, query);
  const spans = [];
  let previousKept = false;
  let i = 0;
  const n = tokens.length;
  while (i < n) {
    const token = tokens[i];
    if (query && token.consumed) {
      spans.push([-1, -1]);
      previousKept = false;
      i += 1;
      continue;
    }
    const joinsPrevious = previousKept && (joins(token.gap) || insideNumber(tokens, i));
    let words;
    let accented;
    if (token.text === "v" && i + 1 < n && tokens[i + 1].text === "v" && tokens[i + 1].gap === "/") {
      words = ["về", "việc"];
      accented = false;
      const span = [result.items.length, result.items.length + 2];
      spans.push(span, span);
      i += 2;
    } else {
      words = expand(token.text);
      accented = foldToken(token.text) !== token.text;
      spans.push([result.items.length, result.items.length + words.length]);
      i += 1;
    }
    words.forEach((word, k) => {
      result.items.push({
        exact: word, folded: foldToken(word), accented, joinsPrevious: k === 0 ? joinsPrevious : true, inner: k > 0,
      });
    });
    previousKept = true;
  }
  findCompounds(tokens, spans, result);
  return result;
}

function findCompounds(tokens, spans, result) {
  let i = 0;
  const n = tokens.length;
  while (i < n) {
    let j = i + 1;
    while (j < n && tokens[j].gap === "-" && !tokens[j].numberPart && !tokens[j - 1].numberPart) j += 1;
    let consumed = false;
    for (let k = i; k < j; k += 1) if (tokens[k].consumed) consumed = true;
    if (j - i >= 2 && !consumed) {
      const joined = tokens.slice(i, j).map((tok) => tok.text).join("");
      result.compounds.push([joined, spans.slice(i, j)]);
    }
    i = j;
  }
}

function withFold(exact) {
  const folded = exact.includes(" ") ? exact.split(" ").map(foldToken).join(" ") : foldToken(exact);
  return folded === exact ? [folded] : [folded, exact];
}

/** Index terms of one field's text, repeated as often as they occur. */
export function analyzeDocument(text) {
  const analysis = analyze(text, false);
  const terms = [];
  const items = analysis.items;
  for (const item of items) {
    terms.push(item.folded);
    if (item.exact !== item.folded) terms.push(item.exact);
  }
  for (let index = 1; index < items.length; index += 1) {
    if (items[index].joinsPrevious) {
      const before = items[index - 1];
      const after = items[index];
      terms.push(`${before.folded} ${after.folded}`);
    }
  }
  for (let index = 2; index < items.length; index += 1) {
    const item = items[index];
    if (item.joinsPrevious && !item.inner && items[index - 1].joinsPrevious) {
      terms.push(`${items[index - 2].folded} ${items[index - 1].folded} ${item.folded}`);
    }
  }
  for (const [joined] of analysis.compounds) terms.push(...withFold(joined));
  for (const special of analysis.specials) {
    terms.push(special);
    if (special.length === 11 && special[0] === "@") {
      terms.push(special.slice(0, 8)); // a day is also in its month
    } else if (special[0] === "#" && special.includes("/")) {
      terms.push(...numberVariants(special));
    }
  }
  return terms;
}

const ONE_TOKEN = /^[\p{L}\p{M}\p{Nd}]+$/u;
const D_LIKE = /[đðɖ]/gu;
const NOT_KEY = /[^a-z0-9]/g;

/**
 * What the folded syllables of one word are made of, for the search page's marking: its letters
 * and digits decomposed, lower case, marks and everything else left out, đ as d, i as y. Folding
 * (NFKC, look-alikes, tone placement, marks, đ), the i/y spelling and lower case change none of
 * it, so a word's folded syllable has the word's key, and a word can hold a folded syllable of the
 * query only if their keys are equal, or if the word is an abbreviation (its long form's syllables
 * are other words: ABBREVIATION_KEYS). null when the word is not one token once composed (then
 * analyse it). tests/test_parity.py checks this over the seeds and generated strings.
 */
export function syllableKey(word) {
  if (!ONE_TOKEN.test(word.normalize("NFKC"))) return null;
  return word
    .normalize("NFKD")
    .toLowerCase()
    .replace(D_LIKE, "d")
    .replace(NOT_KEY, "")
    .replaceAll("i", "y");
}
/** The keys of the abbreviations: such a word is analysed whatever the query (see syllableKey). */
export const ABBREVIATION_KEYS = new Set([...ABBREVIATIONS.keys()].map(syllableKey));

const PARTIAL = "~";

/** Other forms a person may type of a number, partial ones marked (builder/analysis.py _number_variants). */
function numberVariants(special) {
  const parts = special.split("/");
  const number = parts[0];
  const pieces = parts[parts.length - 1].split("-");
  const prefixes = [];
  for (let k = pieces.length - 1; k > 0; k -= 1) prefixes.push(`${pieces.slice(0, k).join("-")}${PARTIAL}`);
  const variants = [];
  if (parts.length === 3) {
    for (const prefix of prefixes) variants.push(`${number}/${parts[1]}/${prefix}`);
    variants.push(`${number}/${parts[2]}`);
  }
  for (const prefix of prefixes) variants.push(`${number}/${prefix}`);
  return variants;
}

function splitQuotes(text) {
  const pieces = text.replace(PHRASE_QUOTES, '"').split('"');
  const out = [];
  pieces.forEach((piece, index) => {
    if (!PY_SPACE_ONLY.test(piece)) out.push([piece, index % 2 === 1]);
  });
  return out;
}

/**
 * Clauses for what a person typed: every syllable must match (folded), accents add an
 * exact clause, adjacent syllables a bigram; quoted text is a phrase; numbers and dates
 * match as a whole. `weightOf`: the term weights by role, as the index's manifest gives them
 * (builder/ranking.py QUERY_WEIGHTS; never written here). Returns {groups, weights (Map), highlight}.
 */
export function analyzeQuery(text, weightOf) {
  const groups = new Map();
  const weights = new Map();
  const highlight = [];
  const addGroup = (...alternatives) => {
    const key = JSON.stringify(alternatives);
    if (!groups.has(key)) groups.set(key, alternatives);
  };
  const addWeight = (term, weight) => weights.set(term, (weights.get(term) ?? 0) + weight);

  for (const [piece, quoted] of splitQuotes(text)) {
    const analysis = analyze(piece, true);
    const items = analysis.items;
    for (const special of analysis.specials) {
      if (special.startsWith(MAYBE)) {
        addWeight(special.slice(1), weightOf.typed);
      } else if (special.includes(" ")) {
        addGroup(special);
        addWeight(special, weightOf.typed);
      } else if (special[0] === "#") {
        addGroup(special, special + PARTIAL);
        addWeight(special, weightOf.special);
        addWeight(special + PARTIAL, weightOf.partial);
      } else {
        addGroup(special);
        addWeight(special, weightOf.special);
      }
    }
    const inCompound = new Set();
    for (const [, parts] of analysis.compounds) {
      for (let k = parts[0][0]; k < parts[parts.length - 1][1]; k += 1) inCompound.add(k);
    }
    items.forEach((item, index) => {
      addWeight(item.folded, weightOf.unigram);
      if (!highlight.includes(item.folded)) highlight.push(item.folded);
      const exact = item.accented && item.exact !== item.folded;
      if (exact) addWeight(item.exact, weightOf.exact);
      if (!inCompound.has(index) || quoted) addGroup(item.folded);
      if (quoted && exact) addGroup(item.exact);
      if (index && item.joinsPrevious) {
        const before = items[index - 1];
        const bigram = `${before.folded} ${item.folded}`;
        addWeight(bigram, weightOf.bigram);
        if (quoted || item.inner) addGroup(bigram);
        if (index > 1 && before.joinsPrevious && !item.inner) addWeight(`${items[index - 2].folded} ${bigram}`, weightOf.trigram);
      }
    });
    if (!quoted) {
      for (const [joined, parts] of analysis.compounds) {
        const joinedFolded = withFold(joined)[0];
        addWeight(joinedFolded, weightOf.unigram);
        for (let k = 1; k < parts.length; k += 1) {
          const end = parts[k - 1][1];
          const start = parts[k][0];
          addGroup(`${items[end - 1].folded} ${items[start].folded}`, joinedFolded);
        }
      }
    }
  }
  return { groups: [...groups.values()], weights, highlight };
}
