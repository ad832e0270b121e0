/* City-wide publishing: one notice to chosen wards or all 126 (a city admin, or a department's
   staff in the department's name), confirmed before it goes, then the notices already sent with
   their reach per ward and in total. The city console calls the default export; the department
   console imports broadcastSection(). The API decides who may send where and says why not. */

import { h, clear, message } from "../core/dom.js";
import { api } from "../core/api.js";
import { errorBox, runAction, submitForm } from "../core/forms.js";
import { formatDateTime, formatNumber, formatPercent, localToIso } from "../core/format.js";
import { loadVocabulary, options } from "../core/labels.js";
import { fold } from "./kpi.js";

let serial = 0;

/** The wards whose folded name, code or slug holds every word of the query (all for none). Pure. */
export function matchWards(wards, q) {
  const words = fold(q).split(" ").filter(Boolean);
  if (!words.length) return wards.slice();
  return wards.filter((w) => {
    const key = fold(w.name + " " + w.code + " " + w.slug.replace(/-/g, " "));
    return words.every((word) => key.includes(word));
  });
}

/** The rows of a reach table sorted by a key ("name", "audience", "read", "share"). Pure. */
export function sortReach(items, key, dir) {
  const sign = dir === "descending" ? -1 : 1;
  return items.slice().sort((a, b) => {
    const x = a[key];
    const y = b[key];
    const order = typeof x === "string" ? x.localeCompare(y, "vi") : x - y;
    return order * sign || a.name.localeCompare(b.name, "vi");
  });
}

/** What the confirmation says: "… tới 126 phường, xã (tất cả)". Pure. */
export function confirmText(title, count, all) {
  return "Gửi thông báo «" + title + "» tới " + formatNumber(count) + " phường, xã"
    + (all ? " (tất cả)" : "") + "? Mỗi phường, xã nhận một thông báo riêng, đến những người theo dõi phường, xã đó.";
}

function wardChecklist(wards, prefix) {
  const boxes = new Map();
  const items = wards.map((w) => {
    const box = h("input", { type: "checkbox", id: prefix + "-w-" + w.code, value: w.code, name: "ward" });
    boxes.set(w.code, box);
    return { ward: w, item: h("li", null, h("label", { className: "check", for: box.id }, box, " " + w.name)) };
  });
  const q = h("input", { id: prefix + "-wq", type: "search", autocomplete: "off", placeholder: "Ví dụ: hoan kiem" });
  const count = h("p", { className: "meta", role: "status", "aria-live": "polite" });
  const list = h("ul", { className: "ward-checklist", id: prefix + "-wards" }, items.map((i) => i.item));
  const visible = () => items.filter((i) => !i.item.hidden);
  const chosen = () => wards.filter((w) => boxes.get(w.code).checked);
  function recount() {
    const shown = visible().length;
    count.textContent = "Đã chọn " + formatNumber(chosen().length) + " phường, xã"
      + (shown !== wards.length ? " · đang hiện " + formatNumber(shown) + " kết quả tìm" : "") + ".";
  }
  function filter() {
    const keep = new Set(matchWards(wards, q.value).map((w) => w.code));
    for (const i of items) i.item.hidden = !keep.has(i.ward.code);
    recount();
  }
  const setVisible = (checked) => { for (const i of visible()) boxes.get(i.ward.code).checked = checked; recount(); };
  // The list is long on a phone: folded until searched or opened.
  const listBox = h("details", { id: prefix + "-list" },
    h("summary", null, "Danh sách " + formatNumber(wards.length) + " phường, xã"), list);
  q.addEventListener("input", () => { filter(); if (q.value.trim()) listBox.open = true; });
  list.addEventListener("change", recount);
  const fieldset = h("fieldset", { id: prefix + "-pick", "data-field": "wards" },
    h("legend", null, "Chọn phường, xã nhận thông báo"),
    h("label", { for: q.id }, "Tìm phường, xã (gõ có dấu hoặc không dấu)"), q,
    h("div", { className: "actions" },
      h("button", { type: "button", className: "secondary", id: prefix + "-all", onclick: () => setVisible(true) }, "Chọn tất cả"),
      h("button", { type: "button", className: "secondary", onclick: () => setVisible(false) }, "Bỏ chọn tất cả")),
    h("p", { className: "hint" }, "«Chọn tất cả» chọn những phường, xã khớp với ô tìm (tất cả khi ô tìm trống)."),
    count, listBox);
  recount();
  return { element: fieldset, chosen };
}

function composeForm(wards, { department, onSent }) {
  const prefix = "bc" + (++serial);
  const id = (name) => prefix + "-" + name;
  const title = h("input", { id: id("title"), name: "title", required: true, maxlength: "200", autocomplete: "off" });
  const body = h("textarea", { id: id("body"), name: "body", required: true, rows: "5", maxlength: "10000" });
  const category = h("select", { id: id("category"), name: "category", required: true },
    h("option", { value: "" }, "— Chọn lĩnh vực —"),
    options("notice_category", { codes: ["thong_tin_co_so"] }).map(([code, text]) => h("option", { value: code }, text)));
  const when = h("input", { id: id("at"), name: "publish_at", type: "datetime-local" });
  const allRadio = h("input", { type: "radio", name: id("scope"), id: id("scope-all"), value: "all", checked: true });
  const someRadio = h("input", { type: "radio", name: id("scope"), id: id("scope-some"), value: "some" });
  const picker = wardChecklist(wards, prefix);
  picker.element.hidden = true;
  const scope = h("fieldset", { "data-field": "scope" }, h("legend", null, "Gửi tới"),
    h("label", { className: "check", for: allRadio.id }, allRadio, " Tất cả " + formatNumber(wards.length) + " phường, xã"),
    h("label", { className: "check", for: someRadio.id }, someRadio, " Chọn một số phường, xã"));
  const toggle = () => { picker.element.hidden = !someRadio.checked; hideConfirm(); };
  allRadio.addEventListener("change", toggle);
  someRadio.addEventListener("change", toggle);

  const status = h("div", { "aria-live": "polite" });
  const confirmText_ = h("p", { id: id("confirm-text") });
  const sendButton = h("button", { type: "submit", id: id("send") }, "Xác nhận gửi");
  const confirmBox = h("div", { className: "notice", id: id("confirm"), role: "group", "aria-labelledby": id("confirm-text"), tabindex: "-1" },
    confirmText_,
    h("div", { className: "actions" }, sendButton,
      h("button", { type: "button", className: "secondary", onclick: () => { hideConfirm(); title.focus(); } }, "Quay lại sửa")));
  confirmBox.hidden = true;
  const review = h("button", { type: "button", id: id("review") }, "Xem lại trước khi gửi");
  function hideConfirm() { confirmBox.hidden = true; review.hidden = false; }

  const sender = department ? h("p", { className: "meta" }, "Người dân sẽ thấy: «Từ: " + (department.name || department.code) + "».") : null;
  const form = h("form", { className: "kpi-filter broadcast-form", "aria-labelledby": id("heading") },
    h("h4", { id: id("heading") }, "Gửi thông báo tới nhiều phường, xã"),
    sender,
    h("div", null, h("label", { for: title.id }, "Tiêu đề"), title),
    h("div", null, h("label", { for: body.id }, "Nội dung"), body),
    h("div", null, h("label", { for: category.id }, "Lĩnh vực"), category),
    scope, picker.element,
    h("div", null, h("label", { for: when.id }, "Hẹn giờ đăng (không bắt buộc)"), when,
      h("p", { className: "hint" }, "Để trống để đăng ngay. Giờ Hà Nội.")),
    h("div", { className: "actions" }, review),
    confirmBox, status);
  form.addEventListener("input", (e) => { if (e.target !== form.querySelector("input[type=search]")) hideConfirm(); });

  const target = () => (allRadio.checked ? "all" : picker.chosen().map((w) => w.code));
  const validate = () => (allRadio.checked || picker.chosen().length ? []
    : [{ field: "wards", message: "Hãy chọn ít nhất một phường, xã." }]);
  const sending = submitForm(form, {
    button: sendButton,
    status,
    validate,
    collect: () => {
      const out = { title: title.value.trim(), body: body.value.trim(), category: category.value, wards: target() };
      if (when.value) out.publish_at = localToIso(when.value);
      if (department) out.department = department.code;
      return out;
    },
    send: (data, key) => api("POST", "/api/v1/notices", data, { idempotencyKey: key }),
    done: async (sent) => {
      form.reset();
      allRadio.checked = true;
      toggle();
      status.appendChild(message("Đã gửi «" + sent.title + "» tới " + formatNumber(sent.wards) + " phường, xã"
        + (sent.status_label && sent.status_label !== "Đã đăng" ? " (" + sent.status_label.toLowerCase() + ")" : "") + "."));
      if (onSent) await onSent(sent);
    },
  });
  review.addEventListener("click", () => {
    const count = allRadio.checked ? wards.length : picker.chosen().length;
    // Run the form's own checks first: a missing field is marked before anything is confirmed.
    const missing = [title, body, category].some((c) => !c.value.trim()) || !count;
    if (missing) { sending.submit(); return; }
    confirmText_.textContent = confirmText(title.value.trim(), count, allRadio.checked);
    sendButton.textContent = "Xác nhận gửi tới " + formatNumber(count) + " phường, xã";
    confirmBox.hidden = false;
    review.hidden = true;
    confirmBox.focus();
  });
  return form;
}

function reachTable(detail, prefix) {
  const headers = [
    { key: "name", text: "Phường, xã" },
    { key: "audience", text: "Người nhận" },
    { key: "read", text: "Đã đọc" },
    { key: "share", text: "Tỷ lệ đọc" },
  ];
  let sort = { key: "share", dir: "ascending" };
  const tbody = h("tbody");
  const caption = h("caption", { className: "visually-hidden" });
  const ths = headers.map((hd) => h("th", { scope: "col", className: hd.key === "name" ? "name" : "num" },
    h("button", { type: "button", className: "sort", "data-sort": hd.key, onclick: () => {
      sort = { key: hd.key, dir: sort.key === hd.key && sort.dir === "ascending" ? "descending" : "ascending" };
      draw();
    } }, hd.text, h("span", { className: "sort-mark", "aria-hidden": "true" }))));
  const total = h("tfoot", null, h("tr", null,
    h("th", { scope: "row" }, "Tổng cộng " + formatNumber(detail.wards) + " phường, xã"),
    h("td", { className: "num" }, formatNumber(detail.audience)),
    h("td", { className: "num" }, formatNumber(detail.read)),
    h("td", { className: "num" }, formatPercent(detail.share))));
  const table = h("table", { className: "reach-table", id: prefix + "-table" }, caption,
    h("thead", null, h("tr", null, ths)), tbody, total);
  function draw() {
    headers.forEach((hd, i) => {
      const on = hd.key === sort.key;
      if (on) ths[i].setAttribute("aria-sort", sort.dir); else ths[i].removeAttribute("aria-sort");
      ths[i].querySelector(".sort-mark").textContent = on ? (sort.dir === "ascending" ? " ▲" : " ▼") : "";
    });
    caption.textContent = "Mức độ tiếp cận theo phường, xã, sắp xếp theo «" + headers.find((hd) => hd.key === sort.key).text
      + "» " + (sort.dir === "ascending" ? "tăng dần" : "giảm dần") + ".";
    clear(tbody);
    for (const row of sortReach(detail.items, sort.key, sort.dir)) {
      tbody.appendChild(h("tr", { "data-code": row.ward },
        h("th", { scope: "row" }, row.name, row.delivered ? null : h("span", { className: "meta" }, " (chưa đến giờ đăng)")),
        h("td", { className: "num" }, formatNumber(row.audience)),
        h("td", { className: "num" }, formatNumber(row.read)),
        h("td", { className: "num" }, formatPercent(row.share))));
    }
  }
  draw();
  return h("div", { className: "table-scroll", role: "region", tabindex: "0", "aria-label": "Bảng tiếp cận theo phường, xã" }, table);
}

function broadcastCard(b, refresh) {
  const prefix = "bcd-" + b.id;
  const detailBox = h("div", { id: prefix + "-detail", "aria-live": "polite" });
  const open = h("button", { type: "button", className: "secondary", "aria-expanded": "false", "aria-controls": detailBox.id },
    "Xem theo từng phường, xã");
  open.addEventListener("click", () => runAction(open, async () => {
    if (open.getAttribute("aria-expanded") === "true") {
      clear(detailBox);
      open.setAttribute("aria-expanded", "false");
      return;
    }
    clear(detailBox).appendChild(message("Đang tải…"));
    const detail = await api("GET", "/api/v1/broadcasts/" + b.id);
    clear(detailBox).appendChild(reachTable(detail, prefix));
    open.setAttribute("aria-expanded", "true");
  }, detailBox));
  const actions = h("div", { className: "actions" }, open);
  if (b.status !== "withdrawn") {
    const withdraw = h("button", { type: "button", className: "secondary" }, "Thu hồi ở tất cả phường, xã");
    withdraw.addEventListener("click", () => {
      if (!window.confirm("Thu hồi «" + b.title + "» khỏi " + formatNumber(b.wards) + " phường, xã? Số liệu tiếp cận vẫn được giữ.")) return;
      runAction(withdraw, async () => { await api("POST", "/api/v1/broadcasts/" + b.id + "/withdraw"); await refresh(); }, detailBox);
    });
    actions.appendChild(withdraw);
  }
  return h("li", { className: "card", "data-broadcast": String(b.id) },
    h("h4", null, b.title),
    h("p", { className: "meta" },
      (b.department ? "Từ: " + b.department.name + " · " : "")
      + b.status_label + " · " + formatDateTime(b.publish_at || b.created_at)
      + " · " + formatNumber(b.wards) + " phường, xã"),
    h("p", null, "Tiếp cận: " + formatNumber(b.audience) + " người nhận, " + formatNumber(b.read) + " đã đọc ("
      + formatPercent(b.share) + ")."),
    actions, detailBox);
}

/**
 * The section: the form, then the notices already sent (newest first). `department` ({code,
 * name}, or a code) sends in that department's name and lists only its notices.
 */
export async function broadcastSection(main, { department = null, heading = "Thông báo tới nhiều phường, xã" } = {}) {
  const dept = typeof department === "string" ? { code: department, name: department } : department;
  const section = h("section", { className: "broadcasts", "aria-labelledby": "bc-heading" },
    h("h3", { id: "bc-heading" }, heading),
    h("p", { className: "hint" }, "Mỗi phường, xã nhận một thông báo riêng trong bảng tin của người theo dõi phường, xã đó."));
  main.appendChild(section);
  const listBox = h("div", { "aria-live": "polite" });
  try {
    const [wardPage] = await Promise.all([api("GET", "/api/v1/wards?limit=200"), loadVocabulary()]);
    const wards = wardPage.items.slice().sort((a, b) => a.name.localeCompare(b.name, "vi"));
    section.appendChild(composeForm(wards, { department: dept, onSent: () => loadList() }));
  } catch (error) {
    section.appendChild(errorBox(error));
  }
  section.appendChild(h("h4", { id: "bc-list-heading" }, "Đã gửi"));
  section.appendChild(listBox);

  async function loadList() {
    clear(listBox).appendChild(message("Đang tải…"));
    try {
      const data = await api("GET", "/api/v1/broadcasts?limit=50");
      const items = dept ? data.items.filter((b) => b.department && b.department.code === dept.code) : data.items;
      clear(listBox);
      if (!items.length) {
        listBox.appendChild(h("p", { className: "hint" }, "Chưa gửi thông báo nào tới nhiều phường, xã."));
        return;
      }
      listBox.appendChild(h("ul", { className: "cards", "aria-labelledby": "bc-list-heading" },
        items.map((b) => broadcastCard(b, loadList))));
    } catch (error) {
      clear(listBox).appendChild(errorBox(error));
    }
  }
  await loadList();
  return section;
}

/** The city console's section (city admins: sent by the city, every department's listed too). */
export default async function section(main) {
  return broadcastSection(main, {});
}
