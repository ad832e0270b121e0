/* Thông báo: the signed-in resident's feed of this ward's notices, with a search box and a
   category filter kept in the address (?q=&category=), so Back returns to the previous search. */

import { h, clear, message } from "../core/dom.js";
import { api } from "../core/api.js";
import { errorBox } from "../core/forms.js";
import { loadVocabulary } from "../core/labels.js";
import { formatDateTime } from "../core/format.js";
import { signInPrompt } from "../core/account.js";
import { state, view, heading, go, reload, moduleEnabled, moduleTitle, disabled } from "./shell.js";
import { noticeBadges, senderText, feedFilters, feedQuery } from "./notices-common.js";

export default async function feed() {
  const title = moduleTitle("notices", "Thông báo");
  const main = view(title);
  if (!moduleEnabled("notices")) return disabled(main, title);
  heading(main, title);
  if (!state.me) {
    main.appendChild(signInPrompt("Đăng nhập bằng VNeID để xem thông báo của " + state.ward.name + "."));
    return null;
  }
  const filters = feedFilters(location.search);
  const categories = await api("GET", "/api/v1/notice-categories").then((c) => c.items).catch(() => []);
  main.appendChild(searchForm(filters, categories));
  const summary = h("p", { className: "meta", role: "status" });
  const list = h("ul", { className: "cards" });
  const more = h("div", { className: "actions" });
  main.appendChild(summary);
  main.appendChild(list);
  main.appendChild(more);
  const filtered = !!(filters.q || filters.category);
  let shown = 0;
  function load(cursor) {
    return Promise.all([
      api("GET", "/api/v1/me/feed?" + feedQuery(filters, { limit: 50, cursor })),
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
              formatDateTime(n.published_at || n.created_at)),
            senderText(n) ? h("p", { className: "meta sender" }, senderText(n)) : null)));
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
      } else if (!shown && filtered) {
        list.appendChild(h("li", null, message("Không có thông báo nào khớp với tìm kiếm của bạn.")));
        more.appendChild(h("a", { href: state.base + "/notices" }, "Xem tất cả thông báo"));
      } else if (!shown) {
        list.appendChild(h("li", null, message("Chưa có thông báo nào. Hãy theo dõi " + state.ward.name
          + " ở trang chủ hoặc tham gia tổ dân phố để nhận thông báo.")));
      }
      if (filtered) {
        summary.textContent = shown
          ? "Có " + shown + (data.next_cursor ? "+" : "") + " thông báo khớp với tìm kiếm."
          : "";
      }
    }).catch((error) => more.appendChild(errorBox(error)));
  }
  return load(null);
}

function searchForm(filters, categories) {
  const input = h("input", { type: "search", id: "feed-q", name: "q", value: filters.q, maxlength: "100",
    autocomplete: "off", enterkeyhint: "search" });
  const select = h("select", { id: "feed-category", name: "category" },
    h("option", { value: "" }, "Tất cả lĩnh vực"),
    categories.map((c) => h("option", { value: c.code, selected: c.code === filters.category }, c.label)));
  const form = h("form", { role: "search", className: "filters", "aria-label": "Tìm thông báo" },
    h("div", null, h("label", { for: "feed-q" }, "Tìm trong thông báo"), input),
    h("div", null, h("label", { for: "feed-category" }, "Lĩnh vực"), select),
    h("div", { className: "actions" }, h("button", { type: "submit" }, "Tìm")));
  const submit = () => {
    const qs = feedQuery({ q: input.value, category: select.value });
    const target = state.base + "/notices" + (qs ? "?" + qs : "");
    if (target === location.pathname + location.search) return reload();
    return go(target);
  };
  form.addEventListener("submit", (event) => { event.preventDefault(); submit(); });
  select.addEventListener("change", submit);
  return form;
}
