/* The indicator consoles' data rules, pure (no DOM): rows of the city's table, how each value
   reads, filtering with or without diacritics and by status, sorting (units that need attention
   first), the counts the chart draws, and the ward's indicators in order of attention. The staff
   console's section (staff/kpi.js) shares them. */

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

/** The statuses in the contract's order (the chart stacks and the legend lists them so). */
export const STATUSES = ["met", "on_track", "at_risk", "missed", "no_data", "info"];

/** The order a console lists things in: those that need attention first (as the API's
    indicators/status.py ATTENTION_ORDER). */
export const ATTENTION_ORDER = ["missed", "at_risk", "on_track", "no_data", "met", "info"];

/** The statuses that need someone to act: the target is missed or the trend will not reach it. */
export const NEEDS_ATTENTION = ["missed", "at_risk"];

/** {met: 0, on_track: 0, …} */
function zeroCounts() {
  return Object.fromEntries(STATUSES.map((s) => [s, 0]));
}

/**
 * How urgent a unit is, as one number to sort by: the indicators missed count most, then those
 * at risk, then those on track (each indicator count is below 100).
 */
export function attentionRank(counts) {
  return (counts.missed || 0) * 10000 + (counts.at_risk || 0) * 100 + (counts.on_track || 0);
}

/**
 * One row a unit: {code, name, slug, type, typeLabel, byId: {id: indicator}, counts: {status: n},
 * attention (indicators missed or at risk), rank (attentionRank), key}.
 * `typeLabel(code)` names the unit's type (from the vocabulary).
 */
export function rowsOf(data, typeLabel = (code) => code) {
  return (data.items || []).map((entry) => {
    const byId = {};
    const counts = zeroCounts();
    for (const ind of entry.indicators) {
      byId[ind.id] = ind;
      if (ind.status in counts) counts[ind.status] += 1;
    }
    const type = typeLabel(entry.ward.type);
    return {
      code: entry.ward.code,
      name: entry.ward.name,
      slug: entry.ward.slug,
      type: entry.ward.type,
      typeLabel: type,
      byId,
      counts,
      attention: counts.missed + counts.at_risk,
      rank: attentionRank(counts),
      key: fold(entry.ward.name + " " + entry.ward.code + " " + entry.ward.slug.replace(/-/g, " ")),
    };
  });
}

/** Whether a row has `status` ("attention": missed or at risk) in `indicator` ("" for any). */
export function hasStatus(row, status, indicator = "") {
  if (!status) return true;
  const wanted = status === "attention" ? NEEDS_ATTENTION : [status];
  const inds = indicator ? [row.byId[indicator]].filter(Boolean) : Object.values(row.byId);
  return inds.some((i) => wanted.includes(i.status));
}

/**
 * The rows matching a filter: `q` (every word, with or without diacritics, in the name, code or
 * address), `type` ("" for both), `status` (a status, "attention" for missed or at risk, "" for
 * any) that at least one indicator has — or the one indicator `indicator` when given.
 */
export function filterRows(rows, { q = "", type = "", status = "", indicator = "" } = {}) {
  const words = fold(q).split(" ").filter(Boolean);
  return rows.filter((row) => (!type || row.type === type)
    && hasStatus(row, status, indicator)
    && words.every((w) => row.key.includes(w)));
}

const collator = new Intl.Collator("vi", { sensitivity: "base", numeric: true });

function sortValue(row, key) {
  if (key === "name") return row.name;
  if (key === "type") return row.typeLabel;
  if (key === "attention") return row.rank;
  if (key.startsWith("ind:")) {
    const ind = row.byId[key.slice(4)];
    return ind && ind.value !== null && ind.value !== undefined ? ind.value : null;
  }
  return null;
}

/** The sort keys of the table besides the indicators' ("ind:<id>"). */
export const SORT_KEYS = ["attention", "name", "type"];

/** The order the table opens in: units that need attention first. */
export const DEFAULT_SORT = { key: "attention", dir: "descending" };

/**
 * The rows sorted by `key` ("attention", "name", "type" or "ind:<indicator id>") in `dir`
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

/** Per indicator column, how many of `rows` have each status: {id: {met, on_track, at_risk, missed,
    no_data, info, total}}. */
export function statusCounts(rows, columns) {
  const out = {};
  for (const col of columns) {
    const counts = { ...zeroCounts(), total: 0 };
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
  // Names A to Z; the units needing most attention first; an indicator lowest (worst) first.
  return { key, dir: key === "attention" ? "descending" : "ascending" };
}

/** "1 không đạt · 2 có nguy cơ" for a row's counts ("" when nothing needs attention). */
export function attentionText(counts) {
  return [
    counts.missed ? formatNumber(counts.missed) + " không đạt" : "",
    counts.at_risk ? formatNumber(counts.at_risk) + " có nguy cơ" : "",
  ].filter(Boolean).join(" · ");
}

/** A ward's indicators in the order of attention (missed, at risk, on track, no data, met,
    information), the API's order kept within a status. */
export function byAttention(indicators) {
  const rank = (i) => {
    const at = ATTENTION_ORDER.indexOf(i.status);
    return at < 0 ? ATTENTION_ORDER.length : at;
  };
  return indicators.map((ind, at) => ({ ind, at }))
    .sort((a, b) => rank(a.ind) - rank(b.ind) || a.at - b.at)
    .map((x) => x.ind);
}

/** "31/12/2026" for a date ("2026-12-31"), read as written (no time zone); "" for nothing. */
export function formatDay(iso) {
  const m = /^(\d{4})-(\d{2})-(\d{2})/.exec(iso || "");
  return m ? m[3] + "/" + m[2] + "/" + m[1] : "";
}

/** The last whole month ("YYYY-MM") in Hà Nội at `now`: the month a monthly report is for. */
export function lastMonth(now = new Date()) {
  const local = new Date(now.getTime() + 7 * 3600 * 1000);  // UTC+7, no daylight saving
  const y = local.getUTCFullYear();
  const m = local.getUTCMonth();  // 0-based: the previous month's 1-based number
  return m === 0 ? (y - 1) + "-12" : y + "-" + String(m).padStart(2, "0");
}

/** This month in Hà Nội ("YYYY-MM") at `now`: the latest a monthly report can be asked for. */
export function thisMonth(now = new Date()) {
  const local = new Date(now.getTime() + 7 * 3600 * 1000);
  return local.getUTCFullYear() + "-" + String(local.getUTCMonth() + 1).padStart(2, "0");
}

/** The monthly report's address for a ward and a month ("YYYY-MM"). */
export function reportUrl(wardCode, month) {
  return "/api/v1/kpi/report.pdf?ward=" + encodeURIComponent(wardCode) + "&month=" + encodeURIComponent(month);
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
