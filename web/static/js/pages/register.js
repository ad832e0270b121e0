/* Đăng ký gian hàng: a resident registers a stall in one of the ward's zones. */

import { h, message } from "../core/dom.js";
import { api } from "../core/api.js";
import { errorBox, submitForm } from "../core/forms.js";
import { signInPrompt } from "../core/account.js";
import { state, view, heading, go } from "./shell.js";
import { accountFieldset, checkAccount, field, zones } from "./market-common.js";

const OPTIONAL = ["category", "opening_hours", "phone"];

export default function registerMerchant() {
  const main = view("Đăng ký gian hàng");
  heading(main, "Đăng ký gian hàng");
  if (!state.me) {
    main.appendChild(signInPrompt("Đăng nhập bằng VNeID để đăng ký gian hàng của bạn."));
    return null;
  }
  return Promise.all([zones(), api("GET", "/api/v1/banks")]).then(([zoneItems, bankPage]) => {
    if (!zoneItems.length) { main.appendChild(message("Phường, xã chưa mở phố số hay chợ 4.0 nào.")); return; }
    const products = h("div");
    function addProductRow() {
      const n = products.children.length + 1;
      products.appendChild(h("div", { className: "row" },
        h("div", null, h("label", { for: "p-name-" + n }, "Mặt hàng " + n),
          h("input", { id: "p-name-" + n, "data-product-name": true, maxlength: "120" })),
        h("div", null, h("label", { for: "p-price-" + n }, "Giá (đồng)"),
          h("input", { id: "p-price-" + n, "data-product-price": true, type: "number", min: "0", step: "1", inputmode: "numeric" })),
        h("span")));
    }
    addProductRow();
    const status = h("div", { "aria-live": "polite" });
    const form = h("form", null,
      h("label", { for: "zone_id" }, "Phố, chợ"),
      h("select", { id: "zone_id", name: "zone_id" }, zoneItems.map((z) => h("option", { value: String(z.id) }, z.name))),
      field("name", "Tên cửa hàng", { required: true, maxlength: "120", autocomplete: "organization" }),
      field("stall", "Số nhà, ki-ốt", { required: true, maxlength: "120" }, "Ví dụ: Số 12 hoặc Ki-ốt A12"),
      field("category", "Ngành hàng", { maxlength: "80" }),
      field("opening_hours", "Giờ mở cửa", { maxlength: "120" }, "Ví dụ: 6:30–22:00"),
      field("phone", "Số điện thoại (chỉ phường thấy)", { type: "tel", inputmode: "tel", autocomplete: "tel", maxlength: "20" },
        "Ví dụ: 0912 345 678 (gõ cách giữa các nhóm số cũng được)."),
      accountFieldset(bankPage.items),
      h("fieldset", null, h("legend", null, "Mặt hàng (không bắt buộc)"), products,
        h("div", { className: "actions" }, h("button", { type: "button", className: "secondary", onclick: addProductRow }, "Thêm dòng"))),
      status,
      h("div", { className: "actions" }, h("button", { type: "submit" }, "Gửi đăng ký")));
    main.appendChild(form);
    submitForm(form, {
      status,
      validate: checkAccount,
      collect: () => {
        const v = (name) => form.elements[name].value.trim() || null;
        const items = [];
        products.querySelectorAll(".row").forEach((row) => {
          const nameInput = row.querySelector("[data-product-name]");
          const priceInput = row.querySelector("[data-product-price]");
          const name = nameInput.value.trim();
          // The API names a product's errors by its place in the list sent: products.<i>.name.
          nameInput.removeAttribute("data-field");
          priceInput.removeAttribute("data-field");
          if (!name) return;
          nameInput.setAttribute("data-field", "products." + items.length + ".name");
          priceInput.setAttribute("data-field", "products." + items.length + ".price");
          items.push({ name, price: Number(priceInput.value || 0) });
        });
        const body = { name: v("name"), stall: v("stall"), category: v("category"), opening_hours: v("opening_hours"),
          phone: v("phone"), bank_bin: v("bank_bin"), account_number: v("account_number"),
          account_name: v("account_name"), products: items };
        for (const k of OPTIONAL) if (body[k] === null) delete body[k];
        return { zone: form.elements.zone_id.value, body };
      },
      send: (data, key) => api("POST", "/api/v1/market-zones/" + data.zone + "/merchants", data.body, { idempotencyKey: key }),
      done: (m) => go(state.base + "/merchants/" + m.id),
    });
  }).catch((error) => main.appendChild(errorBox(error)));
}
