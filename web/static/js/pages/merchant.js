/* A stall's page: its products, its VietQR, and for its owner the poster and a product form. */

import { h, message } from "../core/dom.js";
import { api } from "../core/api.js";
import { errorBox, submitForm } from "../core/forms.js";
import { formatMoney } from "../core/format.js";
import { state, view, heading, setTitle, reload } from "./shell.js";

export default function merchant({ id }) {
  const main = view("Cửa hàng");
  return api("GET", "/api/v1/merchants/" + encodeURIComponent(id)).then((m) => {
    setTitle(m.name);
    main.appendChild(h("p", null, h("a", { href: state.base + "/market?zone=" + m.zone.id }, "← " + m.zone.name)));
    heading(main, m.name);
    main.appendChild(h("p", { className: "meta" }, [m.stall, m.zone.name, m.category].filter(Boolean).join(" · ")));
    if (m.opening_hours) main.appendChild(h("p", null, "Giờ mở cửa: " + m.opening_hours));
    if (m.status !== "verified") {
      main.appendChild(message("Trạng thái: " + m.status_label + (m.status_reason ? " – " + m.status_reason : "")));
    }
    if (m.products && m.products.length) {
      main.appendChild(h("h3", null, "Mặt hàng"));
      main.appendChild(h("ul", { className: "products" }, m.products.map((p) =>
        h("li", null, h("span", null, p.name, p.ocop_stars ? " (OCOP " + p.ocop_stars + " sao)" : ""),
          h("strong", null, formatMoney(p.price))))));
    }
    main.appendChild(h("h3", null, "Thanh toán bằng VietQR"));
    const account = h("p", null, m.bank.label + " · " + m.account_number_masked + " · " + m.account_name);
    if (m.status === "verified") {
      main.appendChild(h("img", { className: "qr", src: "/api/v1/merchants/" + m.id + "/payment-qr.png",
        alt: "Mã VietQR để chuyển khoản cho " + m.name + ", tài khoản " + m.bank.label + " " + m.account_number_masked,
        width: "256", height: "256" }));
      main.appendChild(h("p", { className: "hint" }, "Mở ứng dụng ngân hàng, chọn quét mã QR và nhập số tiền."));
    } else {
      main.appendChild(h("p", { className: "hint" }, "Mã thanh toán có sau khi phường xác minh cửa hàng."));
    }
    main.appendChild(account);
    if (m.is_owner) {
      main.appendChild(h("h3", null, "Dành cho chủ cửa hàng"));
      if (m.status === "verified") {
        main.appendChild(h("div", { className: "actions" },
          h("a", { className: "button", id: "poster-a5", href: "/api/v1/merchants/" + m.id + "/poster.pdf?size=A5", download: "ap-phich-" + m.id + ".pdf" }, "Tải áp phích mã QR (A5, PDF)"),
          h("a", { className: "button secondary", href: "/api/v1/merchants/" + m.id + "/poster.pdf?size=A6", download: "ap-phich-a6-" + m.id + ".pdf" }, "Khổ A6")));
      } else {
        main.appendChild(h("p", null, "Áp phích mã QR tải được khi phường đã xác minh cửa hàng."));
      }
      main.appendChild(productForm(m));
    }
  }).catch((error) => {
    heading(main, "Cửa hàng");
    main.appendChild(errorBox(error));
  });
}

function productForm(m) {
  const status = h("div", { "aria-live": "polite" });
  const form = h("form", null,
    h("fieldset", null, h("legend", null, "Thêm mặt hàng"),
      h("label", { for: "product-name" }, "Tên mặt hàng"),
      h("input", { id: "product-name", name: "name", required: true, maxlength: "120" }),
      h("label", { for: "product-price" }, "Giá (đồng)"),
      h("input", { id: "product-price", name: "price", type: "number", min: "0", step: "1", required: true, inputmode: "numeric" }),
      h("div", { className: "actions" }, h("button", { type: "submit" }, "Thêm mặt hàng")), status));
  submitForm(form, {
    status,
    collect: () => ({ name: form.elements.name.value.trim(), price: Number(form.elements.price.value) }),
    send: (body, key) => api("POST", "/api/v1/merchants/" + m.id + "/products", body, { idempotencyKey: key }),
    done: () => reload(),
  });
  return form;
}
