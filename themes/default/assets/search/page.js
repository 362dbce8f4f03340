// The search page: reads ?q= and facet parameters, runs the query with the in-browser
// engine, renders results from the page's <template>, and keeps the URL in sync so a
// search can be shared. Plain DOM, no dependencies.
import { SearchEngine } from "./engine.js";

const script = document.currentScript || document.querySelector("script[data-index]");
const indexURL = script.dataset.index;
const messages = {
  none: script.dataset.noResults,
  one: script.dataset.oneResult,
  many: script.dataset.manyResults,
  searching: script.dataset.searching,
};
const form = document.getElementById("search-form");
const input = document.getElementById("search-q");
const status = document.getElementById("search-status");
const results = document.getElementById("search-results");
const template = document.getElementById("search-result-template");
const more = document.getElementById("search-more");
const PAGE_SIZE = 10;
const facetInputs = Array.from(form.querySelectorAll("input[data-facet]"));
const sitePath = new URL(indexURL, location.href).pathname.replace(/search\/index\/[^/]+\/$/, "");

let enginePromise = null;
let generation = 0;
let shown = PAGE_SIZE;

function engine() {
  enginePromise ??= SearchEngine.open(new URL(indexURL, location.href).href);
  return enginePromise;
}

function selectedFilters() {
  const filters = {};
  for (const box of facetInputs) {
    if (box.checked) (filters[box.dataset.facet] ??= []).push(box.value);
  }
  return filters;
}

function readURL() {
  const params = new URLSearchParams(location.search);
  input.value = params.get("q") ?? "";
  for (const box of facetInputs) {
    box.checked = params.getAll(box.dataset.facet).includes(box.value);
  }
}

function writeURL() {
  const params = new URLSearchParams();
  if (input.value.trim()) params.set("q", input.value.trim());
  for (const box of facetInputs) if (box.checked) params.append(box.dataset.facet, box.value);
  const query = params.toString();
  history.replaceState(null, "", location.pathname + (query ? "?" + query : ""));
}

function countMessage(total) {
  if (total === 0) return messages.none;
  return (total === 1 ? messages.one : messages.many).replace("{0}", total.toLocaleString(document.documentElement.lang));
}

function card(hit) {
  const card = template.content.firstElementChild.cloneNode(true);
  const link = card.querySelector("a");
  link.href = sitePath + hit.url.replace(/^\//, "");
  // The engine escapes the texts and wraps matched words in <mark>.
  link.innerHTML = hit.titleHTML;
  card.querySelector(".card-meta").textContent = hit.date ?? "";
  const text = card.querySelector(".card-text");
  if (hit.excerptHTML) text.innerHTML = hit.excerptHTML;
  else text.textContent = hit.summary ?? "";
  return card;
}

/**
 * Shows the results in rank order, each as soon as its display data (and those of the results
 * above it) has arrived; the list is marked busy until complete, so assistive technologies
 * announce it once.
 */
async function render(found, current) {
  results.setAttribute("aria-busy", "true");
  let shownCards = 0;
  const show = (cards) => {
    if (shownCards === 0) {
      results.replaceChildren(...cards);
      more.hidden = found.total <= found.results.length;
      status.textContent = countMessage(found.total);
    } else {
      results.append(...cards);
    }
    shownCards += cards.length;
  };
  try {
    for (const item of found.results) {
      const hit = await item;
      if (current !== generation) return;
      show([card(hit)]);
    }
    if (shownCards === 0) show([]);
  } finally {
    if (current === generation) results.removeAttribute("aria-busy");
  }
}

function renderCounts(facets) {
  for (const box of facetInputs) {
    const count = facets?.[box.dataset.facet]?.[box.value] ?? 0;
    const label = form.querySelector(`label[for="${box.id}"]`);
    let badge = label.querySelector(".facet-count");
    if (!badge) {
      badge = document.createElement("span");
      badge.className = "facet-count";
      label.append(" ", badge);
    }
    badge.textContent = `(${count})`;
  }
}

async function run(keepShown = false) {
  if (!keepShown) shown = PAGE_SIZE;
  const query = input.value.trim();
  const filters = selectedFilters();
  writeURL();
  const current = ++generation;
  if (!query && Object.keys(filters).length === 0) {
    results.replaceChildren();
    results.removeAttribute("aria-busy");
    more.hidden = true;
    return;
  }
  status.textContent = messages.searching;
  const found = await (await engine()).find(query, { filters, limit: shown });
  if (current !== generation) return;
  found.facets.then((facets) => { if (current === generation) renderCounts(facets); });
  await render(found, current);
}

more.addEventListener("click", () => {
  shown += PAGE_SIZE;
  run(true);
});

let timer = null;
input.addEventListener("input", () => {
  clearTimeout(timer);
  timer = setTimeout(() => run(), 120);
});
form.addEventListener("change", (event) => {
  if (event.target.matches("input[data-facet]")) run();
});
form.addEventListener("submit", (event) => {
  event.preventDefault();
  run();
});
window.addEventListener("popstate", () => {
  readURL();
  run();
});

readURL();
if (location.search) run();
