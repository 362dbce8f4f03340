// Query engine over the static index (index-reader.js): BM25 with field boosts, all words
// required (falling back to the best partial matches), prefix match on the last word, typo
// tolerance, phrases in quotes, facet filters with counts, highlighted excerpts.
import { createAnalyzer, fold, tokenize } from "./analyzer.js";
import { IndexReader } from "./index-reader.js";

const PREFIX_WEIGHT = 0.8;
const TYPO_WEIGHT = 0.6;
const MAXIMUM_EXPANSIONS = 50;

/** Splits a query into words and quoted phrases; `endsInWord` tells if the last word is open. */
export function parseQuery(text) {
  const phrases = [];
  const rest = text.replace(/"([^"]*)"?/g, (_, phrase) => {
    if (phrase.trim()) phrases.push(phrase);
    return " ";
  });
  const endsInWord = !/["\s]$/.test(text) && rest.trim().length > 0 && /\S$/.test(rest);
  return { words: rest, phrases, endsInWord };
}

/** Levenshtein distance, giving up (returning limit + 1) once it exceeds `limit`. */
export function editDistance(a, b, limit) {
  if (Math.abs(a.length - b.length) > limit) return limit + 1;
  let previous = Array.from({ length: b.length + 1 }, (_, i) => i);
  for (let i = 1; i <= a.length; i++) {
    const current = [i];
    let rowMinimum = i;
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      current[j] = Math.min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + cost);
      rowMinimum = Math.min(rowMinimum, current[j]);
    }
    if (rowMinimum > limit) return limit + 1;
    previous = current;
  }
  return previous[b.length];
}

const escapeHTML = (text) => text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

export class SearchEngine {
  static async open(baseUrl, fetchFunction = globalThis.fetch) {
    return new SearchEngine(await IndexReader.open(baseUrl, fetchFunction));
  }

  constructor(reader, { k1 = 1.2, b = 0.75 } = {}) {
    this.reader = reader;
    this.analyzer = createAnalyzer(reader.language);
    this.k1 = k1;
    this.b = b;
  }

  /**
   * @param {string} text the query, e.g. `jardin "économie locale"`
   * @param {{filters?: Object<string, string[]>, limit?: number, offset?: number}} options
   * @returns {Promise<{total, partial, results, facets}>}: `results` are display data with
   *   `document`, `score`, `titleHTML` and `excerptHTML` (matches in <mark>); `facets` maps
   *   facet → value → count over all hits, each facet counted with the other facets' filters.
   */
  async search(text, { filters = {}, limit = 10, offset = 0 } = {}) {
    const query = parseQuery(text);
    const groups = await this.wordGroups(query);
    const empty = { total: 0, partial: false, results: [], facets: {} };
    if (groups.length === 0) return empty;

    // document → {score, matched words}
    const hits = new Map();
    groups.forEach((group, index) => {
      const best = new Map();
      for (const { postings, weight } of group.expansions) {
        const idf = Math.log(1 + (this.reader.documentCount - postings.documents.length + 0.5) / (postings.documents.length + 0.5));
        postings.documents.forEach((document, i) => {
          const score = weight * idf * this.termScore(document, postings.frequencies[i], postings.fields[i]);
          if (score > (best.get(document) ?? 0)) best.set(document, score);
        });
      }
      for (const [document, score] of best) {
        const hit = hits.get(document) ?? { document, score: 0, matched: 0 };
        hit.score += score;
        hit.matched += 1;
        hits.set(document, hit);
      }
    });

    let candidates = [...hits.values()].filter((hit) => hit.matched === groups.length);
    let partial = false;
    if (candidates.length === 0 && query.phrases.length === 0) {
      const most = Math.max(0, ...[...hits.values()].map((hit) => hit.matched));
      candidates = [...hits.values()].filter((hit) => hit.matched === most && most > 0);
      partial = candidates.length > 0;
    }
    if (query.phrases.length > 0) candidates = await this.withPhrases(candidates, query.phrases);

    const facets = this.facetCounts(candidates, filters);
    const selected = candidates.filter((hit) => this.passes(hit.document, filters));
    selected.sort((x, y) => y.score - x.score || x.document - y.document);
    const page = selected.slice(offset, offset + limit);
    const display = await this.reader.displayData(page.map((hit) => hit.document));
    const matchedTerms = new Set(groups.flatMap((g) => g.expansions.map((e) => e.term)));
    const results = page.map((hit, i) => ({
      ...display[i],
      document: hit.document,
      score: hit.score,
      titleHTML: this.highlight(display[i].title, matchedTerms),
      excerptHTML: this.highlight(this.window(display[i].excerpt, matchedTerms), matchedTerms),
    }));
    return { total: selected.length, partial, results, facets };
  }

  /** BM25 for one posting, boosted by the best field the term occurs in. */
  termScore(document, frequency, fieldBits) {
    const reader = this.reader;
    let boost = 1;
    reader.boosts.forEach((value, i) => { if (fieldBits & (1 << i)) boost = Math.max(boost, value); });
    const lengthRatio = reader.documentLength(document) / Math.max(1, reader.averageLength);
    const saturation = (frequency * (this.k1 + 1)) / (frequency + this.k1 * (1 - this.b + this.b * lengthRatio));
    return boost * saturation;
  }

  /**
   * One group per query word (phrase words included): the index terms that can match it, with
   * weights: its term and unaccented variant (1), completions of the last word (prefix), and,
   * when nothing matches exactly, terms of its shard one or two edits away (typo).
   */
  async wordGroups(query) {
    const words = [...tokenize(query.words).map((w) => ({ points: w, open: false })),
      ...query.phrases.flatMap((p) => tokenize(p).map((w) => ({ points: w, open: false })))];
    const bareCount = tokenize(query.words).length;
    if (query.endsInWord && bareCount > 0) words[bareCount - 1].open = true;
    const groups = [];
    for (const word of words) {
      const raw = String.fromCodePoint(...word.points);
      const alternatives = this.analyzer.queryTerms(raw)[0];
      if (!alternatives) continue; // stop word
      const expansions = [];
      const seen = new Set();
      const add = async (term, weight) => {
        if (seen.has(term)) return;
        const postings = await this.reader.postings(term);
        if (postings) { seen.add(term); expansions.push({ term, weight, postings }); }
      };
      for (const term of alternatives) await add(term, 1);
      if (word.open) {
        const prefixes = new Set([alternatives[0], fold(raw)].filter((p) => p.length >= 2));
        for (const prefix of prefixes) {
          const completions = (await this.reader.termsWithPrefix(prefix)).slice(0, MAXIMUM_EXPANSIONS);
          for (const term of completions) await add(term, PREFIX_WEIGHT);
        }
      }
      if (expansions.length === 0) {
        const length = [...fold(raw)].length;
        const limit = length >= 9 ? 2 : length >= 5 ? 1 : 0;
        if (limit > 0) {
          for (const term of alternatives) {
            for (const candidate of await this.reader.neighbourTerms(term)) {
              if (editDistance(term, candidate, limit) <= limit) await add(candidate, TYPO_WEIGHT);
            }
          }
        }
      }
      groups.push({ word: raw, expansions });
    }
    return groups;
  }

  /**
   * Keeps the hits whose display text (title, summary, excerpt) contains every phrase as
   * consecutive terms (stop words are not terms, so "jardin de ville" matches "jardin ville").
   */
  async withPhrases(hits, phrases) {
    const display = await this.reader.displayData(hits.map((hit) => hit.document));
    const phraseTerms = phrases.map((p) => this.analyzer.queryTerms(p)).filter((p) => p.length > 0);
    return hits.filter((hit, i) => {
      const d = display[i];
      const text = [d.title, d.summary, d.excerpt].join(" \u2029 ");
      const terms = this.analyzer.queryTerms(text).map((alternatives) => new Set(alternatives));
      return phraseTerms.every((phrase) => terms.some((_, start) =>
        phrase.every((alternatives, k) => terms[start + k] && alternatives.some((t) => terms[start + k].has(t)))));
    });
  }

  passes(document, filters, except) {
    for (const [name, values] of Object.entries(filters)) {
      if (name === except || !values || values.length === 0) continue;
      const documentValues = this.reader.facetValues(name, document);
      if (!values.some((v) => documentValues.includes(v))) return false;
    }
    return true;
  }

  facetCounts(hits, filters) {
    const counts = {};
    for (const name of this.reader.facetNames) {
      const names = this.reader.facetValueNames(name);
      const column = this.reader.facetColumn(name);
      const perValue = {};
      for (const hit of hits) {
        if (!this.passes(hit.document, filters, name)) continue;
        for (const n of column[hit.document]) perValue[names[n]] = (perValue[names[n]] ?? 0) + 1;
      }
      counts[name] = perValue;
    }
    return counts;
  }

  /** About 30 words of the excerpt around the first match. */
  window(excerpt, matchedTerms, size = 30) {
    const words = (excerpt ?? "").split(/\s+/).filter(Boolean);
    const first = words.findIndex((w) => this.analyzer.indexTerms(w).some((t) => matchedTerms.has(t)));
    const start = Math.max(0, Math.min(first < 0 ? 0 : first - 5, words.length - size));
    const slice = words.slice(start, start + size).join(" ");
    return (start > 0 ? "… " : "") + slice + (start + size < words.length ? " …" : "");
  }

  /** HTML-escaped text with the words that match in <mark>. */
  highlight(text, matchedTerms) {
    return (text ?? "").split(/(\s+)/).map((part) => {
      const matches = /\S/.test(part) && this.analyzer.indexTerms(part).some((t) => matchedTerms.has(t));
      return matches ? `<mark>${escapeHTML(part)}</mark>` : escapeHTML(part);
    }).join("");
  }
}
