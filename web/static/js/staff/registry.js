/* Ward staff: Danh sách tổ dân phố, thôn. The ward's own list of residential groups (the
   denominator of "100% tổ dân phố, thôn có cộng đồng số"), each with its households and whether
   its digital community runs; add, change, remove, link a community, import a CSV file. */

import { h, clear, message } from "../core/dom.js";
import { api, ApiError, loadMe, newKey } from "../core/api.js";
import { describe, errorsOf, fallbackMessage } from "../core/errors.js";
import { createKeyKeeper } from "../core/idempotency.js";
import { errorBox, runAction, submitForm } from "../core/forms.js";
import { formatNumber } from "../core/format.js";
import { desk, field, select } from "./common.js";
import { confirmDialog } from "./dialog.js";

const KINDS = [["to_dan_pho", "Tổ dân phố"], ["thon", "Thôn"]];
const PAGE = 200;
let serial = 0;

/** Every group of the ward's registry (all pages), in the order the API lists them. */
export async function loadRegistry(wardCode) {
  const all = [];
  let cursor = null;
  do {
    const data = await api("GET", "/api/v1/wards/" + wardCode + "/residential-groups?limit=" + PAGE
      + (cursor ? "&cursor=" + encodeURIComponent(cursor) : ""));
    all.push(...data.items);
    cursor = data.next_cursor;
  } while (cursor);
  return all;
}

/* POST the CSV file as multipart/form-data (api() sends JSON only), with the CSRF token and
   the submission's Idempotency-Key. Throws ApiError like api() does. */
async function postFile(wardCode, file, key) {
  const me = await loadMe();
  const data = new FormData();
  data.append("file", file, file.name);
  const headers = { Accept: "application/json", "Idempotency-Key": key };
  if (me && me.csrf_token) headers["X-CSRF-Token"] = me.csrf_token;
  let response;
  try {
    response = await fetch("/api/v1/wards/" + wardCode + "/residential-groups/import",
      { method: "POST", headers, body: data, credentials: "same-origin" });
  } catch (cause) {
    throw new ApiError(fallbackMessage(0), 0, null);
  }
  const body = await response.json().catch(() => null);
  if (!response.ok) {
    const text = body && body.error && body.error.message;
    throw new ApiError(text || fallbackMessage(response.status), response.status, body);
  }
  return body;
}

function communityText(g) {
  if (!g.community) return "Chưa có cộng đồng số";
  return "Cộng đồng số: " + g.community.name + (g.community.active
    ? " – đang vận hành"
    : " – chưa vận hành (cần trưởng nhóm và ít nhất 3 thành viên)");
}

/**
 * The registry panel, appended to `s` (the communities section). `communities()` returns the
 * ward's communities (for linking); `changed(groups)` is called after every load.
 * Returns { reload() }.
 */
export function registryPanel(s, { communities, changed }) {
  const { ward } = desk;
  const id = "registry-" + (++serial);
  const panel = h("div", { className: "registry", id: "registry", role: "region", "aria-labelledby": id + "-title" });
  panel.appendChild(h("h3", { id: id + "-title" }, "Danh sách tổ dân phố, thôn"));
  panel.appendChild(h("p", { className: "hint" }, "Danh sách chính thức các tổ dân phố, thôn của " + ward.name
    + ". Chỉ tiêu «100% tổ dân phố, thôn có cộng đồng số» tính trên danh sách này: một tổ, thôn được tính khi "
    + "cộng đồng số gắn với nó có trưởng nhóm và ít nhất 3 thành viên."));
  const summary = h("p", { className: "meta", role: "status", id: "registry-summary" });
  const list = h("ul", { className: "cards", id: "registry-list", "aria-labelledby": id + "-title" });
  panel.append(summary, list);

  // Add one group.
  const addStatus = h("div", { "aria-live": "polite" });
  const addForm = h("form", { id: "registry-add" },
    h("fieldset", null, h("legend", null, "Thêm tổ dân phố, thôn"),
      field("registry-name", "Tên tổ dân phố, thôn", { required: true, maxlength: "120", "data-field": "name" }, "Ví dụ: Tổ dân phố số 5, Thôn Đông"),
      select("registry-kind", "Loại", KINDS, ward.type === "xa" ? "thon" : "to_dan_pho", { "data-field": "kind" }),
      field("registry-households", "Số hộ", { type: "number", min: "0", max: "100000", step: "1", inputmode: "numeric", "data-field": "households" }, "Để trống nếu chưa biết."),
      h("div", { className: "actions" }, h("button", { type: "submit" }, "Thêm vào danh sách")), addStatus));
  panel.appendChild(addForm);
  submitForm(addForm, {
    status: addStatus,
    validate: (form) => householdsProblem(form.elements["registry-households"]),
    collect: (form) => ({
      name: form.elements["registry-name"].value.trim(),
      kind: form.elements["registry-kind"].value,
      households: householdsValue(form.elements["registry-households"]),
    }),
    send: (body, key) => api("POST", "/api/v1/wards/" + ward.code + "/residential-groups", body, { idempotencyKey: key }),
    done: (g) => {
      addForm.reset();
      addForm.elements["registry-kind"].value = g.kind;
      addStatus.appendChild(message("Đã thêm «" + g.name + "» vào danh sách."));
      return reload();
    },
  });

  // Import a CSV file: every line or none; the bad lines are listed.
  const importStatus = h("div", { "aria-live": "polite", id: "registry-import-status" });
  const fileInput = h("input", { type: "file", id: "registry-file", name: "registry-file", accept: ".csv,text/csv",
    required: true, "aria-describedby": "registry-file-hint" });
  const importForm = h("form", { id: "registry-import" },
    h("fieldset", null, h("legend", null, "Nhập danh sách từ tệp CSV"),
      h("label", { for: "registry-file" }, "Tệp CSV"), fileInput,
      h("div", { className: "hint", id: "registry-file-hint" },
        h("p", null, "Trong Excel, chọn Lưu thành (Save As) → «CSV UTF-8 (phân cách bằng dấu phẩy)». Dòng đầu là tiêu đề "
          + "name,kind,households (hoặc Tên,Loại,Số hộ); mỗi dòng sau là một tổ dân phố hoặc thôn. Loại ghi "
          + "«Tổ dân phố» hoặc «Thôn». Tên đã có trong danh sách sẽ được cập nhật. Nếu có dòng sai, "
          + "không dòng nào được ghi và các dòng sai được liệt kê để sửa. Tối đa 2.000 dòng, 1 MB."),
        h("p", null, "Ví dụ:"),
        h("pre", null, "name,kind,households\nTổ dân phố số 1,Tổ dân phố,120\nThôn Đông,Thôn,85")),
      h("div", { className: "actions" }, h("button", { type: "submit" }, "Nhập danh sách")), importStatus));
  panel.appendChild(importForm);
  const keys = createKeyKeeper(newKey);
  const importButton = importForm.querySelector("button[type=submit]");
  importForm.noValidate = true;
  importForm.addEventListener("submit", (event) => {
    event.preventDefault();
    clear(importStatus);
    const file = fileInput.files && fileInput.files[0];
    if (!file) {
      importStatus.appendChild(message("Hãy chọn tệp CSV để nhập.", "error"));
      fileInput.focus();
      return;
    }
    // The same file sent again (a retry) keeps its key; another file gets a new one.
    const key = keys.keyFor([file.name, file.size, file.lastModified]);
    runAction(importButton, async () => {
      try {
        const result = await postFile(ward.code, file, key);
        keys.succeeded();
        importForm.reset();
        importStatus.appendChild(message("Đã nhập " + formatNumber(result.items.length) + " tổ dân phố, thôn: "
          + formatNumber(result.created) + " thêm mới, " + formatNumber(result.updated) + " cập nhật."));
        await reload();
      } catch (error) {
        importStatus.appendChild(importErrors(error));
      }
    });
  });
  s.appendChild(panel);

  let groups = [];
  async function reload() {
    try {
      groups = await loadRegistry(ward.code);
    } catch (error) {
      clear(list).appendChild(h("li", null, errorBox(error)));
      return;
    }
    const running = groups.filter((g) => g.community && g.community.active).length;
    const households = groups.reduce((sum, g) => sum + g.households, 0);
    summary.textContent = groups.length
      ? formatNumber(groups.length) + " tổ dân phố, thôn · " + formatNumber(running) + " có cộng đồng số đang vận hành · "
        + formatNumber(households) + " hộ"
      : "Chưa có danh sách: chỉ tiêu «tổ dân phố, thôn có cộng đồng số» chưa có số liệu. Hãy thêm từng tổ, thôn hoặc nhập tệp CSV.";
    clear(list);
    for (const g of groups) list.appendChild(groupCard(g));
    if (changed) changed(groups);
  }

  function groupCard(g) {
    const box = h("div", { "aria-live": "polite" });
    const edit = h("button", { type: "button", className: "secondary", "aria-expanded": "false", "aria-label": "Sửa " + g.name }, "Sửa");
    const remove = h("button", { type: "button", className: "secondary", "aria-label": "Xoá " + g.name + " khỏi danh sách" }, "Xoá");
    const card = h("li", { className: "card" },
      h("h4", null, g.name),
      h("p", { className: "meta" }, g.kind_label + " · " + formatNumber(g.households) + " hộ"),
      h("p", null, communityText(g)),
      h("div", { className: "actions" }, edit, remove),
      box);
    edit.addEventListener("click", () => {
      const open = edit.getAttribute("aria-expanded") === "true";
      edit.setAttribute("aria-expanded", String(!open));
      clear(box);
      if (!open) box.appendChild(editForm(g));
    });
    remove.addEventListener("click", async () => {
      const ok = await confirmDialog({
        title: "Xoá «" + g.name + "» khỏi danh sách?",
        body: [g.community ? "Cộng đồng số «" + g.community.name + "» vẫn giữ nguyên, chỉ không còn gắn với tổ, thôn này." : null,
          "Chỉ tiêu sẽ tính trên danh sách còn lại."],
        confirm: "Xoá khỏi danh sách",
      });
      if (!ok) return;
      clear(box);
      runAction(remove, () => api("DELETE", "/api/v1/residential-groups/" + g.id).then(reload), box);
    });
    return card;
  }

  function editForm(g) {
    const p = "registry-edit-" + g.id;
    const status = h("div", { "aria-live": "polite" });
    const linkable = (communities() || []).filter((c) => c.kind === g.kind
      && (c.residential_group_id === null || c.residential_group_id === undefined || c.residential_group_id === g.id));
    const current = g.community ? String(g.community.id) : "";
    const form = h("form", null,
      h("fieldset", null, h("legend", null, "Sửa «" + g.name + "»"),
        field(p + "-name", "Tên tổ dân phố, thôn", { required: true, maxlength: "120", value: g.name, "data-field": "name" }),
        select(p + "-kind", "Loại", KINDS, g.kind, { "data-field": "kind" }),
        field(p + "-households", "Số hộ", { type: "number", min: "0", max: "100000", step: "1", inputmode: "numeric",
          value: String(g.households), required: true, "data-field": "households" }),
        select(p + "-community", "Cộng đồng số của tổ, thôn này",
          [["", "Chưa gắn cộng đồng số"]].concat(linkable.map((c) => [String(c.id), c.name])), current,
          { "data-field": "community_id" }),
        h("div", { className: "actions" }, h("button", { type: "submit" }, "Lưu thay đổi")), status));
    submitForm(form, {
      status,
      validate: (f) => householdsProblem(f.elements[p + "-households"]),
      collect: (f) => {
        const body = {
          name: f.elements[p + "-name"].value.trim(),
          kind: f.elements[p + "-kind"].value,
          households: householdsValue(f.elements[p + "-households"]),
        };
        const chosen = f.elements[p + "-community"].value;
        if (chosen !== current) body.community_id = chosen ? Number(chosen) : null;
        return body;
      },
      send: (body) => api("PATCH", "/api/v1/residential-groups/" + g.id, body),
      done: (saved) => reload().then(() => {
        const card = [...list.querySelectorAll("h4")].find((node) => node.textContent === saved.name);
        if (card) card.closest("li").querySelector("[aria-live]").appendChild(message("Đã lưu «" + saved.name + "»."));
      }),
    });
    return form;
  }

  return { reload, groups: () => groups };
}

function householdsValue(input) {
  return input.value.trim() === "" ? 0 : Number(input.value);
}

function householdsProblem(input) {
  const text = input.value.trim();
  if (text === "" || (/^\d+$/.test(text) && Number(text) <= 100000)) return [];
  return [{ field: "households", message: "Số hộ phải là số nguyên từ 0 đến 100.000." }];
}

/* The refusal of a file: its message when it is about the whole file, else one line per bad
   line of the file ("Dòng 4: Số hộ: …"), as a list people can work through in Excel. */
function importErrors(error) {
  const errors = errorsOf(error);
  if (errors.length <= 1) return errorBox(error);
  return h("div", { role: "alert", className: "notice message error", id: "registry-import-errors" },
    h("p", null, "Chưa nhập: tệp có " + formatNumber(errors.length) + " dòng cần sửa (chưa dòng nào được ghi):"),
    h("ul", null, errors.map((e) => h("li", null, describe(e)))));
}
