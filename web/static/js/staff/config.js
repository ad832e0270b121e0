/* Ward admins: the miniapp config as a form (names, colours with a contrast check, modules and
   their order, links, contacts), a live preview of the ward home, the JSON as an advanced view,
   publishing and restoring versions after a confirmation. The form edits a copy of the whole
   document, so settings it does not show (the market's zones, the notice categories …) are kept. */

import { h, clear, message, icon, phoneLink } from "../core/dom.js";
import { api } from "../core/api.js";
import { checkRequired, clearErrors, errorBox, runAction, showErrors, submitForm } from "../core/forms.js";
import { errorsOf } from "../core/errors.js";
import { formatDateTime } from "../core/format.js";
import { applyTheme, textOn } from "../core/theme.js";
import { desk, section, field, checkbox } from "./common.js";
import { confirmDialog } from "./dialog.js";
import {
  AA_TEXT, contrastChecks, contrastProblems, copyDoc, formatRatio, linkId, linkProblems, moveItem,
  tabBarFor, tabBarProblems,
} from "./config-model.js";

const VARIANTS = [["light", "Giao diện sáng"], ["dark", "Giao diện tối (khi điện thoại để chế độ tối)"]];
const COLOURS = [["primary", "Màu chính (thanh tiêu đề, nút)"], ["background", "Màu nền"], ["text", "Màu chữ"]];

/**
 * The config section. The ward console calls it with no options (the ward of `desk`); the
 * department console (/d/<dept>) passes its own API base and the name of the unit whose
 * miniapp this is: `{ base: "/api/v1/departments/SKHCN/miniapp", unitName: "Sở …",
 * audience: "Người dùng miniapp của Sở …" }`.
 */
export default function configSection(options = {}) {
  const { ward } = desk;
  const base = options.base || "/api/v1/wards/" + ward.code + "/miniapp";
  const audience = options.audience || "Cư dân của " + (options.unitName || ward.name);
  const s = section("config", "Cấu hình miniapp");
  let doc = null;
  let tabs = new Set();
  let hasDraft = false;
  let dirty = false;

  const draftNote = h("p", { className: "meta", "aria-live": "polite" });
  const status = h("div", { "aria-live": "polite" });
  const contrastBox = h("div", { id: "config-contrast" });
  const modulesList = h("ol", { className: "module-list", id: "config-modules" });
  const linksBox = h("div");
  const contactsBox = h("div");
  const identityBox = h("div");
  const coloursBox = h("div");
  const summary = h("input", { id: "config-summary", maxlength: "500" });
  const saveButton = h("button", { type: "submit", className: "secondary" }, "Lưu nháp");
  const publishButton = h("button", { type: "button", "aria-describedby": "config-contrast-state" }, "Xuất bản");
  const discardButton = h("button", { type: "button", className: "secondary", hidden: true }, "Bỏ bản nháp");
  const preview = h("div", { id: "config-preview" });
  const previewVariant = h("select", { id: "config-preview-variant" },
    h("option", { value: "light" }, "Giao diện sáng"), h("option", { value: "dark" }, "Giao diện tối"));
  const jsonArea = h("textarea", { id: "config-json", className: "code", spellcheck: "false", "aria-describedby": "config-json-hint" });
  const jsonStatus = h("div", { "aria-live": "polite" });
  const versions = h("ul", { className: "cards", id: "config-versions" });

  const form = h("form", { id: "config-form", "aria-labelledby": "config-title" },
    draftNote,
    h("fieldset", null, h("legend", null, "Tên miniapp"), identityBox),
    h("fieldset", null, h("legend", null, "Màu sắc"), coloursBox, contrastBox),
    h("fieldset", { "data-field": "modules tab_bar", id: "config-modules-fieldset" },
      h("legend", null, "Các module và thứ tự"),
      h("p", { className: "hint" }, "Bật, tắt từng module và đổi thứ tự bằng nút «Lên», «Xuống». Thanh tab ở cuối màn hình có từ 2 đến 5 module đang bật."),
      modulesList),
    h("fieldset", null, h("legend", null, "Thêm liên kết ngoài"), linksBox),
    h("fieldset", { "data-field": "contacts" }, h("legend", null, "Liên hệ"), contactsBox),
    h("label", { for: "config-summary" }, "Tóm tắt thay đổi (không bắt buộc)"),
    summary,
    h("div", { className: "actions" }, saveButton, publishButton, discardButton),
    status);

  s.appendChild(h("p", { className: "hint" }, "Sửa rồi bấm «Lưu nháp» hoặc «Xuất bản». Cư dân chỉ thấy bản đã xuất bản."));
  s.appendChild(h("div", { className: "config-grid" },
    form,
    h("div", { className: "config-side" },
      h("h3", null, "Xem trước trang chủ"),
      h("label", { for: "config-preview-variant" }, "Xem giao diện"),
      previewVariant,
      preview)));
  s.appendChild(h("details", { className: "advanced" },
    h("summary", null, "Nâng cao: tài liệu cấu hình (JSON)"),
    h("label", { for: "config-json" }, "Tài liệu cấu hình (JSON)"),
    h("p", { className: "hint", id: "config-json-hint" }, "Dành cho người rành kỹ thuật. Sửa xong bấm «Áp dụng JSON vào biểu mẫu», rồi lưu nháp hoặc xuất bản như thường."),
    jsonArea,
    h("div", { className: "actions" }, h("button", { type: "button", className: "secondary", onclick: applyJson }, "Áp dụng JSON vào biểu mẫu")),
    jsonStatus));
  s.appendChild(h("h3", null, "Lịch sử phiên bản"));
  s.appendChild(versions);
  previewVariant.addEventListener("change", refresh);

  /* --- The document -------------------------------------------------------------------- */

  function setDoc(fresh) {
    doc = copyDoc(fresh);
    tabs = new Set(doc.tab_bar || []);
    dirty = false;
    renderAll();
  }

  /** After an edit that keeps the form's structure: the preview, the checks, the JSON. */
  function changed() {
    dirty = true;
    refresh();
  }

  function refresh() {
    doc.tab_bar = tabBarFor(doc.modules, tabs);
    renderContrast();
    clear(preview).appendChild(renderPreview(doc, previewVariant.value));
    if (document.activeElement !== jsonArea) jsonArea.value = JSON.stringify(doc, null, 2);
  }

  /** Rebuild the form from the document; focus `focusId` afterwards (a moved row's button). */
  function renderAll(focusId) {
    renderIdentity();
    renderColours();
    renderModules();
    renderLinks();
    renderContacts();
    refresh();
    if (focusId) {
      const target = document.getElementById(focusId);
      if (target) target.focus();
    }
  }

  function textInput(id, labelText, path, get, set, attrs = {}, hint) {
    const parts = field(id, labelText, Object.assign({ value: get() || "", "data-field": path }, attrs), hint);
    parts[1].addEventListener("input", () => { set(parts[1].value); changed(); });
    return parts.filter(Boolean);
  }

  function renderIdentity() {
    const app = doc.app;
    clear(identityBox).append(
      ...textInput("config-title-input", "Tên miniapp", "app.title", () => app.title, (v) => { app.title = v; },
        { required: true, maxlength: "60" }),
      ...textInput("config-subtitle", "Dòng phụ đề (không bắt buộc)", "app.subtitle", () => app.subtitle, (v) => {
        if (v.trim()) app.subtitle = v; else delete app.subtitle;
      }, { maxlength: "120" }));
  }

  function renderColours() {
    clear(coloursBox);
    for (const [variant, legend] of VARIANTS) {
      const colours = doc.app.theme[variant];
      if (!colours) continue;
      const group = h("fieldset", { className: "colours" }, h("legend", null, legend));
      for (const [key, text] of COLOURS) {
        const id = "config-" + variant + "-" + key;
        const hex = h("span", { className: "hex", id: id + "-hex" }, colours[key]);
        const input = h("input", { type: "color", id, name: id, value: colours[key], "data-field": "app.theme." + variant + "." + key,
          "aria-describedby": id + "-hex" });
        input.addEventListener("input", () => {
          colours[key] = input.value.toUpperCase();
          hex.textContent = colours[key];
          changed();
        });
        group.appendChild(h("div", { className: "colour" }, h("label", { for: id }, text), h("div", { className: "colour-pick" }, input, hex)));
      }
      coloursBox.appendChild(group);
    }
  }

  function renderContrast() {
    const checks = contrastChecks(doc.app.theme);
    const failing = checks.filter((c) => !c.ok);
    clear(contrastBox).append(
      h("p", { className: "hint" }, "Độ tương phản giữa chữ và nền cần đạt ít nhất " + formatRatio(AA_TEXT) + " (chuẩn WCAG AA) để mọi người đọc được."),
      h("ul", { className: "contrast-list" }, checks.map((c) => h("li", { className: c.ok ? "ok" : "fail" },
        swatch(doc.app.theme[c.variant], c),
        c.what + ": " + formatRatio(c.ratio) + " – " + (c.ok ? "đạt" : "chưa đạt")))),
      failing.length
        ? h("p", { id: "config-contrast-state", className: "notice message error", role: "alert" },
          "Màu chưa đủ tương phản nên chưa xuất bản được. Hãy đổi: " + failing.map((c) => c.what.toLowerCase()).join("; ") + ".")
        : h("p", { id: "config-contrast-state", className: "visually-hidden" }, "Màu sắc đạt chuẩn tương phản."));
    publishButton.disabled = failing.length > 0;
  }

  function renderModules() {
    clear(modulesList);
    const count = doc.modules.length;
    doc.modules.forEach((m, index) => {
      const key = "config-m-" + m.id;
      const legend = h("legend", null, (index + 1) + ". " + m.title);
      const up = h("button", { type: "button", className: "secondary small", id: key + "-up", disabled: index === 0,
        "aria-label": "Chuyển «" + m.title + "» lên" }, "Lên");
      const down = h("button", { type: "button", className: "secondary small", id: key + "-down", disabled: index === count - 1,
        "aria-label": "Chuyển «" + m.title + "» xuống" }, "Xuống");
      up.addEventListener("click", () => move(index, -1));
      down.addEventListener("click", () => move(index, 1));
      const title = textInput(key + "-title", "Tên hiển thị", "modules." + index + ".title", () => m.title, (v) => {
        m.title = v;
        legend.textContent = (index + 1) + ". " + v;
        up.setAttribute("aria-label", "Chuyển «" + v + "» lên");
        down.setAttribute("aria-label", "Chuyển «" + v + "» xuống");
      }, { required: true, maxlength: "40" });
      const enabled = checkbox(key + "-enabled", "Bật", { checked: m.enabled, "data-field": "modules." + index + ".enabled" });
      const onTab = checkbox(key + "-tab", "Trên thanh tab", { checked: m.enabled && tabs.has(m.id), disabled: !m.enabled });
      enabled.querySelector("input").addEventListener("change", (e) => {
        m.enabled = e.target.checked;
        dirty = true;
        renderAll(key + "-enabled");
      });
      onTab.querySelector("input").addEventListener("change", (e) => {
        if (e.target.checked) tabs.add(m.id); else tabs.delete(m.id);
        changed();
      });
      const row = h("fieldset", { className: "module-row", "data-field": "modules." + index }, legend,
        h("p", { className: "meta" }, m.kind === "link" ? "Liên kết ngoài" : "Module có sẵn"),
        title);
      if (m.kind === "link") {
        m.settings = m.settings || {};
        row.append(...textInput(key + "-url", "Địa chỉ liên kết (https://…)", "modules." + index + ".settings.url",
          () => m.settings.url, (v) => { m.settings.url = v.trim(); }, { type: "url", required: true, inputmode: "url" }));
      }
      row.appendChild(h("div", { className: "module-switches" }, enabled, onTab));
      const actions = h("div", { className: "actions compact" }, up, down);
      if (m.kind === "link") {
        actions.appendChild(h("button", { type: "button", className: "secondary small", "aria-label": "Xóa liên kết «" + m.title + "»",
          onclick: () => {
            doc.modules.splice(index, 1);
            tabs.delete(m.id);
            dirty = true;
            renderAll("config-link-title");
          } }, "Xóa liên kết"));
      }
      row.appendChild(actions);
      modulesList.appendChild(h("li", null, row));
    });
  }

  function move(index, delta) {
    const id = doc.modules[index].id;
    doc.modules = moveItem(doc.modules, index, delta);
    dirty = true;
    const at = index + delta;
    // Keep the keyboard where it was: on the same button of the moved row, or its other
    // button once the row reaches an end.
    const edge = (delta < 0 && at === 0) || (delta > 0 && at === doc.modules.length - 1);
    renderAll("config-m-" + id + ((delta < 0) !== edge ? "-up" : "-down"));
  }

  function renderLinks() {
    const note = h("div", { "aria-live": "polite" });
    const [titleLabel, titleInput] = field("config-link-title", "Tên liên kết", { maxlength: "40" });
    const [urlLabel, urlInput, urlHint] = field("config-link-url", "Địa chỉ (https://…)", { type: "url", inputmode: "url", maxlength: "500" },
      "Ví dụ: https://dichvucong.gov.vn. Liên kết mới nằm cuối danh sách module, đổi thứ tự ở trên.");
    const add = h("button", { type: "button", className: "secondary" }, "Thêm liên kết");
    add.addEventListener("click", () => {
      clear(note);
      const probe = [{ kind: "link", title: titleInput.value, settings: { url: urlInput.value.trim() } }];
      const problems = linkProblems(probe);
      if (problems.length) {
        note.appendChild(h("p", { className: "field-error error-text", role: "alert" }, problems.map((p) => p.message).join(" ")));
        (problems[0].field.endsWith("title") ? titleInput : urlInput).focus();
        return;
      }
      const id = linkId(titleInput.value, doc.modules.map((x) => x.id));
      doc.modules.push({ id, kind: "link", title: titleInput.value.trim(), icon: "link", enabled: true,
        settings: { url: urlInput.value.trim(), open_in: "in_app" } });
      dirty = true;
      renderAll("config-m-" + id + "-title");
    });
    clear(linksBox).append(titleLabel, titleInput, urlLabel, urlInput, urlHint, h("div", { className: "actions" }, add), note);
  }

  function renderContacts() {
    const contacts = doc.contacts;
    clear(contactsBox).append(
      ...textInput("config-hotline", "Đường dây nóng", "contacts.hotline", () => contacts.hotline, (v) => { contacts.hotline = v.trim(); },
        { type: "tel", required: true, inputmode: "tel", autocomplete: "off" }, "Số cố định, di động hoặc số ngắn (ví dụ 024 3825 3536)."),
      ...textInput("config-address", "Địa chỉ trụ sở", "contacts.office_address", () => contacts.office_address, (v) => { contacts.office_address = v; },
        { required: true, maxlength: "200" }),
      ...textInput("config-hours", "Giờ làm việc", "contacts.working_hours", () => contacts.working_hours, (v) => { contacts.working_hours = v; },
        { required: true, maxlength: "200" }));
    const index = doc.modules.findIndex((m) => m.id === "contacts");
    if (index < 0) return;
    const settings = doc.modules[index].settings = doc.modules[index].settings || {};
    const numbers = settings.extra_numbers = settings.extra_numbers || [];
    const path = "modules." + index + ".settings.extra_numbers";
    const list = h("ol", { className: "phone-rows" });
    numbers.forEach((n, k) => {
      const id = "config-phone-" + k;
      list.appendChild(h("li", { className: "phone-row" },
        h("div", null, ...textInput(id + "-label", "Tên số " + (k + 1), path + "." + k + ".label", () => n.label, (v) => { n.label = v; },
          { required: true, maxlength: "60" })),
        h("div", null, ...textInput(id + "-phone", "Số điện thoại " + (k + 1), path + "." + k + ".phone", () => n.phone, (v) => { n.phone = v.trim(); },
          { type: "tel", required: true, inputmode: "tel", autocomplete: "off" })),
        h("button", { type: "button", className: "secondary small", "aria-label": "Xóa số " + (k + 1) + (n.label ? " (" + n.label + ")" : ""),
          onclick: () => {
            numbers.splice(k, 1);
            dirty = true;
            renderAll(numbers.length ? "config-phone-" + Math.min(k, numbers.length - 1) + "-label" : "config-phone-add");
          } }, "Xóa")));
    });
    contactsBox.append(
      h("p", { id: "config-phones-title", className: "subhead" }, "Số điện thoại khác (hiện ở trang Liên hệ)"),
      h("div", { "data-field": path, role: "group", "aria-labelledby": "config-phones-title" }, list),
      h("div", { className: "actions" }, h("button", { type: "button", className: "secondary", id: "config-phone-add", disabled: numbers.length >= 10,
        onclick: () => {
          numbers.push({ label: "", phone: "" });
          dirty = true;
          renderAll("config-phone-" + (numbers.length - 1) + "-label");
        } }, "Thêm số điện thoại")));
  }

  /* --- Checks, saving, publishing -------------------------------------------------------- */

  function localProblems() {
    return tabBarProblems(doc.tab_bar).concat(linkProblems(doc.modules), contrastProblems(doc.app.theme));
  }

  submitForm(form, {
    status,
    button: saveButton,
    validate: () => tabBarProblems(doc.tab_bar).concat(linkProblems(doc.modules)),
    collect: () => copyDoc(doc),
    send: (body) => api("PUT", base + "/draft", body),
    done: (saved) => {
      setDoc(saved);
      markDraft(true);
      status.appendChild(message("Đã lưu nháp. Cư dân chưa thấy thay đổi cho tới khi xuất bản."));
    },
  });

  publishButton.addEventListener("click", async () => {
    if (publishButton.getAttribute("aria-busy") === "true") return;
    clearErrors(form);
    clear(status);
    const problems = checkRequired(form).concat(localProblems());
    if (problems.length) {
      showErrors(form, problems, status, null);
      return;
    }
    const text = summary.value.trim();
    const ok = await confirmDialog({
      title: "Xuất bản cấu hình miniapp?",
      body: [audience + " sẽ thấy ngay tên «" + doc.app.title + "», màu sắc và các module như bản xem trước.",
        text ? "Tóm tắt: " + text : "Tóm tắt sẽ được ghi tự động từ các thay đổi.",
        "Có thể khôi phục phiên bản cũ trong «Lịch sử phiên bản»."],
      confirm: "Xuất bản",
    });
    if (!ok) return;
    await runAction(publishButton, async () => {
      try {
        await api("PUT", base + "/draft", copyDoc(doc));
      } catch (error) {
        showErrors(form, errorsOf(error), status, error);
        return;
      }
      markDraft(true);
      const v = await api("POST", base + "/publish", text ? { summary: text } : undefined);
      summary.value = "";
      await loadDraft();
      status.appendChild(message("Đã xuất bản phiên bản " + v.version + ": " + v.summary));
      await loadVersions();
    }, status);
    renderContrast();  // runAction re-enabled the button: keep it blocked if the colours fail
  });

  discardButton.addEventListener("click", async () => {
    const ok = await confirmDialog({
      title: "Bỏ bản nháp?",
      body: "Các thay đổi đã lưu nháp mà chưa xuất bản sẽ mất; biểu mẫu trở về phiên bản đang dùng.",
      confirm: "Bỏ bản nháp",
    });
    if (!ok) return;
    clear(status);
    runAction(discardButton, () => api("DELETE", base + "/draft").then(loadDraft).then(() => {
      status.appendChild(message("Đã bỏ bản nháp."));
    }), status);
  });

  function applyJson() {
    clear(jsonStatus);
    let parsed;
    try {
      parsed = JSON.parse(jsonArea.value);
    } catch (e) {
      // The browser's own parse message is English: say it plainly instead.
      jsonStatus.appendChild(message("JSON không hợp lệ (thiếu hoặc thừa dấu ngoặc, dấu phẩy, dấu nháy?); biểu mẫu chưa đổi.", "error"));
      return;
    }
    const shapeOk = parsed && typeof parsed === "object" && parsed.app && parsed.app.theme && Array.isArray(parsed.modules) && parsed.contacts;
    if (!shapeOk) {
      jsonStatus.appendChild(message("Tài liệu thiếu phần «app», «modules» hoặc «contacts»; biểu mẫu chưa đổi.", "error"));
      return;
    }
    setDoc(parsed);
    dirty = true;
    jsonStatus.appendChild(message("Đã đưa JSON vào biểu mẫu. Bấm «Lưu nháp» hoặc «Xuất bản» để lưu."));
  }

  function markDraft(on) {
    hasDraft = on;
    draftNote.textContent = on ? "Đang sửa bản nháp chưa xuất bản." : "Đang hiện phiên bản đã xuất bản.";
    discardButton.hidden = !on;
  }

  function loadDraft() {
    return fetch(base + "/draft", { credentials: "same-origin", headers: { Accept: "application/json" } })
      .then((r) => {
        if (!r.ok) throw new Error("Không tải được bản nháp (mã " + r.status + ").");
        markDraft(r.headers.get("X-Miniapp-Draft") === "true");
        return r.json();
      })
      .then(setDoc)
      .catch((error) => status.appendChild(errorBox(error)));
  }

  function loadVersions() {
    return api("GET", base + "/versions?limit=50").then((data) => {
      clear(versions);
      data.items.forEach((v, index) => {
        const when = formatDateTime(v.published_at) + " · " + (v.author || "Hệ thống");
        const row = h("li", { className: "card" },
          h("h4", null, "Phiên bản " + v.version + (index === 0 ? " (đang dùng)" : "")),
          h("p", { className: "meta" }, when),
          h("p", null, v.summary));
        if (index > 0) row.appendChild(restoreButton(v, when));
        versions.appendChild(row);
      });
    }).catch((error) => clear(versions).appendChild(h("li", null, errorBox(error))));
  }

  function restoreButton(v, when) {
    const button = h("button", { type: "button", className: "secondary", "aria-label": "Khôi phục phiên bản " + v.version }, "Khôi phục");
    button.addEventListener("click", async () => {
      const ok = await confirmDialog({
        title: "Khôi phục phiên bản " + v.version + "?",
        body: ["Phiên bản " + v.version + " (" + when + ": " + v.summary + ") sẽ được xuất bản lại thành phiên bản mới; cư dân thấy ngay.",
          hasDraft ? "Bản nháp chưa xuất bản sẽ bị bỏ để biểu mẫu hiện đúng phiên bản được khôi phục." : null,
          dirty && !hasDraft ? "Những thay đổi chưa lưu trong biểu mẫu sẽ mất." : null],
        confirm: "Khôi phục phiên bản " + v.version,
      });
      if (!ok) return;
      clear(status);
      await runAction(button, async () => {
        const restored = await api("POST", base + "/versions/" + v.version + "/restore");
        // The API keeps a draft over a restore; the form shows what is now live instead.
        if (hasDraft) await api("DELETE", base + "/draft");
        await loadDraft();
        status.appendChild(message("Đã khôi phục phiên bản " + v.version + " thành phiên bản " + restored.version + "."));
        await loadVersions();
      }, status);
    });
    return button;
  }

  return loadDraft().then(loadVersions);
}

/* A sample of the pair (decorative: the ratio is said in words). Styled through the CSSOM,
   which the pages' Content-Security-Policy allows, unlike a style attribute. */
function swatch(colours, check) {
  // The sample text is drawn by CSS (::before), so that a failing pair is not itself a failure.
  const node = h("span", { className: "swatch", "aria-hidden": "true" });
  const onPrimary = check.field.endsWith(".primary");
  node.style.backgroundColor = onPrimary ? colours.primary : colours.background;
  node.style.color = onPrimary ? textOn(colours.primary) : colours.text;
  return node;
}

/* The ward home a resident would see with this document: the header in its colours, the
   enabled modules in order, the contacts (tap to call) and the tab bar. */
function renderPreview(doc, variant) {
  const app = doc.app || {};
  let colours = (app.theme && (app.theme[variant] || app.theme.light)) || null;
  const box = h("div", { className: "preview" + (variant === "dark" ? " dark" : ""), role: "group", "aria-label": "Bản xem trước trang chủ" });
  const unreadable = colours && contrastProblems({ [variant]: colours }).some((p) => p.field.endsWith(".text"));
  if (unreadable) {
    // The console stays readable: the failing pair is shown as a sample beside the warning,
    // and the preview borrows black or white text until the colour is fixed.
    colours = Object.assign({}, colours, { text: textOn(colours.background) });
    box.appendChild(h("p", { className: "notice message error" }, "Màu chữ chưa đủ tương phản; bản xem trước tạm dùng màu chữ dễ đọc."));
  }
  if (colours) applyTheme({ light: colours }, box);
  const modules = (doc.modules || []).filter((m) => m.enabled);
  const byId = new Map((doc.modules || []).map((m) => [m.id, m]));
  box.appendChild(h("div", { className: "top" }, h("div", { className: "brand" },
    h("p", { className: "preview-title" }, app.title || "(chưa có tên)"), app.subtitle ? h("p", null, app.subtitle) : null)));
  const body = h("div", { className: "preview-body" });
  body.appendChild(h("ul", { className: "grid", "aria-label": "Các module đang bật, theo thứ tự" }, modules.map((m) =>
    h("li", null, h("span", { className: "tile" }, icon(m.icon), h("span", null, m.title))))));
  const contacts = doc.contacts || {};
  const contactsModule = byId.get("contacts");
  const extra = contactsModule && contactsModule.enabled ? ((contactsModule.settings || {}).extra_numbers || []) : [];
  body.appendChild(h("ul", { className: "phones", "aria-label": "Số điện thoại" },
    contacts.hotline ? h("li", null, h("span", null, "Đường dây nóng"), phoneLink(contacts.hotline)) : null,
    extra.filter((n) => n.phone).map((n) => h("li", null, h("span", null, n.label || "Số khác"), phoneLink(n.phone)))));
  box.appendChild(body);
  box.appendChild(h("div", { className: "tabs", role: "list", "aria-label": "Thanh tab" }, (doc.tab_bar || []).map((id) => {
    const m = byId.get(id);
    return h("span", { role: "listitem" }, icon(m && m.icon), h("br"), (m && m.title) || id);
  })));
  return box;
}
