/* API clients (ứng dụng bên ngoài) in the city console: the registered clients, registering one
   (its name, scopes, wards: all of them or some chosen from the 126), the secret shown once
   with a copy button, and deleting one after a confirmation. The city console calls the default
   export after the indicators; the API decides who may do this and says why not. */

import { h, clear, message } from "../core/dom.js";
import { api } from "../core/api.js";
import { errorBox, runAction, submitForm } from "../core/forms.js";
import { formatDateTime, formatNumber } from "../core/format.js";
import { label, options } from "../core/labels.js";
import { fold } from "./kpi.js";

/* The scopes in the order people read them (their labels come from GET /api/v1/vocabulary). */
const SCOPE_ORDER = ["notices:read", "notices:write", "polls:read", "reports:read", "reports:write",
  "market:read", "kpi:read"];
const PREFIX = "cl";

/** The wards whose folded name, code or slug holds every word of the query (all for none). Pure. */
export function findWards(wards, q) {
  const words = fold(q).split(" ").filter(Boolean);
  if (!words.length) return wards.slice();
  return wards.filter((w) => {
    const key = fold(w.name + " " + w.code + " " + (w.slug || "").replace(/-/g, " "));
    return words.every((word) => key.includes(word));
  });
}

/** How a client's wards read: "Tất cả phường, xã", or the names (codes when unknown). Pure. */
export function wardsText(wards, names) {
  if (wards === "all") return "Tất cả phường, xã";
  const shown = wards.map((code) => names.get(code) || code);
  if (shown.length <= 3) return shown.join(", ");
  return shown.slice(0, 3).join(", ") + " và " + formatNumber(shown.length - 3) + " phường, xã khác";
}

/* A modal that asks before deleting (a native <dialog>: focus kept inside, Esc cancels). */
function confirmDelete(client) {
  const before = document.activeElement;
  const yes = h("button", { type: "button", className: "danger" }, "Xóa ứng dụng");
  const no = h("button", { type: "button", className: "secondary" }, "Hủy");
  const dialog = h("dialog", { className: "modal", "aria-labelledby": PREFIX + "-del-title",
    "aria-describedby": PREFIX + "-del-body" },
  h("div", { className: "modal-body" },
    h("h2", { id: PREFIX + "-del-title" }, "Xóa ứng dụng «" + client.name + "»?"),
    h("div", { id: PREFIX + "-del-body" },
      h("p", null, "Mọi mã truy cập của ứng dụng này ngừng hoạt động ngay lập tức, và ứng dụng không lấy được mã mới."),
      h("p", null, "Không thể hoàn tác: muốn dùng lại, hãy đăng ký một ứng dụng mới.")),
    h("div", { className: "actions" }, yes, no)));
  document.body.appendChild(dialog);
  return new Promise((resolve) => {
    let answer = false;
    yes.addEventListener("click", () => { answer = true; dialog.close(); });
    no.addEventListener("click", () => dialog.close());
    dialog.addEventListener("close", () => {
      dialog.remove();
      if (before && before.isConnected && before.focus) before.focus();
      resolve(answer);
    });
    dialog.showModal();
    no.focus();  // the safe choice first
  });
}

/* The secret of a client just registered: shown this once, with copy buttons and a warning. */
function secretPanel(created, onDone) {
  const line = (id, text, value) => {
    const input = h("input", { id, type: "text", readonly: true, value, className: "code", spellcheck: "false" });
    const copied = h("span", { className: "hint", role: "status", "aria-live": "polite" });
    const copy = h("button", { type: "button", className: "secondary" }, "Sao chép " + text.toLowerCase());
    copy.addEventListener("click", async () => {
      try {
        await navigator.clipboard.writeText(value);
        copied.textContent = "Đã sao chép.";
      } catch (error) {
        input.select();  // no clipboard access (an old browser, http): select it for Ctrl+C
        copied.textContent = "Hãy nhấn Ctrl+C (hoặc giữ để sao chép) rồi dán vào nơi an toàn.";
      }
    });
    return h("div", null, h("label", { for: id }, text), input, h("div", { className: "actions" }, copy, copied));
  };
  const done = h("button", { type: "button" }, "Tôi đã lưu mã bí mật");
  const panel = h("section", { id: PREFIX + "-secret", className: "notice", tabindex: "-1",
    "aria-labelledby": PREFIX + "-secret-heading" },
  h("h4", { id: PREFIX + "-secret-heading" }, "Đã đăng ký «" + created.name + "»"),
  h("p", { className: "notice message error", role: "alert" },
    "Mã bí mật (client_secret) chỉ hiện một lần này: hệ thống chỉ lưu dạng băm, không ai xem lại được. "
    + "Hãy sao chép và trao cho đơn vị sử dụng qua kênh an toàn ngay bây giờ. Nếu làm mất, hãy xóa ứng dụng và đăng ký lại."),
  line(PREFIX + "-client-id", "Mã ứng dụng (client_id)", created.client_id),
  line(PREFIX + "-client-secret", "Mã bí mật (client_secret)", created.client_secret),
  h("p", { className: "hint" }, "Ứng dụng lấy mã truy cập bằng POST /oauth/token (grant_type=client_credentials, "
    + "xác thực HTTP Basic bằng hai mã trên); hướng dẫn chi tiết trong tài liệu cho bên tích hợp."),
  h("div", { className: "actions" }, done));
  done.addEventListener("click", () => { panel.remove(); onDone(); });
  return panel;
}

function registerForm(wards, onCreated) {
  const name = h("input", { id: PREFIX + "-name", name: "name", required: true, maxlength: 120, autocomplete: "off",
    placeholder: "Ví dụ: Cổng dữ liệu Trường THCS Hoàn Kiếm" });
  const scopeBoxes = options("api_scope", { codes: SCOPE_ORDER }).map(([code, text]) => {
    const box = h("input", { type: "checkbox", id: PREFIX + "-s-" + code.replace(":", "-"), value: code, name: "scopes" });
    return { code, box, item: h("li", null, h("label", { className: "check", for: box.id }, box,
      h("span", null, text + " ", h("span", { className: "hint" }, "(" + code + ")")))) };
  });
  const scopes = h("fieldset", { id: PREFIX + "-scopes", "data-field": "scopes" },
    h("legend", null, "Phạm vi truy cập"),
    h("ul", { className: "plain" }, scopeBoxes.map((s) => s.item)));

  const allRadio = h("input", { type: "radio", id: PREFIX + "-all", name: "ward-mode", value: "all" });
  const someRadio = h("input", { type: "radio", id: PREFIX + "-some", name: "ward-mode", value: "some", checked: true });
  const boxes = new Map();
  const items = wards.map((w) => {
    const box = h("input", { type: "checkbox", id: PREFIX + "-w-" + w.code, value: w.code, name: "wards" });
    boxes.set(w.code, box);
    return { ward: w, item: h("li", null, h("label", { className: "check", for: box.id }, box, " " + w.name)) };
  });
  const q = h("input", { id: PREFIX + "-wq", type: "search", autocomplete: "off", placeholder: "Ví dụ: hoan kiem" });
  const count = h("p", { className: "meta", role: "status", "aria-live": "polite" });
  const list = h("ul", { className: "ward-checklist plain", id: PREFIX + "-wards" }, items.map((i) => i.item));
  const chosen = () => wards.filter((w) => boxes.get(w.code).checked).map((w) => w.code);
  const recount = () => {
    const shown = items.filter((i) => !i.item.hidden).length;
    count.textContent = "Đã chọn " + formatNumber(chosen().length) + " phường, xã"
      + (shown !== wards.length ? " · đang hiện " + formatNumber(shown) + " kết quả tìm" : "") + ".";
  };
  // The list is long on a phone: folded until searched or opened.
  const listBox = h("details", { id: PREFIX + "-list-box" },
    h("summary", null, "Danh sách " + formatNumber(wards.length) + " phường, xã"), list);
  q.addEventListener("input", () => {
    const keep = new Set(findWards(wards, q.value).map((w) => w.code));
    for (const i of items) i.item.hidden = !keep.has(i.ward.code);
    if (q.value.trim()) listBox.open = true;
    recount();
  });
  list.addEventListener("change", recount);
  const picker = h("div", { id: PREFIX + "-picker" },
    h("label", { for: q.id }, "Tìm phường, xã (gõ có dấu hoặc không dấu)"), q, count, listBox);
  const wardSet = h("fieldset", { id: PREFIX + "-ward-set", "data-field": "wards" },
    h("legend", null, "Phường, xã được truy cập"),
    h("label", { className: "check", for: allRadio.id }, allRadio,
      " Tất cả " + formatNumber(wards.length) + " phường, xã (cả số liệu toàn thành phố)"),
    h("label", { className: "check", for: someRadio.id }, someRadio, " Chỉ những phường, xã được chọn"),
    picker);
  const syncMode = () => { picker.hidden = allRadio.checked; };
  allRadio.addEventListener("change", syncMode);
  someRadio.addEventListener("change", syncMode);
  recount();

  const status = h("div", { id: PREFIX + "-status", "aria-live": "polite" });
  const form = h("form", { id: PREFIX + "-form", "aria-labelledby": PREFIX + "-form-heading" },
    h("h4", { id: PREFIX + "-form-heading" }, "Đăng ký ứng dụng mới"),
    h("label", { for: name.id }, "Tên ứng dụng"), name,
    scopes, wardSet,
    h("div", { className: "actions" }, h("button", { type: "submit" }, "Đăng ký và tạo mã bí mật")),
    status);
  submitForm(form, {
    status,
    validate: () => {
      const problems = [];
      if (!scopeBoxes.some((s) => s.box.checked)) problems.push({ field: "scopes", message: "Hãy chọn ít nhất một phạm vi." });
      if (!allRadio.checked && !chosen().length) problems.push({ field: "wards", message: "Hãy chọn ít nhất một phường, xã, hoặc «Tất cả»." });
      return problems;
    },
    collect: () => ({
      name: name.value.trim(),
      scopes: scopeBoxes.filter((s) => s.box.checked).map((s) => s.code),
      wards: allRadio.checked ? "all" : chosen(),
    }),
    send: (body, key) => api("POST", "/api/v1/clients", body, { idempotencyKey: key }),
    done: (created) => {
      form.reset();
      someRadio.checked = true;
      syncMode();
      for (const i of items) i.item.hidden = false;
      listBox.open = false;
      recount();
      onCreated(created);
    },
  });
  return form;
}

function clientTable(clients, names, onDelete) {
  if (!clients.length) return h("p", { id: PREFIX + "-empty", className: "hint" }, "Chưa có ứng dụng nào được đăng ký.");
  const rows = clients.map((c) => {
    const remove = h("button", { type: "button", className: "danger", "aria-label": "Xóa ứng dụng " + c.name }, "Xóa");
    remove.addEventListener("click", () => onDelete(c, remove));
    return h("tr", null,
      h("th", { scope: "row" }, c.name),
      h("td", null, h("span", { className: "code" }, c.client_id)),
      h("td", null, h("ul", { className: "plain" }, c.scopes.map((s) => h("li", null, label("api_scope", s))))),
      h("td", null, wardsText(c.wards, names)),
      h("td", null, formatDateTime(c.created_at) + (c.created_by ? " · " + c.created_by : "")),
      h("td", null, remove));
  });
  return h("div", null,
    h("p", { className: "hint" }, "Ứng dụng đang hoạt động, mới nhất trước. Mã bí mật không bao giờ hiện lại. "
      + "Trên điện thoại, vuốt ngang để xem hết các cột."),
    h("div", { className: "table-scroll", role: "region", tabindex: "0", "aria-labelledby": PREFIX + "-list-heading" },
    h("table", { id: PREFIX + "-table", "aria-labelledby": PREFIX + "-list-heading" },
      h("thead", null, h("tr", null, ["Tên", "Mã ứng dụng", "Phạm vi", "Phường, xã", "Đăng ký lúc", ""].map(
        (text) => h("th", { scope: "col" }, text || h("span", { className: "visually-hidden" }, "Thao tác"))))),
      h("tbody", null, rows))));
}

/** The section of the city console: list, register, show the secret once, delete. */
export default async function section(main) {
  const listBox = h("div", { id: PREFIX + "-list" });
  const secretBox = h("div");
  const box = h("section", { id: "clients", "aria-labelledby": PREFIX + "-heading" },
    h("h3", { id: PREFIX + "-heading" }, "Ứng dụng bên ngoài (API client)"),
    h("p", { className: "hint" }, "Tổ chức xã hội, trường học, doanh nghiệp công nghệ gọi API bằng mã riêng (OAuth 2.0), "
      + "chỉ trong phạm vi và các phường, xã được cấp. Xóa ứng dụng là chặn ngay mọi mã truy cập của nó."),
    secretBox,
    h("h4", { id: PREFIX + "-list-heading" }, "Ứng dụng đã đăng ký"),
    listBox);
  main.appendChild(box);
  let names = new Map();

  async function loadList() {
    try {
      const data = await api("GET", "/api/v1/clients");
      clear(listBox).appendChild(clientTable(data.items, names, remove));
    } catch (error) {
      clear(listBox).appendChild(errorBox(error));
    }
  }

  async function remove(client, button) {
    if (!(await confirmDelete(client))) return;
    await runAction(button, async () => {
      await api("DELETE", "/api/v1/clients/" + encodeURIComponent(client.client_id));
      await loadList();
      listBox.prepend(message("Đã xóa «" + client.name + "»: mọi mã truy cập của ứng dụng đã ngừng hoạt động."));
      const heading = document.getElementById(PREFIX + "-list-heading");
      heading.setAttribute("tabindex", "-1");
      heading.focus();
    }, listBox);
  }

  try {
    const wardPage = await api("GET", "/api/v1/wards?limit=200");
    const wards = wardPage.items.slice().sort((a, b) => a.name.localeCompare(b.name, "vi"));
    names = new Map(wards.map((w) => [w.code, w.name]));
    box.appendChild(registerForm(wards, (created) => {
      const panel = secretPanel(created, () => document.getElementById(PREFIX + "-name").focus());
      clear(secretBox).appendChild(panel);
      panel.focus();
      loadList();
    }));
  } catch (error) {
    box.appendChild(errorBox(error));
  }
  await loadList();
}
