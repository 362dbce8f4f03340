// node --test Tests/js/
import { test } from "node:test";
import assert from "node:assert/strict";
import { existsSync, readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import path from "node:path";
import { SearchEngine, editDistance, parseQuery } from "../../themes/default/assets/search/engine.js";
import { documentValues } from "../../themes/default/assets/search/index-reader.js";

const here = path.dirname(fileURLToPath(import.meta.url));
const folder = path.join(here, "../SearchTests/Fixtures/index-roundtrip/");
const readFixture = async (file) => existsSync(file)
  ? { ok: true, json: async () => JSON.parse(readFileSync(file, "utf8")) }
  : { ok: false, json: async () => null };
const open = () => SearchEngine.open(folder, readFixture);
const urls = (response) => response.results.map((r) => r.url);

test("query parsing and edit distance", () => {
  assert.deepEqual(parseQuery('jardin "économie locale" mon'), { words: "jardin   mon", phrases: ["économie locale"], endsInWord: true });
  assert.equal(editDistance("monnai", "monai", 1), 1);
  assert.equal(editDistance("monnai", "mairi", 1), 2);
});

test("exact title match ranks first", async () => {
  const engine = await open();
  assert.equal(urls(await engine.search("monnaie locale "))[0], "/cas/monnaie-locale/");
  assert.equal(urls(await engine.search("repair café "))[0], "/cas/repair-cafe/");
  assert.equal(urls(await engine.search("le réseau des AMAP "))[0], "/cas/reseau-amap/");
});

test("unaccented query finds accented text", async () => {
  const engine = await open();
  assert.equal(urls(await engine.search("cooperative energie citoyenne "))[0], "/cas/cooperative-energie/");
  assert.ok(urls(await engine.search("reseaux ")).includes("/cas/reseau-amap/"));
  assert.ok(urls(await engine.search("activite ")).includes("/cas/reseau-amap/"));
});

test("one-letter typo finds the page", async () => {
  const engine = await open();
  assert.equal(urls(await engine.search("monaie "))[0], "/cas/monnaie-locale/");
  assert.equal(urls(await engine.search("comestibes "))[0], "/cas/incroyables-comestibles/");
});

test("prefix match on the last word", async () => {
  const engine = await open();
  assert.equal(urls(await engine.search("todmor"))[0], "/cas/incroyables-comestibles/");
});

test("phrase in quotes only matches the phrase", async () => {
  const engine = await open();
  const loose = urls(await engine.search("économie locale "));
  assert.ok(loose.includes("/cas/incroyables-comestibles/"));
  assert.ok(loose.includes("/cas/cooperative-energie/"));
  assert.deepEqual(urls(await engine.search('"économie locale"')), ["/cas/incroyables-comestibles/"]);
});

test("all words required, then best partial matches", async () => {
  const engine = await open();
  const response = await engine.search("amsterdam todmorden ");
  assert.equal(response.partial, true);
  assert.deepEqual(urls(response).sort(), ["/cas/incroyables-comestibles/", "/cas/repair-cafe/"]);
});

test("facet filters and counts over all hits", async () => {
  const engine = await open();
  const reader = engine.reader;
  const facets = await reader.loadFacets();
  const trueCounts = (documents, name) => {
    const counts = {};
    for (const d of documents) for (const n of documentValues(facets, name, d)) counts[facets.values[name][n]] = (counts[facets.values[name][n]] ?? 0) + 1;
    return counts;
  };
  const all = await engine.search("jardin ", { limit: 100 });
  const documents = all.results.map((r) => r.document);
  assert.equal(documents.length, 3);
  for (const name of facets.names) assert.deepEqual(all.facets[name], trueCounts(documents, name), name);

  const filtered = await engine.search("jardin ", { filters: { outcome: ["success"] }, limit: 100 });
  assert.deepEqual(urls(filtered).sort(), ["/cas/incroyables-comestibles/", "/cas/repair-cafe/"]);
  // A facet's own filter does not narrow its counts; the other facets' filters do.
  assert.deepEqual(filtered.facets.outcome, trueCounts(documents, "outcome"));
  assert.deepEqual(filtered.facets.topic, trueCounts(filtered.results.map((r) => r.document), "topic"));
});

test("excerpts highlight matched words", async () => {
  const engine = await open();
  const [first] = (await engine.search("légumes ")).results;
  assert.match(first.excerptHTML, /<mark>légumes<\/mark>/);
  const [amap] = (await engine.search("réseau amap ")).results;
  assert.equal(amap.titleHTML, "Le <mark>réseau</mark> des <mark>AMAP</mark>");
});

test("find ranks without waiting for display data; without filters the facets file comes last", async () => {
  const requested = [];
  const recording = (url) => { requested.push(path.basename(url)); return readFixture(url); };
  const engine = await SearchEngine.open(folder, recording);
  const found = await engine.find("jardin ", { limit: 100 });
  assert.equal(found.total, 3);
  assert.equal(found.results.length, 3);
  assert.ok(found.results.every((item) => item instanceof Promise));
  const facetsAt = requested.findIndex((name) => name.startsWith("facets."));
  const lastChunkAt = requested.findLastIndex((name) => /^\d+\./.test(name));
  assert.ok(lastChunkAt >= 0 && facetsAt > lastChunkAt, requested.join(" "));
  const results = await Promise.all(found.results);
  const complete = await engine.search("jardin ", { limit: 100 });
  assert.deepEqual(results, complete.results);
  assert.deepEqual(await found.facets, complete.facets);
});
