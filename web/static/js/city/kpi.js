/* The city console's data rules, pure (no DOM): rows of the indicator table, how each value
   reads, filtering with or without diacritics, sorting, and the counts the chart draws. */

import { formatNumber, formatPercent } from "../core/format.js";

/** Lower-case ASCII of Vietnamese text ("Phường Hoàn Kiếm" -> "phuong hoan kiem"), spaces collapsed. */
export function fold(text) {
  return String(text || "")
    .replace(/[đĐ]/g, "d")
    .normalize("NFD")
    .replace(/[\u0300-\u036f]/g, "")
    .toLowerCase()
    .replace(/\s+/g, " ")
    .trim();
}

/**
 * How an indicator's value reads: "ratio" (a 0–1 share), "people" (a count), "flag" (0/1) or
 * "average" (a mean, e.g. stars 1–5).
 * The API may name it (`unit`); without it, a count is the one that has no denominator.
 */
export function unitOf(indicator) {
  if (indicator.unit) return indicator.unit;
  return indicator.denominator === null || indicator.denominator === undefined ? "people" : "ratio";
}

/** The value as people read it: "45,5%", "1.234", "Có"/"Chưa"; "—" when there is no data. */
export function displayValue(indicator) {
  if (indicator.value === null || indicator.value === undefined) return "—";
  const unit = unitOf(indicator);
  if (unit === "people" || unit === "average") return formatNumber(indicator.value);
  if (unit === "flag") return indicator.value >= 1 ? "Có" : "Chưa";
  return formatPercent(indicator.value);
}

/** The target as people read it ("Mục tiêu: 70%"), or "" when the indicator has none. */
export function targetText(indicator) {
  if (indicator.target === null || indicator.target === undefined) return "";
  const unit = unitOf(indicator);
  if (unit === "people" || unit === "average") return "Mục tiêu: " + formatNumber(indicator.target);
  if (unit === "flag") return "Mục tiêu: có";
  return "Mục tiêu: " + formatPercent(indicator.target);
}

/** The columns of the table, one per indicator, in the API's order: [{id, name, description, target, unit}]. */
export function columnsOf(data) {
  const first = (data.items || [])[0];
  const source = first ? first.indicators : (data.summary || []);
  return source.map((i) => ({ id: i.id, name: i.name, description: i.description || "", target: i.target ?? null,
    unit: first ? unitOf(i) : (i.unit || null) }));
}

/**
 * One row a unit: {code, name, slug, type, typeLabel, byId: {id: indicator}, notMet, key}.
 * `typeLabel(code)` names the unit's type (from the vocabulary).
 */
export function rowsOf(data, typeLabel = (code) => code) {
  return (data.items || []).map((entry) => {
    const byId = {};
    for (const ind of entry.indicators) byId[ind.id] = ind;
    const type = typeLabel(entry.ward.type);
    return {
      code: entry.ward.code,
      name: entry.ward.name,
      slug: entry.ward.slug,
      type: entry.ward.type,
      typeLabel: type,
      byId,
      notMet: entry.indicators.filter((i) => i.status === "not_met").length,
      key: fold(entry.ward.name + " " + entry.ward.code + " " + entry.ward.slug.replace(/-/g, " ")),
    };
  });
}

/**
 * The rows matching a filter: `q` (every word, with or without diacritics, in the name, code or
 * address), `type` ("" for both), `notMetOnly` (units missing at least one target).
 */
export function filterRows(rows, { q = "", type = "", notMetOnly = false } = {}) {
  const words = fold(q).split(" ").filter(Boolean);
  return rows.filter((row) => (!type || row.type === type)
    && (!notMetOnly || row.notMet > 0)
    && words.every((w) => row.key.includes(w)));
}

const collator = new Intl.Collator("vi", { sensitivity: "base", numeric: true });

function sortValue(row, key) {
  if (key === "name") return row.name;
  if (key === "type") return row.typeLabel;
  if (key === "not_met") return row.notMet;
  if (key.startsWith("ind:")) {
    const ind = row.byId[key.slice(4)];
    return ind && ind.value !== null && ind.value !== undefined ? ind.value : null;
  }
  return null;
}

/**
 * The rows sorted by `key` ("name", "type", "not_met" or "ind:<indicator id>") in `dir`
 * ("ascending"/"descending"). Units without data come last either way; ties go by name.
 */
export function sortRows(rows, key = "name", dir = "ascending") {
  const sign = dir === "descending" ? -1 : 1;
  return rows.slice().sort((a, b) => {
    const va = sortValue(a, key);
    const vb = sortValue(b, key);
    if (va === null && vb !== null) return 1;
    if (vb === null && va !== null) return -1;
    let order = 0;
    if (va !== null && vb !== null) {
      order = typeof va === "string" ? collator.compare(va, vb) : va - vb;
    }
    return order * sign || collator.compare(a.name, b.name) || a.code.localeCompare(b.code);
  });
}

export const STATUSES = ["met", "not_met", "no_data", "info"];

/** Per indicator column, how many of `rows` have each status: {id: {met, not_met, no_data, info, total}}. */
export function statusCounts(rows, columns) {
  const out = {};
  for (const col of columns) {
    const counts = { met: 0, not_met: 0, no_data: 0, info: 0, total: 0 };
    for (const row of rows) {
      const ind = row.byId[col.id];
      const status = ind ? ind.status : "no_data";
      counts[status in counts ? status : "no_data"] += 1;
      counts.total += 1;
    }
    out[col.id] = counts;
  }
  return out;
}

/** The next sort of a column header pressed: the other way if it is the current one. */
export function nextSort(current, key) {
  if (current.key === key) return { key, dir: current.dir === "ascending" ? "descending" : "ascending" };
  // Names A to Z; the count of targets missed most first; an indicator lowest (worst) first.
  return { key, dir: key === "not_met" ? "descending" : "ascending" };
}

/** Split a label into lines of at most `width` characters, at spaces (for SVG text). */
export function wrapText(text, width) {
  const lines = [];
  let line = "";
  for (const word of String(text).split(/\s+/).filter(Boolean)) {
    if (line && (line + " " + word).length > width) {
      lines.push(line);
      line = word;
    } else {
      line = line ? line + " " + word : word;
    }
  }
  if (line) lines.push(line);
  return lines;
}
