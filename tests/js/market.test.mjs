// The market's rules as people meet them while typing: account numbers, account names as banks
// print them, amounts in đồng, and which edits touch where the money goes.
import { test } from "node:test";
import assert from "node:assert/strict";
import {
  changedFields, foldAccountName, MSG_ACCOUNT_NUMBER, normaliseAccountNumber, parseAmount, paymentChanged,
} from "../../web/static/js/pages/market-common.js";

test("account numbers are 6 to 19 digits; separators people copy are dropped, letters are not", () => {
  assert.equal(normaliseAccountNumber("0011 0044-55.667"), "0011004455667");
  assert.equal(normaliseAccountNumber("123456"), "123456");
  assert.equal(normaliseAccountNumber("12ab"), null);
  assert.equal(normaliseAccountNumber("12345"), null);
  assert.equal(normaliseAccountNumber("1".repeat(20)), null);
  assert.equal(normaliseAccountNumber(""), null);
  assert.match(MSG_ACCOUNT_NUMBER, /từ 6 đến 19 số/);
});

test("account names fold to upper-case ASCII like the server's", () => {
  assert.equal(foldAccountName("nguyễn văn an"), "NGUYEN VAN AN");
  assert.equal(foldAccountName("  Đặng   Thị  Ðào "), "DANG THI DAO");
  assert.equal(foldAccountName("Công ty TNHH Hoà Bình’s – 2"), "CONG TY TNHH HOA BINH'S - 2");
  assert.equal(foldAccountName(""), "");
});

test("amounts are whole đồng, written plain or grouped by thousands", () => {
  assert.deepEqual(parseAmount("45000"), { amount: 45000 });
  assert.deepEqual(parseAmount("45.000"), { amount: 45000 });
  assert.deepEqual(parseAmount(" 1 250 000 đ"), { amount: 1250000 });
  assert.deepEqual(parseAmount("45.000₫"), { amount: 45000 });
  assert.deepEqual(parseAmount("9.999.999.999"), { amount: 9999999999 });
  for (const bad of ["12ab", "4.5", "45,5", "-1", "1e5", "45.00"]) {
    assert.match(parseAmount(bad).error, /chỉ gồm chữ số/, bad);
  }
  for (const out of ["0", "10000000000"]) assert.match(parseAmount(out).error, /từ 1 đến 9\.999\.999\.999 đồng/, out);
  assert.equal(parseAmount("  ").error, "Hãy nhập số tiền.");
});

test("an edit sends only what changed, comparing payment details as they are stored", () => {
  const current = { name: "Phở gánh", category: null, bank_bin: "970436", account_number: "1234567890",
    account_name: "NGUYEN THI LAN" };
  assert.deepEqual(changedFields(current, { name: "Phở gánh", category: null, bank_bin: "970436",
    account_number: "1234 5678 90", account_name: "nguyễn thị lan" }), {});
  const renamed = changedFields(current, { name: "Phở gánh Hàng Chiếu", account_number: "1234567890" });
  assert.deepEqual(renamed, { name: "Phở gánh Hàng Chiếu" });
  assert.equal(paymentChanged(renamed), false);
  const moved = changedFields(current, { account_number: "9876 5432 10" });
  assert.deepEqual(moved, { account_number: "9876 5432 10" });
  assert.equal(paymentChanged(moved), true);
  assert.equal(paymentChanged(changedFields(current, { bank_bin: "970415" })), true);
});
