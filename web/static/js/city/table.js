/* The city console's table: one row a unit, one column an indicator, sortable by any column
   header (a button; the sorted header carries aria-sort). Each cell says its status in words (the
   API's status_label) as well as in colour, and is a button that opens the unit's history of that
   indicator. */

import { h, clear } from "../core/dom.js";
import { formatNumber } from "../core/format.js";
import { label } from "../core/labels.js";
import { attentionText, displayValue, targetText } from "./kpi.js";

/**
 * A sortable table in a horizontally scrolling region. Returns {element, update(rows, sort)};
 * `onSort(key)` is called when a header is pressed, `onOpen(row, column)` when a cell is.
 */
export function kpiTable(columns, onSort, onOpen) {
  const headers = [
    { key: "name", text: "Đơn vị" },
    { key: "type", text: "Loại" },
    { key: "attention", text: "Cần chú ý" },
  ].concat(columns.map((col) => ({ key: "ind:" + col.id, text: col.name, note: targetText(col), title: col.description })));

  const ths = headers.map((hd) => {
    const button = h("button", { type: "button", className: "sort", "data-sort": hd.key, onclick: () => onSort(hd.key) },
      hd.text, h("span", { className: "sort-mark", "aria-hidden": "true" }));
    return h("th", { scope: "col", className: hd.key.startsWith("ind:") ? "ind" : hd.key, title: hd.title || null },
      button, hd.note ? h("span", { className: "meta target" }, hd.note) : null);
  });
  const tbody = h("tbody");
  const caption = h("caption", { className: "visually-hidden" });
  const table = h("table", { className: "kpi-table", id: "kpi-table" }, caption, h("thead", null, h("tr", null, ths)), tbody);
  const region = h("div", { className: "table-scroll", role: "region", "aria-labelledby": "kpi-table-heading", tabindex: "0" }, table);

  function update(rows, sort) {
    headers.forEach((hd, i) => {
      const sorted = hd.key === sort.key;
      if (sorted) ths[i].setAttribute("aria-sort", sort.dir);
      else ths[i].removeAttribute("aria-sort");
      ths[i].querySelector(".sort-mark").textContent = sorted ? (sort.dir === "ascending" ? " ▲" : " ▼") : "";
    });
    caption.textContent = "Chỉ tiêu của " + formatNumber(rows.length) + " đơn vị, sắp xếp theo «"
      + headers.find((hd) => hd.key === sort.key).text + "» " + (sort.dir === "ascending" ? "tăng dần" : "giảm dần") + ".";
    clear(tbody);
    for (const row of rows) {
      tbody.appendChild(h("tr", { className: row.attention ? "needs-attention" : null, "data-code": row.code },
        h("th", { scope: "row" }, h("a", { href: "/w/" + row.slug }, row.name)),
        h("td", null, row.typeLabel),
        h("td", { className: "attention" + (row.attention ? " urgent" : ""), "data-rank": String(row.rank) },
          attentionText(row.counts) || "—"),
        columns.map((col) => cell(row, col, onOpen))));
    }
  }
  return { element: region, update };
}

function cell(row, col, onOpen) {
  const ind = row.byId[col.id];
  if (!ind) return h("td", { className: "kpi-cell no_data" }, "—");
  return h("td", { className: "kpi-cell " + ind.status },
    h("button", { type: "button", className: "kpi-open", onclick: () => onOpen && onOpen(row, col) },
      h("span", { className: "value" }, displayValue(ind)),
      h("span", { className: "status" }, ind.status_label || label("kpi_status", ind.status)),
      h("span", { className: "visually-hidden" }, " – xem diễn biến")));
}
