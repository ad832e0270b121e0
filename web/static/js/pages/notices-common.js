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
