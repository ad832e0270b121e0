/* Staff: Phản ánh hiện trường. The triage queue (open reports, earliest due first, so overdue ones
   come first), a status change with its public note (only the moves the API allows), marking a
   duplicate of another report, hiding a report's text or a photo with a reason, and the ward's
   categories (deadline in working days, taking reports or not, a new category). */

import { h, clear, append, message } from "../core/dom.js";
import { api } from "../core/api.js";
import { errorBox, submitForm } from "../core/forms.js";
import { label } from "../core/labels.js";
import { formatDateTime } from "../core/format.js";
import { desk, section, field, select, checkbox, actionButton } from "./common.js";
import { isOpen } from "../pages/report-model.js";
import { reportBadges, excerpt } from "../pages/report-common.js";

const PAGE_SIZE = 20;

export default function reportsSection() {
  const s = section("reports", "Phản ánh hiện trường");
  s.classList.add("report-triage");
  const boardHref = "/w/" + desk.ward.slug + "/phan-anh";
  s.appendChild(h("p", null, "Phản ánh đang mở, hạn xử lý sớm nhất trước (phản ánh quá hạn lên đầu). Mỗi lần chuyển trạng thái "
    + "cần một ghi chú: ghi chú được đăng công khai trên ",
  h("a", { href: boardHref }, "bảng phản ánh"), "."));
  const summary = h("p", { className: "meta", role: "status" });
  const list = h("ul", { className: "cards" });
  const more = h("div", { className: "actions" });
  s.append(summary, list, more);
  let shown = 0;
  let overdue = 0;
  function load(cursor) {
    const qs = "limit=" + PAGE_SIZE + (cursor ? "&cursor=" + encodeURIComponent(cursor) : "");
    return api("GET", "/api/v1/wards/" + desk.ward.code + "/reports/queue?" + qs).then((data) => {
      for (const r of data.items) {
        shown++;
        if (r.overdue) overdue++;
        list.appendChild(triageCard(r));
      }
      summary.textContent = shown ? shown + (data.next_cursor ? "+" : "") + " phản ánh đang mở"
        + (overdue ? ", " + overdue + " quá hạn." : ".") : "";
      clear(more);
      if (data.next_cursor) {
        more.appendChild(actionButton("Xem thêm", null, (event) => {
          event.currentTarget.disabled = true;
          load(data.next_cursor);
        }));
      } else if (!shown) {
        list.appendChild(h("li", null, message("Không có phản ánh nào đang chờ xử lý.")));
      }
    }).catch((error) => clear(more).appendChild(errorBox(error)));
  }
  const categoriesBox = h("div");
  s.appendChild(categoriesBox);
  return Promise.all([load(null), categoriesSection(categoriesBox)]);
}

/* One report of the queue; after an action it shows the report as the API returns it. */
function triageCard(r) {
  const card = h("li", { className: "card", id: "triage-" + r.id });
  fill(card, r);
  return card;
}

function fill(card, r, notice) {
  clear(card);
  const href = "/w/" + desk.ward.slug + "/phan-anh/" + r.id;
  append(card, [
    h("h3", null, h("a", { href }, "#" + r.id + " · " + r.category_name)),
    h("p", { className: "meta" }, reportBadges(Object.assign({}, r, { updated_since_seen: false }))),
    h("p", null, h("strong", null, isOpen(r.status) ? "Hạn xử lý: " : "Đóng lúc: "),
      formatDateTime(isOpen(r.status) ? r.due_at : r.closed_at), r.overdue ? " (đã quá hạn)" : ""),
    h("p", { className: "body-text" }, excerpt(r.description, 600)),
    r.description_hidden ? h("p", { className: "hint" }, "Nội dung đã được ẩn với mọi người.") : null,
    h("p", { className: "meta" }, ["Gửi lúc " + formatDateTime(r.created_at), r.address,
      "Vị trí " + r.lat + ", " + r.long].filter(Boolean).join(" · ")),
    r.reporter ? h("p", { className: "meta" }, "Người gửi: " + (r.reporter.name || "(không rõ tên)") + " (chỉ cán bộ thấy)")
      : h("p", { className: "meta" }, "Người gửi đã xóa tài khoản."),
    r.photos.length ? h("ul", { className: "thumbs" }, r.photos.map((p, i) => h("li", null,
      h("img", { src: p.url, alt: "Ảnh " + (i + 1) + (p.hidden ? " (đã ẩn với mọi người)" : ""), width: String(p.width),
        height: String(p.height) })))) : null]);
  const status = h("div", { "aria-live": "polite" });
  if (notice) status.appendChild(message(notice));
  if ((r.allowed_statuses || []).length) card.appendChild(statusForm(card, r));
  if (isOpen(r.status)) card.appendChild(categoryForm(card, r));
  card.appendChild(hideForm(card, r));
  card.appendChild(status);
}

/* The ward's categories a report may be filed under: asked once for the whole queue. */
let activeCategories = null;
function categoriesOnce() {
  if (!activeCategories) {
    activeCategories = api("GET", "/api/v1/wards/" + desk.ward.code + "/report-categories")
      .then((data) => data.items.filter((c) => c.active !== false));
  }
  return activeCategories;
}

/* "Đổi loại phản ánh…": file the report under another category; its deadline follows. */
function categoryForm(card, r) {
  const id = "triage-" + r.id + "-category";
  const box = h("details", { className: "report-category" }, h("summary", null, "Đổi loại phản ánh…"));
  const status = h("div", { "aria-live": "polite" });
  const form = h("form", null);
  box.append(form);
  categoriesOnce().then((categories) => {
    const choices = categories.map((c) => [c.code, c.name + " (" + c.deadline_days + " ngày làm việc)"]);
    append(form, [
      select(id, "Loại phản ánh", choices, r.category, { required: true, "data-field": "category" }),
      h("p", { className: "hint" }, "Hạn xử lý tính lại theo loại mới, từ lúc nhận phản ánh."),
      status,
      h("div", { className: "actions" }, h("button", { type: "submit" }, "Đổi loại"))]);
    submitForm(form, {
      status,
      collect: () => ({ category: form.elements[id].value }),
      send: (body) => api("PATCH", "/api/v1/reports/" + r.id, body),
      done: (fresh) => {
        fill(card, fresh, "Đã chuyển phản ánh #" + r.id + " sang loại «" + fresh.category_name + "».");
        card.querySelector("h3 a").focus();
      },
    });
  }).catch((error) => form.appendChild(errorBox(error)));
  return box;
}

function statusForm(card, r) {
  const id = "triage-" + r.id;
  const status = h("div", { "aria-live": "polite" });
  const choices = r.allowed_statuses.map((code) => [code, label("report_status", code)]);
  const [dupLabel, dupInput, dupHint] = field(id + "-dup", "Số của phản ánh gốc", {
    type: "number", inputmode: "numeric", min: "1", step: "1", "data-field": "duplicate_of" },
  "Tìm phản ánh gốc trên bảng phản ánh; số là phần sau dấu # (ví dụ #12 → 12).");
  const dupBox = h("div", { hidden: true }, dupLabel, dupInput, dupHint);
  const form = h("form", { className: "report-status-form" },
    select(id + "-status", "Chuyển sang", [["", "Chọn trạng thái"]].concat(choices), "", { required: true, "data-field": "status" }),
    dupBox,
    field(id + "-note", "Ghi chú công khai", { tag: "textarea", rows: "3", maxlength: "1000", required: true, "data-field": "note" },
      "Người dân đọc được ghi chú này trên bảng phản ánh."),
    status,
    h("div", { className: "actions" }, h("button", { type: "submit" }, "Cập nhật trạng thái")));
  const picker = form.elements[id + "-status"];
  picker.addEventListener("change", () => {
    const dup = picker.value === "duplicate";
    dupBox.hidden = !dup;
    dupInput.required = dup;
  });
  submitForm(form, {
    status,
    validate: () => (picker.value === "duplicate" && Number(dupInput.value) === r.id
      ? [{ field: "duplicate_of", message: "Phản ánh gốc phải là một phản ánh khác." }] : []),
    collect: () => {
      const body = { status: picker.value, note: form.elements[id + "-note"].value.trim() };
      if (picker.value === "duplicate") body.duplicate_of = Number(dupInput.value);
      return body;
    },
    send: (body) => api("POST", "/api/v1/reports/" + r.id + "/status", body),
    done: (fresh) => {
      fill(card, fresh, "Đã chuyển phản ánh #" + r.id + " sang «" + fresh.status_label + "».");
      card.querySelector("h3 a").focus();  // the form is gone: keep the keyboard on this report
    },
  });
  return form;
}

/* "Ẩn nội dung hoặc ảnh…": what to hide (the text or one photo) and why (kept in the audit). */
function hideForm(card, r) {
  const id = "triage-" + r.id + "-hide";
  const targets = [];
  if (!r.description_hidden) targets.push(["description", "Nội dung phản ánh"]);
  r.photos.forEach((p, i) => { if (!p.hidden) targets.push(["photo:" + p.id, "Ảnh " + (i + 1)]); });
  const box = h("details", { className: "report-hide" }, h("summary", null, "Ẩn nội dung hoặc ảnh…"));
  if (!targets.length) {
    box.appendChild(h("p", { className: "meta" }, "Nội dung và ảnh của phản ánh này đều đã được ẩn."));
    return box;
  }
  const status = h("div", { "aria-live": "polite" });
  const form = h("form", null,
    h("p", { className: "hint" }, "Ẩn phần làm lộ thông tin của người khác (mặt người, biển số xe, số điện thoại…). "
      + "Bản gốc vẫn được lưu; người gửi và cán bộ vẫn thấy."),
    select(id + "-target", "Phần cần ẩn", targets, targets[0][0], { "data-field": "target photo_id" }),
    field(id + "-reason", "Lý do ẩn (lưu lại để đối chiếu)", { tag: "textarea", rows: "2", maxlength: "1000", required: true,
      "data-field": "reason" }),
    status,
    h("div", { className: "actions" }, h("button", { type: "submit", className: "secondary" }, "Ẩn")));
  box.appendChild(form);
  submitForm(form, {
    status,
    collect: () => {
      const [target, photo] = form.elements[id + "-target"].value.split(":");
      const body = { target, reason: form.elements[id + "-reason"].value.trim() };
      if (photo) body.photo_id = Number(photo);
      return body;
    },
    send: (body) => api("POST", "/api/v1/reports/" + r.id + "/hide", body),
    done: (fresh, body) => fill(card, fresh, body.target === "photo" ? "Đã ẩn ảnh với mọi người." : "Đã ẩn nội dung với mọi người."),
  });
  return box;
}

/* The ward's categories: change a deadline or stop taking reports of one, add a new one. */
function categoriesSection(box) {
  const base = "/api/v1/wards/" + desk.ward.code + "/report-categories";
  const details = h("details", { className: "report-categories" }, h("summary", null, "Loại phản ánh và thời hạn xử lý"));
  const list = h("ul", { className: "cards" });
  details.appendChild(list);
  clear(box).appendChild(details);
  function load() {
    return api("GET", base + "?include_inactive=true").then((data) => {
      clear(list);
      for (const c of data.items) list.appendChild(categoryCard(base, c));
    }).catch((error) => clear(list).appendChild(h("li", null, errorBox(error))));
  }
  const status = h("div", { "aria-live": "polite" });
  const form = h("form", null,
    h("fieldset", null, h("legend", null, "Thêm loại phản ánh"),
      field("rc-code", "Mã (chữ thường không dấu, số, dấu _)", { required: true, maxlength: "40", pattern: "[a-z0-9_]+",
        autocapitalize: "none", "data-field": "code" }),
      field("rc-name", "Tên", { required: true, maxlength: "120", "data-field": "name" }),
      field("rc-group", "Nhóm", { required: true, maxlength: "80", "data-field": "group" }),
      field("rc-days", "Thời hạn xử lý (ngày làm việc)", { type: "number", min: "1", max: "60", required: true,
        inputmode: "numeric", "data-field": "deadline_days" }),
      status,
      h("div", { className: "actions" }, h("button", { type: "submit" }, "Thêm"))));
  details.appendChild(form);
  submitForm(form, {
    status,
    collect: () => ({
      code: form.elements["rc-code"].value.trim(),
      name: form.elements["rc-name"].value.trim(),
      group: form.elements["rc-group"].value.trim(),
      deadline_days: Number(form.elements["rc-days"].value),
    }),
    send: (body, key) => api("POST", base, body, { idempotencyKey: key }),
    done: (c) => {
      form.reset();
      status.appendChild(message("Đã thêm «" + c.name + "»."));
      return load();
    },
  });
  return load();
}

function categoryCard(base, c) {
  const id = "rc-" + c.code;
  const status = h("div", { "aria-live": "polite" });
  const form = h("form", { className: "card" },
    h("h4", null, c.name + " (" + c.group + ")" + (c.active ? "" : " – đã ngừng nhận")),
    field(id + "-days", "Thời hạn xử lý của «" + c.name + "» (ngày làm việc)", { type: "number", min: "1", max: "60", required: true,
      inputmode: "numeric", value: String(c.deadline_days), "data-field": "deadline_days" }),
    checkbox(id + "-active", "Đang nhận phản ánh loại «" + c.name + "»", { checked: c.active, "data-field": "active" }),
    status,
    h("div", { className: "actions" }, h("button", { type: "submit", className: "secondary" }, "Lưu «" + c.name + "»")));
  submitForm(form, {
    status,
    collect: () => ({ deadline_days: Number(form.elements[id + "-days"].value), active: form.elements[id + "-active"].checked }),
    send: (body) => api("PATCH", base + "/" + encodeURIComponent(c.code), body),
    done: (fresh) => status.appendChild(message("Đã lưu «" + fresh.name + "»: " + fresh.deadline_days + " ngày làm việc"
      + (fresh.active ? "." : ", ngừng nhận phản ánh mới."))),
  });
  return h("li", null, form);
}
