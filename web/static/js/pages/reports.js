/* Phản ánh hiện trường: the ward's public board, newest first, with filters kept in the address
   (?status=&category=&overdue=1) and "Xem thêm". The reporter is never shown here. */

import { h, clear, message } from "../core/dom.js";
import { api } from "../core/api.js";
import { errorBox } from "../core/forms.js";
import { loadVocabulary, label } from "../core/labels.js";
import { state, view, heading, go, reload } from "./shell.js";
import { STATUS_CODES, GROUP_FILTERS, boardFilters, boardQuery } from "./report-model.js";
import { reportCard } from "./report-common.js";

const TITLE = "Phản ánh hiện trường";
const PAGE_SIZE = 20;

/** The ward's report categories (the city's defaults until the ward changes them). */
export function loadCategories() {
  return api("GET", "/api/v1/wards/" + state.ward.code + "/report-categories").then((c) => c.items);
}

/** "Gửi phản ánh" and "Phản ánh của tôi" (with the count of reports changed since last seen). */
export function reportLinks(current) {
  const box = h("div", { className: "actions report-links" });
  if (current !== "new") box.appendChild(h("a", { className: "button", href: state.base + "/phan-anh/moi" }, "Gửi phản ánh"));
  if (current !== "board") box.appendChild(h("a", { className: "button secondary", href: state.base + "/phan-anh" }, "Bảng phản ánh"));
  if (current !== "mine" && state.me) {
    const mine = h("a", { className: "button secondary", href: state.base + "/phan-anh/cua-toi" }, "Phản ánh của tôi");
    box.appendChild(mine);
    api("GET", "/api/v1/me/reports/unseen-count").then(({ unseen_count: n }) => {
      if (!n) return;
      mine.appendChild(h("span", { className: "count-badge", "aria-hidden": "true" }, String(n)));
      mine.appendChild(h("span", { className: "visually-hidden" }, " (" + n + " phản ánh có cập nhật mới)"));
    }).catch(() => { /* the badge is a hint only */ });
  }
  return box;
}

export default async function board() {
  const main = view(TITLE);
  heading(main, TITLE);
  main.appendChild(h("p", null, "Phản ánh của người dân về đường sá, rác thải, chiếu sáng… và trả lời công khai của "
    + state.ward.name + ". Tên người gửi không bao giờ hiện ở đây."));
  main.appendChild(reportLinks("board"));
  const filters = boardFilters(location.search);
  const [categories] = await Promise.all([loadCategories().catch(() => []), loadVocabulary()]);
  main.appendChild(filterForm(filters, categories));
  const list = h("ul", { className: "cards" });
  const more = h("div", { className: "actions" });
  main.appendChild(list);
  main.appendChild(more);
  let shown = 0;
  function load(cursor) {
    const qs = boardQuery(filters, { api: true, limit: PAGE_SIZE, cursor });
    return api("GET", "/api/v1/wards/" + state.ward.code + "/reports?" + qs).then((data) => {
      for (const r of data.items) {
        shown++;
        list.appendChild(reportCard(r, state.base + "/phan-anh/" + r.id));
      }
      clear(more);
      if (data.next_cursor) {
        more.appendChild(h("button", { type: "button", className: "secondary",
          onclick: (event) => { event.currentTarget.disabled = true; load(data.next_cursor); } }, "Xem thêm"));
      } else if (!shown) {
        const filtered = filters.status || filters.category || filters.overdue;
        list.appendChild(h("li", null, message(filtered ? "Không có phản ánh nào khớp với bộ lọc."
          : "Chưa có phản ánh nào. Bạn thấy việc cần phường, xã xử lý? Hãy gửi phản ánh.")));
      }
    }).catch((error) => more.appendChild(errorBox(error)));
  }
  return load(null);
}

function filterForm(filters, categories) {
  const status = h("select", { id: "board-status", name: "status" },
    h("option", { value: "" }, "Tất cả trạng thái"),
    GROUP_FILTERS.map(([code, text]) => h("option", { value: code, selected: code === filters.status }, text)),
    STATUS_CODES.map((code) => h("option", { value: code, selected: code === filters.status }, label("report_status", code))));
  const category = h("select", { id: "board-category", name: "category" },
    h("option", { value: "" }, "Tất cả loại"),
    categories.map((c) => h("option", { value: c.code, selected: c.code === filters.category }, c.name)));
  const overdue = h("input", { type: "checkbox", id: "board-overdue", name: "overdue", checked: filters.overdue });
  const form = h("form", { className: "filters", role: "search", "aria-label": "Lọc phản ánh" },
    h("div", null, h("label", { for: "board-status" }, "Trạng thái"), status),
    h("div", null, h("label", { for: "board-category" }, "Loại phản ánh"), category),
    h("label", { className: "check", for: "board-overdue" }, overdue, "Chỉ phản ánh quá hạn"),
    h("div", { className: "actions" }, h("button", { type: "submit" }, "Lọc")));
  const submit = () => {
    const qs = boardQuery({ status: status.value, category: category.value, overdue: overdue.checked });
    const target = state.base + "/phan-anh" + (qs ? "?" + qs : "");
    if (target === location.pathname + location.search) return reload();
    return go(target);
  };
  form.addEventListener("submit", (event) => { event.preventDefault(); submit(); });
  return form;
}
