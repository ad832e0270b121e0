/* An indicator's history as a line chart, pure (no DOM): where each day's point, the target line
   and the deadline fall in the chart's box, the axis ticks, and the sentence that says it in words.
   city/chart.js draws what this computes; tests/js/kpi-history.test.mjs checks it. */

import { displayValue, formatDay } from "./kpi.js";
import { formatNumber } from "../core/format.js";

export const DAY_MS = 86400000;

/** The chart's box (SVG user units): the plot sits inside the margins. */
export const BOX = { width: 360, height: 210, left: 48, right: 14, top: 18, bottom: 30 };

/** A deadline further than this after the last point is written beside the chart, not drawn on
    the time axis (the points would shrink to a dot). */
export const DEADLINE_REACH_DAYS = 120;

/** Two date labels on the time axis need this much room apart (each is "dd/mm"). */
export const MIN_TICK_GAP = 64;

/** The day number (days since 1970-01-01) of a date "YYYY-MM-DD", read as written. */
export function dayNumber(iso) {
  const [y, m, d] = String(iso).slice(0, 10).split("-").map(Number);
  return Date.UTC(y, m - 1, d) / DAY_MS;
}

/** The smallest of 1, 2, 2.5, 5 × 10^k that is at least `x` (1 for nothing). */
export function niceCeil(x) {
  if (!(x > 0)) return 1;
  const power = 10 ** Math.floor(Math.log10(x));
  for (const step of [1, 2, 2.5, 5, 10]) {
    if (step * power >= x - 1e-12) return step * power;
  }
  return 10 * power;
}

/** The value axis [low, high] for a unit: shares and flags 0–1 (more if a value exceeds 1),
    averages of stars 0–5, counts from 0 to a round number above the largest value or target. */
export function valueDomain(unit, values, target = null) {
  const known = values.filter((v) => v !== null && v !== undefined);
  const top = Math.max(0, ...known, target === null || target === undefined ? 0 : target);
  if (unit === "ratio" || unit === "flag") return [0, Math.max(1, niceCeil(top))];
  if (unit === "average") return [0, Math.max(5, niceCeil(top))];
  return [0, niceCeil(top)];
}

/** The values labelled on the value axis. */
export function valueTicks(unit, [low, high]) {
  if (unit === "flag" && high === 1) return [0, 1];
  if (unit === "average" && high === 5) return [0, 1, 2, 3, 4, 5];
  return [0, 1, 2, 3, 4].map((i) => low + ((high - low) * i) / 4);
}

/**
 * The time axis [first, last] in day numbers: from the first point to the last, stretched to the
 * deadline when it falls within DEADLINE_REACH_DAYS after the last point; a single day is
 * centred. `deadlineShown` says whether the deadline is on the axis.
 */
export function timeDomain(dates, deadline = null) {
  const days = dates.map(dayNumber);
  let first = Math.min(...days);
  let last = Math.max(...days);
  let deadlineShown = false;
  if (deadline) {
    const due = dayNumber(deadline);
    if (due >= first && due <= last + DEADLINE_REACH_DAYS) {
      last = Math.max(last, due);
      deadlineShown = true;
    }
  }
  if (first === last) {
    first -= 1;
    last += 1;
  }
  return { first, last, deadlineShown };
}

const round = (n) => Math.round(n * 100) / 100;

/**
 * Everything the line chart draws, in the box's units:
 * {points: [{x, y, date, value, status, status_label}] (days with a value), segments: [[points]]
 * (a day without a value breaks the line), targetY (null without a target), deadlineX (null when
 * the deadline is not on the axis), yTicks: [{y, value}], xTicks: [{x, date, until}] (`until`: the
 * last day, when one label says "from – to"), domain}.
 */
export function layout(history, box = BOX) {
  const items = history.items || [];
  const unit = history.unit || "ratio";
  const target = history.target ?? null;
  const domain = valueDomain(unit, items.map((i) => i.value), target);
  const time = timeDomain(items.map((i) => i.date), history.deadline);
  const plotW = box.width - box.left - box.right;
  const plotH = box.height - box.top - box.bottom;
  const x = (day) => round(box.left + ((day - time.first) / (time.last - time.first)) * plotW);
  const y = (value) => round(box.top + plotH - ((value - domain[0]) / (domain[1] - domain[0])) * plotH);

  const points = [];
  const segments = [];
  let run = [];
  for (const item of items) {
    if (item.value === null || item.value === undefined) {
      if (run.length) segments.push(run);
      run = [];
      continue;
    }
    const point = { x: x(dayNumber(item.date)), y: y(item.value), date: item.date, value: item.value,
      status: item.status, status_label: item.status_label };
    points.push(point);
    run.push(point);
  }
  if (run.length) segments.push(run);

  // The first and the last day are labelled; too close to be read apart, one label says both.
  const xTicks = [];
  if (items.length) {
    const firstItem = items[0];
    const lastItem = items[items.length - 1];
    const a = x(dayNumber(firstItem.date));
    const b = x(dayNumber(lastItem.date));
    if (lastItem.date === firstItem.date) xTicks.push({ x: a, date: firstItem.date, until: null });
    else if (b - a < MIN_TICK_GAP) xTicks.push({ x: a, date: firstItem.date, until: lastItem.date });
    else xTicks.push({ x: a, date: firstItem.date, until: null }, { x: b, date: lastItem.date, until: null });
  }
  return {
    points,
    segments,
    targetY: target === null ? null : y(Math.min(Math.max(target, domain[0]), domain[1])),
    deadlineX: time.deadlineShown ? x(dayNumber(history.deadline)) : null,
    yTicks: valueTicks(unit, domain).map((value) => ({ y: y(value), value })),
    xTicks,
    domain,
    box,
  };
}

/** An SVG path through the points of a segment ("M48,10L60,20"). */
export function pathOf(segment) {
  return segment.map((p, i) => (i ? "L" : "M") + p.x + "," + p.y).join("");
}

/** A value as people read it, in the history's unit. */
export function valueText(unit, value) {
  return displayValue({ value, unit: unit || "ratio" });
}

/**
 * The chart in words: "Từ 27/11/2026 đến 30/11/2026 (4 ngày có số liệu): từ 0% lên 100%. Mục tiêu 100%,
 * hạn 31/12/2026. Ngày 30/11/2026: Đạt."
 */
export function historySummary(history) {
  const items = history.items || [];
  if (!items.length) return "Chưa có số liệu theo ngày.";
  const unit = history.unit;
  const known = items.filter((i) => i.value !== null && i.value !== undefined);
  const first = items[0];
  const last = items[items.length - 1];
  const parts = [];
  let span = first.date === last.date ? "Ngày " + formatDay(first.date) : "Từ " + formatDay(first.date) + " đến " + formatDay(last.date);
  span += " (" + formatNumber(known.length) + " ngày có số liệu)";
  if (known.length >= 2) {
    const a = known[0].value;
    const b = known[known.length - 1].value;
    const words = b > a ? ["tăng từ ", " lên "] : b < a ? ["giảm từ ", " xuống "] : ["giữ nguyên ở ", null];
    parts.push(span + ": " + words[0] + valueText(unit, a) + (words[1] ? words[1] + valueText(unit, b) : "") + ".");
  } else if (known.length === 1) {
    parts.push(span + ": " + valueText(unit, known[0].value) + ".");
  } else {
    parts.push(span + ".");
  }
  if (history.target !== null && history.target !== undefined) {
    parts.push("Mục tiêu " + valueText(unit, history.target)
      + (history.deadline ? ", hạn " + formatDay(history.deadline) : ", không có hạn") + ".");
  } else {
    parts.push("Chỉ tiêu này không có mục tiêu, chỉ theo dõi.");
  }
  if (last.status_label) parts.push("Ngày " + formatDay(last.date) + ": " + last.status_label + ".");
  return parts.join(" ");
}
