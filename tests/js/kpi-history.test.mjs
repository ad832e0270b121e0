// An indicator's history as a line chart: the value axis by unit, the time axis stretched to a
// near deadline, points placed in the box, breaks on days without a value, and the summary in words.
import { test } from "node:test";
import assert from "node:assert/strict";
import {
  BOX, dayNumber, historySummary, layout, niceCeil, pathOf, timeDomain, valueDomain, valueTicks,
} from "../../web/static/js/city/series.js";

const plain = (text) => text.replace(/\s/g, " ");

function point(date, value, status = "at_risk") {
  return { date, value, target: 1, status, status_label: { at_risk: "Có nguy cơ không đạt", on_track: "Đúng tiến độ", met: "Đạt" }[status] };
}

const HISTORY = {
  ward: { code: "00070", name: "Phường Hoàn Kiếm" },
  indicator: "merchant_payment_qr",
  name: "Hộ kinh doanh có mã QR",
  unit: "ratio",
  target: 1,
  deadline: "2026-12-31",
  items: [point("2026-11-27", 0), point("2026-11-28", 0.5, "on_track"), point("2026-11-29", null), point("2026-11-30", 1, "met")],
};

test("day numbers count whole days, whatever the time zone", () => {
  assert.equal(dayNumber("2026-11-28") - dayNumber("2026-11-27"), 1);
  assert.equal(dayNumber("2027-01-01") - dayNumber("2026-12-31"), 1);
  assert.equal(dayNumber("1970-01-01"), 0);
});

test("round ceilings for counts", () => {
  assert.deepEqual([0, 0.3, 1, 3, 7, 12, 240, 2600].map(niceCeil), [1, 0.5, 1, 5, 10, 20, 250, 5000]);
});

test("the value axis: shares 0–100%, stars 0–5, counts up to a round number above the values and target", () => {
  assert.deepEqual(valueDomain("ratio", [0.2, 0.5], 0.7), [0, 1]);
  assert.deepEqual(valueDomain("ratio", [1.4], 1), [0, 2]);
  assert.deepEqual(valueDomain("flag", [0, 1], 1), [0, 1]);
  assert.deepEqual(valueDomain("average", [4.2, null], null), [0, 5]);
  assert.deepEqual(valueDomain("people", [3, 17, null], null), [0, 20]);
  assert.deepEqual(valueDomain("people", [3], 40), [0, 50]);
  assert.deepEqual(valueDomain("people", [], null), [0, 1]);
  assert.deepEqual(valueTicks("ratio", [0, 1]), [0, 0.25, 0.5, 0.75, 1]);
  assert.deepEqual(valueTicks("flag", [0, 1]), [0, 1]);
  assert.deepEqual(valueTicks("average", [0, 5]), [0, 1, 2, 3, 4, 5]);
  assert.deepEqual(valueTicks("people", [0, 20]), [0, 5, 10, 15, 20]);
});

test("the time axis runs to a near deadline, not to a far one; one day is centred", () => {
  const near = timeDomain(["2026-11-27", "2026-11-30"], "2026-12-31");
  assert.equal(near.last - near.first, 34);
  assert.equal(near.deadlineShown, true);
  const far = timeDomain(["2026-11-27", "2026-11-30"], "2030-12-31");
  assert.equal(far.last - far.first, 3);
  assert.equal(far.deadlineShown, false);
  const past = timeDomain(["2027-01-02", "2027-01-05"], "2026-12-31");
  assert.equal(past.deadlineShown, false);
  const one = timeDomain(["2026-11-30"], null);
  assert.equal(one.last - one.first, 2);
});

test("points fall in the box: first at the left, values up the axis, a day without value breaks the line", () => {
  const L = layout(HISTORY);
  const plotW = BOX.width - BOX.left - BOX.right;
  const bottom = BOX.height - BOX.bottom;
  assert.equal(L.points.length, 3);
  assert.equal(L.points[0].x, BOX.left);
  assert.equal(L.points[0].y, bottom);
  assert.equal(L.points[2].y, BOX.top);
  assert.ok(Math.abs(L.points[1].y - (BOX.top + bottom) / 2) < 0.01);
  // 1 day and 3 days of 34 across the plot.
  assert.ok(Math.abs(L.points[1].x - (BOX.left + plotW / 34)) < 0.01);
  assert.ok(Math.abs(L.points[2].x - (BOX.left + (3 * plotW) / 34)) < 0.01);
  assert.deepEqual(L.segments.map((s) => s.length), [2, 1]);
  assert.equal(L.targetY, BOX.top);
  assert.equal(L.deadlineX, BOX.width - BOX.right);
  // Three days of 34 are too close for two labels: one says both.
  assert.deepEqual(L.xTicks.map((t) => [t.date, t.until]), [["2026-11-27", "2026-11-30"]]);
  assert.equal(L.yTicks.length, 5);
  assert.equal(L.points[2].status, "met");
  assert.match(pathOf(L.segments[0]), /^M48,\d+(\.\d+)?L\d+(\.\d+)?,\d+(\.\d+)?$/);
  for (const p of L.points) {
    assert.ok(p.x >= BOX.left && p.x <= BOX.width - BOX.right && p.y >= BOX.top && p.y <= bottom, JSON.stringify(p));
  }
});

test("no target, no target line; a deadline far away is not on the axis", () => {
  const L = layout({ ...HISTORY, unit: "people", target: null, deadline: "2031-01-01",
    items: [point("2026-11-29", 4), point("2026-11-30", 8)] });
  assert.equal(L.targetY, null);
  assert.equal(L.deadlineX, null);
  assert.deepEqual(L.domain, [0, 10]);
  assert.equal(L.points[1].x, BOX.width - BOX.right);
  assert.deepEqual(L.xTicks.map((t) => [t.x, t.date, t.until]), [[BOX.left, "2026-11-29", null], [BOX.width - BOX.right, "2026-11-30", null]]);
  const one = layout({ ...HISTORY, items: [point("2026-11-30", 0.5)], deadline: null });
  assert.deepEqual(one.xTicks.map((t) => t.until), [null]);
  assert.equal(one.points[0].x, BOX.left + (BOX.width - BOX.left - BOX.right) / 2);
});

test("the chart in words: the span, the change, the target with its deadline, the last status", () => {
  assert.equal(plain(historySummary(HISTORY)), "Từ 27/11/2026 đến 30/11/2026 (3 ngày có số liệu): tăng từ 0% lên 100%. "
    + "Mục tiêu 100%, hạn 31/12/2026. Ngày 30/11/2026: Đạt.");
  assert.equal(plain(historySummary({ ...HISTORY, items: [point("2026-11-30", 0.25)] })),
    "Ngày 30/11/2026 (1 ngày có số liệu): 25%. Mục tiêu 100%, hạn 31/12/2026. Ngày 30/11/2026: Có nguy cơ không đạt.");
  assert.equal(historySummary({ ...HISTORY, unit: "people", target: null, deadline: null,
    items: [{ date: "2026-11-29", value: 9, status: "info" }, { date: "2026-11-30", value: 4, status: "info" }] }),
  "Từ 29/11/2026 đến 30/11/2026 (2 ngày có số liệu): giảm từ 9 xuống 4. Chỉ tiêu này không có mục tiêu, chỉ theo dõi.");
  assert.equal(historySummary({ ...HISTORY, items: [] }), "Chưa có số liệu theo ngày.");
});
