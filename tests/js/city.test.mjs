// The city console's pure rules: values as people read them, filters with or without
// diacritics, sorting with units lacking data last, the chart's counts.
import { test } from "node:test";
import assert from "node:assert/strict";
import {
  columnsOf, displayValue, filterRows, fold, nextSort, rowsOf, sortRows, statusCounts, targetText, unitOf, wrapText,
} from "../../web/static/js/city/kpi.js";

const plain = (text) => text.replace(/\s/g, " ");

function ind(id, value, status, extra = {}) {
  return { id, name: "Chỉ tiêu " + id, description: "", value, target: 0.7, status, numerator: 1, denominator: 2, ...extra };
}

const DATA = {
  items: [
    { ward: { code: "00070", name: "Phường Hoàn Kiếm", type: "phuong", slug: "hoan-kiem" },
      indicators: [ind("reach", 0.5, "not_met"), ind("people", 120, "info", { target: null, denominator: null })] },
    { ward: { code: "00004", name: "Phường Ba Đình", type: "phuong", slug: "ba-dinh" },
      indicators: [ind("reach", 0.9, "met"), ind("people", 3000, "info", { target: null, denominator: null })] },
    { ward: { code: "09000", name: "Xã Đông Anh", type: "xa", slug: "dong-anh" },
      indicators: [ind("reach", null, "no_data", { denominator: 0 }), ind("people", 0, "info", { target: null, denominator: null })] },
  ],
  summary: [],
};
const TYPES = { phuong: "Phường", xa: "Xã" };
const rows = rowsOf(DATA, (c) => TYPES[c]);

test("folding drops diacritics and đ, lower-cases and collapses spaces", () => {
  assert.equal(fold("  Phường  Hoàn Kiếm "), "phuong hoan kiem");
  assert.equal(fold("Đông Anh"), "dong anh");
  assert.equal(fold(null), "");
});

test("values read as a share, a count or a flag; no data is a dash", () => {
  assert.equal(unitOf(ind("a", 0.5, "met")), "ratio");
  assert.equal(unitOf({ denominator: null }), "people");
  assert.equal(unitOf({ unit: "flag", denominator: 1 }), "flag");
  assert.equal(plain(displayValue(ind("a", 0.125, "not_met"))), "12,5%");
  assert.equal(displayValue({ value: 1234, denominator: null }), "1.234");
  assert.equal(displayValue({ value: 1, unit: "flag" }), "Có");
  assert.equal(displayValue({ value: 0, unit: "flag" }), "Chưa");
  assert.equal(displayValue({ value: 4.25, unit: "average", denominator: 8 }), "4,25");
  assert.equal(targetText({ target: 4, unit: "average", denominator: 8 }), "Mục tiêu: 4");
  assert.equal(displayValue(ind("a", null, "no_data")), "—");
  assert.equal(plain(targetText({ target: 0.7, denominator: 3 })), "Mục tiêu: 70%");
  assert.equal(targetText({ target: null }), "");
});

test("columns follow the API's order of indicators", () => {
  assert.deepEqual(columnsOf(DATA).map((c) => [c.id, c.unit]), [["reach", "ratio"], ["people", "people"]]);
  assert.deepEqual(columnsOf({ items: [], summary: [{ id: "x", name: "X", target: 1 }] }).map((c) => c.id), ["x"]);
});

test("rows count the targets each unit misses", () => {
  assert.deepEqual(rows.map((r) => [r.code, r.typeLabel, r.notMet]), [
    ["00070", "Phường", 1], ["00004", "Phường", 0], ["09000", "Xã", 0]]);
});

test("the filter matches with or without diacritics, by type, and missed targets only", () => {
  assert.deepEqual(filterRows(rows, { q: "hoan kiem" }).map((r) => r.name), ["Phường Hoàn Kiếm"]);
  assert.deepEqual(filterRows(rows, { q: "Hoàn  Kiếm" }).map((r) => r.name), ["Phường Hoàn Kiếm"]);
  assert.deepEqual(filterRows(rows, { q: "dong" }).map((r) => r.name), ["Xã Đông Anh"]);
  assert.deepEqual(filterRows(rows, { q: "00004" }).map((r) => r.name), ["Phường Ba Đình"]);
  assert.deepEqual(filterRows(rows, { type: "xa" }).map((r) => r.code), ["09000"]);
  assert.deepEqual(filterRows(rows, { notMetOnly: true }).map((r) => r.code), ["00070"]);
  assert.equal(filterRows(rows, {}).length, 3);
});

test("sorting: names in Vietnamese order, values either way with no data last", () => {
  assert.deepEqual(sortRows(rows, "name", "ascending").map((r) => r.code), ["00004", "00070", "09000"]);
  assert.deepEqual(sortRows(rows, "name", "descending").map((r) => r.code), ["09000", "00070", "00004"]);
  assert.deepEqual(sortRows(rows, "ind:reach", "ascending").map((r) => r.code), ["00070", "00004", "09000"]);
  assert.deepEqual(sortRows(rows, "ind:reach", "descending").map((r) => r.code), ["00004", "00070", "09000"]);
  assert.deepEqual(sortRows(rows, "not_met", "descending").map((r) => r.code), ["00070", "00004", "09000"]);
  assert.deepEqual(sortRows(rows, "ind:people", "descending").map((r) => r.code), ["00004", "00070", "09000"]);
  assert.deepEqual(rows.map((r) => r.code), ["00070", "00004", "09000"], "the input is not reordered");
});

test("a header pressed again turns the order round", () => {
  assert.deepEqual(nextSort({ key: "name", dir: "ascending" }, "name"), { key: "name", dir: "descending" });
  assert.deepEqual(nextSort({ key: "name", dir: "ascending" }, "not_met"), { key: "not_met", dir: "descending" });
  assert.deepEqual(nextSort({ key: "name", dir: "ascending" }, "ind:reach"), { key: "ind:reach", dir: "ascending" });
});

test("the chart counts each status per indicator", () => {
  const counts = statusCounts(rows, columnsOf(DATA));
  assert.deepEqual(counts.reach, { met: 1, not_met: 1, no_data: 1, info: 0, total: 3 });
  assert.deepEqual(counts.people, { met: 0, not_met: 0, no_data: 0, info: 3, total: 3 });
});

test("chart labels wrap at spaces", () => {
  assert.deepEqual(wrapText("Thông báo chính thống đến được người dân", 20), ["Thông báo chính", "thống đến được người", "dân"]);
  assert.deepEqual(wrapText("", 10), []);
});
