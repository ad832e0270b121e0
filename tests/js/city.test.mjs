// The indicator consoles' pure rules: values as people read them, filters with or without
// diacritics and by status, units needing attention first, the chart's counts, the ward's
// indicators in order of attention, dates and the monthly report's month.
import { test } from "node:test";
import assert from "node:assert/strict";
import {
  attentionRank, attentionText, byAttention, columnsOf, DEFAULT_SORT, displayValue, filterRows, fold, formatDay, hasStatus,
  lastMonth, nextSort, reportUrl, rowsOf, sortRows, statusCounts, targetText, thisMonth, unitOf, wrapText,
} from "../../web/static/js/city/kpi.js";

const plain = (text) => text.replace(/\s/g, " ");

function ind(id, value, status, extra = {}) {
  return { id, name: "Chỉ tiêu " + id, description: "", value, target: 0.7, status, numerator: 1, denominator: 2, ...extra };
}

const DATA = {
  items: [
    { ward: { code: "00070", name: "Phường Hoàn Kiếm", type: "phuong", slug: "hoan-kiem" },
      indicators: [ind("reach", 0.5, "at_risk"), ind("qr", 0.2, "at_risk"),
        ind("people", 120, "info", { target: null, denominator: null })] },
    { ward: { code: "00004", name: "Phường Ba Đình", type: "phuong", slug: "ba-dinh" },
      indicators: [ind("reach", 0.9, "met"), ind("qr", 0.6, "on_track"),
        ind("people", 3000, "info", { target: null, denominator: null })] },
    { ward: { code: "09000", name: "Xã Đông Anh", type: "xa", slug: "dong-anh" },
      indicators: [ind("reach", null, "no_data", { denominator: 0 }), ind("qr", 0.1, "missed"),
        ind("people", 0, "info", { target: null, denominator: null })] },
    { ward: { code: "10000", name: "Xã An Khánh", type: "xa", slug: "an-khanh" },
      indicators: [ind("reach", 0.4, "at_risk"), ind("qr", 0.5, "on_track"),
        ind("people", 10, "info", { target: null, denominator: null })] },
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
  assert.equal(plain(displayValue(ind("a", 0.125, "at_risk"))), "12,5%");
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
  assert.deepEqual(columnsOf(DATA).map((c) => [c.id, c.unit]), [["reach", "ratio"], ["qr", "ratio"], ["people", "people"]]);
  assert.deepEqual(columnsOf({ items: [], summary: [{ id: "x", name: "X", target: 1 }] }).map((c) => c.id), ["x"]);
});

test("rows count each status, and the indicators that need attention (missed or at risk)", () => {
  assert.deepEqual(rows.map((r) => [r.code, r.typeLabel, r.attention]), [
    ["00070", "Phường", 2], ["00004", "Phường", 0], ["09000", "Xã", 1], ["10000", "Xã", 1]]);
  assert.deepEqual(rows[2].counts, { met: 0, on_track: 0, at_risk: 0, missed: 1, no_data: 1, info: 1 });
  assert.equal(attentionText(rows[0].counts), "2 có nguy cơ");
  assert.equal(attentionText({ missed: 1, at_risk: 3 }), "1 không đạt · 3 có nguy cơ");
  assert.equal(attentionText(rows[1].counts), "");
});

test("one missed target outranks any number at risk, and at risk outranks on track", () => {
  assert.ok(attentionRank({ missed: 1 }) > attentionRank({ at_risk: 10, on_track: 10 }));
  assert.ok(attentionRank({ at_risk: 1 }) > attentionRank({ on_track: 10 }));
  assert.ok(attentionRank({ on_track: 1 }) > attentionRank({ met: 5, no_data: 3, info: 2 }));
});

test("the table opens with the units that need attention first", () => {
  assert.deepEqual(DEFAULT_SORT, { key: "attention", dir: "descending" });
  // Đông Anh misses one; Hoàn Kiếm has two at risk; An Khánh one at risk (then on track); Ba Đình none.
  assert.deepEqual(sortRows(rows, DEFAULT_SORT.key, DEFAULT_SORT.dir).map((r) => r.code), ["09000", "00070", "10000", "00004"]);
  assert.deepEqual(sortRows(rows, "attention", "ascending").map((r) => r.code), ["00004", "10000", "00070", "09000"]);
});

test("the filter by status: any indicator, one indicator, or those needing attention", () => {
  assert.deepEqual(filterRows(rows, { status: "missed" }).map((r) => r.code), ["09000"]);
  assert.deepEqual(filterRows(rows, { status: "at_risk" }).map((r) => r.code), ["00070", "10000"]);
  assert.deepEqual(filterRows(rows, { status: "attention" }).map((r) => r.code), ["00070", "09000", "10000"]);
  assert.deepEqual(filterRows(rows, { status: "on_track", indicator: "qr" }).map((r) => r.code), ["00004", "10000"]);
  assert.deepEqual(filterRows(rows, { status: "at_risk", indicator: "qr" }).map((r) => r.code), ["00070"]);
  assert.deepEqual(filterRows(rows, { status: "attention", type: "xa" }).map((r) => r.code), ["09000", "10000"]);
  assert.equal(filterRows(rows, { status: "met", indicator: "nope" }).length, 0);
  assert.ok(hasStatus(rows[0], ""));
});

test("the filter matches with or without diacritics, and by type", () => {
  assert.deepEqual(filterRows(rows, { q: "hoan kiem" }).map((r) => r.name), ["Phường Hoàn Kiếm"]);
  assert.deepEqual(filterRows(rows, { q: "Hoàn  Kiếm" }).map((r) => r.name), ["Phường Hoàn Kiếm"]);
  assert.deepEqual(filterRows(rows, { q: "dong anh" }).map((r) => r.name), ["Xã Đông Anh"]);
  assert.deepEqual(filterRows(rows, { q: "00004" }).map((r) => r.name), ["Phường Ba Đình"]);
  assert.deepEqual(filterRows(rows, { type: "xa" }).map((r) => r.code), ["09000", "10000"]);
  assert.equal(filterRows(rows, {}).length, 4);
});

test("sorting: names in Vietnamese order, values either way with no data last", () => {
  const few = rows.slice(0, 3);
  assert.deepEqual(sortRows(few, "name", "ascending").map((r) => r.code), ["00004", "00070", "09000"]);
  assert.deepEqual(sortRows(few, "name", "descending").map((r) => r.code), ["09000", "00070", "00004"]);
  assert.deepEqual(sortRows(few, "ind:reach", "ascending").map((r) => r.code), ["00070", "00004", "09000"]);
  assert.deepEqual(sortRows(few, "ind:reach", "descending").map((r) => r.code), ["00004", "00070", "09000"]);
  assert.deepEqual(sortRows(few, "ind:people", "descending").map((r) => r.code), ["00004", "00070", "09000"]);
  assert.deepEqual(rows.map((r) => r.code), ["00070", "00004", "09000", "10000"], "the input is not reordered");
});

test("a header pressed again turns the order round", () => {
  assert.deepEqual(nextSort({ key: "name", dir: "ascending" }, "name"), { key: "name", dir: "descending" });
  assert.deepEqual(nextSort({ key: "name", dir: "ascending" }, "attention"), { key: "attention", dir: "descending" });
  assert.deepEqual(nextSort(DEFAULT_SORT, "attention"), { key: "attention", dir: "ascending" });
  assert.deepEqual(nextSort({ key: "name", dir: "ascending" }, "ind:reach"), { key: "ind:reach", dir: "ascending" });
});

test("the chart counts each status per indicator", () => {
  const counts = statusCounts(rows, columnsOf(DATA));
  assert.deepEqual(counts.reach, { met: 1, on_track: 0, at_risk: 2, missed: 0, no_data: 1, info: 0, total: 4 });
  assert.deepEqual(counts.qr, { met: 0, on_track: 2, at_risk: 1, missed: 1, no_data: 0, info: 0, total: 4 });
  assert.deepEqual(counts.people, { met: 0, on_track: 0, at_risk: 0, missed: 0, no_data: 0, info: 4, total: 4 });
});

test("chart labels wrap at spaces", () => {
  assert.deepEqual(wrapText("Thông báo chính thống đến được người dân", 20), ["Thông báo chính", "thống đến được người", "dân"]);
  assert.deepEqual(wrapText("", 10), []);
});

test("a ward's indicators in order of attention, the API's order kept within a status", () => {
  const list = [
    { id: "a", status: "met" }, { id: "b", status: "info" }, { id: "c", status: "at_risk" }, { id: "d", status: "no_data" },
    { id: "e", status: "on_track" }, { id: "f", status: "missed" }, { id: "g", status: "at_risk" }, { id: "h", status: "odd" },
  ];
  assert.deepEqual(byAttention(list).map((i) => i.id), ["f", "c", "g", "e", "d", "a", "b", "h"]);
  assert.deepEqual(list.map((i) => i.id).join(""), "abcdefgh", "the input is not reordered");
});

test("dates read as written; the report's month is the last whole month in Hà Nội", () => {
  assert.equal(formatDay("2026-12-31"), "31/12/2026");
  assert.equal(formatDay(null), "");
  // 30 November 2026, 18:00 UTC is already 1 December in Hà Nội.
  assert.equal(lastMonth(new Date("2026-11-30T18:00:00Z")), "2026-11");
  assert.equal(thisMonth(new Date("2026-11-30T18:00:00Z")), "2026-12");
  assert.equal(lastMonth(new Date("2026-11-30T16:00:00Z")), "2026-10");
  assert.equal(lastMonth(new Date("2027-01-05T00:00:00Z")), "2026-12");
  assert.equal(reportUrl("00070", "2026-11"), "/api/v1/kpi/report.pdf?ward=00070&month=2026-11");
});
