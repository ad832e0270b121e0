/* A stall's page: its products and its VietQR, where a buyer may type an amount to get a code
   with the amount filled in; for its owner (and the ward's staff) the poster, an edit form and a
   product form. */

import { h, clear, message } from "../core/dom.js";
import { api } from "../core/api.js";
import { errorBox, submitForm } from "../core/forms.js";
import { formatMoney } from "../core/format.js";
import { label, loadVocabulary } from "../core/labels.js";
import { state, view, heading, setTitle, reload } from "./shell.js";
import {
  accountFieldset, amountText, changedFields, checkAccount, parseAmount, paymentChanged,
} from "./market-common.js";

// A line to show once after the page is drawn again (e.g. "Đã lưu thay đổi.").
let flash = null;

export default function merchant({ id }) {
  const main = view("Cửa hàng");
  return Promise.all([api("GET", "/api/v1/merchants/" + encodeURIComponent(id)), loadVocabulary()]).then(async ([m]) => {
    const banks = m.can_edit ? (await api("GET", "/api/v1/banks")).items : [];
    setTitle(m.name);
    main.appendChild(h("p", null, h("a", { href: state.base + "/market?zone=" + m.zone.id }, "← " + m.zone.name)));
    heading(main, m.name);
    if (flash) { main.appendChild(message(flash)); flash = null; }
    main.appendChild(h("p", { className: "meta" }, [m.stall, m.zone.name, m.category].filter(Boolean).join(" · ")));
    if (m.opening_hours) main.appendChild(h("p", null, "Giờ mở cửa: " + m.opening_hours));
    if (m.status !== "verified") statusNotice(main, m);
    if (m.products && m.products.length) {
      main.appendChild(h("h3", null, "Mặt hàng"));
      main.appendChild(h("ul", { className: "products" }, m.products.map((p) =>
        h("li", null, h("span", null, p.name, p.ocop_stars ? " (OCOP " + p.ocop_stars + " sao)" : ""),
          h("strong", null, formatMoney(p.price))))));
    }
    main.appendChild(h("h3", null, "Thanh toán bằng VietQR"));
    if (m.status === "verified") main.appendChild(paymentBox(m));
    else main.appendChild(h("p", { className: "hint" }, "Mã thanh toán có sau khi phường xác minh cửa hàng."));
    main.appendChild(h("p", null, m.bank.label + " · " + m.account_number_masked + " · " + m.account_name));
    if (m.is_owner || m.can_edit) {
      main.appendChild(h("h3", null, m.is_owner ? "Dành cho chủ cửa hàng" : "Dành cho cán bộ phường"));
    }
    if (m.is_owner) {
      if (m.status === "verified") {
        main.appendChild(h("div", { className: "actions" },
          h("a", { className: "button", id: "poster-a5", href: "/api/v1/merchants/" + m.id + "/poster.pdf?size=A5", download: "ap-phich-" + m.id + ".pdf" }, "Tải áp phích mã QR (A5, PDF)"),
          h("a", { className: "button secondary", href: "/api/v1/merchants/" + m.id + "/poster.pdf?size=A6", download: "ap-phich-a6-" + m.id + ".pdf" }, "Khổ A6")));
      } else {
        main.appendChild(h("p", null, "Áp phích mã QR tải được khi phường đã xác minh cửa hàng."));
      }
    }
    if (m.can_edit) {
      main.appendChild(editForm(m, banks));
      main.appendChild(productForm(m));
    }
  }).catch((error) => {
    clear(main);
    heading(main, "Cửa hàng");
    main.appendChild(errorBox(error));
  });
}

/* The status of a stall not (or no longer) verified, with the ward's reason to its owner. */
function statusNotice(main, m) {
  const stopped = m.status === "rejected" || m.status === "suspended";
  const box = h("div", { className: "notice message merchant-status" + (stopped ? " error" : ""), role: "status" },
    h("p", null, "Trạng thái: " + m.status_label));
  if (m.status_reason) box.appendChild(h("p", null, "Lý do phường ghi: " + m.status_reason));
  if (stopped && m.is_owner) {
    box.appendChild(h("p", null, "Hãy sửa thông tin theo lý do trên (mục «Sửa thông tin cửa hàng» bên dưới) "
      + "rồi báo cho phường để được xác minh lại."));
  }
  main.appendChild(box);
}

/* The payment code: static at first; with an amount typed, a code that fills it in for the buyer. */
function paymentBox(m) {
  const staticSrc = "/api/v1/merchants/" + m.id + "/payment-qr.png";
  const staticAlt = "Mã VietQR để chuyển khoản cho " + m.name + ", tài khoản " + m.bank.label + " " + m.account_number_masked;
  const img = h("img", { className: "qr", id: "payment-qr", src: staticSrc, alt: staticAlt, width: "256", height: "256" });
  const caption = h("p", { className: "qr-amount", id: "qr-amount" });
  const hint = h("p", { className: "hint", id: "qr-hint" }, "Mở ứng dụng ngân hàng, chọn quét mã QR và nhập số tiền.");
  const status = h("div", { "aria-live": "polite" });
  const reset = h("button", { type: "button", className: "secondary", hidden: true }, "Bỏ số tiền");
  const form = h("form", { className: "amount-form", id: "amount-form" },
    h("label", { for: "qr-amount-input" }, "Số tiền (đồng)"),
    h("input", { id: "qr-amount-input", name: "amount", "data-field": "amount", inputmode: "numeric",
      autocomplete: "off", maxlength: "20", placeholder: "Ví dụ: 45000", "aria-describedby": "qr-amount-hint" }),
    h("p", { className: "hint", id: "qr-amount-hint" }, "Số tiền nguyên, từ 1 đồng; gõ 45000 hoặc 45.000 đều được."),
    h("label", { for: "qr-purpose" }, "Nội dung chuyển khoản (không bắt buộc)"),
    h("input", { id: "qr-purpose", name: "purpose", "data-field": "purpose", maxlength: "60", autocomplete: "off",
      placeholder: "Ví dụ: Mua cà phê", "aria-describedby": "qr-purpose-hint" }),
    h("p", { className: "hint", id: "qr-purpose-hint" }, "Tối đa 25 ký tự; ngân hàng nhận chữ không dấu."),
    status,
    h("div", { className: "actions" }, h("button", { type: "submit" }, "Tạo mã có số tiền"), reset));

  submitForm(form, {
    status,
    validate: () => {
      const parsed = parseAmount(form.elements.amount.value);
      return parsed.error ? [{ field: "amount", message: parsed.error }] : [];
    },
    collect: () => {
      const body = { amount: parseAmount(form.elements.amount.value).amount };
      const purpose = form.elements.purpose.value.trim();
      if (purpose) body.purpose = purpose;
      return body;
    },
    // Asking for the JSON first brings the API's Vietnamese errors (a note too long …) beside
    // their field; the image is then the SVG of the same code.
    send: (body) => api("GET", "/api/v1/merchants/" + m.id + "/payment-qr?" + new URLSearchParams(body)),
    done: (code) => {
      img.src = code.svg_url;
      img.alt = "Mã VietQR chuyển " + amountText(code.amount) + " cho " + m.name
        + (code.purpose ? ", nội dung " + code.purpose : "");
      clear(caption).append(h("span", null, "Số tiền: "), h("strong", null, amountText(code.amount)),
        code.purpose ? h("span", { className: "meta" }, " · Nội dung: " + code.purpose) : "");
      hint.textContent = "Người mua quét mã bằng ứng dụng ngân hàng: số tiền và nội dung tự điền, chỉ cần xác nhận.";
      reset.hidden = false;
      status.appendChild(message("Đã tạo mã cho " + amountText(code.amount) + "."));
    },
  });
  reset.addEventListener("click", () => {
    img.src = staticSrc;
    img.alt = staticAlt;
    clear(caption);
    clear(status);
    hint.textContent = "Mở ứng dụng ngân hàng, chọn quét mã QR và nhập số tiền.";
    form.reset();
    reset.hidden = true;
    form.elements.amount.focus();
  });
  return h("div", { className: "payment" }, h("figure", { className: "qr-figure" }, img, h("figcaption", null, caption, hint)), form);
}

function input(id, name, labelText, attrs, hint) {
  const control = h("input", Object.assign({ id, name, "data-field": name }, attrs,
    hint ? { "aria-describedby": id + "-hint" } : {}));
  return [h("label", { for: id }, labelText), control, hint ? h("p", { className: "hint", id: id + "-hint" }, hint) : null];
}

/* "Sửa thông tin cửa hàng": prefilled, sends only what changed; a change of where the money
   goes on a verified stall asks first, since the stall then waits for the ward again. */
function editForm(m, banks) {
  const status = h("div", { "aria-live": "polite" });
  const form = h("form", { id: "edit-merchant" },
    input("edit-name", "name", "Tên cửa hàng", { required: true, maxlength: "120", value: m.name }),
    input("edit-stall", "stall", "Số nhà, ki-ốt", { required: true, maxlength: "120", value: m.stall }),
    input("edit-category", "category", "Ngành hàng", { maxlength: "80", value: m.category || null }),
    input("edit-opening_hours", "opening_hours", "Giờ mở cửa", { maxlength: "120", value: m.opening_hours || null }),
    input("edit-phone", "phone", "Số điện thoại (chỉ phường thấy)", { type: "tel", inputmode: "tel", autocomplete: "tel",
      maxlength: "20", value: m.phone || null }, "Ví dụ: 0912 345 678."),
    // Where the money goes is the owner's to change (the API refuses it from staff).
    m.is_owner
      ? accountFieldset(banks, { bank_bin: m.bank.bin, account_number: m.account_number, account_name: m.account_name }, "edit-")
      : h("p", { className: "hint" }, "Chỉ chủ cửa hàng đổi được tài khoản nhận tiền; cán bộ phường chỉ xác minh."),
    m.is_owner && m.status === "verified"
      ? h("p", { className: "hint" }, "Đổi ngân hàng, số tài khoản hoặc tên chủ tài khoản thì cửa hàng phải chờ phường xác minh lại.")
      : null,
    status,
    h("div", { className: "actions" }, h("button", { type: "submit" }, "Lưu thay đổi")));

  const current = Object.assign({}, m, { bank_bin: m.bank.bin });
  const collect = () => {
    const v = (name) => form.elements[name].value.trim() || null;
    const typed = { name: v("name"), stall: v("stall"), category: v("category"),
      opening_hours: v("opening_hours"), phone: v("phone") };
    if (m.is_owner) {
      Object.assign(typed, { bank_bin: v("bank_bin"), account_number: v("account_number"), account_name: v("account_name") });
    }
    return changedFields(current, typed);
  };
  const confirm = confirmDialog(m);
  // Registered before submitForm's own listener, so that it can hold the submission back.
  form.addEventListener("submit", (event) => {
    if (!m.is_owner || m.status !== "verified" || checkAccount(form).length || !paymentChanged(collect())) return;
    event.preventDefault();
    event.stopImmediatePropagation();
    confirm.open(() => handle.submit());
  });
  const handle = submitForm(form, {
    status,
    validate: (f) => (m.is_owner ? checkAccount(f) : []),
    collect,
    send: (changes) => (Object.keys(changes).length
      ? api("PATCH", "/api/v1/merchants/" + m.id, changes) : Promise.resolve(null)),
    done: (updated) => {
      if (!updated) { status.appendChild(message("Chưa có gì thay đổi để lưu.")); return null; }
      flash = "Đã lưu thay đổi.";
      if (m.status === "verified" && updated.status !== "verified") {
        flash += " Cửa hàng đang «" + updated.status_label + "»: mã thanh toán tạm dừng tới khi phường xác minh lại.";
      }
      return reload();
    },
  });
  const details = h("details", { className: "edit-merchant" }, h("summary", null, "Sửa thông tin cửa hàng"), form);
  if (m.status === "rejected" || m.status === "suspended") details.open = true;
  return details;
}

/* The confirmation before payment details of a verified stall change. */
function confirmDialog(m) {
  const title = h("h2", { id: "confirm-payment-title", tabindex: "-1" }, "Đổi tài khoản nhận tiền?");
  const yes = h("button", { type: "button" }, "Đổi và chờ xác minh lại");
  const no = h("button", { type: "button", className: "secondary" }, "Không đổi");
  const dialog = h("dialog", { className: "modal", "aria-labelledby": "confirm-payment-title",
    "aria-describedby": "confirm-payment-text" },
    h("div", { className: "modal-body" }, title,
      h("p", { id: "confirm-payment-text" }, "Khi đổi ngân hàng, số tài khoản hoặc tên chủ tài khoản, cửa hàng «" + m.name
        + "» trở về trạng thái «" + label("merchant_status", "pending") + "». Mã VietQR và áp phích ngừng dùng được "
        + "cho tới khi phường xác minh lại tài khoản mới."),
      h("div", { className: "actions" }, yes, no)));
  let onYes = null;
  yes.addEventListener("click", () => { dialog.close(); dialog.remove(); if (onYes) onYes(); });
  no.addEventListener("click", () => { dialog.close(); dialog.remove(); });
  return {
    open(then) {
      onYes = then;
      document.body.appendChild(dialog);
      dialog.showModal();
      title.focus();
    },
  };
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
