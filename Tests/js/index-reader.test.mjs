// node --test Tests/js/
import { test } from "node:test";
import assert from "node:assert/strict";
import { existsSync, readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import path from "node:path";
import { IndexReader, decodeFacetColumn, decodePostings } from "../../themes/default/assets/search/index-reader.js";

const here = path.dirname(fileURLToPath(import.meta.url));
export const roundTripFolder = path.join(here, "../SearchTests/Fixtures/index-roundtrip/");

/** A fetch replacement that reads the committed fixture files. */
export async function readFixture(url) {
  const file = url;
  if (!existsSync(file)) return { ok: false, json: async () => null };
  return { ok: true, json: async () => JSON.parse(readFileSync(file, "utf8")) };
}

// Documents are numbered by URL (see Tests/SearchTests/IndexFixtureDocuments.swift).
const COOPERATIVE = 0, INCROYABLES = 1, MONNAIE = 2, REPAIR = 3, AMAP = 4;

test("decodes delta-encoded postings", () => {
  assert.deepEqual(decodePostings([2, 1, 32, 3, 4, 1]), { documents: [2, 5], frequencies: [1, 4], fields: [32, 1] });
});

test("decodes run-length facet columns", () => {
  assert.deepEqual(decodeFacetColumn({ documents: "01*2,,2", width: 1 }, 4), [[0, 1], [0, 1], [], [2]]);
});

test("reads the manifest written by the Swift builder", async () => {
  const reader = await IndexReader.open(roundTripFolder, readFixture);
  assert.equal(reader.documentCount, 5);
  assert.equal(reader.language, "fr");
  assert.deepEqual(reader.fields, ["title", "labels", "places", "description", "headings", "body"]);
  assert.ok(reader.documentLength(AMAP) > 10);
});

test("postings of a term: documents, frequencies and field bits", async () => {
  const reader = await IndexReader.open(roundTripFolder, readFixture);
  assert.deepEqual(await reader.postings("jardin"), {
    documents: [COOPERATIVE, INCROYABLES, REPAIR], frequencies: [1, 1, 1], fields: [32, 2, 32],
  });
  const econom = await reader.postings("econom");
  assert.deepEqual(econom.documents, [COOPERATIVE, INCROYABLES, MONNAIE, AMAP]);
  assert.equal(await reader.postings("absent"), null);
  assert.deepEqual(await reader.termsWithPrefix("jardi"), ["jardin"]);
});

test("facet columns give each document its values", async () => {
  const reader = await IndexReader.open(roundTripFolder, readFixture);
  assert.deepEqual(reader.facetNames, ["country", "factor", "lang", "outcome", "topic"]);
  assert.deepEqual([0, 1, 2, 3, 4].map((d) => reader.facetValues("topic", d)),
    [["energie"], ["alimentation"], ["economie"], ["reemploi"], ["alimentation", "economie"]]);
  assert.deepEqual([0, 1, 2, 3, 4].map((d) => reader.facetValues("outcome", d)),
    [["mixed"], ["success"], ["failure"], ["success"], ["success"]]);
  assert.deepEqual(reader.facetValues("factor", INCROYABLES), ["benevolat", "espace-public"]);
  assert.deepEqual(reader.facetValues("lang", MONNAIE), ["fr"]);
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
