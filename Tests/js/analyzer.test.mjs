// node --test Tests/js/
import { test } from "node:test";
import assert from "node:assert/strict";
import { existsSync, readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import path from "node:path";
import { createAnalyzer, fold, stemEnglish, stemFrench } from "../../themes/default/assets/search/analyzer.js";

const here = path.dirname(fileURLToPath(import.meta.url));
const fixtures = path.join(here, "../SearchTests/Fixtures");
const reference = path.join(here, "../../../shared/data/snowball");
const hasReference = existsSync(path.join(reference, "french/voc.txt"));

const lines = (file) => readFileSync(file, "utf8").split("\n").filter((l) => l.length > 0);

function failures(pairs, stem) {
  return pairs.filter(([word, expected]) => stem(word) !== expected)
    .map(([word, expected]) => `${word}: expected ${expected}, got ${stem(word)}`);
}

function sample(language) {
  return lines(path.join(fixtures, `snowball/${language}.txt`)).map((l) => l.split("\t"));
}

function referenceList(language) {
  const words = lines(path.join(reference, language, "voc.txt"));
  const stems = lines(path.join(reference, language, "output.txt"));
  assert.equal(words.length, stems.length);
  return words.map((w, i) => [w, stems[i]]);
}

const stemmers = { french: stemFrench, english: stemEnglish };

// Reference words this implementation still stems differently (see docs/search-index.md).
const knownDifferences = {
  french: [],
  english: [
    "paste: expected paste, got past",
    "pasted: expected paste, got past",
    "pasting: expected paste, got past",
  ],
};

for (const language of ["french", "english"]) {
  test(`${language} stemmer: committed sample`, () => {
    const pairs = sample(language);
    assert.ok(pairs.length >= 300);
    assert.deepEqual(failures(pairs, stemmers[language]), []);
  });

  test(`${language} stemmer: full reference list`, { skip: !hasReference && "needs ../shared/data/snowball" }, () => {
    const pairs = referenceList(language);
    const failed = failures(pairs, stemmers[language]);
    console.log(`${language}: ${pairs.length - failed.length} of ${pairs.length} reference words pass`);
    assert.deepEqual(failed, knownDifferences[language]);
  });
}

test("analysis cases shared with the Swift tests", () => {
  const cases = JSON.parse(readFileSync(path.join(fixtures, "analysis-cases.json"), "utf8"));
  assert.ok(cases.length > 0);
  for (const item of cases) {
    const analyzer = createAnalyzer(item.lang);
    assert.deepEqual(analyzer.terms(item.text), item.terms, item.text);
    assert.deepEqual(analyzer.indexTerms(item.text), item.indexTerms, item.text);
  }
});

test("accented and unaccented spellings meet", () => {
  const fr = createAnalyzer("fr");
  assert.deepEqual(fr.terms("réseaux"), fr.terms("reseaux"));
  assert.deepEqual(fr.terms("économie"), fr.terms("economie"));
  assert.deepEqual(fr.terms("réseaux économie"), ["reseau", "econom"]);
  // Stemming differs without the accent: the index keeps both forms.
  assert.deepEqual(fr.indexTerms("activité"), ["activ", "activit"]);
  assert.deepEqual(fr.queryTerms("activite"), [["activit"]]);
});

test("elisions, stop words and apostrophes", () => {
  const fr = createAnalyzer("fr");
  assert.deepEqual(fr.terms("L’économie de l'Île-de-France, jusqu'à aujourd'hui"), ["econom", "ile", "franc", "aujourd'hui"]);
  assert.equal(fold("œuvre"), "oeuvre");
});
