/* Entry point of the city console (/city): the indicators of Hà Nội's 126 units for city
   admins, in a sortable, filterable table (units that need attention first) with a chart of the
   statuses, a unit's history of an indicator as a line chart, and a CSV download. The API decides
   what anyone may read; the page shows the console only to holders of city_admin. */

import { h, clear, message } from "./core/dom.js";
import { api, loadMe } from "./core/api.js";
import { errorBox } from "./core/forms.js";
import { formatDateTime, formatNumber } from "./core/format.js";
import { label, loadVocabulary, options } from "./core/labels.js";
import { setupLargeText } from "./core/theme.js";
import { renderAccount, signInPrompt } from "./core/account.js";
import { ensureConsent } from "./core/privacy.js";
import {
  ATTENTION_ORDER, DEFAULT_SORT, SORT_KEYS, columnsOf, filterRows, nextSort, rowsOf, sortRows, statusCounts,
} from "./city/kpi.js";
import { kpiTable } from "./city/table.js";
import { historyChart, statusChart } from "./city/chart.js";

const CSV_URL = "/api/v1/kpi?format=csv";

function isCityAdmin(me) {
  return (me.roles || []).some((r) => r.role === "city_admin");
}

/* The history panel: pick a unit and an indicator (or press a cell of the table) to see its
   line chart. Returns {element, show(code, indicatorId, focus)}. */
function historyPanel(rows, columns, onChange) {
  const byName = rows.slice().sort((a, b) => a.name.localeCompare(b.name, "vi"));
  const unit = h("select", { id: "kpi-h-ward", name: "ward" }, byName.map((r) => h("option", { value: r.code }, r.name)));
  const indicator = h("select", { id: "kpi-h-indicator", name: "indicator" },
    columns.map((c) => h("option", { value: c.id }, c.name)));
  const out = h("div", { id: "kpi-history-out", "aria-live": "polite" },
    h("p", { className: "hint" }, "Chọn một đơn vị và một chỉ tiêu rồi bấm «Xem diễn biến», hoặc bấm vào một ô của bảng bên dưới."));
  const form = h("form", { className: "kpi-filter kpi-pick", "aria-label": "Chọn đơn vị và chỉ tiêu để xem diễn biến" },
    h("div", null, h("label", { for: "kpi-h-ward" }, "Đơn vị"), unit),
    h("div", null, h("label", { for: "kpi-h-indicator" }, "Chỉ tiêu"), indicator),
    h("div", { className: "actions" }, h("button", { type: "submit" }, "Xem diễn biến")));
  let asked = 0;
  async function show(code, indicatorId, focus) {
    unit.value = code;
    indicator.value = indicatorId;
    onChange(code, indicatorId);
    const mine = ++asked;
    clear(out).appendChild(message("Đang tải diễn biến…"));
    try {
      const data = await api("GET", "/api/v1/kpi/history?ward=" + encodeURIComponent(code)
        + "&indicator=" + encodeURIComponent(indicatorId));
      if (mine !== asked) return;
      clear(out).appendChild(historyChart(data, "kpi-history"));
      if (focus) {
        const heading = document.getElementById("kpi-history-heading");
        heading.focus();
        heading.scrollIntoView({ block: "start" });
      }
    } catch (error) {
      if (mine === asked) clear(out).appendChild(errorBox(error));
    }
  }
  form.addEventListener("submit", (e) => { e.preventDefault(); show(unit.value, indicator.value, false); });
  const element = h("section", { id: "kpi-history-box", "aria-labelledby": "kpi-history-box-heading" },
    h("h3", { id: "kpi-history-box-heading" }, "Diễn biến theo ngày"),
    h("p", { className: "hint" }, "Giá trị mỗi ngày hệ thống ghi lại, đường nét đứt là mục tiêu, vạch dọc là hạn hoàn thành."),
    form, out);
  return { element, show, select: (code) => { unit.value = code; } };
}

function console_(main, data) {
  const columns = columnsOf(data);
  const rows = rowsOf(data, (code) => label("ward_type", code));
  const params = new URLSearchParams(location.search);
  let sort = { key: params.get("sort") || DEFAULT_SORT.key,
    dir: params.get("dir") || DEFAULT_SORT.dir };
  if (!["ascending", "descending"].includes(sort.dir)) sort.dir = DEFAULT_SORT.dir;
  if (!SORT_KEYS.includes(sort.key) && !columns.some((c) => "ind:" + c.id === sort.key)) sort = { ...DEFAULT_SORT };

  const measured = data.items.length ? data.items[0].measured_at : null;
  main.appendChild(h("p", { className: "meta" },
    formatNumber(rows.length) + " đơn vị" + (measured ? " · số liệu đo lúc " + formatDateTime(measured) : "")
    + " · đo từ dữ liệu của hệ thống, không nhập tay."));
  main.appendChild(h("div", { className: "actions" },
    h("a", { className: "button", href: CSV_URL, download: "chi-tieu.csv", id: "kpi-csv" }, "Tải CSV"),
    h("span", { className: "hint" }, "Tất cả chỉ tiêu của 126 đơn vị, mở được bằng Excel.")));

  const q = h("input", { id: "kpi-q", name: "q", type: "search", autocomplete: "off", placeholder: "Ví dụ: hoan kiem",
    value: params.get("q") || "" });
  const type = h("select", { id: "kpi-type", name: "type" }, h("option", { value: "" }, "Tất cả phường, xã"),
    options("ward_type", { codes: ["phuong", "xa"] }).map(([code, text]) => h("option", { value: code }, text)));
  type.value = params.get("type") || "";
  const status = h("select", { id: "kpi-status", name: "status" },
    h("option", { value: "" }, "Mọi trạng thái"),
    h("option", { value: "attention" }, "Cần chú ý (không đạt hoặc có nguy cơ)"),
    options("kpi_status", { codes: ATTENTION_ORDER }).map(([code, text]) => h("option", { value: code }, text)));
  status.value = params.get("status") || "";
  const scope = h("select", { id: "kpi-scope", name: "indicator" }, h("option", { value: "" }, "Ở bất kỳ chỉ tiêu nào"),
    columns.map((c) => h("option", { value: c.id }, c.name)));
  scope.value = params.get("indicator") || "";
  const form = h("form", { role: "search", className: "kpi-filter", "aria-label": "Lọc đơn vị" },
    h("div", null, h("label", { for: "kpi-q" }, "Tìm đơn vị (gõ có dấu hoặc không dấu)"), q),
    h("div", null, h("label", { for: "kpi-type" }, "Loại đơn vị"), type),
    h("div", null, h("label", { for: "kpi-status" }, "Trạng thái chỉ tiêu"), status),
    h("div", null, h("label", { for: "kpi-scope" }, "Của chỉ tiêu"), scope));
  form.addEventListener("submit", (e) => e.preventDefault());
  main.appendChild(form);
  const count = h("p", { id: "kpi-count", className: "meta", role: "status", "aria-live": "polite" });
  main.appendChild(count);

  const chartBox = h("section", { "aria-labelledby": "kpi-chart-heading" });
  main.appendChild(chartBox);
  let picked = { ward: params.get("ward") || "", indicator: params.get("h") || "" };
  const panel = historyPanel(rows, columns, (code, id) => { picked = { ward: code, indicator: id }; saveState(); });
  main.appendChild(panel.element);
  main.appendChild(h("h3", { id: "kpi-table-heading" }, "Bảng chỉ tiêu theo đơn vị"));
  main.appendChild(h("p", { className: "hint" }, "Đơn vị cần chú ý nhất ở trên cùng: nhiều chỉ tiêu «Không đạt» nhất, rồi "
    + "nhiều chỉ tiêu «Có nguy cơ không đạt» nhất. Bấm vào tiêu đề cột để sắp xếp lại; bấm vào một ô để xem diễn biến "
    + "của chỉ tiêu đó. Trên điện thoại, vuốt ngang để xem hết các cột."));
  const table = kpiTable(columns, (key) => { sort = nextSort(sort, key); draw(); },
    (row, col) => panel.show(row.code, col.id, true));
  main.appendChild(table.element);

  function saveState() {
    const state = new URLSearchParams();
    if (q.value.trim()) state.set("q", q.value.trim());
    if (type.value) state.set("type", type.value);
    if (status.value) state.set("status", status.value);
    if (scope.value) state.set("indicator", scope.value);
    if (sort.key !== DEFAULT_SORT.key || sort.dir !== DEFAULT_SORT.dir) { state.set("sort", sort.key); state.set("dir", sort.dir); }
    if (picked.ward && picked.indicator) { state.set("ward", picked.ward); state.set("h", picked.indicator); }
    const search = state.toString();
    history.replaceState(null, "", location.pathname + (search ? "?" + search : ""));
  }

  function draw() {
    const shown = filterRows(rows, { q: q.value, type: type.value, status: status.value, indicator: scope.value });
    const sorted = sortRows(shown, sort.key, sort.dir);
    table.update(sorted, sort);
    clear(chartBox).appendChild(statusChart(columns, statusCounts(shown, columns), shown.length));
    const urgent = shown.filter((r) => r.attention).length;
    count.textContent = shown.length
      ? "Đang hiện " + formatNumber(shown.length) + "/" + formatNumber(rows.length) + " đơn vị; "
        + formatNumber(urgent) + " đơn vị có chỉ tiêu không đạt hoặc có nguy cơ không đạt."
      : "Không có đơn vị nào khớp với bộ lọc.";
    if (!picked.ward && sorted.length) panel.select(sorted[0].code);
    saveState();
  }
  let timer = null;
  q.addEventListener("input", () => { clearTimeout(timer); timer = setTimeout(() => draw(), 150); });
  for (const control of [type, status, scope]) control.addEventListener("change", () => draw());
  draw();
  if (picked.ward && picked.indicator && rows.some((r) => r.code === picked.ward)
    && columns.some((c) => c.id === picked.indicator)) {
    panel.show(picked.ward, picked.indicator, false);
  } else {
    picked = { ward: "", indicator: "" };
    saveState();
  }
}

/* The city's exchanges with the wards and outside systems, below the indicators: city-wide
   notices, the departments' consoles, API clients, webhooks. Each module appends its own
   section. */
const SECTIONS = ["./city/broadcasts.js", "./city/departments.js", "./city/clients.js", "./city/webhooks.js", "./city/audit.js"];

async function integrationSections(main, me) {
  const modules = await Promise.all(SECTIONS.map((path) => import(path)));
  for (const module of modules) await module.default(main, me);
}

async function boot() {
  setupLargeText();
  const main = document.getElementById("main");
  try {
    const [me] = await Promise.all([loadMe(), loadVocabulary()]);
    await ensureConsent(me);
    renderAccount(me);
    clear(main);
    main.appendChild(h("h2", { id: "view-title", tabindex: "-1" }, "Chỉ tiêu của 126 phường, xã"));
    if (!me) {
      main.appendChild(signInPrompt("Bảng điều hành dành cho cán bộ quản trị của thành phố. "
        + "Hãy đăng nhập bằng VNeID để xem."));
      return;
    }
    if (!isCityAdmin(me)) {
      main.appendChild(message("Tài khoản của bạn không có quyền xem bảng điều hành thành phố. Trang này chỉ dành "
        + "cho cán bộ quản trị cấp thành phố; nếu bạn cần quyền này, hãy liên hệ quản trị viên của thành phố.", "error"));
      main.appendChild(h("p", null, h("a", { href: "/" }, "Về danh sách 126 phường, xã")));
      return;
    }
    main.appendChild(h("nav", { className: "staff-nav", "aria-label": "Các phần của bảng điều hành" },
      [["#kpi-table", "Chỉ tiêu"], ["#broadcasts", "Gửi tới nhiều phường, xã"], ["#departments", "Sở, ngành"],
        ["#clients", "Ứng dụng kết nối"], ["#city-webhooks", "Webhook"], ["#city-audit", "Nhật ký"]]
        .map(([href, text]) => h("a", { className: "button secondary", href }, text))));
    const loading = message("Đang tải chỉ tiêu…");
    main.appendChild(loading);
    const data = await api("GET", "/api/v1/kpi");
    loading.remove();
    console_(main, data);
    await integrationSections(main, me);
  } catch (error) {
    main.appendChild(errorBox(error));
  }
}

boot();
