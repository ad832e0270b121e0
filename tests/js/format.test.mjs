// Formatting for people in Việt Nam: times shown in Asia/Ho_Chi_Minh, money in đồng.
import { test } from "node:test";
import assert from "node:assert/strict";
import {
  capitalize, formatDate, formatDateTime, formatMoney, formatNumber, formatPercent, localToIso,
} from "../../web/static/js/core/format.js";

const plain = (text) => text.replace(/\s/g, " ");

test("times are shown in Hà Nội, whatever the offset they come with", () => {
  assert.equal(formatDate("2025-07-01T17:30:00Z"), "02/07/2025");
  assert.equal(formatDateTime("2025-07-01T17:30:00Z"), "00:30, 02/07/2025");
  assert.equal(formatDateTime("2025-07-02T00:30:00+07:00"), "00:30, 02/07/2025");
});

test("nothing formats to nothing", () => {
  assert.equal(formatDate(null), "");
  assert.equal(formatDateTime(undefined), "");
});

test("money is in đồng with dots between thousands", () => {
  assert.equal(plain(formatMoney(45000)), "45.000 ₫");
  assert.equal(formatNumber(1234567), "1.234.567");
  assert.equal(formatNumber(undefined), "0");
  assert.equal(plain(formatPercent(0.125)), "12,5%");
});

test("a datetime-local value is read as Hà Nội time", () => {
  assert.equal(localToIso("2099-12-31T17:00"), "2099-12-31T17:00:00+07:00");
  assert.equal(localToIso(""), null);
});

test("capitalize upper-cases the first letter only", () => {
  assert.equal(capitalize("tổ trưởng"), "Tổ trưởng");
  assert.equal(capitalize(""), "");
});
