/* Webhooks in the consoles: the endpoints with their status, registering one (URL, events with
   their Vietnamese labels), the secret shown once with a copy button, "Gửi thử", the delivery
   log with "Gửi lại", re-enabling a disabled endpoint and deleting one after a confirmation.
   The ward console calls the default export for the ward's admins; the city console uses
   webhookPanel() for the endpoints of every ward. The API decides who may do what. */

import { h, clear, message } from "../core/dom.js";
import { api } from "../core/api.js";
import { errorBox, runAction, submitForm } from "../core/forms.js";
import { formatDateTime, formatNumber } from "../core/format.js";
import { desk, section } from "./common.js";
import { confirmDialog } from "./dialog.js";

/* The secret of an endpoint just registered: shown this once, with a copy button. */
function secretPanel(prefix, created, onDone) {
  const id = prefix + "-secret-value";
  const input = h("input", { id, type: "text", readonly: true, value: created.secret, className: "code", spellcheck: "false" });
  const copied = h("span", { className: "hint", role: "status", "aria-live": "polite" });
  const copy = h("button", { type: "button", className: "secondary" }, "Sao chép mã bí mật");
  copy.addEventListener("click", async () => {
    try {
      await navigator.clipboard.writeText(created.secret);
      copied.textContent = "Đã sao chép.";
    } catch (error) {
      input.select();
      copied.textContent = "Hãy nhấn Ctrl+C rồi dán vào nơi an toàn.";
    }
  });
  const done = h("button", { type: "button" }, "Tôi đã lưu mã bí mật");
  const panel = h("section", { id: prefix + "-secret", className: "notice", tabindex: "-1", "aria-labelledby": prefix + "-secret-heading" },
    h("h3", { id: prefix + "-secret-heading" }, "Đã đăng ký điểm nhận " + created.url),
    h("p", { className: "notice message error", role: "alert" },
      "Mã bí mật chỉ hiện một lần này. Hệ thống bên nhận dùng nó để kiểm tra chữ ký (webhook-signature) "
      + "của mỗi sự kiện. Nếu làm mất, hãy xóa điểm nhận và đăng ký lại."),
    h("label", { for: id }, "Mã bí mật (whsec_…)"), input,
    h("div", { className: "actions" }, copy, copied),
    h("div", { className: "actions" }, done));
  done.addEventListener("click", () => { panel.remove(); onDone(); });
  return panel;
}

function registerForm(prefix, ward, types, onCreated) {
  const url = h("input", { id: prefix + "-url", name: "url", type: "url", required: true, maxlength: 2000,
    autocomplete: "off", placeholder: "https://he-thong.example.vn/webhooks" });
  const boxes = types.map((t) => {
    const box = h("input", { type: "checkbox", id: prefix + "-e-" + t.name.replace(/\./g, "-"), value: t.name, name: "events" });
    return { name: t.name, box, item: h("li", null, h("label", { className: "check", for: box.id }, box,
      h("span", null, t.label + " ", h("span", { className: "hint" }, "(" + t.name + ")")))) };
  });
  const events = h("fieldset", { id: prefix + "-events", "data-field": "events" },
    h("legend", null, "Sự kiện muốn nhận"), h("ul", { className: "plain" }, boxes.map((b) => b.item)));
  const description = h("input", { id: prefix + "-desc", name: "description", maxlength: 200, autocomplete: "off" });
  const status = h("div", { id: prefix + "-status", "aria-live": "polite" });
  const form = h("form", { id: prefix + "-form", "aria-labelledby": prefix + "-form-heading" },
    h("h3", { id: prefix + "-form-heading" }, ward ? "Thêm điểm nhận" : "Thêm điểm nhận cho mọi phường, xã"),
    h("label", { for: url.id }, "Địa chỉ nhận (URL)"), url,
    h("p", { className: "hint" }, "Hệ thống sẽ gửi POST có chữ ký theo chuẩn Standard Webhooks tới địa chỉ này."),
    events,
    h("label", { for: description.id }, "Mô tả (không bắt buộc)"), description,
    h("div", { className: "actions" }, h("button", { type: "submit" }, "Đăng ký và tạo mã bí mật")),
    status);
  submitForm(form, {
    status,
    validate: () => (boxes.some((b) => b.box.checked) ? [] : [{ field: "events", message: "Hãy chọn ít nhất một sự kiện." }]),
    collect: () => ({
      url: url.value.trim(),
      events: boxes.filter((b) => b.box.checked).map((b) => b.name),
      ward,
      description: description.value.trim(),
    }),
    send: (body, key) => api("POST", "/api/v1/webhooks", body, { idempotencyKey: key }),
    done: (created) => {
      form.reset();
      onCreated(created);
    },
  });
  return form;
}

/** One delivery attempt: "08:30, 01/07/2025 · Máy nhận trả lời 503 · 1.250 ms" (the error when it never answered). Pure. */
export function attemptText(a) {
  const what = a.error || ("Máy nhận trả lời " + a.status_code);
  return formatDateTime(a.at) + " · " + what + " · " + formatNumber(a.duration_ms) + " ms";
}

/* The delivery log of one endpoint, newest first, with "Gửi lại" on each delivery. */
async function deliveryLog(prefix, endpoint, box) {
  clear(box);
  const data = await api("GET", "/api/v1/webhooks/" + endpoint.id + "/deliveries?limit=20");
  if (!data.items.length) {
    box.appendChild(message("Chưa có lần gửi nào."));
    return;
  }
  const list = h("ul", { className: "plain", "aria-label": "Nhật ký gửi của " + endpoint.url });
  for (const d of data.items) {
    const status = h("div", { "aria-live": "polite" });
    const again = h("button", { type: "button", className: "secondary" }, "Gửi lại");
    again.addEventListener("click", () => runAction(again, async () => {
      await api("POST", "/api/v1/webhooks/" + endpoint.id + "/deliveries/" + d.id + "/replay");
      status.replaceChildren(message("Đã xếp lịch gửi lại (cùng webhook-id) trong vài giây."));
    }, status));
    list.appendChild(h("li", { className: "card" },
      h("p", null, h("strong", null, d.event_label), " · " + d.status_label + " · " + formatDateTime(d.created_at)),
      h("p", { className: "meta" }, "webhook-id: ", h("code", null, d.event_id)),
      d.attempts.length ? h("ul", null, d.attempts.map((a) => h("li", null, attemptText(a)))) : h("p", { className: "meta" }, "Chưa gửi lần nào."),
      endpoint.active ? h("div", { className: "actions" }, again) : null,
      status));
  }
  box.appendChild(list);
}

function endpointCard(prefix, endpoint, reload) {
  const status = h("div", { "aria-live": "polite" });
  const logBox = h("div");
  const test = h("button", { type: "button", className: "secondary" }, "Gửi thử");
  test.addEventListener("click", () => runAction(test, async () => {
    await api("POST", "/api/v1/webhooks/" + endpoint.id + "/test");
    status.replaceChildren(message("Đã xếp lịch gửi sự kiện thử; xem nhật ký sau vài giây."));
  }, status));
  const log = h("button", { type: "button", className: "secondary", "aria-expanded": "false" }, "Nhật ký gửi");
  log.addEventListener("click", () => runAction(log, async () => {
    const open = log.getAttribute("aria-expanded") === "true";
    log.setAttribute("aria-expanded", String(!open));
    if (open) clear(logBox);
    else await deliveryLog(prefix, endpoint, logBox);
  }, status));
  const remove = h("button", { type: "button", className: "danger" }, "Xóa");
  remove.addEventListener("click", async () => {
    const yes = await confirmDialog({
      title: "Xóa điểm nhận " + endpoint.url + "?",
      body: ["Hệ thống ngừng gửi sự kiện tới địa chỉ này; nhật ký gửi bị xóa theo.", "Không thể hoàn tác."],
      confirm: "Xóa điểm nhận",
    });
    if (!yes) return;
    await runAction(remove, async () => {
      await api("DELETE", "/api/v1/webhooks/" + endpoint.id);
      await reload();
    }, status);
  });
  const actions = [test, log, remove];
  if (!endpoint.active) {
    const enable = h("button", { type: "button" }, "Bật lại");
    enable.addEventListener("click", () => runAction(enable, async () => {
      await api("POST", "/api/v1/webhooks/" + endpoint.id + "/enable");
      await reload();
    }, status));
    actions.unshift(enable);
    test.disabled = true;
  }
  return h("li", { className: "card" },
    h("h3", null, endpoint.url),
    h("p", null, h("strong", null, endpoint.status_label),
      endpoint.ward_name ? " · " + endpoint.ward_name : " · Mọi phường, xã",
      " · Đang chờ gửi: " + formatNumber(endpoint.pending)),
    endpoint.disabled_reason ? h("p", { className: "meta" }, endpoint.disabled_reason) : null,
    h("p", { className: "meta" }, "Sự kiện: " + endpoint.events.join(", ")),
    endpoint.description ? h("p", { className: "meta" }, endpoint.description) : null,
    h("div", { className: "actions" }, actions),
    status, logBox);
}

/** Fill `container` with the endpoints of a ward (its code) or of every ward (null). */
export async function webhookPanel(container, { ward, prefix }) {
  const types = (await api("GET", "/api/v1/webhooks/event-types")).items;
  const listBox = h("div", { id: prefix + "-list" });
  const secretBox = h("div");
  async function reload() {
    const query = ward ? "?ward=" + encodeURIComponent(ward) : "";
    const data = await api("GET", "/api/v1/webhooks" + query);
    const shown = ward ? data.items : data.items.filter((e) => e.ward === null);
    clear(listBox);
    if (!shown.length) listBox.appendChild(message("Chưa có điểm nhận nào."));
    else listBox.appendChild(h("ul", { className: "plain" }, shown.map((e) => endpointCard(prefix, e, reload))));
  }
  const form = registerForm(prefix, ward, types, async (created) => {
    const panel = secretPanel(prefix, created, () => form.querySelector("input").focus());
    secretBox.replaceChildren(panel);
    panel.focus();
    await reload();
  });
  container.append(
    h("p", null, "Webhook báo cho hệ thống khác mỗi khi có thay đổi (thông báo được đăng, phản ánh mới …): "
      + "mỗi sự kiện được gửi bằng POST có chữ ký; nếu bên nhận lỗi, hệ thống tự gửi lại sau 5 giây, 5 phút, 30 phút …"),
    listBox, secretBox, form);
  try {
    await reload();
  } catch (error) {
    listBox.appendChild(errorBox(error));
  }
}

/** The ward console's section (ward admins). */
export default async function webhooksSection() {
  const s = section("webhooks", "Webhook");
  try {
    await webhookPanel(s, { ward: desk.ward.code, prefix: "wh" });
  } catch (error) {
    s.appendChild(errorBox(error));
  }
}
