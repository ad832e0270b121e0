// The feed's filters in the address, and phone numbers found in a notice's text.
import { test } from "node:test";
import assert from "node:assert/strict";
import { feedFilters, feedQuery, splitPhones } from "../../web/static/js/pages/notices-common.js";

test("filters are read from the query string, trimmed", () => {
  assert.deepEqual(feedFilters("?q=%20ch%E1%BB%A3%20&category=y_te"), { q: "chợ", category: "y_te" });
  assert.deepEqual(feedFilters(""), { q: "", category: "" });
});

test("the query string leaves empty filters out and keeps paging", () => {
  assert.equal(feedQuery({ q: " ", category: "" }), "");
  assert.equal(feedQuery({ q: "cắt điện", category: "" }), "q=c%E1%BA%AFt+%C4%91i%E1%BB%87n");
  assert.equal(feedQuery({ q: "", category: "y_te" }, { limit: 50, cursor: null }), "category=y_te&limit=50");
  const back = feedFilters("?" + feedQuery({ q: "Hàng Bạc", category: "khac" }));
  assert.deepEqual(back, { q: "Hàng Bạc", category: "khac" });
});

test("phone numbers are found as written", () => {
  assert.deepEqual(splitPhones("Gọi 0912 345 678 hoặc 024.3825.1234."), [
    { text: "Gọi " }, { phone: "0912 345 678" }, { text: " hoặc " }, { phone: "024.3825.1234" }, { text: "." },
  ]);
  assert.deepEqual(splitPhones("+84912345678"), [{ phone: "+84912345678" }]);
  assert.deepEqual(splitPhones("Tổng đài 1900 1234"), [{ text: "Tổng đài " }, { phone: "1900 1234" }]);
});

test("dates, times, amounts and short numbers are not phones", () => {
  for (const text of ["Ngày 05.07.2025 lúc 08:30", "Số tiền 1.200.000 đồng", "Gọi 113", "Mã 01234", "2025"]) {
    assert.deepEqual(splitPhones(text), [{ text }], text);
  }
  assert.deepEqual(splitPhones(""), []);
});
