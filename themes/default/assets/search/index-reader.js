// Reads the static search index written by the Swift `Search` module (docs/search-index.md):
// the manifest, the term shards and the display chunks, each fetched once and kept.

/** Expands flat [documentDelta, frequency, fieldBits, …] triples into parallel arrays. */
export function decodePostings(flat) {
  const count = flat.length / 3;
  const documents = new Array(count);
  const frequencies = new Array(count);
  const fields = new Array(count);
  let document = 0;
  for (let i = 0; i < count; i++) {
    document += flat[3 * i];
    documents[i] = document;
    frequencies[i] = flat[3 * i + 1];
    fields[i] = flat[3 * i + 2];
  }
  return { documents, frequencies, fields };
}

/** Per document, the value numbers of one facet column (see the manifest's `facets`). */
export function decodeFacetColumn(column, documentCount) {
  const perDocument = [];
  for (const part of column.documents.split(",")) {
    const star = part.indexOf("*");
    const entry = star < 0 ? part : part.slice(0, star);
    const repeat = star < 0 ? 1 : Number(part.slice(star + 1));
    const numbers = [];
    for (let i = 0; i < entry.length; i += column.width) {
      numbers.push(parseInt(entry.slice(i, i + column.width), 36));
    }
    for (let r = 0; r < repeat; r++) perDocument.push(numbers);
  }
  if (perDocument.length !== documentCount) {
    throw new Error(`facet column has ${perDocument.length} documents, expected ${documentCount}`);
  }
  return perDocument;
}

/** Approximate document lengths (in terms) from the manifest's two-digit length classes. */
export function decodeLengths(encoded) {
  const lengths = [];
  for (let i = 0; i < encoded.length; i += 2) {
    lengths.push(Math.round(2 ** (parseInt(encoded.slice(i, i + 2), 36) / 8) - 1));
  }
  return lengths;
}

export class IndexReader {
  /**
   * @param {string} baseUrl the index folder, e.g. "/search/index/fr/"
   * @param {(url: string) => Promise<{ok: boolean, json(): Promise<any>}>} fetchFunction
   */
  static async open(baseUrl, fetchFunction = globalThis.fetch) {
    const base = baseUrl.endsWith("/") ? baseUrl : `${baseUrl}/`;
    const manifest = await fetchJSON(fetchFunction, `${base}manifest.json`);
    if (manifest.format !== 1) throw new Error(`unsupported search index format ${manifest.format}`);
    return new IndexReader(manifest, base, fetchFunction);
  }

  constructor(manifest, baseUrl, fetchFunction) {
    this.manifest = manifest;
    this.baseUrl = baseUrl;
    this.fetchFunction = fetchFunction;
    this.shardKeys = Object.keys(manifest.shards).sort((a, b) => b.length - a.length);
    this.shards = new Map();
    this.chunks = new Map();
    this.facetColumns = new Map();
    this.lengths = decodeLengths(manifest.lengths);
  }

  get documentCount() { return this.manifest.documentCount; }
  get language() { return this.manifest.language; }
  get fields() { return this.manifest.fields; }
  get boosts() { return this.manifest.boosts; }
  get averageLength() { return this.manifest.averageLength; }

  /** Approximate number of terms in a document. */
  documentLength(document) { return this.lengths[document]; }

  /** The key of the shard holding `term`: the longest key that starts it ("" holds the rest). */
  shardKeyFor(term) {
    return this.shardKeys.find((key) => term.startsWith(key)) ?? "";
  }

  /** Keys of every shard that may hold terms starting with `prefix`. */
  shardKeysForPrefix(prefix) {
    const keys = new Set([this.shardKeyFor(prefix)]);
    for (const key of this.shardKeys) if (key.startsWith(prefix)) keys.add(key);
    return [...keys].filter((key) => key in this.manifest.shards);
  }

  /** The shard object (term → flat postings), fetched once. */
  loadShard(key) {
    if (!this.shards.has(key)) {
      const path = this.manifest.shards[key];
      this.shards.set(key, path === undefined ? Promise.resolve({})
        : fetchJSON(this.fetchFunction, this.baseUrl + path));
    }
    return this.shards.get(key);
  }

  /** Decoded postings of an exact term, or null. */
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

  /** Facet names present in the index. */
  get facetNames() { return Object.keys(this.manifest.facets); }

  /** Per document, the value numbers of a facet; `facetValueNames(name)` names them. */
  facetColumn(name) {
    if (!this.facetColumns.has(name)) {
      const column = this.manifest.facets[name];
      this.facetColumns.set(name, column ? decodeFacetColumn(column, this.documentCount) : null);
    }
    return this.facetColumns.get(name);
  }

  facetValueNames(name) { return this.manifest.facets[name]?.values ?? []; }

  /** A document's values of one facet, as strings. */
  facetValues(name, document) {
    const column = this.facetColumn(name);
    if (!column) return [];
    const names = this.facetValueNames(name);
    return column[document].map((n) => names[n]);
  }

  /** Display data ({title, url, summary, date?, excerpt}) of the given documents, in order. */
  async displayData(documents) {
    const size = this.manifest.chunkSize;
    const needed = [...new Set(documents.map((d) => Math.floor(d / size)))];
    await Promise.all(needed.map((chunk) => this.loadChunk(chunk)));
    const result = [];
    for (const document of documents) {
      const chunk = await this.loadChunk(Math.floor(document / size));
      result.push(chunk[document % size]);
    }
    return result;
  }

  loadChunk(chunk) {
    if (!this.chunks.has(chunk)) {
      this.chunks.set(chunk, fetchJSON(this.fetchFunction, this.baseUrl + this.manifest.chunks[chunk]));
    }
    return this.chunks.get(chunk);
  }
}

async function fetchJSON(fetchFunction, url) {
  const response = await fetchFunction(url);
  if (!response.ok) throw new Error(`search index: cannot load ${url}`);
  return response.json();
}
