/* Field reports: what the resident pages and the staff console both show of a report, and the
   one multipart request (a report with photos). */

import { h } from "../core/dom.js";
import { ApiError, loadMe } from "../core/api.js";
import { fallbackMessage } from "../core/errors.js";
import { formatDate, formatDateTime } from "../core/format.js";
import { isOpen } from "./report-model.js";

/** The status, "Quá hạn" and "Có cập nhật mới" badges of a report. */
export function reportBadges(r) {
  return [
    h("span", { className: "badge report-status status-" + r.status }, r.status_label),
    r.overdue ? h("span", { className: "badge urgent" }, "Quá hạn") : null,
    r.updated_since_seen ? h("span", { className: "badge unread" }, "Có cập nhật mới") : null,
  ];
}

/** "Hạn xử lý: 05/07/2025" while open, "Đã đóng lúc …" once closed. */
export function dueLine(r) {
  if (isOpen(r.status)) return "Hạn xử lý: " + formatDate(r.due_at);
  return r.closed_at ? "Đã đóng lúc " + formatDateTime(r.closed_at) : "";
}

/** A short excerpt of a description for a list. */
export function excerpt(text, max = 160) {
  const t = String(text || "").replace(/\s+/g, " ").trim();
  return t.length > max ? t.slice(0, max - 1).trimEnd() + "…" : t;
}

/** A report as a card of a list, linking to its page at `href`. */
export function reportCard(r, href) {
  return h("li", { className: "card report-card" + (r.updated_since_seen ? " unread-card" : ""), id: "report-" + r.id },
    h("a", { className: "stretch", href },
      h("h3", null, "#" + r.id + " · " + r.category_name)),
    h("p", { className: "meta" }, reportBadges(r)),
    h("p", null, excerpt(r.description)),
    h("p", { className: "meta" }, ["Gửi lúc " + formatDateTime(r.created_at), r.address, dueLine(r)].filter(Boolean).join(" · ")));
}

/**
 * POST a report as multipart/form-data (api() sends JSON only): the CSRF token of loadMe() and
 * the submission's Idempotency-Key. Throws ApiError like api() does.
 */
export async function postReportForm(fields, files, key) {
  const me = await loadMe();
  const data = new FormData();
  for (const [name, value] of Object.entries(fields)) {
    if (value !== null && value !== undefined) data.append(name, String(value));
  }
  for (const file of files) data.append("photos", file, file.name);
  const headers = { Accept: "application/json", "Idempotency-Key": key };
  if (me && me.csrf_token) headers["X-CSRF-Token"] = me.csrf_token;
  let response;
  try {
    response = await fetch("/api/v1/reports", { method: "POST", headers, body: data, credentials: "same-origin" });
  } catch (cause) {
    throw new ApiError(fallbackMessage(0), 0, null);
  }
  const body = await response.json().catch(() => null);
  if (!response.ok) {
    const text = body && body.error && body.error.message;
    const tooLarge = response.status === 413 ? "Ảnh gửi kèm quá lớn (tối đa 10 MB mỗi ảnh, 5 ảnh). Hãy chọn ảnh nhỏ hơn." : null;
    throw new ApiError(text || tooLarge || fallbackMessage(response.status), response.status, body);
  }
  return body;
}
