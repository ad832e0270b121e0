/* What the market pages share: the zones this ward's market module shows, the rules people meet
   when they type payment details and amounts (pure functions, the server's rules restated for
   immediate feedback: the server checks again and has the last word), and the payment-account
   fields of the registration and edit forms. */

import { h } from "../core/dom.js";
import { api } from "../core/api.js";
import { formatMoney } from "../core/format.js";
import { state, moduleById } from "./shell.js";

/** The ward's market zones, limited to those the module's settings name (if any). */
export function zones() {
  return api("GET", "/api/v1/wards/" + state.ward.code + "/market-zones?limit=200").then((data) => {
    const m = moduleById("market");
    const wanted = (m && m.settings && m.settings.zone_ids) || [];
    return wanted.length ? data.items.filter((z) => wanted.includes(z.id)) : data.items;
  });
}

export const ACCOUNT_MIN = 6;
export const ACCOUNT_MAX = 19;
export const AMOUNT_MAX = 9999999999;
export const MSG_ACCOUNT_NUMBER = "Số tài khoản chỉ gồm chữ số, từ " + ACCOUNT_MIN + " đến " + ACCOUNT_MAX + " số.";
export const MSG_AMOUNT_RANGE = "Số tiền phải từ 1 đến 9.999.999.999 đồng.";
export const MSG_AMOUNT_FORMAT = "Số tiền chỉ gồm chữ số (đồng, không có phần lẻ), ví dụ 45000 hoặc 45.000.";
export const MSG_AMOUNT_REQUIRED = "Hãy nhập số tiền.";

/** An account number as the server keeps it (spaces, dots, dashes dropped), or null if it breaks the rule. */
export function normaliseAccountNumber(text) {
  const compact = String(text || "").replace(/[\s.\-]/g, "");
  return new RegExp("^[0-9]{" + ACCOUNT_MIN + "," + ACCOUNT_MAX + "}$").test(compact) ? compact : null;
}

const HAND_FOLDS = { "đ": "d", "Đ": "D", "Ð": "D", "’": "'", "‘": "'", "–": "-" };

/** An account name as banks print it: upper-case ASCII, "nguyễn văn an" -> "NGUYEN VAN AN". */
export function foldAccountName(text) {
  return String(text || "")
    .replace(/[đĐÐ’‘–]/g, (ch) => HAND_FOLDS[ch])
    .normalize("NFD")
    .replace(/\p{Mn}/gu, "")
    .replace(/\s+/g, " ")
    .trim()
    .toUpperCase();
}

/**
 * Read an amount in đồng as people type it ("45000", "45.000", "45 000", "45.000 đ"):
 * {amount} or {error} (a Vietnamese message). Dots and spaces may only group thousands.
 */
export function parseAmount(text) {
  const raw = String(text || "").trim().replace(/\s*(đồng|đ|₫|vnđ|vnd)$/i, "");
  if (!raw) return { error: MSG_AMOUNT_REQUIRED };
  const plain = raw.replace(/[\s\u00a0]+/g, ".");  // "45 000" groups thousands like "45.000"
  if (!/^[0-9]+$/.test(plain) && !/^[0-9]{1,3}(\.[0-9]{3})+$/.test(plain)) return { error: MSG_AMOUNT_FORMAT };
  const amount = Number(plain.replace(/\./g, ""));
  if (!Number.isSafeInteger(amount) || amount < 1 || amount > AMOUNT_MAX) return { error: MSG_AMOUNT_RANGE };
  return { amount };
}

/** "45.000 ₫" for an amount in đồng. */
export function amountText(amount) {
  return formatMoney(amount);
}

const PAYMENT_KEYS = ["bank_bin", "account_number", "account_name"];

/**
 * The fields of `edited` that differ from the merchant `current` (account number and name
 * compared as the server would store them), so that a PATCH sends only real changes.
 */
export function changedFields(current, edited) {
  const out = {};
  for (const [key, value] of Object.entries(edited)) {
    let before = current[key] ?? null;
    let after = value ?? null;
    if (key === "account_number") { before = normaliseAccountNumber(before) ?? before; after = normaliseAccountNumber(after) ?? after; }
    if (key === "account_name") { before = foldAccountName(before); after = foldAccountName(after); }
    if (before !== after) out[key] = value;
  }
  return out;
}

/** Whether a change touches where the money goes (bank, account number or name). */
export function paymentChanged(changes) {
  return PAYMENT_KEYS.some((key) => key in changes);
}

/* --- DOM: the payment account fieldset, shared by registration and editing --- */

/** A label, an input and an optional hint (the hint describes the input). */
export function field(id, labelText, attrs, hint) {
  const input = h("input", Object.assign({ id, name: id, "data-field": id }, attrs || {},
    hint ? { "aria-describedby": id + "-hint" } : {}));
  return [h("label", { for: id }, labelText), input, hint ? h("p", { className: "hint", id: id + "-hint" }, hint) : null];
}

/**
 * "Tài khoản nhận tiền": bank, account number (digits only, 6–19) and account name with a live
 * preview of how it will be printed. `values` prefills (editing); `prefix` keeps ids unique.
 */
export function accountFieldset(banks, values = {}, prefix = "") {
  const id = (name) => prefix + name;
  const select = h("select", { id: id("bank_bin"), name: "bank_bin", "data-field": "bank_bin", required: true },
    h("option", { value: "" }, "— Chọn ngân hàng —"),
    banks.map((b) => h("option", { value: b.bin }, b.label + " (" + b.bin + ")")));
  if (values.bank_bin) select.value = values.bank_bin;
  const number = field(id("account_number"), "Số tài khoản", { name: "account_number", "data-field": "account_number",
    required: true, maxlength: "30", inputmode: "numeric", autocomplete: "off", value: values.account_number || null },
    "Chỉ gồm chữ số, từ " + ACCOUNT_MIN + " đến " + ACCOUNT_MAX + " số; dấu cách, dấu chấm, gạch ngang giữa các nhóm số được bỏ đi.");
  const name = field(id("account_name"), "Tên chủ tài khoản", { name: "account_name", "data-field": "account_name",
    required: true, maxlength: "70", autocomplete: "off", value: values.account_name || null },
    "Ghi như ngân hàng in trên thẻ: chữ in hoa, không dấu. Bạn gõ có dấu cũng được, hệ thống tự đổi.");
  const nameInput = name[1];
  const preview = h("output", { className: "account-preview", id: id("account_name-preview"), for: id("account_name") });
  const previewLine = h("p", { className: "hint" }, "Tên sẽ in trên mã QR: ", preview);
  nameInput.setAttribute("aria-describedby", id("account_name") + "-hint " + id("account_name-preview"));
  const showPreview = () => { preview.textContent = foldAccountName(nameInput.value) || "—"; };
  nameInput.addEventListener("input", showPreview);
  showPreview();
  return h("fieldset", null, h("legend", null, "Tài khoản nhận tiền"),
    h("label", { for: id("bank_bin") }, "Ngân hàng"), select, number, name, previewLine);
}

/** Check the account number before sending: [{field, message}] (the server checks again). */
export function checkAccount(form) {
  const input = form.querySelector("[data-field=account_number]");
  if (!input || !input.value.trim() || normaliseAccountNumber(input.value)) return [];
  return [{ field: "account_number", message: MSG_ACCOUNT_NUMBER }];
}
