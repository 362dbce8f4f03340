// Query engine over the static index (index-reader.js): BM25 with field boosts, all words
// required (falling back to the best partial matches), prefix match on the last word, typo
// tolerance, phrases in quotes, facet filters with counts, highlighted excerpts.
import { createAnalyzer, fold, tokenize } from "./analyzer.js";
import { IndexReader, documentValues, impactScore } from "./index-reader.js";

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

  constructor(reader) {
    this.reader = reader;
    this.analyzer = createAnalyzer(reader.language);
  }

  /**
   * @param {string} text the query, e.g. `jardin "économie locale"`
   * @param {{filters?: Object<string, string[]>, limit?: number, offset?: number}} options
   * @returns {Promise<{total, partial, results, facets}>}: `results` are display data with
   *   `document`, `score`, `titleHTML` and `excerptHTML` (matches in <mark>); `facets` maps
   *   facet → value → count over all hits, each facet counted with the other facets' filters.
   */
  async search(text, options = {}) {
    const found = await this.find(text, options);
    const [results, facets] = await Promise.all([Promise.all(found.results), found.facets]);
    return { total: found.total, partial: found.partial, results, facets };
  }

  /**
   * `search` without waiting for the display data or the facets: resolves once the hits are
   * ranked, to `{total, partial, results, facets}` where `results` holds one promise per result
   * of the page (in rank order, each resolving as soon as its display chunk has arrived) and
   * `facets` a promise of the counts. Without filters the facets file is requested after the
   * display chunks, so the results do not wait for it.
   */
  async find(text, { filters = {}, limit = 10, offset = 0 } = {}) {
    const query = parseQuery(text);
    // With filters the facets file is needed to rank: it loads while the shards do.
    const filtered = Object.values(filters).some((values) => values && values.length > 0);
    const facetsLoaded = filtered ? this.reader.loadFacets() : null;
    const groups = await this.wordGroups(query);
    if (groups.length === 0) return { total: 0, partial: false, results: [], facets: Promise.resolve({}) };

    // Per document: summed score and number of words matched.
    const count = this.reader.documentCount;
    const scores = new Float64Array(count);
    const matched = new Uint16Array(count);
    const best = new Float64Array(count);
    const touched = [];
    for (const group of groups) {
      const groupTouched = [];
      for (const { postings, weight } of group.expansions) {
        const { documents, impacts } = postings;
        const idf = Math.log(1 + (count - documents.length + 0.5) / (documents.length + 0.5));
        for (let i = 0; i < documents.length; i++) {
          const document = documents[i];
          const score = weight * idf * impactScore(impacts[i]);
          if (best[document] === 0) groupTouched.push(document);
          if (score > best[document]) best[document] = score;
        }
      }
      for (const document of groupTouched) {
        if (matched[document] === 0) touched.push(document);
        scores[document] += best[document];
        matched[document] += 1;
        best[document] = 0;
      }
    }
    const hitsMatching = (words) => touched.filter((d) => matched[d] === words)
      .map((document) => ({ document, score: scores[document], matched: words }));

    let candidates = hitsMatching(groups.length);
    let partial = false;
    if (candidates.length === 0 && query.phrases.length === 0) {
      let most = 0;
      for (const document of touched) most = Math.max(most, matched[document]);
      candidates = most > 0 ? hitsMatching(most) : [];
      partial = candidates.length > 0;
    }
    if (query.phrases.length > 0) candidates = await this.withPhrases(candidates, query.phrases);

    if (filtered) this.facets = await facetsLoaded;
    const selected = filtered ? candidates.filter((hit) => this.failedFacets(hit.document, filters) === 0) : candidates;
    selected.sort((x, y) => y.score - x.score || x.document - y.document);
    const page = selected.slice(offset, offset + limit);
    // The display chunks are requested in rank order, before the facets file.
    const matchedTerms = new Set(groups.flatMap((g) => g.expansions.map((e) => e.term)));
    const results = page.map((hit) => this.reader.displayItem(hit.document).then((display) => ({
      ...display,
      document: hit.document,
      score: hit.score,
      titleHTML: this.highlight(display.title, matchedTerms),
      excerptHTML: this.highlight(this.window(display.excerpt, matchedTerms), matchedTerms),
    })));
    const facets = (facetsLoaded ?? this.reader.loadFacets()).then((decoded) => {
      this.facets = decoded;
      return this.facetCounts(candidates, filters);
    });
    return { total: selected.length, partial, results, facets };
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
    // Fetch the shards of every word at once.
    await Promise.all(words.flatMap((word) => this.analyzer.queryTerms(String.fromCodePoint(...word.points))[0] ?? [])
      .map((term) => this.reader.loadShard(this.reader.shardKeyFor(term))));
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
   * Keeps the hits whose display text (title, excerpt) contains every phrase as
   * consecutive terms (stop words are not terms, so "jardin de ville" matches "jardin ville").
   */
  async withPhrases(hits, phrases) {
    const display = await this.reader.displayData(hits.map((hit) => hit.document));
    const phraseTerms = phrases.map((p) => this.analyzer.queryTerms(p)).filter((p) => p.length > 0);
    return hits.filter((hit, i) => {
      const d = display[i];
      const text = [d.title, d.excerpt].join(" \u2029 ");
      const terms = this.analyzer.queryTerms(text).map((alternatives) => new Set(alternatives));
      return phraseTerms.every((phrase) => terms.some((_, start) =>
        phrase.every((alternatives, k) => terms[start + k] && alternatives.some((t) => terms[start + k].has(t)))));
    });
  }

  /** Filters → per facet name, the accepted value numbers as a bit mask (null if unfiltered). */
  filterMasks(filters) {
    const masks = [];
    this.facets.names.forEach((name, index) => {
      const accepted = filters[name];
      if (!accepted || accepted.length === 0) return;
      const words = this.facets.words[name];
      const mask = new Uint32Array(words);
      accepted.forEach((value) => {
        const number = this.facets.values[name].indexOf(value);
        if (number >= 0) mask[number >> 5] |= 1 << (number & 31);
      });
      masks.push({ index, name, words, mask });
    });
    return masks;
  }

  /** Bit i set when the document fails the filter of facet `facets.names[i]`. */
  failedFacets(document, filters, masks = this.filterMasks(filters)) {
    let failed = 0;
    for (const { index, name, words, mask } of masks) {
      const bits = this.facets.bits[name];
      let passes = false;
      for (let w = 0; w < words && !passes; w++) passes = (bits[document * words + w] & mask[w]) !== 0;
      if (!passes) failed |= 1 << index;
    }
    return failed;
  }

  /**
   * Per facet and value, the hits that have the value and pass the *other* facets' filters.
   */
  facetCounts(hits, filters) {
    const masks = this.filterMasks(filters);
    const failed = hits.map((hit) => masks.length === 0 ? 0 : this.failedFacets(hit.document, filters, masks));
    const counts = {};
    this.facets.names.forEach((name, index) => {
      const names = this.facets.values[name];
      const words = this.facets.words[name];
      const bits = this.facets.bits[name];
      const perNumber = new Array(names.length).fill(0);
      hits.forEach((hit, h) => {
        if ((failed[h] & ~(1 << index)) !== 0) return;
        for (let w = 0; w < words; w++) {
          let word = bits[hit.document * words + w];
          while (word !== 0) {
            const low = word & -word;
            perNumber[w * 32 + 31 - Math.clz32(low)] += 1;
            word ^= low;
          }
        }
      });
      const perValue = {};
      perNumber.forEach((n, number) => { if (n > 0) perValue[names[number]] = n; });
      counts[name] = perValue;
    });
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
