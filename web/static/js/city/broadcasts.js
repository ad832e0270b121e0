/* City-wide publishing: one notice or one survey to chosen wards or all 126 (a city admin, or a
   department's staff in the department's name), confirmed before it goes, then what was already
   sent with its reach per ward and in total (notices: read; surveys: answered). The city console
   calls the default export; the department console imports broadcastSection(). The API decides
   who may send where and says why not. */

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
export function confirmText(title, count, all, what = "thông báo") {
  return "Gửi " + what + " «" + title + "» tới " + formatNumber(count) + " phường, xã"
    + (all ? " (tất cả)" : "") + "? Mỗi phường, xã nhận một " + what + " riêng, đến những người theo dõi phường, xã đó.";
}

/** The options typed one per line: trimmed, blank lines dropped. Pure. */
export function optionLines(text) {
  return String(text || "").split("\n").map((line) => line.trim()).filter(Boolean);
}

/** A survey's questions as the API takes them: [{text, options (one per line), multiple}] →
    choice questions, one answer or any number of them. Pure. */
export function surveyQuestions(questions) {
  return questions.map((q) => {
    const opts = optionLines(q.options);
    return { text: q.text.trim(), type: "choice", options: opts, min_choices: 1, max_choices: q.multiple ? Math.max(opts.length, 1) : 1 };
  });
}

/** What the API would refuse in a survey's questions, said before sending ({field, message}). Pure. */
export function surveyProblems(questions) {
  const problems = [];
  questions.forEach((q, index) => {
    const opts = optionLines(q.options);
    const path = "questions." + index;
    if (!q.text.trim()) problems.push({ field: path + ".text", message: "Hãy nhập nội dung câu hỏi " + (index + 1) + "." });
    if (opts.length < 2) problems.push({ field: path + ".options", message: "Câu hỏi " + (index + 1) + " cần ít nhất hai phương án, mỗi dòng một phương án." });
    else if (new Set(opts.map((o) => o.toLowerCase())).size !== opts.length) {
      problems.push({ field: path + ".options", message: "Các phương án của câu hỏi " + (index + 1) + " phải khác nhau." });
    }
  });
  return problems;
}

/* The step between filling a form and sending it: "Xem lại trước khi gửi" shows what will be
   sent and to how many wards, with "Xác nhận gửi" and "Quay lại sửa" (back to `field()`).
   Shared by the notice and survey forms. */
function confirmStep(id, field) {
  const text = h("p", { id: id("confirm-text") });
  const send = h("button", { type: "submit", id: id("send") }, "Xác nhận gửi");
  const review = h("button", { type: "button", id: id("review") }, "Xem lại trước khi gửi");
  const box = h("div", { className: "notice", id: id("confirm"), role: "group", "aria-labelledby": id("confirm-text"), tabindex: "-1" },
    text,
    h("div", { className: "actions" }, send,
      h("button", { type: "button", className: "secondary", onclick: () => { hide(); field().focus(); } }, "Quay lại sửa")));
  box.hidden = true;
  function hide() { box.hidden = true; review.hidden = false; }
  function show(sentence, count) {
    text.textContent = sentence;
    send.textContent = "Xác nhận gửi tới " + formatNumber(count) + " phường, xã";
    box.hidden = false;
    review.hidden = true;
    box.focus();
  }
  return { box, send, review, hide, show };
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
  const step = confirmStep(id, () => title);
  const { box: confirmBox, send: sendButton, review } = step;
  function hideConfirm() { step.hide(); }

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
    step.show(confirmText(title.value.trim(), count, allRadio.checked), count);
  });
  return form;
}

const REACH_COLUMNS = {
  notice: [
    { key: "name", text: "Phường, xã" },
    { key: "audience", text: "Người nhận" },
    { key: "read", text: "Đã đọc" },
    { key: "share", text: "Tỷ lệ đọc" },
  ],
  survey: [
    { key: "name", text: "Phường, xã" },
    { key: "eligible", text: "Người được hỏi" },
    { key: "turnout", text: "Đã trả lời" },
    { key: "share", text: "Tỷ lệ trả lời" },
  ],
};

function reachTable(detail, prefix, kind = "notice") {
  const headers = REACH_COLUMNS[kind];
  const [, many, done] = headers.map((hd) => hd.key);
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
    h("td", { className: "num" }, formatNumber(detail[many])),
    h("td", { className: "num" }, formatNumber(detail[done])),
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
      const waiting = kind === "survey" ? (row.eligible === null ? " (chưa đến giờ mở)" : null)
        : row.delivered ? null : " (chưa đến giờ đăng)";
      tbody.appendChild(h("tr", { "data-code": row.ward },
        h("th", { scope: "row" }, row.name, waiting ? h("span", { className: "meta" }, waiting) : null),
        h("td", { className: "num" }, formatNumber(row[many] || 0)),
        h("td", { className: "num" }, formatNumber(row[done])),
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

function surveyCard(b) {
  const prefix = "pbd-" + b.id;
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
    const detail = await api("GET", "/api/v1/poll-broadcasts/" + b.id);
    clear(detailBox).appendChild(reachTable(detail, prefix, "survey"));
    open.setAttribute("aria-expanded", "true");
  }, detailBox));
  const when = b.opened ? "Đã mở " + formatNumber(b.opened) + "/" + formatNumber(b.wards) + " phường, xã"
    : "Mở lúc " + formatDateTime(b.opens_at);
  return h("li", { className: "card", "data-poll-broadcast": String(b.id) },
    h("h4", null, b.title),
    h("p", { className: "meta" },
      (b.department ? "Từ: " + b.department.name + " · " : "")
      + when + (b.closes_at ? " · kết thúc " + formatDateTime(b.closes_at) : "")),
    h("p", null, "Trả lời: " + formatNumber(b.turnout) + " trên " + formatNumber(b.eligible) + " người được hỏi ("
      + formatPercent(b.share) + ")."),
    h("div", { className: "actions" }, open), detailBox);
}

function surveyForm(wards, { department, onSent }) {
  const prefix = "sv" + (++serial);
  const id = (name) => prefix + "-" + name;
  let questions = [];
  let uid = 0;
  const questionsBox = h("div", { id: id("questions"), "data-field": "questions" });
  const title = h("input", { id: id("title"), name: "title", required: true, maxlength: "200", autocomplete: "off" });
  const description = h("textarea", { id: id("description"), name: "description", rows: "3", maxlength: "5000" });
  const closes = h("input", { id: id("closes"), name: "closes_at", type: "datetime-local", required: true });
  const opens = h("input", { id: id("opens"), name: "opens_at", type: "datetime-local" });
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

  function addQuestion() {
    uid += 1;
    questions.push({ uid, text: "", options: "", multiple: false });
  }
  function draw(focusId) {
    clear(questionsBox);
    questions.forEach((q, index) => {
      const qid = id("q" + q.uid);
      const path = "questions." + index;
      const text = h("input", { id: qid + "-text", required: true, maxlength: "500", value: q.text, autocomplete: "off", "data-field": path + ".text" });
      text.addEventListener("input", () => { q.text = text.value; });
      const opts = h("textarea", { id: qid + "-options", rows: "4", "aria-describedby": qid + "-hint", "data-field": path + ".options" });
      opts.value = q.options;
      opts.addEventListener("input", () => { q.options = opts.value; });
      const multiple = h("input", { type: "checkbox", id: qid + "-multiple", checked: q.multiple });
      multiple.addEventListener("change", () => { q.multiple = multiple.checked; });
      const box = h("fieldset", { className: "question", "data-field": path },
        h("legend", null, "Câu hỏi " + (index + 1)),
        h("div", null, h("label", { for: text.id }, "Nội dung câu hỏi"), text),
        h("div", null, h("label", { for: opts.id }, "Các phương án"), opts,
          h("p", { className: "hint", id: qid + "-hint" }, "Mỗi dòng một phương án, ít nhất hai.")),
        h("label", { className: "check", for: multiple.id }, multiple, " Được chọn nhiều phương án"));
      if (questions.length > 1) {
        box.appendChild(h("div", { className: "actions compact" }, h("button", { type: "button", className: "secondary",
          onclick: () => { questions.splice(index, 1); hideConfirm(); draw(id("q" + questions[Math.min(index, questions.length - 1)].uid) + "-text"); } },
        "Xóa câu hỏi " + (index + 1))));
      }
      questionsBox.appendChild(box);
    });
    if (focusId) document.getElementById(focusId)?.focus();
  }
  addQuestion();
  draw();
  const more = h("button", { type: "button", className: "secondary" }, "Thêm câu hỏi");
  more.addEventListener("click", () => { addQuestion(); hideConfirm(); draw(id("q" + uid) + "-text"); });

  const status = h("div", { "aria-live": "polite" });
  const step = confirmStep(id, () => title);
  const { box: confirmBox, send: sendButton, review } = step;
  function hideConfirm() { step.hide(); }

  const sender = department ? h("p", { className: "meta" }, "Gửi dưới tên: " + (department.name || department.code) + ".") : null;
  const form = h("form", { className: "kpi-filter survey-form", "aria-labelledby": id("heading") },
    h("h4", { id: id("heading") }, "Gửi khảo sát tới nhiều phường, xã"),
    sender,
    h("div", null, h("label", { for: title.id }, "Tiêu đề khảo sát"), title),
    h("div", null, h("label", { for: description.id }, "Mô tả (không bắt buộc)"), description),
    questionsBox,
    h("div", { className: "actions" }, more),
    scope, picker.element,
    h("div", null, h("label", { for: opens.id }, "Hẹn giờ mở (không bắt buộc)"), opens,
      h("p", { className: "hint" }, "Để trống để mở ngay. Giờ Hà Nội.")),
    h("div", null, h("label", { for: closes.id }, "Kết thúc lúc"), closes),
    h("div", { className: "actions" }, review),
    confirmBox, status);
  form.addEventListener("input", (e) => { if (e.target !== form.querySelector("input[type=search]")) hideConfirm(); });

  const target = () => (allRadio.checked ? "all" : picker.chosen().map((w) => w.code));
  const validate = () => surveyProblems(questions).concat(allRadio.checked || picker.chosen().length ? []
    : [{ field: "wards", message: "Hãy chọn ít nhất một phường, xã." }]);
  const sending = submitForm(form, {
    button: sendButton,
    status,
    validate,
    collect: () => {
      const out = { kind: "survey", title: title.value.trim(), questions: surveyQuestions(questions), wards: target(),
        closes_at: localToIso(closes.value), results_visibility: "after_close" };
      if (description.value.trim()) out.description = description.value.trim();
      if (opens.value) out.opens_at = localToIso(opens.value); else out.open = true;
      if (department) out.department = department.code;
      return out;
    },
    send: (data, key) => api("POST", "/api/v1/polls", data, { idempotencyKey: key }),
    done: async (sent) => {
      form.reset();
      questions = [];
      addQuestion();
      draw();
      allRadio.checked = true;
      toggle();
      status.appendChild(message("Đã gửi khảo sát «" + sent.title + "» tới " + formatNumber(sent.wards) + " phường, xã"
        + (sent.opened ? "" : " (hẹn giờ mở)") + "."));
      if (onSent) await onSent(sent);
    },
  });
  review.addEventListener("click", () => {
    const count = allRadio.checked ? wards.length : picker.chosen().length;
    const missing = [title, closes].some((c) => !c.value.trim()) || !count || surveyProblems(questions).length;
    if (missing) { sending.submit(); return; }
    step.show(confirmText(title.value.trim(), count, allRadio.checked, "khảo sát"), count);
  });
  return form;
}

/**
 * The section: a choice of what to send (a notice or a survey), its form, then what was already
 * sent (newest first). `department` ({code, name}, or a code) sends in that department's name and
 * lists only what it sent.
 */
export async function broadcastSection(main, { department = null, heading = "Gửi tới nhiều phường, xã" } = {}) {
  const dept = typeof department === "string" ? { code: department, name: department } : department;
  const section = h("section", { id: "broadcasts", className: "broadcasts", "aria-labelledby": "bc-heading" },
    h("h3", { id: "bc-heading" }, heading),
    h("p", { className: "hint" }, "Mỗi phường, xã nhận một thông báo hoặc khảo sát riêng, đến những người theo dõi phường, xã đó."));
  main.appendChild(section);
  const listBox = h("div", { "aria-live": "polite" });
  const surveyBox = h("div", { "aria-live": "polite" });
  try {
    const [wardPage] = await Promise.all([api("GET", "/api/v1/wards?limit=200"), loadVocabulary()]);
    const wards = wardPage.items.slice().sort((a, b) => a.name.localeCompare(b.name, "vi"));
    // Each form in a box of its own: the form's layout class would override `hidden`.
    const noticeForm = h("div", null, composeForm(wards, { department: dept, onSent: () => loadList() }));
    const survey = h("div", null, surveyForm(wards, { department: dept, onSent: () => loadSurveys() }));
    survey.hidden = true;
    const name = "bc-what-" + (++serial);
    const noticeRadio = h("input", { type: "radio", name, id: name + "-notice", value: "notice", checked: true });
    const surveyRadio = h("input", { type: "radio", name, id: name + "-survey", value: "survey" });
    const pick = () => { noticeForm.hidden = !noticeRadio.checked; survey.hidden = !surveyRadio.checked; };
    noticeRadio.addEventListener("change", pick);
    surveyRadio.addEventListener("change", pick);
    section.appendChild(h("fieldset", { className: "broadcast-kind" }, h("legend", null, "Gửi gì?"),
      h("label", { className: "check", for: noticeRadio.id }, noticeRadio, " Thông báo"),
      h("label", { className: "check", for: surveyRadio.id }, surveyRadio, " Khảo sát")));
    section.append(noticeForm, survey);
  } catch (error) {
    section.appendChild(errorBox(error));
  }
  section.appendChild(h("h4", { id: "bc-list-heading" }, "Thông báo đã gửi"));
  section.appendChild(listBox);
  section.appendChild(h("h4", { id: "pb-list-heading" }, "Khảo sát đã gửi"));
  section.appendChild(surveyBox);

  async function loadList() {
    clear(listBox).appendChild(message("Đang tải…"));
    try {
      const data = await api("GET", "/api/v1/broadcasts?limit=50" + (dept ? "&department=" + encodeURIComponent(dept.code) : ""));
      const items = data.items;
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
  async function loadSurveys() {
    clear(surveyBox).appendChild(message("Đang tải…"));
    try {
      const data = await api("GET", "/api/v1/poll-broadcasts?limit=50" + (dept ? "&department=" + encodeURIComponent(dept.code) : ""));
      const items = data.items;
      clear(surveyBox);
      if (!items.length) {
        surveyBox.appendChild(h("p", { className: "hint" }, "Chưa gửi khảo sát nào tới nhiều phường, xã."));
        return;
      }
      surveyBox.appendChild(h("ul", { className: "cards", "aria-labelledby": "pb-list-heading" }, items.map(surveyCard)));
    } catch (error) {
      clear(surveyBox).appendChild(errorBox(error));
    }
  }
  await Promise.all([loadList(), loadSurveys()]);
  return section;
}

/** The city console's section (city admins: sent by the city, every department's listed too). */
export default async function section(main) {
  return broadcastSection(main, {});
}
