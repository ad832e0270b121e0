/* The rules a resident's ballot page applies as people tick, the quorum's wording, and the
   receipt's hash. Pure (the hash uses Web Crypto, present in browsers and Node). */

import { formatNumber } from "../core/format.js";

/** {min, max, multiple} of a choice question (defaults: exactly one). */
export function choiceLimits(q) {
  const max = Math.max(1, q.max_choices || 1);
  const min = q.min_choices === null || q.min_choices === undefined ? 1 : q.min_choices;
  return { min: Math.min(min, max), max, multiple: max > 1 };
}

/** The standing hint of a question: "Chọn tối đa 2 phương án." … */
export function limitHint(q) {
  const { min, max, multiple } = choiceLimits(q);
  if (!multiple) return "";
  if (min === max) return "Chọn đúng " + max + " phương án.";
  if (min <= 1) return "Chọn tối đa " + max + " phương án" + (min === 0 ? " (có thể bỏ trống)." : ".");
  return "Chọn từ " + min + " đến " + max + " phương án.";
}

/**
 * What the boxes of a question do with `checked` ticked: whether the unticked ones are
 * disabled (the limit is reached) and the live hint to say.
 */
export function limitState(q, checked) {
  const { max, multiple } = choiceLimits(q);
  if (!multiple) return { full: false, live: "" };
  const full = checked >= max;
  const live = full
    ? "Đã chọn đủ " + max + " phương án. Muốn chọn phương án khác, hãy bỏ chọn một phương án."
    : "Đã chọn " + checked + "/" + max + " phương án.";
  return { full, live };
}

/**
 * The problem of a ballot's choices to show before sending, or null. Only too many choices (a
 * state the disabled boxes should already prevent); too few is the API's to say, by the question.
 */
export function choiceProblem(q, checked) {
  const { max } = choiceLimits(q);
  return checked > max ? "Chỉ được chọn tối đa " + max + " phương án." : null;
}

/**
 * The quorum line of results: null when the poll has no quorum (0 %); "Đã đạt túc số" only when
 * the API says it was reached; otherwise "Chưa đạt túc số: 1/8 (cần 50%)".
 */
export function quorumText(r) {
  if (!r || !r.quorum_percent) return null;
  if (r.quorum_reached === true) return "Đã đạt túc số";
  const count = r.eligible ? formatNumber(r.turnout) + "/" + formatNumber(r.eligible)
    : formatNumber(r.turnout) + " phiếu";
  return "Chưa đạt túc số: " + count + " (cần " + r.quorum_percent + "%)";
}

/** A receipt as the service hashes it: trimmed, upper case. */
export function normalizeReceipt(text) {
  return String(text || "").trim().toUpperCase();
}

/** The SHA-256 (hex) of a receipt, computed here: the receipt itself never leaves the device. */
export async function receiptHash(text) {
  const bytes = new TextEncoder().encode(normalizeReceipt(text));
  const digest = await globalThis.crypto.subtle.digest("SHA-256", bytes);
  return Array.from(new Uint8Array(digest), (b) => b.toString(16).padStart(2, "0")).join("");
}

/** The localStorage key of the receipt kept for (user, poll). */
export function receiptKey(userId, pollId) {
  return "pxs-receipt:" + userId + ":" + pollId;
}
