/* Thông báo: the signed-in resident's feed of this ward's notices. */

import { h, clear, message } from "../core/dom.js";
import { api } from "../core/api.js";
import { errorBox } from "../core/forms.js";
import { loadVocabulary } from "../core/labels.js";
import { formatDateTime } from "../core/format.js";
import { signInPrompt } from "../core/account.js";
import { state, view, heading, moduleEnabled, moduleTitle, disabled } from "./shell.js";
import { noticeBadges } from "./notices-common.js";

export default function feed() {
  const title = moduleTitle("notices", "Thông báo");
  const main = view(title);
  if (!moduleEnabled("notices")) return disabled(main, title);
  heading(main, title);
  if (!state.me) {
    main.appendChild(signInPrompt("Đăng nhập bằng VNeID để xem thông báo của " + state.ward.name + "."));
    return null;
  }
  const list = h("ul", { className: "cards" });
  const more = h("div", { className: "actions" });
  main.appendChild(list);
  main.appendChild(more);
  let shown = 0;
  function load(cursor) {
    return Promise.all([
      api("GET", "/api/v1/me/feed?limit=50" + (cursor ? "&cursor=" + encodeURIComponent(cursor) : "")),
      loadVocabulary(),
    ]).then(([data]) => {
        const items = data.items.filter((n) => n.ward === state.ward.code);
        // The API orders pinned, then urgent, then newest; keep that order.
        for (const n of items) {
          shown++;
          list.appendChild(h("li", { className: "card" + (n.read ? "" : " unread-card") },
            h("a", { className: "stretch", href: state.base + "/notices/" + n.id },
              h("h3", null, n.title),
              h("p", { className: "meta" }, noticeBadges(n), n.category.label, " · ",
                formatDateTime(n.published_at || n.created_at)))));
        }
        if (items.length) {
          // A delivery receipt: the ward sees how many residents the notices reached.
          api("POST", "/api/v1/me/feed/seen", { notice_ids: items.map((n) => n.id) })
            .catch(() => { /* a lost receipt only lowers a statistic */ });
        }
        clear(more);
        if (data.next_cursor) {
          more.appendChild(h("button", { type: "button", className: "secondary",
            onclick: () => load(data.next_cursor) }, "Xem thêm"));
        } else if (!shown) {
          list.appendChild(h("li", null, message("Chưa có thông báo nào. Hãy theo dõi " + state.ward.name
            + " ở trang chủ hoặc tham gia tổ dân phố để nhận thông báo.")));
        }
      }).catch((error) => more.appendChild(errorBox(error)));
  }
  return load(null);
}
