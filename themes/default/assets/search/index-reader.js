// Reads the static search index written by the Swift `Search` module (docs/search-index.md):
// the manifest, the term shards and the display chunks, each fetched once and kept.

const DIGITS = "0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ-_";
const DIGIT_VALUES = new Int8Array(128).fill(-1);
for (let i = 0; i < DIGITS.length; i++) DIGIT_VALUES[DIGITS.charCodeAt(i)] = i;

/**
 * Reads the numbers of a dense string (docs/search-index.md, "Numbers in strings"): 5 bits per
 * digit, big-endian; digits 32…63 continue a number, 0…31 end it. `each(n)` gets each number.
 */
export function readNumbers(text, each) {
  let value = 0;
  for (let i = 0; i < text.length; i++) {
    const digit = DIGIT_VALUES[text.charCodeAt(i)];
    if (digit >= 32) value = value * 32 + (digit - 32);
    else { each(value * 32 + digit); value = 0; }
  }
}

/** Postings string → parallel arrays of document numbers and impacts. */
export function decodePostings(text) {
  const documents = [];
  const impacts = [];
  let document = 0;
  let value = 0;
  for (let i = 0; i < text.length; i++) {
    const digit = DIGIT_VALUES[text.charCodeAt(i)];
    if (digit >= 32) { value = value * 32 + (digit - 32); continue; }
    document += value * 32 + digit;
    value = 0;
    documents.push(document);
    impacts.push(DIGIT_VALUES[text.charCodeAt(++i)]);
  }
  return { documents, impacts };
}

/** A gap list (first number, then differences) → sorted numbers. */
export function decodeGapList(text) {
  const numbers = [];
  let previous = 0;
  readNumbers(text, (gap) => { previous += gap; numbers.push(previous); });
  return numbers;
}

/** An impact digit → the document's BM25 score for the term before idf. */
const IMPACT_SCORES = Float64Array.from({ length: 64 }, (_, impact) => (2 ** (impact / 8) - 1) / 4);
export const impactScore = (impact) => IMPACT_SCORES[impact];

/**
 * The facets file → {names, values: name → sorted value names, words: name → 32-bit words per
 * document, bits: name → Uint32Array with, for each document, `words` words whose bit n says
 * whether the document has value n}.
 */
export function decodeFacets(json, documentCount) {
  const facets = { names: Object.keys(json).sort(), values: {}, words: {}, bits: {} };
  for (const name of facets.names) {
    const values = Object.keys(json[name]).sort();
    const words = Math.max(1, Math.ceil(values.length / 32));
    const bits = new Uint32Array(documentCount * words);
    values.forEach((value, number) => {
      const word = number >> 5;
      const bit = 1 << (number & 31);
      let document = 0;
      readNumbers(json[name][value], (gap) => {
        document += gap;
        if (document >= documentCount) throw new Error(`facet ${name}: document ${document} out of range`);
        bits[document * words + word] |= bit;
      });
    });
    facets.values[name] = values;
    facets.words[name] = words;
    facets.bits[name] = bits;
  }
  return facets;
}

/** The value numbers a document has in one facet of `decodeFacets`'s result, ascending. */
export function documentValues(facets, name, document) {
  const numbers = [];
  const words = facets.words[name];
  if (words === undefined) return numbers;
  for (let w = 0; w < words; w++) {
    let word = facets.bits[name][document * words + w];
    while (word !== 0) {
      const low = word & -word;
      numbers.push(w * 32 + 31 - Math.clz32(low));
      word ^= low;
    }
  }
  return numbers;
}

export class IndexReader {
  /**
   * @param {string} baseUrl the index folder, e.g. "/search/index/fr/"
   * @param {(url: string) => Promise<{ok: boolean, json(): Promise<any>}>} fetchFunction
   */
  static async open(baseUrl, fetchFunction = globalThis.fetch) {
    const base = baseUrl.endsWith("/") ? baseUrl : `${baseUrl}/`;
    const manifest = await fetchJSON(fetchFunction, `${base}manifest.json`);
    if (manifest.format !== 2) throw new Error(`unsupported search index format ${manifest.format}`);
    return new IndexReader(manifest, base, fetchFunction);
  }

  constructor(manifest, baseUrl, fetchFunction) {
    this.manifest = manifest;
    this.baseUrl = baseUrl;
    this.fetchFunction = fetchFunction;
    // "key" + 4-digit hash per shard, space-separated; "_" is the key "".
    this.shardPaths = new Map();
    for (const entry of manifest.shards.split(" ").filter(Boolean)) {
      const name = entry.slice(0, -4);
      this.shardPaths.set(name === "_" ? "" : name, `shards/${name}.${entry.slice(-4)}.json`);
    }
    this.shardKeys = [...this.shardPaths.keys()].sort((a, b) => b.length - a.length);
    this.shards = new Map();
    this.chunks = new Map();
    this.facets = null;
  }

  get documentCount() { return this.manifest.documentCount; }
  get language() { return this.manifest.language; }
  get fields() { return this.manifest.fields; }

  /** The key of the shard holding `term`: the longest key that starts it ("" holds the rest). */
  shardKeyFor(term) {
    return this.shardKeys.find((key) => term.startsWith(key)) ?? "";
  }

  /** Keys of every shard that may hold terms starting with `prefix`. */
  shardKeysForPrefix(prefix) {
    const keys = new Set([this.shardKeyFor(prefix)]);
    for (const key of this.shardKeys) if (key.startsWith(prefix)) keys.add(key);
    return [...keys].filter((key) => this.shardPaths.has(key));
  }

  /** The shard object (term → postings string), fetched once. */
  loadShard(key) {
    if (!this.shards.has(key)) {
      const path = this.shardPaths.get(key);
      this.shards.set(key, path === undefined ? Promise.resolve({})
        : fetchJSON(this.fetchFunction, this.baseUrl + path));
    }
    return this.shards.get(key);
  }

  /** Decoded postings ({documents, impacts}) of an exact term, or null. */
  async postings(term) {
    const shard = await this.loadShard(this.shardKeyFor(term));
    return Object.prototype.hasOwnProperty.call(shard, term) ? decodePostings(shard[term]) : null;
  }

  /** Terms of the index that start with `prefix`, sorted. */
  async termsWithPrefix(prefix) {
    const shards = await Promise.all(this.shardKeysForPrefix(prefix).map((k) => this.loadShard(k)));
    const terms = [];
    for (const shard of shards) for (const term of Object.keys(shard)) if (term.startsWith(prefix)) terms.push(term);
    return terms.sort();
  }

  /** All terms in the shard that would hold `term` (candidates for typo tolerance). */
  async neighbourTerms(term) {
    return Object.keys(await this.loadShard(this.shardKeyFor(term)));
  }

  /** Fetches and decodes the facets file once; resolves to `decodeFacets`'s result. */
  loadFacets() {
    this.facets ??= fetchJSON(this.fetchFunction, this.baseUrl + this.manifest.facets)
      .then((json) => decodeFacets(json, this.documentCount));
    return this.facets;
  }

  /** Facet names present in the index (after `loadFacets`). */
  async facetNames() { return (await this.loadFacets()).names; }

  /** A document's values of one facet, as strings. */
  async facetValues(name, document) {
    const facets = await this.loadFacets();
    return documentValues(facets, name, document).map((n) => facets.values[name][n]);
  }

  /** Display data ({url, title, date?, excerpt}) of the given documents, in order. */
  displayData(documents) {
    return Promise.all(documents.map((document) => this.displayItem(document)));
  }

  /** Display data of one document, as soon as its chunk has arrived (each chunk fetched once). */
  displayItem(document) {
    const size = this.manifest.chunkSize;
    return this.loadChunk(Math.floor(document / size)).then((chunk) => {
      const [url, title, date, excerpt] = chunk[document % size];
      return date ? { url, title, date, excerpt } : { url, title, excerpt };
    });
  }

  loadChunk(chunk) {
    if (!this.chunks.has(chunk)) {
      const group = Math.floor(chunk / this.manifest.chunkHashGroup);
      const hash = this.manifest.chunks.slice(4 * group, 4 * group + 4);
      this.chunks.set(chunk, fetchJSON(this.fetchFunction, `${this.baseUrl}chunks/${chunk}.${hash}.json`));
    }
    return this.chunks.get(chunk);
  }
}

async function fetchJSON(fetchFunction, url) {
  const response = await fetchFunction(url);
  if (!response.ok) throw new Error(`search index: cannot load ${url}`);
  return response.json();
}
