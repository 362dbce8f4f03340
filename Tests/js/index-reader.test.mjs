// node --test Tests/js/
import { test } from "node:test";
import assert from "node:assert/strict";
import { existsSync, readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import path from "node:path";
import { IndexReader, decodeFacets, documentValues, decodeGapList, decodePostings, impactScore } from "../../themes/default/assets/search/index-reader.js";

const here = path.dirname(fileURLToPath(import.meta.url));
export const roundTripFolder = path.join(here, "../SearchTests/Fixtures/index-roundtrip/");

/** A fetch replacement that reads the committed fixture files. */
export async function readFixture(url) {
  const file = url;
  if (!existsSync(file)) return { ok: false, json: async () => null };
  return { ok: true, json: async () => JSON.parse(readFileSync(file, "utf8")) };
}

// Documents are numbered by facets, then URL (see Tests/SearchTests/SearchIndexBuilderTests.swift).
const MONNAIE = 0, COOPERATIVE = 1, INCROYABLES = 2, AMAP = 3, REPAIR = 4;

test("decodes postings: document gaps and impacts", () => {
  // 2 then +3 (impact digits "w" = 32 and "1"); 40 = "x8" (continued digit 1, then 8).
  assert.deepEqual(decodePostings("2w31x8a"), { documents: [2, 5, 45], impacts: [32, 1, 10] });
  assert.ok(impactScore(40) > impactScore(8));
});

test("decodes facet gap lists", () => {
  assert.deepEqual(decodeGapList("311x3"), [3, 4, 5, 40]);
  const facets = decodeFacets({ topic: { b: "1", a: "01" } }, 3);
  assert.deepEqual(facets.values.topic, ["a", "b"]);
  assert.deepEqual([0, 1, 2].map((d) => documentValues(facets, "topic", d)), [[0], [0, 1], []]);
  const many = decodeFacets({ country: Object.fromEntries(Array.from({ length: 40 }, (_, i) => [`c${String(i).padStart(2, "0")}`, "1"])) }, 2);
  assert.deepEqual(documentValues(many, "country", 1), Array.from({ length: 40 }, (_, i) => i));
});

test("reads the manifest written by the Swift builder", async () => {
  const reader = await IndexReader.open(roundTripFolder, readFixture);
  assert.equal(reader.documentCount, 5);
  assert.equal(reader.language, "fr");
  assert.deepEqual(reader.fields, ["title", "labels", "places", "description", "headings", "body"]);
  const display = await reader.displayData([0, 1, 2, 3, 4]);
  assert.deepEqual(display.map((d) => d.url), ["/cas/monnaie-locale/", "/cas/cooperative-energie/",
    "/cas/incroyables-comestibles/", "/cas/reseau-amap/", "/cas/repair-cafe/"]);
});

test("postings of a term: documents and impacts", async () => {
  const reader = await IndexReader.open(roundTripFolder, readFixture);
  const jardin = await reader.postings("jardin");
  assert.deepEqual(jardin.documents, [COOPERATIVE, INCROYABLES, REPAIR]);
  // In the labels (boost 5) of one page, in the bodies of the others.
  assert.ok(jardin.impacts[1] > jardin.impacts[0] && jardin.impacts[1] > jardin.impacts[2]);
  const econom = await reader.postings("econom");
  assert.deepEqual(econom.documents, [MONNAIE, COOPERATIVE, INCROYABLES, AMAP]);
  assert.equal(await reader.postings("absent"), null);
  assert.deepEqual(await reader.termsWithPrefix("jardi"), ["jardin"]);
});

test("facet columns give each document its values", async () => {
  const reader = await IndexReader.open(roundTripFolder, readFixture);
  assert.deepEqual(await reader.facetNames(), ["country", "factor", "lang", "outcome", "topic"]);
  const all = [INCROYABLES, AMAP, COOPERATIVE, MONNAIE, REPAIR];
  assert.deepEqual(await Promise.all(all.map((d) => reader.facetValues("topic", d))),
    [["alimentation"], ["alimentation", "economie"], ["energie"], ["economie"], ["reemploi"]]);
  assert.deepEqual(await Promise.all(all.map((d) => reader.facetValues("outcome", d))),
    [["success"], ["success"], ["mixed"], ["failure"], ["success"]]);
  assert.deepEqual(await reader.facetValues("factor", INCROYABLES), ["benevolat", "espace-public"]);
  assert.deepEqual(await reader.facetValues("lang", MONNAIE), ["fr"]);
});

test("display data for result documents", async () => {
  const reader = await IndexReader.open(roundTripFolder, readFixture);
  const [amap, repair] = await reader.displayData([AMAP, REPAIR]);
  assert.equal(amap.title, "Le réseau des AMAP");
  assert.equal(amap.url, "/cas/reseau-amap/");
  assert.equal(amap.date, "2001-04-01");
  assert.ok(amap.excerpt.startsWith("Les réseaux d'AMAP relient"));
  assert.equal(repair.date, undefined);
});
