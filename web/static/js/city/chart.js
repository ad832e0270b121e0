/* The chart of the city console: for each indicator, how many units met its target, missed it or
   have no data yet, as a stacked bar drawn in SVG (no library). The SVG is one image for
   assistive technology (role="img"), named by its title and described by a sentence in the page. */

import { h } from "../core/dom.js";
import { formatNumber } from "../core/format.js";
import { label } from "../core/labels.js";
import { STATUSES, wrapText } from "./kpi.js";

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

/** "12 Đạt, 100 Chưa đạt, 14 Chưa có số liệu" for one indicator's counts (statuses with none left out). */
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
  root.appendChild(svg("title", { id: "kpi-chart-title" }, "Biểu đồ: số đơn vị đạt, chưa đạt mục tiêu theo từng chỉ tiêu"));
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
    h("figcaption", null, h("h3", { id: "kpi-chart-heading" }, "Đạt mục tiêu theo từng chỉ tiêu")),
    root, legend, description);
}
