/* Chợ 4.0: the directory of a zone's stalls, and the signed-in resident's own stalls. */

import { h, clear, message } from "../core/dom.js";
import { api } from "../core/api.js";
import { errorBox } from "../core/forms.js";
import { label, loadVocabulary } from "../core/labels.js";
import { state, view, heading, moduleEnabled, moduleTitle, disabled } from "./shell.js";
import { zones } from "./market-common.js";

export default function market() {
  const title = moduleTitle("market", "Chợ 4.0");
  const main = view(title);
  if (!moduleEnabled("market")) return disabled(main, title);
  heading(main, title);
  const mine = myMerchants(main);
  return Promise.all([zones(), mine, loadVocabulary()]).then(([items]) => {
    if (!items.length) { main.appendChild(message("Phường, xã chưa mở phố số hay chợ 4.0 nào.")); return null; }
    const params = new URLSearchParams(location.search);
    const zoneSelect = h("select", { id: "zone", name: "zone" }, items.map((z) =>
      h("option", { value: String(z.id) }, z.name + " (" + label("zone_kind", z.kind) + ")")));
    if (params.get("zone")) zoneSelect.value = params.get("zone");
    const q = h("input", { id: "merchant-q", name: "q", type: "search", autocomplete: "off",
      placeholder: "Ví dụ: ca phe", value: params.get("q") || "" });
    const form = h("form", { role: "search" },
      h("label", { for: "zone" }, "Phố, chợ"), zoneSelect,
      h("label", { for: "merchant-q" }, "Tìm cửa hàng, mặt hàng (có dấu hoặc không dấu)"), q,
      h("div", { className: "actions" }, h("button", { type: "submit" }, "Tìm"),
        h("a", { className: "button secondary", href: state.base + "/market/register" }, "Đăng ký gian hàng")));
    const status = h("p", { className: "meta", role: "status" });
    const list = h("ul", { className: "cards" });
    main.appendChild(form);
    main.appendChild(status);
    main.appendChild(list);
    const query = () => (q.value.trim() ? "&q=" + encodeURIComponent(q.value.trim()) : "");
    function search() {
      return api("GET", "/api/v1/market-zones/" + zoneSelect.value + "/merchants?limit=100" + query()).then((data) => {
        clear(list);
        status.textContent = data.items.length ? "Có " + data.items.length + " cửa hàng." : "Không tìm thấy cửa hàng nào.";
        for (const m of data.items) {
          list.appendChild(h("li", { className: "card" },
            h("a", { className: "stretch", href: state.base + "/merchants/" + m.id },
              h("h3", null, m.name),
              h("p", { className: "meta" }, [m.stall, m.category, m.opening_hours].filter(Boolean).join(" · ")))));
        }
      }).catch((error) => clear(list).appendChild(h("li", null, errorBox(error))));
    }
    form.addEventListener("submit", (e) => {
      e.preventDefault();
      history.replaceState(null, "", state.base + "/market?zone=" + zoneSelect.value + query());
      search();
    });
    zoneSelect.addEventListener("change", search);
    return search();
  }).catch((error) => main.appendChild(errorBox(error)));
}

/* "Cửa hàng của tôi": the signed-in resident's own stalls, in every status (shown if any). */
function myMerchants(main) {
  if (!state.me) return null;
  const box = h("section", { id: "my-merchants", "aria-labelledby": "my-merchants-title" });
  main.appendChild(box);
  return api("GET", "/api/v1/me/merchants?limit=50").then((data) => {
    if (!data.items.length) { box.remove(); return; }
    box.appendChild(h("h3", { id: "my-merchants-title" }, "Cửa hàng của tôi"));
    box.appendChild(h("ul", { className: "cards" }, data.items.map((m) => {
      const here = m.ward.code === state.ward.code;
      return h("li", { className: "card" },
        h("a", { className: "stretch", href: "/w/" + m.ward.slug + "/merchants/" + m.id },
          h("h4", null, m.name),
          h("p", { className: "meta" }, [m.stall, m.zone.name, here ? null : m.ward.name,
            m.status_label].filter(Boolean).join(" · "))));
    })));
  }).catch(() => box.remove());
}
