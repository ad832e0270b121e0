/* What the notice list and a notice share. */

import { h } from "../core/dom.js";

/** The badges of a notice: pinned, urgent, unread. */
export function noticeBadges(n) {
  return [
    n.pinned ? h("span", { className: "badge" }, "Ghim") : null,
    n.priority === "urgent" ? h("span", { className: "badge urgent" }, n.priority_label || "Khẩn") : null,
    !n.read ? h("span", { className: "badge unread" }, "Chưa đọc") : null,
  ];
}
