/* Pure helpers of the miniapp config form: colour checks, module order, the tab bar, link ids.
   No DOM here, so that `node --test` runs them (tests/js/config-model.test.mjs). */

import { contrast, textOn } from "../core/theme.js";

/** WCAG 2 AA for normal text. */
export const AA_TEXT = 4.5;
export const TAB_BAR_MIN = 2;
export const TAB_BAR_MAX = 5;

const VARIANTS = [["light", "giao diện sáng"], ["dark", "giao diện tối"]];
/* The cards' background on the ward pages (app.css --card): text is drawn on it too. */
export const CARD = { light: "#F5F5F5", dark: "#1E1E1E" };
const HEX = /^#[0-9A-Fa-f]{6}$/;

/** A deep copy of a JSON document. */
export function copyDoc(doc) {
  return JSON.parse(JSON.stringify(doc));
}

/** A contrast ratio as people read it: "4,6:1". */
export function formatRatio(ratio) {
  return (Math.floor(ratio * 10) / 10).toFixed(1).replace(".", ",") + ":1";
}

/**
 * The text/background pairs the ward pages draw with a theme, each with its ratio and whether it
 * reaches AA: the header and buttons (black or white text, whichever reads better, on the
 * primary colour) and the body text on the background and on the cards, for each variant present.
 * `field` is the document path of the colour to change when the pair fails.
 */
export function contrastChecks(theme) {
  const checks = [];
  for (const [variant, name] of VARIANTS) {
    const c = theme && theme[variant];
    if (!c) continue;
    const base = "app.theme." + variant + ".";
    if (HEX.test(c.primary || "")) {
      const ratio = contrast(textOn(c.primary), c.primary);
      checks.push({ variant, field: base + "primary", what: "Chữ trên màu chính (" + name + ")", ratio, ok: ratio >= AA_TEXT });
    }
    if (HEX.test(c.text || "") && HEX.test(c.background || "")) {
      const ratio = Math.min(contrast(c.text, c.background), contrast(c.text, CARD[variant]));
      checks.push({ variant, field: base + "text", what: "Màu chữ trên màu nền (" + name + ")", ratio, ok: ratio >= AA_TEXT });
    }
  }
  return checks;
}

/** Field errors [{field, message}] for the pairs below AA (publishing is refused while any). */
export function contrastProblems(theme) {
  return contrastChecks(theme).filter((c) => !c.ok).map((c) => ({
    field: c.field,
    message: c.what + " chỉ đạt độ tương phản " + formatRatio(c.ratio) + ", dưới mức tối thiểu "
      + formatRatio(AA_TEXT) + " (WCAG AA): người cao tuổi, người nhìn kém khó đọc. Hãy chọn màu đậm hơn hoặc nhạt hơn.",
  }));
}

/** A copy of `list` with the item at `index` moved by `delta` (-1 up, +1 down); unchanged at the ends. */
export function moveItem(list, index, delta) {
  const to = index + delta;
  const copy = list.slice();
  if (index < 0 || index >= list.length || to < 0 || to >= list.length) return copy;
  const [item] = copy.splice(index, 1);
  copy.splice(to, 0, item);
  return copy;
}

/** The tab bar for these modules: the ids in `tabs` of enabled modules, in the modules' order. */
export function tabBarFor(modules, tabs) {
  const wanted = new Set(tabs);
  return modules.filter((m) => m.enabled && wanted.has(m.id)).map((m) => m.id);
}

/** Field errors for a tab bar of the wrong size. */
export function tabBarProblems(tabBar) {
  if (tabBar.length >= TAB_BAR_MIN && tabBar.length <= TAB_BAR_MAX) return [];
  return [{ field: "tab_bar", message: "Thanh tab phải có từ " + TAB_BAR_MIN + " đến " + TAB_BAR_MAX
    + " mục (đang chọn " + tabBar.length + "). Đánh dấu «Trên thanh tab» ở các module đang bật." }];
}

/** Whether `text` is an absolute https:// address with a host. */
export function isHttpsUrl(text) {
  try {
    const url = new URL(String(text).trim());
    return url.protocol === "https:" && !!url.hostname && !/\s/.test(String(text).trim());
  } catch (e) {
    return false;
  }
}

/** A module id for a link titled `title`: lowercase ASCII words joined by "-", unique among `taken`. */
export function linkId(title, taken) {
  const base = String(title || "").normalize("NFD").replace(/[\u0300-\u036f]/g, "")
    .replace(/[đĐ]/g, "d").toLowerCase().replace(/[^a-z0-9]+/g, "-").replace(/^-+|-+$/g, "")
    .replace(/^[^a-z]+/, "").slice(0, 30).replace(/-+$/, "") || "lien-ket";
  const used = new Set(taken);
  if (!used.has(base)) return base;
  for (let n = 2; ; n += 1) {
    if (!used.has(base + "-" + n)) return base + "-" + n;
  }
}

/** Field errors for the link modules: a name and an https address each. */
export function linkProblems(modules) {
  const problems = [];
  modules.forEach((m, index) => {
    if (m.kind !== "link") return;
    if (!String(m.title || "").trim()) problems.push({ field: "modules." + index + ".title", message: "Hãy nhập tên liên kết." });
    if (!isHttpsUrl((m.settings || {}).url || "")) {
      problems.push({ field: "modules." + index + ".settings.url", message: "Địa chỉ liên kết phải bắt đầu bằng https:// (ví dụ https://dichvucong.gov.vn)." });
    }
  });
  return problems;
}
