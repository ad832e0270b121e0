/* Phản ánh của tôi: the signed-in resident's reports, newest first, with the ones the ward changed
   since last seen marked; once shown, they are recorded as seen (the badge goes away). */

import { h, clear, message } from "../core/dom.js";
import { api } from "../core/api.js";
import { errorBox } from "../core/forms.js";
import { signInPrompt } from "../core/account.js";
import { state, view, heading } from "./shell.js";
import { reportCard } from "./report-common.js";
import { reportLinks } from "./reports.js";

const TITLE = "Phản ánh của tôi";

export default function myReports() {
  const main = view(TITLE);
  heading(main, TITLE);
  if (!state.me) {
    main.appendChild(signInPrompt("Đăng nhập bằng VNeID để xem các phản ánh bạn đã gửi."));
    return null;
  }
  const summary = h("p", { role: "status" });
  const list = h("ul", { className: "cards" });
  const more = h("div", { className: "actions" });
  main.append(summary, list, more, reportLinks("mine"));
  let shown = 0;
  function load(cursor) {
    const qs = "limit=20" + (cursor ? "&cursor=" + encodeURIComponent(cursor) : "");
    return api("GET", "/api/v1/me/reports?" + qs).then((data) => {
      if (!cursor) {
        summary.textContent = data.unseen_count
          ? data.unseen_count + " phản ánh có cập nhật mới từ phường, xã."
          : "";
        if (data.unseen_count) summary.className = "notice message";
      }
      for (const r of data.items) {
        shown++;
        list.appendChild(reportCard(r, state.base + "/phan-anh/" + r.id));
      }
      const changed = data.items.filter((r) => r.updated_since_seen).map((r) => r.id);
      if (changed.length) {
        // Shown now: the badge counts only what the resident has not seen yet.
        api("POST", "/api/v1/me/reports/seen", { report_ids: changed }).catch(() => { /* shown again next time */ });
      }
      clear(more);
      if (data.next_cursor) {
        more.appendChild(h("button", { type: "button", className: "secondary",
          onclick: (event) => { event.currentTarget.disabled = true; load(data.next_cursor); } }, "Xem thêm"));
      } else if (!shown) {
        list.appendChild(h("li", null, message("Bạn chưa gửi phản ánh nào.")));
      }
    }).catch((error) => more.appendChild(errorBox(error)));
  }
  return load(null);
}
