/* Entry point of the city console (/city): the indicators of Hà Nội's 126 units for city
   admins, in a sortable, filterable table with a chart and a CSV download. The API decides
   what anyone may read; the page shows the console only to holders of city_admin. */

import { h, clear, message } from "./core/dom.js";
import { api, loadMe } from "./core/api.js";
import { errorBox } from "./core/forms.js";
import { formatDateTime, formatNumber } from "./core/format.js";
import { label, loadVocabulary, options } from "./core/labels.js";
import { setupLargeText } from "./core/theme.js";
import { renderAccount, signInPrompt } from "./core/account.js";
import { ensureConsent } from "./core/privacy.js";
import { columnsOf, filterRows, nextSort, rowsOf, sortRows, statusCounts } from "./city/kpi.js";
import { kpiTable } from "./city/table.js";
import { statusChart } from "./city/chart.js";

const CSV_URL = "/api/v1/kpi?format=csv";

function isCityAdmin(me) {
  return (me.roles || []).some((r) => r.role === "city_admin");
}

function console_(main, data) {
  const columns = columnsOf(data);
  const rows = rowsOf(data, (code) => label("ward_type", code));
  const params = new URLSearchParams(location.search);
  let sort = { key: params.get("sort") || "name", dir: params.get("dir") === "descending" ? "descending" : "ascending" };
  if (!["name", "type", "not_met"].includes(sort.key) && !columns.some((c) => "ind:" + c.id === sort.key)) {
    sort = { key: "name", dir: "ascending" };
  }

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
  const notMetOnly = h("input", { id: "kpi-not-met", name: "not_met", type: "checkbox" });
  notMetOnly.checked = params.get("not_met") === "1";
  const form = h("form", { role: "search", className: "kpi-filter", "aria-label": "Lọc đơn vị" },
    h("div", null, h("label", { for: "kpi-q" }, "Tìm đơn vị (gõ có dấu hoặc không dấu)"), q),
    h("div", null, h("label", { for: "kpi-type" }, "Loại đơn vị"), type),
    h("label", { className: "check", for: "kpi-not-met" }, notMetOnly, "Chỉ hiện đơn vị có chỉ tiêu chưa đạt"));
  form.addEventListener("submit", (e) => e.preventDefault());
  main.appendChild(form);
  const count = h("p", { id: "kpi-count", className: "meta", role: "status", "aria-live": "polite" });
  main.appendChild(count);

  const chartBox = h("section", { "aria-labelledby": "kpi-chart-heading" });
  main.appendChild(chartBox);
  main.appendChild(h("h3", { id: "kpi-table-heading" }, "Bảng chỉ tiêu theo đơn vị"));
  main.appendChild(h("p", { className: "hint" }, "Bấm vào tiêu đề cột để sắp xếp; bấm lần nữa để đảo chiều. "
    + "Ô «Chưa đạt» được tô đỏ. Trên điện thoại, vuốt ngang để xem hết các cột."));
  const table = kpiTable(columns, (key) => { sort = nextSort(sort, key); draw(); });
  main.appendChild(table.element);

  function draw() {
    const shown = filterRows(rows, { q: q.value, type: type.value, notMetOnly: notMetOnly.checked });
    table.update(sortRows(shown, sort.key, sort.dir), sort);
    clear(chartBox).appendChild(statusChart(columns, statusCounts(shown, columns), shown.length));
    const missing = shown.filter((r) => r.notMet).length;
    count.textContent = shown.length
      ? "Đang hiện " + formatNumber(shown.length) + "/" + formatNumber(rows.length) + " đơn vị; "
        + formatNumber(missing) + " đơn vị có chỉ tiêu chưa đạt."
      : "Không có đơn vị nào khớp với bộ lọc.";
    const state = new URLSearchParams();
    if (q.value.trim()) state.set("q", q.value.trim());
    if (type.value) state.set("type", type.value);
    if (notMetOnly.checked) state.set("not_met", "1");
    if (sort.key !== "name" || sort.dir !== "ascending") { state.set("sort", sort.key); state.set("dir", sort.dir); }
    const search = state.toString();
    history.replaceState(null, "", location.pathname + (search ? "?" + search : ""));
  }
  let timer = null;
  q.addEventListener("input", () => { clearTimeout(timer); timer = setTimeout(() => draw(), 150); });
  type.addEventListener("change", () => draw());
  notMetOnly.addEventListener("change", () => draw());
  draw();
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
    const loading = message("Đang tải chỉ tiêu…");
    main.appendChild(loading);
    const data = await api("GET", "/api/v1/kpi");
    loading.remove();
    console_(main, data);
  } catch (error) {
    main.appendChild(errorBox(error));
  }
}

boot();
