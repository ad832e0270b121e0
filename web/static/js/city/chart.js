/* The indicator consoles' charts, drawn in SVG (no library):
   - statusChart: for each indicator, how many units are in each status, as a stacked bar;
   - historyChart: one unit's indicator day by day, as a line, with the target as a dashed line
     and the deadline marked (the geometry comes from series.js).
   Each SVG is one image for assistive technology (role="img"), named by its title and described
   by a sentence in the page; the history also has a table of its points. */

import { h } from "../core/dom.js";
import { formatNumber } from "../core/format.js";
import { label } from "../core/labels.js";
import { STATUSES, formatDay, wrapText } from "./kpi.js";
import { historySummary, layout, pathOf, valueText } from "./series.js";

const NS = "http://www.w3.org/2000/svg";
const WIDTH = 360;
const PAD = 4;
const LINE = 16;
const BAR = 22;
const GAP = 14;
const WRAP = 46;  // characters a line of 13px text holds in 352 units

function svg(tag, attrs, text) {
  const node = document.createElementNS(NS, tag);
  for (const [key, value] of Object.entries(attrs || {})) node.setAttribute(key, String(value));
  if (text !== undefined) node.textContent = text;
  return node;
}

/** "12 Đạt, 100 Có nguy cơ không đạt, 14 Chưa có số liệu" for one indicator's counts (statuses with none left out). */
export function countsSentence(counts) {
  return STATUSES.filter((s) => counts[s]).map((s) => formatNumber(counts[s]) + " " + label("kpi_status", s)).join(", ")
    || "không có đơn vị nào";
}

/**
 * The chart as a <figure>: the SVG (role="img"), a legend and the text description.
 * `columns` are the indicators, `counts` from statusCounts(), `shown` how many units they cover.
 */
export function statusChart(columns, counts, shown) {
  const root = svg("svg", { role: "img", "aria-labelledby": "kpi-chart-title", "aria-describedby": "kpi-chart-desc",
    class: "kpi-chart", focusable: "false" });
  root.appendChild(svg("title", { id: "kpi-chart-title" }, "Biểu đồ: số đơn vị theo trạng thái của từng chỉ tiêu"));
  let y = PAD;
  for (const col of columns) {
    const c = counts[col.id];
    for (const line of wrapText(col.name, WRAP)) {
      y += LINE;
      root.appendChild(svg("text", { x: PAD, y: y - 4, class: "kpi-chart-label" }, line));
    }
    const total = c.total || 1;
    let x = PAD;
    const span = WIDTH - 2 * PAD;
    root.appendChild(svg("rect", { x: PAD, y, width: span, height: BAR, class: "kpi-chart-track" }));
    for (const status of STATUSES) {
      if (!c[status]) continue;
      const w = (c[status] / total) * span;
      root.appendChild(svg("rect", { x: x.toFixed(2), y, width: w.toFixed(2), height: BAR, class: "kpi-" + status }));
      if (w >= 26) {
        root.appendChild(svg("text", { x: (x + w / 2).toFixed(2), y: y + BAR / 2 + 4.5, class: "kpi-chart-count",
          "text-anchor": "middle" }, formatNumber(c[status])));
      }
      x += w;
    }
    y += BAR + GAP;
  }
  root.setAttribute("viewBox", "0 0 " + WIDTH + " " + Math.max(y, 1));

  const legend = h("ul", { className: "kpi-legend", "aria-hidden": "true" }, STATUSES.filter((s) => columns.some((col) => counts[col.id][s]))
    .map((s) => h("li", null, h("span", { className: "kpi-swatch kpi-" + s }), label("kpi_status", s))));
  const description = h("p", { id: "kpi-chart-desc", className: "meta" },
    "Trên " + formatNumber(shown) + " đơn vị đang hiện: "
    + columns.map((col) => "«" + col.name + "»: " + countsSentence(counts[col.id])).join("; ") + ".");
  return h("figure", { className: "kpi-figure" },
    h("figcaption", null, h("h3", { id: "kpi-chart-heading" }, "Trạng thái theo từng chỉ tiêu")),
    root, legend, description);
}

/**
 * One unit's indicator over time as a <figure>: the line chart (role="img"), a legend, the chart
 * in words and, in a disclosure, a table of every day. `history` is the answer of
 * GET /api/v1/kpi/history; `id` prefixes the ids (two charts may share a page).
 */
export function historyChart(history, id = "kpi-history") {
  const items = history.items || [];
  const unitName = history.ward && history.ward.name ? " – " + history.ward.name : "";
  const title = "Diễn biến: " + history.name + unitName;
  const caption = h("figcaption", null, h("h4", { id: id + "-heading", tabindex: "-1" }, history.name + unitName));
  if (!items.length) {
    return h("figure", { className: "kpi-figure kpi-history", id },
      caption, h("p", { className: "notice message", role: "status" }, "Chưa có số liệu theo ngày cho chỉ tiêu này. "
        + "Hệ thống ghi lại các chỉ tiêu mỗi ngày; hãy xem lại sau."));
  }
  const L = layout(history);
  const { width, height, left, right, top, bottom } = L.box;
  const root = svg("svg", { role: "img", "aria-labelledby": id + "-title", "aria-describedby": id + "-desc",
    class: "kpi-line-chart", viewBox: "0 0 " + width + " " + height, focusable: "false" });
  root.appendChild(svg("title", { id: id + "-title" }, title));
  for (const tick of L.yTicks) {
    root.appendChild(svg("line", { x1: left, x2: width - right, y1: tick.y, y2: tick.y, class: "kpi-grid" }));
    root.appendChild(svg("text", { x: left - 6, y: tick.y + 4, class: "kpi-axis", "text-anchor": "end" },
      valueText(history.unit, tick.value)));
  }
  for (const [i, tick] of L.xTicks.entries()) {
    const text = formatDay(tick.date).slice(0, 5) + (tick.until ? "–" + formatDay(tick.until).slice(0, 5) : "");
    const anchor = tick.until || L.xTicks.length > 1 ? (i ? "end" : "start") : "middle";
    root.appendChild(svg("text", { x: tick.x, y: height - bottom + 18, class: "kpi-axis", "text-anchor": anchor }, text));
  }
  if (L.deadlineX !== null) {
    root.appendChild(svg("line", { x1: L.deadlineX, x2: L.deadlineX, y1: top - 4, y2: height - bottom,
      class: "kpi-deadline-line" }));
    root.appendChild(svg("text", { x: L.deadlineX - 3, y: top - 7, class: "kpi-axis kpi-deadline-text",
      "text-anchor": "end" }, "Hạn " + formatDay(history.deadline).slice(0, 5)));
  }
  if (L.targetY !== null) {
    root.appendChild(svg("line", { x1: left, x2: width - right, y1: L.targetY, y2: L.targetY, class: "kpi-target-line" }));
    root.appendChild(svg("text", { x: left + 4, y: L.targetY - 4, class: "kpi-axis kpi-target-text" },
      "Mục tiêu " + valueText(history.unit, history.target)));
  }
  for (const segment of L.segments) {
    root.appendChild(svg("path", { d: pathOf(segment), class: "kpi-line" }));
  }
  for (const p of L.points) {
    root.appendChild(svg("circle", { cx: p.x, cy: p.y, r: 3.5, class: "kpi-point kpi-" + p.status,
      "data-date": p.date, "data-value": p.value }));
  }

  const legend = h("ul", { className: "kpi-legend", "aria-hidden": "true" },
    h("li", null, h("span", { className: "kpi-key kpi-key-line" }), "Giá trị mỗi ngày"),
    L.targetY !== null ? h("li", null, h("span", { className: "kpi-key kpi-key-target" }), "Mục tiêu") : null,
    history.deadline ? h("li", null, h("span", { className: "kpi-key kpi-key-deadline" }),
      "Hạn " + formatDay(history.deadline) + (L.deadlineX === null ? " (ngoài khoảng trên biểu đồ)" : "")) : null);
  const description = h("p", { id: id + "-desc", className: "meta" }, historySummary(history));
  const rows = items.slice().reverse().map((item) => h("tr", null,
    h("th", { scope: "row" }, formatDay(item.date)),
    h("td", { className: "num" }, valueText(history.unit, item.value)),
    h("td", { className: "num" }, item.target === null || item.target === undefined ? "—" : valueText(history.unit, item.target)),
    h("td", null, item.status_label || label("kpi_status", item.status))));
  const table = h("details", { className: "kpi-points" },
    h("summary", null, "Bảng số liệu từng ngày (" + formatNumber(items.length) + " ngày)"),
    h("div", { className: "table-scroll", role: "region", "aria-label": "Bảng số liệu: " + title, tabindex: "0" },
      h("table", { id: id + "-table" },
        h("caption", { className: "visually-hidden" }, title + ", ngày gần nhất trước"),
        h("thead", null, h("tr", null, h("th", { scope: "col" }, "Ngày"), h("th", { scope: "col" }, "Giá trị"),
          h("th", { scope: "col" }, "Mục tiêu"), h("th", { scope: "col" }, "Trạng thái"))),
        h("tbody", null, rows))));
  return h("figure", { className: "kpi-figure kpi-history", id }, caption, root, legend, description, table);
}
