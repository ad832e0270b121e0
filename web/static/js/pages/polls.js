/* Biểu quyết: the ward's polls, open ones first. */

import { h, message } from "../core/dom.js";
import { api } from "../core/api.js";
import { errorBox } from "../core/forms.js";
import { signInPrompt } from "../core/account.js";
import { state, view, heading, moduleEnabled, moduleTitle, disabled } from "./shell.js";
import { pollMeta } from "./poll.js";

export default function polls() {
  const title = moduleTitle("polls", "Biểu quyết");
  const main = view(title);
  if (!moduleEnabled("polls")) return disabled(main, title);
  heading(main, title);
  const list = h("ul", { className: "cards" });
  main.appendChild(list);
  return api("GET", "/api/v1/polls?ward=" + state.ward.code + "&limit=50").then((data) => {
    // Open polls first, then those about to open, then closed ones (newest first within each).
    const rank = { open: 0, scheduled: 1, closed: 2, draft: 3 };
    const items = (data.items || []).filter((p) => p.status !== "draft")
      .sort((a, b) => (rank[a.status] - rank[b.status]) || (b.id - a.id));
    for (const p of items) {
      list.appendChild(h("li", { className: "card" },
        h("a", { className: "stretch", href: state.base + "/polls/" + p.id },
          h("h3", null, p.title), h("p", { className: "meta" }, pollMeta(p)))));
    }
    if (!items.length) list.appendChild(h("li", null, message("Hiện chưa có cuộc biểu quyết nào đang mở.")));
  }).catch((error) => {
    list.appendChild(h("li", null, error.status === 401 ? signInPrompt() : errorBox(error)));
  });
}
