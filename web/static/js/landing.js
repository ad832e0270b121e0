/* Entry point of the landing page: the 126 wards and communes with a search box. */

import { h, clear } from "./core/dom.js";
import { api, loadMe } from "./core/api.js";
import { errorBox } from "./core/forms.js";
import { label, loadVocabulary } from "./core/labels.js";
import { setupLargeText } from "./core/theme.js";

function landing() {
  const input = document.getElementById("ward-q");
  const list = document.getElementById("ward-list");
  const count = document.getElementById("ward-count");
  let timer = null;
  let serial = 0;
  async function search() {
    const q = input.value.trim();
    const mine = ++serial;
    try {
      const [data] = await Promise.all([
        api("GET", "/api/v1/wards?limit=200" + (q ? "&q=" + encodeURIComponent(q) : "")),
        loadVocabulary(),
      ]);
      if (mine !== serial) return;
      clear(list);
      for (const ward of data.items) {
        list.appendChild(h("li", { className: "card" },
          h("a", { className: "stretch", href: "/w/" + ward.slug },
            h("h3", null, ward.name),
            h("p", { className: "meta" }, (ward.type_label || label("ward_type", ward.type)) + " · mã " + ward.code))));
      }
      count.textContent = data.items.length
        ? "Có " + data.items.length + " phường, xã" + (q ? " khớp với «" + q + "»." : ".")
        : "Không tìm thấy phường, xã nào khớp với «" + q + "».";
    } catch (error) {
      clear(list);
      list.appendChild(h("li", null, errorBox(error)));
    }
  }
  input.addEventListener("input", () => { clearTimeout(timer); timer = setTimeout(search, 200); });
  document.getElementById("ward-search").addEventListener("submit", (e) => { e.preventDefault(); search(); });
  search();
}

/* City admins reach their console from here (its address is /city). */
async function cityLink() {
  const me = await loadMe();
  if (!me || !me.roles.some((r) => r.role === "city_admin")) return;
  const main = document.getElementById("main");
  main.insertBefore(
    h("p", { className: "card" }, h("a", { href: "/city" }, "Bảng điều hành thành phố: chỉ tiêu của 126 đơn vị")),
    main.firstChild);
}

setupLargeText();
landing();
cityLink();
