// Text analysis for search, the twin of the Swift `Search` module's analyzer: the same input
// must give the same terms on both sides (Tests/SearchTests/Fixtures/analysis-cases.json).
//
// Pipeline: NFC, words of letters/marks/digits (joined across one ' or ’), per-character lower
// case, French elisions removed, stop words dropped, Snowball stem, accents folded off the stem.
// Words are handled as arrays of code points so positions match Swift's Unicode scalars.

const cps = (text) => Array.from(text, (ch) => ch.codePointAt(0));
const str = (points) => String.fromCodePoint(...points);
const cp = (ch) => ch.codePointAt(0);

function endsWith(word, suffix, end = word.length) {
  const start = end - suffix.length;
  if (start < 0) return false;
  for (let i = 0; i < suffix.length; i++) if (word[start + i] !== suffix[i]) return false;
  return true;
}

function startsWith(word, prefix) {
  if (prefix.length > word.length) return false;
  for (let i = 0; i < prefix.length; i++) if (word[i] !== prefix[i]) return false;
  return true;
}

function replaceFrom(word, start, replacement) {
  word.splice(start, word.length - start, ...replacement);
}

// Suffixes → rule; `match` returns the longest suffix starting at or after `limit`, as
// Snowball's `among` does (no retry with shorter suffixes).
function suffixTable(groups) {
  const entries = [];
  for (const [rule, suffixes] of groups) for (const s of suffixes) entries.push([cps(s), rule]);
  entries.sort((a, b) => b[0].length - a[0].length);
  return (word, limit = 0) => {
    for (const [suffix, rule] of entries) {
      if (word.length - suffix.length >= limit && endsWith(word, suffix)) {
        return { start: word.length - suffix.length, rule };
      }
    }
    return null;
  };
}

const setOf = (text) => new Set(cps(text));

// ---------------------------------------------------------------------------------------------
// Snowball French stemmer, from the published algorithm description.

const FR = {
  vowels: setOf("aeiouyâàëéêèïîôûù"),
  elisionLetters: setOf("cdjlmnst"),
  ouxEnding: setOf("bhjlnp"),
  keptBeforeS: setOf("aiouès"),
  I: cp("I"), U: cp("U"), Y: cp("Y"), H: cp("H"),
};
const frVowel = (c) => c !== undefined && FR.vowels.has(c);
const frConsonant = (c) => c !== undefined && !FR.vowels.has(c);

function frEndOfVowelConsonant(w, start) {
  let p = start;
  while (p < w.length && !frVowel(w[p])) p++;
  p++;
  while (p < w.length && frVowel(w[p])) p++;
  return p < w.length ? p + 1 : null;
}

function frRegions(w) {
  const n = w.length;
  let rv = n;
  if (n >= 3 && frVowel(w[0]) && frVowel(w[1])) rv = 3;
  else if (["par", "col", "tap"].some((p) => startsWith(w, cps(p)))) rv = 3;
  else if (startsWith(w, cps("mauva"))) rv = 5;
  else if (startsWith(w, cps("ni")) && frVowel(w[2])) rv = 3;
  else {
    for (let j = 1; j < n; j++) if (frVowel(w[j])) { rv = j + 1; break; }
  }
  const r1 = frEndOfVowelConsonant(w, 0);
  if (r1 === null) return { rv, r1: n, r2: n };
  const r2 = frEndOfVowelConsonant(w, r1);
  return { rv, r1, r2: r2 === null ? n : r2 };
}

const frStandard = suffixTable([
  ["deleteInR2", ["ance", "iqUe", "isme", "able", "iste", "eux", "ances", "iqUes", "ismes", "ables", "istes"]],
  ["ation", ["atrice", "ateur", "ation", "atrices", "ateurs", "ations"]],
  ["logie", ["logie", "logies"]],
  ["ution", ["usion", "ution", "usions", "utions"]],
  ["ence", ["ence", "ences"]],
  ["ement", ["ement", "ements"]],
  ["ite", ["ité", "ités"]],
  ["ive", ["if", "ive", "ifs", "ives"]],
  ["eaux", ["eaux"]],
  ["aux", ["aux"]],
  ["oux", ["oux"]],
  ["euse", ["euse", "euses"]],
  ["issement", ["issement", "issements"]],
  ["amment", ["amment"]],
  ["emment", ["emment"]],
  ["ment", ["ment", "ments"]],
]);
const frBeforeEment = suffixTable([["iv", ["iv"]], ["eus", ["eus"]], ["ablOrIqu", ["abl", "iqU"]], ["ier", ["ièr", "Ièr"]]]);
const frBeforeIte = suffixTable([["abil", ["abil"]], ["ic", ["ic"]], ["iv", ["iv"]]]);
const frIVerb = suffixTable([[true, [
  "îmes", "ît", "îtes", "i", "ie", "ies", "ir", "ira", "irai", "iraIent", "irais", "irait",
  "iras", "irent", "irez", "iriez", "irions", "irons", "iront", "is", "issaIent", "issais",
  "issait", "issant", "issante", "issantes", "issants", "isse", "issent", "isses", "issez",
  "issiez", "issions", "issons", "it",
]]]);
const frVerb = suffixTable([
  ["ions", ["ions"]],
  ["delete", ["é", "ée", "ées", "és", "èrent", "er", "era", "erai", "eraIent", "erais", "erait", "eras",
    "erez", "eriez", "erions", "erons", "eront", "ez", "iez", "eais"]],
  ["deleteWithE", ["âmes", "ât", "âtes", "a", "ai", "aIent", "ait", "ant", "ante", "antes", "ants",
    "as", "asse", "assent", "asses", "assiez", "assions"]],
  ["ais", ["ais", "aise", "aises"]],
]);
const frResidual = suffixTable([["ion", ["ion"]], ["ier", ["ier", "ière", "Ier", "Ière"]], ["e", ["e"]]]);
const frDoubled = ["enn", "onn", "ett", "ell", "eill"].map(cps);

function frMarkVowelsUsedAsConsonants(w) {
  let p = 0;
  while (p < w.length) {
    const c = w[p];
    const next = w[p + 1];
    if (FR.vowels.has(c) && next !== undefined) {
      if ((next === cp("u") || next === cp("i")) && frVowel(w[p + 2])) {
        w[p + 1] = next === cp("u") ? FR.U : FR.I;
        continue;
      }
      if (next === cp("y")) { w[p + 1] = FR.Y; continue; }
    }
    if (c === cp("ë") || c === cp("ï")) w.splice(p, 1, FR.H, c === cp("ë") ? cp("e") : cp("i"));
    else if (c === cp("y") && frVowel(next)) w[p] = FR.Y;
    else if (c === cp("q") && next === cp("u")) w[p + 1] = FR.U;
    else p++;
  }
}

function frRemoveOrRewriteIc(w, r2) {
  if (!endsWith(w, cps("ic"))) return;
  const start = w.length - 2;
  replaceFrom(w, start, start >= r2 ? [] : cps("iqU"));
}

function frStandardSuffix(w, g) {
  const m = frStandard(w);
  if (!m) return false;
  const { start, rule } = m;
  const inR1 = start >= g.r1;
  const inR2 = start >= g.r2;
  switch (rule) {
    case "deleteInR2": if (!inR2) return false; replaceFrom(w, start, []); break;
    case "ation": if (!inR2) return false; replaceFrom(w, start, []); frRemoveOrRewriteIc(w, g.r2); break;
    case "logie": if (!inR2) return false; replaceFrom(w, start, cps("log")); break;
    case "ution": if (!inR2) return false; replaceFrom(w, start, cps("u")); break;
    case "ence": if (!inR2) return false; replaceFrom(w, start, cps("ent")); break;
    case "ement": {
      if (start < g.rv) return false;
      replaceFrom(w, start, []);
      const b = frBeforeEment(w);
      if (!b) break;
      if (b.rule === "iv") {
        if (b.start >= g.r2) {
          replaceFrom(w, b.start, []);
          if (endsWith(w, cps("at")) && w.length - 2 >= g.r2) replaceFrom(w, w.length - 2, []);
        }
      } else if (b.rule === "eus") {
        if (b.start >= g.r2) replaceFrom(w, b.start, []);
        else if (b.start >= g.r1) replaceFrom(w, b.start, cps("eux"));
      } else if (b.rule === "ablOrIqu") {
        if (b.start >= g.r2) replaceFrom(w, b.start, []);
      } else if (b.start >= g.rv) replaceFrom(w, b.start, cps("i"));
      break;
    }
    case "ite": {
      if (!inR2) return false;
      replaceFrom(w, start, []);
      const b = frBeforeIte(w);
      if (!b) break;
      const bR2 = b.start >= g.r2;
      if (b.rule === "abil") replaceFrom(w, b.start, bR2 ? [] : cps("abl"));
      else if (b.rule === "ic") replaceFrom(w, b.start, bR2 ? [] : cps("iqU"));
      else if (bR2) replaceFrom(w, b.start, []);
      break;
    }
    case "ive":
      if (!inR2) return false;
      replaceFrom(w, start, []);
      if (endsWith(w, cps("at")) && w.length - 2 >= g.r2) {
        replaceFrom(w, w.length - 2, []);
        frRemoveOrRewriteIc(w, g.r2);
      }
      break;
    case "eaux": replaceFrom(w, start, cps("eau")); break;
    case "aux": if (!inR1) return false; replaceFrom(w, start, cps("al")); break;
    case "oux":
      if (start < 1 || !FR.ouxEnding.has(w[start - 1])) return false;
      replaceFrom(w, start, cps("ou"));
      break;
    case "euse":
      if (inR2) replaceFrom(w, start, []);
      else if (inR1) replaceFrom(w, start, cps("eux"));
      else return false;
      break;
    case "issement":
      if (!inR1 || !frConsonant(w[start - 1])) return false;
      replaceFrom(w, start, []);
      break;
    case "amment":
    case "emment":
      if (start >= g.rv) replaceFrom(w, start, cps(rule === "amment" ? "ant" : "ent"));
      return false;
    case "ment":
      if (start - 1 >= g.rv && frVowel(w[start - 1])) replaceFrom(w, start, []);
      return false;
  }
  return true;
}

function frIVerbSuffix(w, g) {
  if (w.length < g.rv) return false;
  const m = frIVerb(w, g.rv);
  if (!m || m.start - 1 < g.rv) return false;
  const before = w[m.start - 1];
  if (before === FR.H || FR.vowels.has(before)) return false;
  replaceFrom(w, m.start, []);
  return true;
}

// Endings before which -ais/-aise belong to the stem (mauvais, déplaise); "al" only right after
// a first letter (palais, calais). Inferred from the reference lists.
function frKeepsAis(w, start) {
  return endsWith(w, cps("épl"), start) || endsWith(w, cps("auv"), start) ||
    (start === 3 && endsWith(w, cps("al"), start));
}

function frVerbSuffix(w, g) {
  if (w.length < g.rv) return false;
  const m = frVerb(w, g.rv);
  if (!m) return false;
  switch (m.rule) {
    case "ions": if (m.start < g.r2) return false; replaceFrom(w, m.start, []); break;
    case "delete": replaceFrom(w, m.start, []); break;
    case "ais": if (frKeepsAis(w, m.start)) return false; replaceFrom(w, m.start, []); break;
    case "deleteWithE": {
      const withE = m.start - 1 >= g.rv && w[m.start - 1] === cp("e");
      replaceFrom(w, withE ? m.start - 1 : m.start, []);
      break;
    }
  }
  return true;
}

function frResidualSuffix(w, g) {
  const n = w.length;
  if (w[n - 1] === cp("s") && n >= 2) {
    const before = w[n - 2];
    const afterHi = before === cp("i") && w[n - 3] === FR.H;
    if (afterHi || !FR.keptBeforeS.has(before)) w.pop();
  }
  if (w.length < g.rv) return;
  const m = frResidual(w, g.rv);
  if (!m) return;
  if (m.rule === "ion") {
    const before = m.start - 1 >= g.rv ? w[m.start - 1] : undefined;
    if (m.start >= g.r2 && (before === cp("s") || before === cp("t"))) replaceFrom(w, m.start, []);
  } else if (m.rule === "ier") replaceFrom(w, m.start, cps("i"));
  else replaceFrom(w, m.start, []);
}

function frStemPoints(w) {
  if (w.length > 2 && FR.elisionLetters.has(w[0]) && w[1] === cp("'")) w.splice(0, 2);
  else if (w.length > 3 && startsWith(w, cps("qu'"))) w.splice(0, 3);
  frMarkVowelsUsedAsConsonants(w);
  const g = frRegions(w);
  if (frStandardSuffix(w, g) || frIVerbSuffix(w, g) || frVerbSuffix(w, g)) {
    const last = w[w.length - 1];
    if (last === FR.Y) w[w.length - 1] = cp("i");
    else if (last === cp("ç")) w[w.length - 1] = cp("c");
  } else {
    frResidualSuffix(w, g);
  }
  if (frDoubled.some((d) => endsWith(w, d))) w.pop();
  let p = w.length - 1;
  while (p >= 0 && !FR.vowels.has(w[p])) p--;
  if (p >= 0 && p < w.length - 1 && (w[p] === cp("é") || w[p] === cp("è"))) w[p] = cp("e");
  const out = [];
  for (let i = 0; i < w.length; i++) {
    const c = w[i];
    if (c === FR.I) out.push(cp("i"));
    else if (c === FR.U) out.push(cp("u"));
    else if (c === FR.Y) out.push(cp("y"));
    else if (c === FR.H) {
      if (w[i + 1] === cp("e")) { out.push(cp("ë")); i++; }
      else if (w[i + 1] === cp("i")) { out.push(cp("ï")); i++; }
    } else out.push(c);
  }
  return out;
}

/** Snowball French stem of one lower-case NFC word. */
export function stemFrench(word) {
  return str(frStemPoints(cps(word)));
}

// ---------------------------------------------------------------------------------------------
// Snowball English (Porter2) stemmer, from the published algorithm description.

const EN = {
  vowels: setOf("aeiouy"),
  vowelsWXY: setOf("aeiouywxY"),
  validBeforeLi: setOf("cdeghkmnrt"),
  aeo: setOf("aeo"),
  Y: cp("Y"),
};
const enVowel = (c) => c !== undefined && EN.vowels.has(c);
const enConsonant = (c) => c !== undefined && !EN.vowels.has(c);

const enExceptions = new Map([
  ["skis", "ski"], ["skies", "sky"], ["dying", "die"], ["lying", "lie"], ["tying", "tie"],
  ["idly", "idl"], ["gently", "gentl"], ["ugly", "ugli"], ["early", "earli"], ["only", "onli"],
  ["singly", "singl"], ["sky", "sky"], ["news", "news"], ["howe", "howe"], ["atlas", "atlas"],
  ["cosmos", "cosmos"], ["bias", "bias"], ["andes", "andes"],
]);
const enInvariantAfterPlural = new Set([
  "inning", "outing", "canning", "herring", "earring", "evening", "proceed", "exceed", "succeed",
]);
const enPossessives = suffixTable([[true, ["'", "'s", "'s'"]]]);
const enPlurals = suffixTable([["sses", ["sses"]], ["ies", ["ied", "ies"]], ["s", ["s"]], ["keep", ["us", "ss"]]]);
const enEdIng = suffixTable([["eed", ["eed", "eedly"]], ["ed", ["ed", "edly"]], ["ing", ["ing", "ingly"]]]);
const enEndingsTakingE = ["at", "bl", "iz"].map(cps);
const enDoubles = ["bb", "dd", "ff", "gg", "mm", "nn", "pp", "rr", "tt"].map(cps);
const enDerivational = suffixTable([
  ["tion", ["tional"]], ["ence", ["enci"]], ["ance", ["anci"]], ["able", ["abli"]],
  ["ent", ["entli"]], ["ize", ["izer", "ization"]], ["ate", ["ational", "ation", "ator"]],
  ["al", ["alism", "aliti", "alli"]], ["ful", ["fulness"]], ["ous", ["ousli", "ousness"]],
  ["ive", ["iveness", "iviti"]], ["ble", ["biliti", "bli"]], [null, ["ogi", "li"]],
  ["ful", ["fulli"]], ["less", ["lessli"]], [null, ["ogist"]],
]);
const enSecondDerivational = suffixTable([
  ["tion", ["tional"]], ["ate", ["ational"]], ["al", ["alize"]],
  ["ic", ["icate", "iciti", "ical"]], ["", ["ful", "ness"]], [null, ["ative"]],
]);
const enResidual = suffixTable([
  [false, ["al", "ance", "ence", "er", "ic", "able", "ible", "ant", "ement", "ment", "ent", "ism",
    "ate", "iti", "ous", "ive", "ize"]],
  [true, ["ion"]],
]);

function enEndOfVowelConsonant(w, start) {
  let p = start;
  while (p < w.length && !enVowel(w[p])) p++;
  p++;
  while (p < w.length && enVowel(w[p])) p++;
  return p < w.length ? p + 1 : null;
}

function enRegions(w) {
  const n = w.length;
  const prefix = ["gener", "commun", "arsen", "univers", "later", "emerg", "organ", "inter"]
    .find((p) => startsWith(w, cps(p)));
  let r1;
  if (prefix) r1 = prefix.length;
  else {
    r1 = enEndOfVowelConsonant(w, 0);
    if (r1 === null) return { r1: n, r2: n };
  }
  const r2 = enEndOfVowelConsonant(w, r1);
  return { r1, r2: r2 === null ? n : r2 };
}

function enShortSyllable(w, end) {
  if (end >= 3) return !EN.vowelsWXY.has(w[end - 1]) && enVowel(w[end - 2]) && !enVowel(w[end - 3]);
  return end === 2 && !enVowel(w[1]) && enVowel(w[0]);
}

function enStemPoints(w) {
  const exception = enExceptions.get(str(w));
  if (exception !== undefined) return cps(exception);
  if (w.length < 3) return w;
  if (w[0] === cp("'")) w.shift();
  if (w[0] === cp("y")) w[0] = EN.Y;
  for (let p = 0; p + 1 < w.length; p++) {
    if (EN.vowels.has(w[p]) && w[p + 1] === cp("y")) { w[p + 1] = EN.Y; p++; }
  }
  const g = enRegions(w);
  const possessive = enPossessives(w);
  if (possessive) replaceFrom(w, possessive.start, []);
  const plural = enPlurals(w);
  if (plural) {
    const { start, rule } = plural;
    if (rule === "sses") replaceFrom(w, start, cps("ss"));
    else if (rule === "ies") replaceFrom(w, start, cps(start >= 2 ? "i" : "ie"));
    else if (rule === "s") {
      if (start >= 2 && w.slice(0, start - 1).some(enVowel)) replaceFrom(w, start, []);
    }
  }
  if (!enInvariantAfterPlural.has(str(w))) {
    enStep1b(w, g);
    const last = w[w.length - 1];
    if ((last === cp("y") || last === EN.Y) && w.length - 2 >= 1 && enConsonant(w[w.length - 2])) {
      w[w.length - 1] = cp("i");
    }
    const d = enDerivational(w);
    if (d && d.start >= g.r1) {
      if (d.rule !== null) replaceFrom(w, d.start, cps(d.rule));
      else if (endsWith(w, cps("ogist"))) {
        if (w[d.start - 1] === cp("l")) replaceFrom(w, d.start, cps("og"));
      } else if (endsWith(w, cps("ogi"))) {
        if (w[d.start - 1] === cp("l")) replaceFrom(w, d.start, cps("og"));
      } else if (d.start >= 1 && EN.validBeforeLi.has(w[d.start - 1])) replaceFrom(w, d.start, []);
    }
    const s = enSecondDerivational(w);
    if (s && s.start >= g.r1) {
      if (s.rule !== null) replaceFrom(w, s.start, cps(s.rule));
      else if (s.start >= g.r2) replaceFrom(w, s.start, []);
    }
    const r = enResidual(w);
    if (r && r.start >= g.r2 && (!r.rule || w[r.start - 1] === cp("s") || w[r.start - 1] === cp("t"))) {
      replaceFrom(w, r.start, []);
    }
    const n = w.length;
    if (w[n - 1] === cp("e")) {
      if (n - 1 >= g.r2 || (n - 1 >= g.r1 && !enShortSyllable(w, n - 1))) w.pop();
    } else if (w[n - 1] === cp("l") && n - 1 >= g.r2 && w[n - 2] === cp("l")) w.pop();
  }
  return w.map((c) => (c === EN.Y ? cp("y") : c));
}

function enStep1b(w, g) {
  const m = enEdIng(w);
  if (!m) return;
  if (m.rule === "eed") {
    if (m.start >= g.r1) replaceFrom(w, m.start, cps("ee"));
    return;
  }
  if (!w.slice(0, m.start).some(enVowel)) return;
  replaceFrom(w, m.start, []);
  if (m.rule === "ing" && w.length === 2 && w[1] === cp("y") && enConsonant(w[0])) {
    replaceFrom(w, 1, cps("ie"));
  } else if (enEndingsTakingE.some((e) => endsWith(w, e))) w.push(cp("e"));
  else if (enDoubles.some((d) => endsWith(w, d))) {
    if (!(w.length === 3 && EN.aeo.has(w[0]))) w.pop();
  } else if (w.length === g.r1 && enShortSyllable(w, w.length)) w.push(cp("e"));
}

/** Snowball English (Porter2) stem of one lower-case word. */
export function stemEnglish(word) {
  return str(enStemPoints(cps(word)));
}

// ---------------------------------------------------------------------------------------------
// Tokens, folding, stop words.

const WORD_CHARACTER = /[\p{L}\p{M}\p{Nd}\p{Nl}\p{No}]/u;
const NONSPACING_MARK = /\p{Mn}/gu;
const MAXIMUM_TOKEN_LENGTH = 60;
const SPELLED_OUT = new Map([
  ["æ", "ae"], ["Æ", "ae"], ["œ", "oe"], ["Œ", "oe"], ["ß", "ss"], ["ø", "o"], ["Ø", "o"],
  ["ł", "l"], ["Ł", "l"], ["đ", "d"], ["Đ", "d"],
]);

/** Words of the text, NFC and lower-cased, as arrays of code points; ’ becomes '. */
export function tokenize(text) {
  const words = [];
  let word = [];
  let pendingApostrophe = false;
  const flush = () => {
    if (word.length > 0 && word.length <= MAXIMUM_TOKEN_LENGTH) words.push(word);
    word = [];
    pendingApostrophe = false;
  };
  for (const ch of text.normalize("NFC")) {
    const c = ch.codePointAt(0);
    if ((c === 0x27 || c === 0x2019) && word.length > 0 && !pendingApostrophe) {
      pendingApostrophe = true;
    } else if (c < 0x80 ? (c >= 0x61 && c <= 0x7a) || (c >= 0x30 && c <= 0x39) || (c >= 0x41 && c <= 0x5a)
      : WORD_CHARACTER.test(ch)) {
      if (pendingApostrophe) { word.push(0x27); pendingApostrophe = false; }
      if (c < 0x80) word.push(c >= 0x41 && c <= 0x5a ? c + 0x20 : c);
      else for (const lower of ch.toLowerCase()) word.push(lower.codePointAt(0));
    } else {
      flush();
    }
  }
  flush();
  return words;
}

/** Accents folded off: NFD, Mn marks dropped, æ/œ/ß/ø/ł/đ spelt out, NFC. */
export function fold(word) {
  if (!/[^\u0000-\u007f]/.test(word)) return word;
  let out = "";
  for (const ch of word) {
    const c = ch.codePointAt(0);
    if (c < 0x80) out += ch;
    else if (SPELLED_OUT.has(ch)) out += SPELLED_OUT.get(ch);
    else out += ch.normalize("NFD").replace(NONSPACING_MARK, "");
  }
  return out.normalize("NFC");
}

const ELISIONS = ["jusqu'", "lorsqu'", "puisqu'", "qu'", "l'", "d'", "j'", "n'", "s'", "c'", "m'", "t'"];

const STOP_WORDS = {
  fr: new Set([
    "a", "à", "au", "aux", "avec", "ce", "ces", "c", "d", "dans", "de", "des", "du", "elle",
    "en", "et", "eux", "il", "ils", "j", "je", "l", "la", "le", "les", "leur", "leurs", "lui",
    "m", "ma", "mais", "me", "mes", "moi", "mon", "n", "ne", "nos", "notre", "nous", "on", "ou",
    "où", "par", "pas", "pour", "qu", "que", "qui", "s", "sa", "se", "ses", "son", "sur", "t",
    "ta", "te", "tes", "toi", "ton", "tu", "un", "une", "vos", "votre", "vous", "y", "est",
    "sont", "été", "être", "cette", "cet",
  ]),
  en: new Set([
    "a", "an", "and", "are", "as", "at", "be", "but", "by", "for", "from", "has", "have", "he",
    "her", "his", "i", "in", "into", "is", "it", "its", "of", "on", "or", "our", "she", "that",
    "the", "their", "them", "they", "this", "to", "was", "we", "were", "which", "who", "will",
    "with", "you", "your",
  ]),
};

const STEMMERS = { fr: stemFrench, en: stemEnglish };

/**
 * An analyzer for one language ("fr", "en"; others get no stemming nor stop words).
 * `terms(text)`: one term per word; `indexTerms(text)`: each term followed by the term of the
 * unaccented spelling when different (what the index stores); `queryTerms(text)`: per word,
 * the list of terms any of which may match.
 */
export function createAnalyzer(language) {
  const stem = STEMMERS[language] ?? ((w) => w);
  const stopWords = STOP_WORDS[language] ?? new Set();
  const stripsElisions = language === "fr";
  const cache = new Map();

  function analyse(points) {
    let word = str(points);
    const known = cache.get(word);
    if (known !== undefined) return known;
    const key = word;
    if (stripsElisions) {
      const elision = ELISIONS.find((e) => word.length > e.length && word.startsWith(e));
      if (elision) word = word.slice(elision.length);
    }
    let result = null;
    if (word.length > 0 && !stopWords.has(word)) {
      const term = fold(stem(word));
      const folded = fold(word);
      const variant = folded === word ? term : fold(stem(folded));
      result = { term, variant: variant === term ? null : variant };
    }
    if (cache.size > 50000) cache.clear();
    cache.set(key, result);
    return result;
  }

  return {
    language,
    terms(text) {
      const out = [];
      for (const w of tokenize(text)) { const a = analyse(w); if (a) out.push(a.term); }
      return out;
    },
    indexTerms(text) {
      const out = [];
      for (const w of tokenize(text)) {
        const a = analyse(w);
        if (a) { out.push(a.term); if (a.variant) out.push(a.variant); }
      }
      return out;
    },
    queryTerms(text) {
      const out = [];
      for (const w of tokenize(text)) {
        const a = analyse(w);
        if (a) out.push(a.variant ? [a.term, a.variant] : [a.term]);
      }
      return out;
    },
  };
}
