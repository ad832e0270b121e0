/* The API's names for its codes (GET /api/v1/vocabulary), fetched once for the page's life.

   {"merchant_status": {"pending": "Chờ xác minh", …}, "poll_kind": {…}, …}. The page keeps no
   copy: where a vocabulary is missing (an older API, a failed request) the code itself shows.
   Where a response carries a `*_label` field, use that instead. */

let loading = null;
let loaded = {};

/** Fetch the vocabularies once; resolves to them ({} if they cannot be had). */
export function loadVocabulary(fetcher = defaultFetch) {
  if (!loading) {
    loading = fetcher().then((data) => {
      loaded = data && typeof data === "object" ? data : {};
      return loaded;
    }).catch(() => loaded);
  }
  return loading;
}

function defaultFetch() {
  return fetch("/api/v1/vocabulary", { headers: { Accept: "application/json" }, credentials: "same-origin" })
    .then((r) => (r.ok ? r.json() : {}));
}

/** The label of `code` in vocabulary `name` (of `vocab`, default: the loaded one), or the code. */
export function label(name, code, vocab = loaded) {
  const table = vocab && vocab[name];
  const text = table && Object.prototype.hasOwnProperty.call(table, code) ? table[code] : null;
  return text || (code === null || code === undefined ? "" : String(code));
}

/**
 * [[code, label], …] for a <select>. `codes` gives the order people expect (the API's JSON has
 * its keys sorted); codes the vocabulary has beyond them follow, and without a vocabulary the
 * codes label themselves. `only` keeps just those codes (a filter the API takes).
 */
export function options(name, { codes = [], only = null, vocab = loaded } = {}) {
  const table = vocab && vocab[name];
  let list = table ? codes.filter((c) => c in table).concat(Object.keys(table).filter((c) => !codes.includes(c)))
    : codes.slice();
  if (only) list = list.filter((c) => only.includes(c));
  return list.map((code) => [code, label(name, code, vocab)]);
}

/** Forget what was loaded (tests). */
export function resetVocabulary() {
  loading = null;
  loaded = {};
}
