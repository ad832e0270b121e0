/* Entry point of a ward's miniapp (/w/<ward>/…): loads the ward, its config and the user, draws
   the tab bar, then routes to page modules loaded on demand (the first load stays small). */

import { h, clear, icon } from "./core/dom.js";
import { api, loadMe } from "./core/api.js";
import { errorBox } from "./core/forms.js";
import { applyTheme, setupLargeText } from "./core/theme.js";
import { renderAccount } from "./core/account.js";
import { ensureConsent } from "./core/privacy.js";
import { startRouter } from "./core/router.js";
import { state, moduleById, moduleHref, view, heading } from "./pages/shell.js";

const ROUTES = [
  ["", () => import("./pages/home.js")],
  ["notices/:id", () => import("./pages/notice.js")],
  ["notices", () => import("./pages/feed.js")],
  ["polls/:id", () => import("./pages/poll.js")],
  ["polls", () => import("./pages/polls.js")],
  ["market/register", () => import("./pages/register.js")],
  ["market", () => import("./pages/market.js")],
  ["merchants/:id", () => import("./pages/merchant.js")],
  ["communities", () => import("./pages/communities.js")],
  ["join/:id", () => import("./pages/join.js")],
  ["contacts", () => import("./pages/contacts.js")],
  ["tai-khoan", () => import("./pages/account.js")],
  ["phan-anh/moi", () => import("./pages/report-new.js")],
  ["phan-anh/cua-toi", () => import("./pages/report-mine.js")],
  ["phan-anh/:id", () => import("./pages/report.js")],
  ["phan-anh", () => import("./pages/reports.js")],
  ["dat-lich/:id", () => import("./pages/booking.js")],
  ["dat-lich", () => import("./pages/booking.js")],
  ["lich-hen/:id", () => import("./pages/appointments-mine.js")],
  ["lich-hen", () => import("./pages/appointments-mine.js")],
];

function renderTabs(current) {
  const nav = clear(document.getElementById("tabbar"));
  const tabs = (state.config.tab_bar || []).map(moduleById).filter((m) => m && m.enabled);
  for (const m of tabs) {
    const attrs = { href: moduleHref(m) };
    if (m.id === current) attrs["aria-current"] = "page";
    if (m.kind === "link") attrs.rel = "noopener";
    nav.appendChild(h("a", attrs, icon(m.icon), h("span", null, m.title)));
  }
}

function notFound() {
  const main = view("Không tìm thấy");
  heading(main, "Không tìm thấy trang này");
  main.appendChild(h("p", null, h("a", { href: state.base }, "Về trang chủ của " + state.config.app.title)));
}

let serial = 0;

async function render(match, rest, moved) {
  const mine = ++serial;
  const first = rest.split("/")[0] || "";
  renderTabs(first === "merchants" ? "market" : first === "lich-hen" ? "dat-lich" : first);
  try {
    if (!match) notFound();
    else {
      const page = await match.load();
      if (mine !== serial) return;  // another navigation started meanwhile
      await page.default(match.params);
    }
  } catch (error) {
    if (mine !== serial) return;
    clear(document.getElementById("main")).appendChild(errorBox(error));
  }
  // After an in-app navigation, move the keyboard and screen-reader focus to the new view.
  const title = document.getElementById("view-title");
  if (title && moved && mine === serial) title.focus();
}

async function boot() {
  setupLargeText();
  const parts = location.pathname.split("/").filter(Boolean);
  state.slug = decodeURIComponent(parts[1] || "");
  const slug = encodeURIComponent(state.slug);
  try {
    const [ward, config, me] = await Promise.all([
      api("GET", "/api/v1/wards/" + slug),
      api("GET", "/api/v1/wards/" + slug + "/miniapp"),
      loadMe(),
    ]);
    Object.assign(state, { ward, config, me, base: "/w/" + ward.slug });
  } catch (error) {
    clear(document.getElementById("main")).appendChild(errorBox(error));
    return;
  }
  applyTheme(state.config.app.theme);
  document.getElementById("app-title").textContent = state.config.app.title;
  document.getElementById("app-subtitle").textContent = state.config.app.subtitle || "";
  await ensureConsent(state.me);
  renderAccount(state.me);
  const router = startRouter({
    base: state.base,
    routes: ROUTES,
    render,
    within: (url) => (url.pathname === state.base || url.pathname.startsWith(state.base + "/"))
      && url.pathname !== state.base + "/staff" && !url.pathname.startsWith(state.base + "/staff/"),
  });
  state.navigate = router.go;
  state.reroute = router.route;
}

boot();
