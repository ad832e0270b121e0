/* Staff: Chỉ tiêu chuyển đổi số. The ward's indicators (measured by the API from the system's own
   data) with value, target, deadline and status, those that need attention first; the history of
   the chosen indicator as a line chart; the monthly report (PDF) for a month picked. */

import { h, clear, message } from "../core/dom.js";
import { api } from "../core/api.js";
import { errorBox } from "../core/forms.js";
import { label } from "../core/labels.js";
import { formatDateTime } from "../core/format.js";
import { desk, section } from "./common.js";
import { byAttention, displayValue, formatDay, lastMonth, reportUrl, targetText, thisMonth } from "../city/kpi.js";
import { historyChart } from "../city/chart.js";

export default function kpiSection() {
  const s = section("kpi", "Chỉ tiêu chuyển đổi số");
  const code = desk.ward.code;
  s.appendChild(h("p", null, "Các chỉ tiêu của kế hoạch chuyển đổi số, đo cho " + desk.ward.name
    + " từ dữ liệu của hệ thống (không nhập tay). Chỉ tiêu cần chú ý nhất ở trên cùng."));

  // The monthly report the ward sends the city.
  const month = h("input", { id: "kpi-month", name: "month", type: "month", value: lastMonth(), max: thisMonth(),
    min: "2025-07", required: true, "aria-describedby": "kpi-month-hint" });
  const link = h("a", { className: "button secondary", id: "kpi-report", href: reportUrl(code, month.value) },
    "Tải báo cáo tháng (PDF)");
  const follow = () => {
    if (/^\d{4}-\d{2}$/.test(month.value)) link.href = reportUrl(code, month.value);
  };
  month.addEventListener("input", follow);
  month.addEventListener("change", follow);
  s.appendChild(h("h3", null, "Báo cáo tháng"));
  s.appendChild(h("div", { className: "kpi-report" },
    h("div", null, h("label", { for: "kpi-month" }, "Tháng báo cáo"), month),
    h("div", null, link)));
  s.appendChild(h("p", { className: "hint", id: "kpi-month-hint" }, "Báo cáo gồm các chỉ tiêu và số liệu trong tháng "
    + "của các dịch vụ (thông báo, biểu quyết, phản ánh, lịch hẹn, chợ 4.0), bằng tiếng Việt, để gửi thành phố."));

  s.appendChild(h("h3", { id: "kpi-list-title" }, "Các chỉ tiêu"));
  const summary = h("p", { className: "meta", role: "status" });
  const list = h("ul", { className: "cards kpi-list", id: "kpi-list", "aria-labelledby": "kpi-list-title" });
  s.append(summary, list);

  const picker = h("select", { id: "kpi-pick", name: "indicator" });
  const out = h("div", { id: "kpi-history-out", "aria-live": "polite" });
  s.appendChild(h("h3", null, "Diễn biến theo ngày"));
  s.appendChild(h("p", { className: "hint" }, "Giá trị mỗi ngày hệ thống ghi lại, đường nét đứt là mục tiêu, vạch dọc là hạn hoàn thành."));
  s.appendChild(h("div", null, h("label", { for: "kpi-pick" }, "Chỉ tiêu"), picker));
  s.appendChild(out);

  let asked = 0;
  async function show(id, focus) {
    picker.value = id;
    const mine = ++asked;
    clear(out).appendChild(message("Đang tải diễn biến…"));
    try {
      const data = await api("GET", "/api/v1/kpi/history?ward=" + encodeURIComponent(code) + "&indicator=" + encodeURIComponent(id));
      if (mine !== asked) return;
      clear(out).appendChild(historyChart(data, "kpi-staff-history"));
      if (focus) document.getElementById("kpi-staff-history-heading").focus();
    } catch (error) {
      if (mine === asked) clear(out).appendChild(errorBox(error));
    }
  }
  picker.addEventListener("change", () => show(picker.value, false));

  return api("GET", "/api/v1/kpi?ward=" + encodeURIComponent(code)).then((data) => {
    const entry = (data.items || [])[0];
    const indicators = byAttention(entry ? entry.indicators : []);
    if (!indicators.length) {
      list.appendChild(h("li", null, message("Chưa có chỉ tiêu nào được đo.")));
      return null;
    }
    const urgent = indicators.filter((i) => i.status === "missed" || i.status === "at_risk").length;
    summary.textContent = indicators.length + " chỉ tiêu" + (urgent ? ", " + urgent + " cần chú ý" : ", không có chỉ tiêu nào cần chú ý")
      + (entry.measured_at ? " · đo lúc " + formatDateTime(entry.measured_at) : "") + ".";
    for (const ind of indicators) {
      list.appendChild(card(ind, () => show(ind.id, true)));
      picker.appendChild(h("option", { value: ind.id }, ind.name));
    }
    const first = indicators.find((i) => i.target !== null && i.target !== undefined) || indicators[0];
    return show(first.id, false);
  }).catch((error) => clear(list).appendChild(h("li", null, errorBox(error))));
}

/* One indicator: its name, status in words, value, target and deadline, and a button to its history. */
function card(ind, onHistory) {
  const target = targetText(ind);
  return h("li", { className: "card " + ind.status, "data-indicator": ind.id },
    h("h4", null, ind.name),
    h("p", { className: "kpi-status " + ind.status }, ind.status_label || label("kpi_status", ind.status)),
    h("p", { className: "figures" },
      h("span", null, "Hiện tại: ", h("strong", null, displayValue(ind))),
      target ? h("span", null, target) : h("span", null, "Không có mục tiêu"),
      ind.deadline ? h("span", null, "Hạn: " + formatDay(ind.deadline)) : null),
    ind.description || ind.source ? h("details", { className: "kpi-how" }, h("summary", null, "Cách tính"),
      ind.description ? h("p", { className: "meta" }, ind.description) : null,
      ind.source ? h("p", { className: "meta" }, "Căn cứ: " + ind.source) : null) : null,
    h("button", { type: "button", className: "secondary small", onclick: onHistory, "aria-label": "Xem diễn biến: " + ind.name },
      "Xem diễn biến"));
}
