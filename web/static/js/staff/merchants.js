/* Staff: open market zones and verify the stalls waiting in each. */

import { h, clear, message, phoneLink } from "../core/dom.js";
import { api } from "../core/api.js";
import { errorBox, runAction, submitForm } from "../core/forms.js";
import { label, options } from "../core/labels.js";
import { desk, section, field, select } from "./common.js";
import { indicatorsSection } from "./downloads.js";

export default function marketSection() {
  const { ward } = desk;
  const s = section("market", "Chợ 4.0 – xác minh cửa hàng");
  indicatorsSection();
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
  const filterId = "zone-" + z.id + "-status";
  const [filterLabel, filter] = select(filterId, "Xem cửa hàng",
    options("merchant_status", { codes: ["pending", "verified", "suspended", "rejected"] }), "pending");
  block.appendChild(report);
  block.appendChild(h("div", { className: "downloads" },
    h("a", { className: "button secondary", href: "/api/v1/market-zones/" + z.id + "/report?format=csv", download: "",
      "aria-label": "Tải báo cáo (CSV) của " + z.name }, "Tải báo cáo (CSV)")));
  block.appendChild(h("div", null, filterLabel, filter));
  block.appendChild(list);
  function load() {
    api("GET", "/api/v1/market-zones/" + z.id + "/report").then((r) => {
      report.textContent = r.merchants_total + " cửa hàng · " + r.verified + " đã xác minh · "
        + r.with_payment_qr + " có mã VietQR · " + r.with_ocop + " có sản phẩm OCOP";
    }).catch(() => { report.textContent = ""; });
    const wanted = filter.value;
    return api("GET", "/api/v1/market-zones/" + z.id + "/merchants?status=" + wanted + "&limit=200").then((data) => {
      clear(list);
      if (!data.items.length) {
        list.appendChild(h("li", { className: "meta" }, "Không có cửa hàng nào ở trạng thái «" + label("merchant_status", wanted) + "»."));
      }
      for (const m of data.items) list.appendChild(merchantCard(m));
    }).catch((error) => clear(list).appendChild(h("li", null, errorBox(error))));
  }
  filter.addEventListener("change", load);
  load();
  return block;
}

/* A merchant for staff: its details, any duplicate warning, the reason of a refusal, and the
   actions its status allows. After an action the card shows the merchant as the API returns it. */
function merchantCard(m) {
  const card = h("li", { className: "card", id: "merchant-" + m.id });
  fillCard(card, m);
  return card;
}

function fillCard(card, m) {
  const box = h("div", { "aria-live": "polite" });
  const formBox = h("div");
  const done = (fresh, text) => {
    fillCard(card, fresh);
    card.querySelector("[aria-live]").appendChild(message(text));
  };
  const actions = h("div", { className: "actions" });
  if (m.can_manage !== false) {
    if (m.status !== "verified") {
      const verify = h("button", { type: "button", "aria-label": (m.status === "pending" ? "Xác minh " : "Xác minh lại ") + m.name },
        m.status === "pending" ? "Xác minh" : "Xác minh lại");
      verify.addEventListener("click", () => runAction(verify, () => api("POST", "/api/v1/merchants/" + m.id + "/verify")
        .then((fresh) => done(fresh, "Đã xác minh «" + m.name + "».")), box));
      actions.appendChild(verify);
    }
    if (m.status === "pending" || m.status === "suspended") {
      actions.appendChild(reasonButton(m, "reject", "Từ chối", formBox, done));
    }
    if (m.status === "verified") {
      actions.appendChild(reasonButton(m, "suspend", "Tạm dừng", formBox, done));
    }
  }
  const duplicates = m.duplicates || [];
  clear(card).append(
    h("h4", null, h("a", { href: "/w/" + desk.ward.slug + "/merchants/" + m.id }, m.name)),
    h("p", { className: "meta" }, [m.stall, m.category, m.bank.label + " " + (m.account_number || m.account_number_masked),
      m.account_name].filter(Boolean).join(" · ")),
    h("p", null, h("strong", null, "Trạng thái: "), m.status_label || label("merchant_status", m.status)));
  if (m.status_reason) card.appendChild(h("p", { className: "reason" }, h("strong", null, "Lý do: "), m.status_reason));
  if (m.phone) card.appendChild(h("p", { className: "meta" }, "Điện thoại: ", phoneLink(m.phone)));
  if (duplicates.length) {
    card.appendChild(h("div", { className: "duplicate-warning", role: "note", "aria-label": "Cảnh báo có thể trùng" },
      h("p", null, h("strong", null, "⚠ Có thể trùng với cửa hàng khác – hãy kiểm tra trước khi xác minh:")),
      h("ul", null, duplicates.map((d) => h("li", null, d.message + " ",
        h("a", { href: "/w/" + desk.ward.slug + "/merchants/" + d.id, "aria-label": "Xem «" + d.name + "» (" + d.status_label + ")" },
          "Xem «" + d.name + "» (" + d.status_label + ")"))))));
  }
  card.append(actions, formBox, box);
}

/* A button that opens a small form asking for the reason (required, not only spaces). */
function reasonButton(m, action, text, formBox, done) {
  const verb = action === "reject" ? "từ chối" : "tạm dừng";
  const button = h("button", { type: "button", className: "secondary", "aria-expanded": "false",
    "aria-label": text + " " + m.name }, text + "…");
  button.addEventListener("click", () => {
    clear(formBox);
    if (button.getAttribute("aria-expanded") === "true") {
      button.setAttribute("aria-expanded", "false");
      return;
    }
    button.setAttribute("aria-expanded", "true");
    const id = "merchant-" + m.id + "-" + action + "-reason";
    const status = h("div", { "aria-live": "polite" });
    const form = h("form", { className: "reason-form" },
      field(id, "Lý do " + verb + " (chủ cửa hàng sẽ thấy)", { tag: "textarea", required: true, maxlength: "300", rows: "3", "data-field": "reason" }),
      h("div", { className: "actions" },
        h("button", { type: "submit" }, "Xác nhận " + verb),
        h("button", { type: "button", className: "secondary", onclick: () => {
          clear(formBox);
          button.setAttribute("aria-expanded", "false");
          button.focus();
        } }, "Hủy")),
      status);
    formBox.appendChild(form);
    submitForm(form, {
      status,
      collect: () => ({ reason: form.elements[id].value.trim() }),
      send: (body) => api("POST", "/api/v1/merchants/" + m.id + "/" + action, body),
      done: (fresh) => done(fresh, "Đã " + verb + " «" + m.name + "»."),
    });
    form.elements[id].focus();
  });
  return button;
}
