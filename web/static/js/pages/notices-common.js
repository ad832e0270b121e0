/* What the notice list and a notice share. */

import { h } from "../core/dom.js";
import { label } from "../core/labels.js";

/** The badges of a notice: pinned, urgent, unread (call after loadVocabulary()). */
export function noticeBadges(n) {
  return [
    n.pinned ? h("span", { className: "badge" }, "Ghim") : null,
    n.priority === "urgent" ? h("span", { className: "badge urgent" }, label("notice_priority", n.priority)) : null,
    !n.read ? h("span", { className: "badge unread" }, "Chưa đọc") : null,
  ];
}

/** "Từ: Sở …" for a notice a department sent (null otherwise): residents see who sends it. Pure. */
export function senderText(n) {
  return n && n.department && n.department.name ? "Từ: " + n.department.name : null;
}

/** The feed's filters from an address's query string: {q, category} (trimmed, "" when absent). Pure. */
export function feedFilters(search) {
  const params = new URLSearchParams(search || "");
  return { q: (params.get("q") || "").trim(), category: (params.get("category") || "").trim() };
}

/**
 * The query string of the feed for these filters, without empty ones ("q=ch%E1%BB%A3&category=y_te");
 * `extra` adds paging parameters (limit, cursor) when set. Pure.
 */
export function feedQuery(filters, extra = {}) {
  const params = new URLSearchParams();
  const q = (filters.q || "").trim();
  if (q) params.set("q", q);
  if (filters.category) params.set("category", filters.category);
  for (const [key, value] of Object.entries(extra)) {
    if (value !== null && value !== undefined && value !== "") params.set(key, String(value));
  }
  return params.toString();
}

/* Phone numbers as people write them in a notice: mobile and landline numbers (0… or +84…, ten
   or eleven digits, groups separated by spaces, dots or dashes) and 1800/1900 hotlines. Short
   numbers (113, 1022) are left alone in free text: too many other numbers look like them. */
const PHONE_IN_TEXT = /(?<![\d+])(?:(?:\+84|0)(?:[ .-]?\d){9,10}|1[89]00(?:[ .-]?\d){4,6})(?!\d)/g;

/** Split text into [{text}] and [{phone}] pieces, in order (the phones as written). Pure. */
export function splitPhones(text) {
  const pieces = [];
  let last = 0;
  for (const m of String(text || "").matchAll(PHONE_IN_TEXT)) {
    if (m.index > last) pieces.push({ text: text.slice(last, m.index) });
    pieces.push({ phone: m[0] });
    last = m.index + m[0].length;
  }
  if (last < String(text || "").length) pieces.push({ text: String(text).slice(last) });
  return pieces;
}
