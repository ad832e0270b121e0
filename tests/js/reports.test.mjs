import { test } from "node:test";
import assert from "node:assert/strict";
import {
  boardFilters, boardQuery, inHanoi, parseCoord, photoProblems, roundCoord, fileSize, isOpen, locationError,
} from "../../web/static/js/pages/report-model.js";

test("board filters are read from the address, unknown statuses dropped", () => {
  assert.deepEqual(boardFilters("?status=closed&category=rac_thai&overdue=1"),
    { status: "closed", category: "rac_thai", overdue: true });
  assert.deepEqual(boardFilters("?status=nope"), { status: "", category: "", overdue: false });
  assert.equal(boardFilters("").status, "");
});

test("board query: short in the address, the API's words for the API", () => {
  const f = { status: "open", category: "", overdue: true };
  assert.equal(boardQuery(f), "status=open&overdue=1");
  assert.equal(boardQuery(f, { api: true, limit: 20, cursor: "abc" }), "status=open&overdue=true&limit=20&cursor=abc");
  assert.equal(boardQuery({ status: "", category: "", overdue: false }), "");
});

test("positions are rounded to 4 decimals and must lie in Hà Nội", () => {
  assert.equal(roundCoord(21.02851), 21.0285);
  assert.equal(roundCoord(105.85426), 105.8543);
  assert.ok(inHanoi(21.0285, 105.8542));
  assert.ok(!inHanoi(10.7769, 106.7009));  // Thành phố Hồ Chí Minh
  assert.ok(!inHanoi(NaN, 105.8));
});

test("typed coordinates accept a comma or a dot, nothing else", () => {
  assert.equal(parseCoord("21,0285"), 21.0285);
  assert.equal(parseCoord(" 105.8542 "), 105.8542);
  assert.ok(Number.isNaN(parseCoord("21°01'")));
  assert.ok(Number.isNaN(parseCoord("")));
});

test("photos: at most 5, images only, 10 MB each", () => {
  const photo = (name, size, type = "image/jpeg") => ({ name, size, type });
  assert.deepEqual(photoProblems([photo("a.jpg", 1000)]), []);
  assert.equal(photoProblems(Array.from({ length: 6 }, (_, i) => photo(i + ".jpg", 10))).length, 1);
  assert.match(photoProblems([photo("a.pdf", 10, "application/pdf")])[0].message, /không phải là ảnh/);
  assert.match(photoProblems([photo("big.jpg", 11 * 1024 * 1024)])[0].message, /lớn hơn 10 MB/);
  assert.deepEqual(photoProblems(null), []);
});

test("small helpers", () => {
  assert.equal(fileSize(1536 * 1024), "1,5 MB");
  assert.equal(fileSize(300), "1 KB");
  assert.ok(isOpen("acknowledged"));
  assert.ok(!isOpen("resolved"));
  assert.match(locationError(1), /chưa cho phép/);
});
