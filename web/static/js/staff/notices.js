/* Staff: post a notice (to the ward, or to a leader's community), list, publish, withdraw. */

import { h, clear, message } from "../core/dom.js";
import { api } from "../core/api.js";
import { errorBox, runAction, submitForm } from "../core/forms.js";
import { formatDateTime, formatNumber, formatPercent, localToIso } from "../core/format.js";
import { label, options } from "../core/labels.js";
import { desk, section, field, select, checkbox, targetSelect } from "./common.js";

/* The API names each status (status_label); a published notice not yet delivered is scheduled. */
function noticeStatus(n) {
  if (n.status === "published" && !n.delivered_at) return "Hẹn giờ đăng " + formatDateTime(n.published_at);
  return n.status_label;
}

export default function noticesSection(categories, targets) {
  const { ward } = desk;
  const s = section("notices", "Đăng thông báo");
  const status = h("div", { "aria-live": "polite" });
  const picker = targets ? null : audiencePicker(ward);
  const form = h("form", null,
    targetSelect("notice-community", "Gửi tới cộng đồng", targets, { "data-field": "community_ids" }),
    picker ? picker.node : null,
    field("notice-title", "Tiêu đề", { required: true, maxlength: "200", "data-field": "title" }),
    field("notice-body", "Nội dung", { tag: "textarea", required: true, maxlength: "10000", "data-field": "body" }),
    select("notice-category", "Lĩnh vực", categories.map((c) => [c.code, c.label]), undefined, { "data-field": "category" }),
    select("notice-priority", "Mức độ", options("notice_priority", { codes: ["normal", "urgent"] }), "normal", { "data-field": "priority" }),
    checkbox("notice-pinned", "Ghim lên đầu", { "data-field": "pinned" }),
    checkbox("notice-draft", "Chỉ lưu bản nháp"),
    field("notice-expires", "Hết hạn lúc (không bắt buộc)", { type: "datetime-local", "data-field": "expires_at" }),
    h("div", { className: "actions" }, h("button", { type: "submit" }, "Đăng thông báo")),
    status);
  s.appendChild(form);
  s.appendChild(h("h3", null, targets ? "Thông báo gửi cộng đồng của bạn" : "Thông báo của phường, xã"));
  const filter = h("form", { className: "filter" },
    h("div", null, select("notice-status", "Trạng thái",
      [["", "Tất cả"]].concat(options("notice_status", { codes: ["published", "draft", "withdrawn"], only: ["published", "draft", "withdrawn"] })), "")));
  s.appendChild(filter);
  const list = h("ul", { className: "cards", id: "notice-list" });
  const more = h("div", { className: "actions" });
  s.appendChild(list);
  s.appendChild(more);

  function load(cursor) {
    const wanted = filter.elements["notice-status"].value;
    const url = "/api/v1/wards/" + ward.code + "/notices?limit=20" + (wanted ? "&status=" + wanted : "")
      + (cursor ? "&cursor=" + encodeURIComponent(cursor) : "");
    return api("GET", url).then((data) => {
      if (!cursor) clear(list);
      clear(more);
      for (const n of data.items) list.appendChild(noticeCard(n, () => load(null)));
      if (!cursor && !data.items.length) list.appendChild(h("li", { className: "meta" }, "Chưa có thông báo nào."));
      if (data.next_cursor) {
        more.appendChild(h("button", { type: "button", className: "secondary", onclick: () => load(data.next_cursor) }, "Xem thêm thông báo"));
      }
    }).catch((error) => clear(list).appendChild(h("li", null, errorBox(error))));
  }
  filter.addEventListener("change", () => load(null));
  filter.addEventListener("submit", (e) => { e.preventDefault(); load(null); });
  submitForm(form, {
    status,
    validate: () => (picker ? picker.problems() : []),
    collect: () => {
      const draft = form.elements["notice-draft"].checked;
      const body = {
        ward: ward.code,
        title: form.elements["notice-title"].value.trim(),
        body: form.elements["notice-body"].value.trim(),
        category: form.elements["notice-category"].value,
        priority: form.elements["notice-priority"].value,
        pinned: form.elements["notice-pinned"].checked,
        status: draft ? "draft" : "published",
      };
      if (targets) body.community_ids = [Number(form.elements["notice-community"].value)];
      else body.community_ids = picker.chosen();
      const expires = localToIso(form.elements["notice-expires"].value);
      if (expires) body.expires_at = expires;
      return body;
    },
    send: (body, key) => api("POST", "/api/v1/notices", body, { idempotencyKey: key }),
    done: (n, body) => {
      form.reset();
      if (picker) picker.reset();
      status.appendChild(message((body.status === "draft" ? "Đã lưu bản nháp «" : "Đã đăng thông báo «") + n.title + "» (số " + n.id + ")."));
      return load(null);
    },
  });
  return load(null);
}

/* Ward staff choose the audience: the whole ward, or one or more of its communities. */
function audiencePicker(ward) {
  const picks = h("ul", { className: "community-picks", id: "notice-communities" });
  const whole = h("input", { type: "radio", id: "notice-to-ward", name: "notice-audience", value: "ward", checked: true });
  const some = h("input", { type: "radio", id: "notice-to-communities", name: "notice-audience", value: "communities",
    "aria-controls": "notice-communities" });
  const hint = h("p", { className: "hint" });
  const node = h("fieldset", { "data-field": "community_ids", id: "notice-audience" }, h("legend", null, "Gửi tới"),
    h("label", { className: "check", for: "notice-to-ward" }, whole, "Toàn phường, xã (mọi người theo dõi)"),
    h("label", { className: "check", for: "notice-to-communities" }, some, "Một hoặc vài cộng đồng"),
    picks, hint);
  const boxes = () => Array.from(picks.querySelectorAll("input[type=checkbox]"));
  function sync() {
    boxes().forEach((box) => { box.disabled = !some.checked; });
  }
  whole.addEventListener("change", sync);
  some.addEventListener("change", () => {
    sync();
    const first = boxes()[0];
    if (first) first.focus();
  });
  api("GET", "/api/v1/wards/" + ward.code + "/communities?limit=200").then((data) => {
    for (const c of data.items) {
      const id = "notice-community-" + c.id;
      picks.appendChild(h("li", null, h("label", { className: "check", for: id },
        h("input", { type: "checkbox", id, value: String(c.id), disabled: true }), c.name + " (" + c.kind_label + ")")));
    }
    if (!data.items.length) {
      some.disabled = true;
      hint.textContent = "Phường, xã chưa có cộng đồng nào; thông báo gửi toàn phường, xã.";
    }
  }).catch((error) => node.appendChild(errorBox(error)));
  return {
    node,
    chosen: () => (some.checked ? boxes().filter((b) => b.checked).map((b) => Number(b.value)) : []),
    problems: () => (some.checked && !boxes().some((b) => b.checked)
      ? [{ field: "community_ids", message: "Hãy đánh dấu ít nhất một cộng đồng, hoặc chọn «Toàn phường, xã»." }] : []),
    reset: sync,
  };
}

function noticeCard(n, reload) {
  const box = h("div", { "aria-live": "polite" });
  const actions = h("div", { className: "actions" });
  function act(path, text, confirmText) {
    const button = h("button", { type: "button", className: "secondary", "aria-label": text + " «" + n.title + "»" }, text);
    button.addEventListener("click", () => {
      if (confirmText && !window.confirm(confirmText)) return;
      runAction(button, () => api("POST", "/api/v1/notices/" + n.id + path).then(reload), box);
    });
    return button;
  }
  if (n.status === "draft") actions.appendChild(act("/publish", "Đăng ngay"));
  else {
    actions.appendChild(h("button", { type: "button", className: "secondary", "aria-label": "Số liệu tiếp cận «" + n.title + "»",
      onclick: () => showStats(n.id, box) }, "Số liệu tiếp cận"));
  }
  if (n.status === "published") actions.appendChild(act("/withdraw", "Thu hồi", "Thu hồi thông báo «" + n.title + "» khỏi mọi bảng tin?"));
  const reach = n.community_ids.length ? "Gửi " + n.community_ids.length + " cộng đồng" : "Toàn phường, xã";
  return h("li", { className: "card" },
    h("h4", null, h("a", { href: "/w/" + desk.ward.slug + "/notices/" + n.id }, n.title)),
    h("p", { className: "meta" }, [
      noticeStatus(n), n.priority === "urgent" ? (n.priority_label || label("notice_priority", n.priority)) : null,
      n.pinned ? "Ghim" : null, n.category.label, reach,
      "Số " + n.id, formatDateTime(n.published_at || n.created_at)].filter(Boolean).join(" · ")),
    actions, box);
}

function showStats(id, box) {
  clear(box);
  return api("GET", "/api/v1/notices/" + encodeURIComponent(id) + "/stats").then((st) => {
    const row = (name, value) => h("tr", null, h("th", { scope: "row" }, name), h("td", null, value));
    box.appendChild(h("table", null,
      h("caption", { className: "visually-hidden" }, "Số liệu tiếp cận của thông báo số " + id),
      h("tbody", null,
        row("Người nhận", formatNumber(st.audience)),
        row("Đã hiện trên ứng dụng", formatNumber(st.delivered)),
        row("Đã đọc", formatNumber(st.read) + " (" + formatPercent(st.read_share) + ")"))));
  }).catch((error) => box.appendChild(errorBox(error)));
}
