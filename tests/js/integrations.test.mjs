// Open interfaces in the consoles: the wards an API client may read, and a webhook's delivery log.
import { test } from "node:test";
import assert from "node:assert/strict";
import { findWards, wardsText } from "../../web/static/js/city/clients.js";
import { attemptText } from "../../web/static/js/staff/webhooks.js";

const WARDS = [
  { code: "00070", name: "Phường Hoàn Kiếm", slug: "hoan-kiem" },
  { code: "00235", name: "Phường Đống Đa", slug: "dong-da" },
  { code: "00256", name: "Phường Kim Liên" },  // no slug: still found by name and code
];
const codes = (wards) => wards.map((w) => w.code);

test("the client's ward search ignores diacritics, case and word order", () => {
  assert.deepEqual(codes(findWards(WARDS, "hoan kiem")), ["00070"]);
  assert.deepEqual(codes(findWards(WARDS, "Kiếm HOÀN")), ["00070"]);
  assert.deepEqual(codes(findWards(WARDS, "dong da")), ["00235"]);
  assert.deepEqual(codes(findWards(WARDS, "kim lien")), ["00256"]);
  assert.deepEqual(codes(findWards(WARDS, "00256")), ["00256"]);
  assert.deepEqual(codes(findWards(WARDS, "phuong")), ["00070", "00235", "00256"]);
  assert.deepEqual(codes(findWards(WARDS, "hoan lien")), []);
  assert.deepEqual(codes(findWards(WARDS, " ")), ["00070", "00235", "00256"]);
});

const NAMES = new Map([
  ["00070", "Hoàn Kiếm"], ["00082", "Cửa Nam"], ["00235", "Đống Đa"], ["00256", "Kim Liên"], ["09619", "Sóc Sơn"],
]);

test("a client's wards read as names: all, up to three, or three and how many more", () => {
  assert.equal(wardsText("all", NAMES), "Tất cả phường, xã");
  assert.equal(wardsText(["00235"], NAMES), "Đống Đa");
  assert.equal(wardsText(["00070", "00082", "00235"], NAMES), "Hoàn Kiếm, Cửa Nam, Đống Đa");
  assert.equal(wardsText(["00070", "00082", "00235", "00256"], NAMES),
    "Hoàn Kiếm, Cửa Nam, Đống Đa và 1 phường, xã khác");
  assert.equal(wardsText(["00070", "00082", "00235", "00256", "09619"], NAMES),
    "Hoàn Kiếm, Cửa Nam, Đống Đa và 2 phường, xã khác");
  assert.equal(wardsText([], NAMES), "");
});

test("a ward the console does not know is shown by its code", () => {
  assert.equal(wardsText(["00070", "99999"], NAMES), "Hoàn Kiếm, 99999");
  assert.equal(wardsText(["00070"], new Map()), "00070");
});

test("a delivery attempt says when, what the receiver answered, and how long it took", () => {
  // Times are Hà Nội's (UTC+7).
  assert.equal(attemptText({ at: "2025-07-01T01:30:00Z", status_code: 503, error: null, duration_ms: 1250 }),
    "08:30, 01/07/2025 · Máy nhận trả lời 503 · 1.250 ms");
  assert.equal(attemptText({ at: "2025-07-01T01:30:00Z", status_code: 200, error: null, duration_ms: 87 }),
    "08:30, 01/07/2025 · Máy nhận trả lời 200 · 87 ms");
});

test("when the receiver never answered, the attempt shows why instead of a status", () => {
  const text = attemptText({ at: "2025-07-01T01:30:00Z", status_code: null,
    error: "Hết thời gian chờ (10 giây).", duration_ms: 10000 });
  assert.equal(text, "08:30, 01/07/2025 · Hết thời gian chờ (10 giây). · 10.000 ms");
  assert.ok(!text.includes("null"));
});
