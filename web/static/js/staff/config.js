/* Ward admins: the miniapp config document (JSON), its preview, publishing and versions. */

import { h, clear, message, icon } from "../core/dom.js";
import { api } from "../core/api.js";
import { errorBox, runAction } from "../core/forms.js";
import { formatDateTime } from "../core/format.js";
import { applyTheme } from "../core/theme.js";
import { desk, section } from "./common.js";

export default function configSection() {
  const { ward } = desk;
  const s = section("config", "Cấu hình miniapp");
  const status = h("div", { "aria-live": "polite" });
  const area = h("textarea", { id: "config-json", className: "code", spellcheck: "false", "aria-describedby": "config-hint" });
  const preview = h("div", { id: "config-preview", "aria-live": "polite" });
  const summary = h("input", { id: "config-summary", maxlength: "500" });
  const draftNote = h("p", { className: "meta" });
  const publishButton = h("button", { type: "button" }, "Xuất bản");
  const saveButton = h("button", { type: "button", className: "secondary" }, "Lưu nháp");
  s.appendChild(h("label", { for: "config-json" }, "Tài liệu cấu hình (JSON)"));
  s.appendChild(h("p", { className: "hint", id: "config-hint" },
    "Sửa tiêu đề, màu, các module và thanh tab; bấm «Xem trước», lưu nháp rồi xuất bản. Cư dân chỉ thấy bản đã xuất bản."));
  s.appendChild(area);
  s.appendChild(h("label", { for: "config-summary" }, "Tóm tắt thay đổi (không bắt buộc)"));
  s.appendChild(summary);
  s.appendChild(draftNote);
  s.appendChild(h("div", { className: "actions" },
    h("button", { type: "button", className: "secondary", onclick: showPreview }, "Xem trước"),
    saveButton, publishButton));
  s.appendChild(status);
  s.appendChild(h("h3", null, "Xem trước"));
  s.appendChild(preview);
  s.appendChild(h("h3", null, "Lịch sử phiên bản"));
  const versions = h("ul", { className: "cards", id: "config-versions" });
  s.appendChild(versions);
  saveButton.addEventListener("click", () => runAction(saveButton, saveDraft));
  publishButton.addEventListener("click", () => runAction(publishButton, publish));

  function parsed() {
    try { return JSON.parse(area.value); } catch (e) {
      clear(status).appendChild(message("JSON không hợp lệ: " + e.message, "error"));
      return null;
    }
  }
  function showPreview() {
    const doc = parsed();
    if (!doc) return;
    clear(status);
    clear(preview).appendChild(renderPreview(doc));
  }
  function saveDraft() {
    const doc = parsed();
    if (!doc) return Promise.resolve(null);
    clear(status);
    return api("PUT", "/api/v1/wards/" + ward.code + "/miniapp/draft", doc).then((saved) => {
      area.value = JSON.stringify(saved, null, 2);
      draftNote.textContent = "Có bản nháp chưa xuất bản.";
      status.appendChild(message("Đã lưu nháp."));
      return saved;
    }).catch((error) => { status.appendChild(errorBox(error)); return null; });
  }
  function publish() {
    return saveDraft().then((saved) => {
      if (!saved) return null;
      const body = summary.value.trim() ? { summary: summary.value.trim() } : undefined;
      return api("POST", "/api/v1/wards/" + ward.code + "/miniapp/publish", body).then((v) => {
        clear(status).appendChild(message("Đã xuất bản phiên bản " + v.version + ": " + v.summary));
        summary.value = "";
        draftNote.textContent = "";
        return loadVersions();
      });
    }).catch((error) => status.appendChild(errorBox(error)));
  }
  function loadVersions() {
    return api("GET", "/api/v1/wards/" + ward.code + "/miniapp/versions?limit=50").then((data) => {
      clear(versions);
      data.items.forEach((v, index) => {
        const row = h("li", { className: "card" },
          h("h4", null, "Phiên bản " + v.version + (index === 0 ? " (đang dùng)" : "")),
          h("p", { className: "meta" }, formatDateTime(v.published_at) + " · " + (v.author || "Hệ thống")),
          h("p", null, v.summary));
        if (index > 0) {
          const restore = h("button", { type: "button", className: "secondary", "aria-label": "Khôi phục phiên bản " + v.version }, "Khôi phục");
          restore.addEventListener("click", () => runAction(restore, () =>
            api("POST", "/api/v1/wards/" + ward.code + "/miniapp/versions/" + v.version + "/restore").then((nv) => {
              clear(status).appendChild(message("Đã khôi phục phiên bản " + v.version + " thành phiên bản " + nv.version + "."));
              return loadDraft().then(loadVersions);
            }), status));
          row.appendChild(restore);
        }
        versions.appendChild(row);
      });
    }).catch((error) => clear(versions).appendChild(h("li", null, errorBox(error))));
  }
  function loadDraft() {
    return fetch("/api/v1/wards/" + ward.code + "/miniapp/draft", { credentials: "same-origin", headers: { Accept: "application/json" } })
      .then((r) => {
        if (!r.ok) throw new Error("Không tải được bản nháp (mã " + r.status + ").");
        draftNote.textContent = r.headers.get("X-Miniapp-Draft") === "true" ? "Có bản nháp chưa xuất bản." : "";
        return r.json();
      }).then((doc) => {
        area.value = JSON.stringify(doc, null, 2);
        clear(preview).appendChild(renderPreview(doc));
      }).catch((error) => status.appendChild(errorBox(error)));
  }
  return loadDraft().then(loadVersions);
}

/* A phone-sized sketch of the miniapp a resident would see with this document. */
function renderPreview(doc) {
  const app = doc.app || {};
  const box = h("div", { className: "preview" });
  if (app.theme && app.theme.light) applyTheme({ light: app.theme.light }, box);
  const modules = (doc.modules || []).filter((m) => m.enabled);
  const byId = new Map((doc.modules || []).map((m) => [m.id, m]));
  box.appendChild(h("div", { className: "top" }, h("div", { className: "brand" },
    h("p", null, h("strong", null, app.title || "(chưa có tiêu đề)")), h("p", null, app.subtitle || ""))));
  box.appendChild(h("ol", { "aria-label": "Các module đang bật" }, modules.map((m) =>
    h("li", null, m.title + (m.kind === "link" ? " (liên kết)" : "")))));
  box.appendChild(h("div", { className: "tabs", "aria-label": "Thanh tab" }, (doc.tab_bar || []).map((id) => {
    const m = byId.get(id);
    return h("span", null, icon(m && m.icon), h("br"), (m && m.title) || id);
  })));
  return box;
}
