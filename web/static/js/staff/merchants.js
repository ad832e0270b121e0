/* Staff: open market zones and verify the stalls waiting in each. */

import { h, clear, message, phoneLink } from "../core/dom.js";
import { api } from "../core/api.js";
import { errorBox, runAction, submitForm } from "../core/forms.js";
import { label, options } from "../core/labels.js";
import { desk, section, field, select } from "./common.js";

export default function marketSection() {
  const { ward } = desk;
  const s = section("market", "Chợ 4.0 – xác minh cửa hàng");
  const status = h("div", { "aria-live": "polite" });
  const form = h("form", null,
    h("fieldset", null, h("legend", null, "Mở phố số hoặc chợ 4.0"),
      field("zone-name", "Tên phố, chợ", { required: true, maxlength: "200", "data-field": "name" }),
      select("zone-kind", "Loại", options("zone_kind", { codes: ["street", "market"] }), "street", { "data-field": "kind" }),
      field("zone-location", "Vị trí (không bắt buộc)", { maxlength: "300", "data-field": "location" }),
      h("div", { className: "actions" }, h("button", { type: "submit" }, "Mở")), status));
  s.appendChild(form);
  const zonesBox = h("div");
  s.appendChild(zonesBox);
  function load() {
    return api("GET", "/api/v1/wards/" + ward.code + "/market-zones?limit=200").then((data) => {
      clear(zonesBox);
      if (!data.items.length) zonesBox.appendChild(message("Phường, xã chưa mở phố số hay chợ 4.0 nào."));
      for (const z of data.items) zonesBox.appendChild(zoneBlock(z));
    }).catch((error) => clear(zonesBox).appendChild(errorBox(error)));
  }
  submitForm(form, {
    status,
    collect: () => {
      const body = { name: form.elements["zone-name"].value.trim(), kind: form.elements["zone-kind"].value };
      const where = form.elements["zone-location"].value.trim();
      if (where) body.location = where;
      return body;
    },
    send: (body, key) => api("POST", "/api/v1/wards/" + ward.code + "/market-zones", body, { idempotencyKey: key }),
    done: (z) => {
      form.reset();
      status.appendChild(message("Đã mở «" + z.name + "»."));
      return load();
    },
  });
  return load();
}

function zoneBlock(z) {
  const block = h("div", { className: "card" }, h("h3", null, z.name + " (" + (z.kind_label || label("zone_kind", z.kind)) + ")"));
  const report = h("p", { className: "meta" });
  const list = h("ul", { className: "cards" });
  block.appendChild(report);
  block.appendChild(h("h4", null, "Cửa hàng chờ xác minh"));
  block.appendChild(list);
  function load() {
    api("GET", "/api/v1/market-zones/" + z.id + "/report").then((r) => {
      report.textContent = r.merchants_total + " cửa hàng · " + r.verified + " đã xác minh · "
        + r.with_payment_qr + " có mã VietQR · " + r.with_ocop + " có sản phẩm OCOP";
    }).catch(() => { report.textContent = ""; });
    return api("GET", "/api/v1/market-zones/" + z.id + "/merchants?status=pending&limit=200").then((data) => {
      clear(list);
      if (!data.items.length) list.appendChild(h("li", { className: "meta" }, "Không có cửa hàng nào chờ xác minh."));
      for (const m of data.items) {
        const box = h("div", { "aria-live": "polite" });
        const verify = h("button", { type: "button", "aria-label": "Xác minh " + m.name }, "Xác minh");
        verify.addEventListener("click", () => runAction(verify, () => api("POST", "/api/v1/merchants/" + m.id + "/verify").then(load), box));
        list.appendChild(h("li", { className: "card" },
          h("h5", null, h("a", { href: "/w/" + desk.ward.slug + "/merchants/" + m.id }, m.name)),
          h("p", { className: "meta" }, [m.stall, m.category, m.bank.label + " " + (m.account_number || m.account_number_masked),
            m.account_name, m.status_label].filter(Boolean).join(" · ")),
          m.phone ? h("p", { className: "meta" }, "Điện thoại: ", phoneLink(m.phone)) : null,
          h("div", { className: "actions" }, verify),
          box));
      }
    }).catch((error) => clear(list).appendChild(h("li", null, errorBox(error))));
  }
  load();
  return block;
}
