/* Entry point of the staff console (/w/<ward>/staff). Every permission is decided by the API;
   the page only hides what the caller's roles cannot use. The sections load on demand. */

import { h, clear, message } from "./core/dom.js";
import { api, loadMe } from "./core/api.js";
import { errorBox } from "./core/forms.js";
import { loadVocabulary } from "./core/labels.js";
import { applyTheme, setupLargeText } from "./core/theme.js";
import { renderAccount, signInPrompt } from "./core/account.js";
import { ensureConsent } from "./core/privacy.js";
import { desk } from "./staff/common.js";

const CATEGORY_FALLBACK = [{ code: "thong_tin_co_so", label: "Thông tin cơ sở" }];

/* Whether the user holds `role` in this ward (a city admin holds every role). */
function roleIn(role) {
  return (desk.me.roles || []).some((r) => r.role === "city_admin" || (r.role === role && r.ward === desk.ward.code));
}

function categories() {
  return api("GET", "/api/v1/notice-categories").then((c) => c.items).catch(() => CATEGORY_FALLBACK);
}

function nav(main, links) {
  main.appendChild(h("nav", { className: "staff-nav", "aria-label": "Các phần của bàn làm việc" },
    links.map(([href, text]) => h("a", { className: "button secondary", href }, text))));
}

async function wardDesk(main, admin) {
  const links = [["#notices", "Thông báo"], ["#communities", "Cộng đồng"], ["#polls", "Biểu quyết"], ["#market", "Chợ 4.0"], ["#reports", "Phản ánh"],
    ["#appointments", "Đặt lịch, lấy số"], ["#kpi", "Chỉ tiêu"]];
  if (admin) links.push(["#config", "Cấu hình miniapp"], ["#webhooks", "Webhook"], ["#audit", "Nhật ký"]);
  nav(main, links);
  const [cats, notices, communities, polls, merchants, reports, appointments, kpi, config, webhooks, audit] = await Promise.all([
    categories(),
    import("./staff/notices.js"),
    import("./staff/communities.js"),
    import("./staff/polls.js"),
    import("./staff/merchants.js"),
    import("./staff/reports.js"),
    import("./staff/appointments.js"),
    import("./staff/kpi.js"),
    admin ? import("./staff/config.js") : null,
    admin ? import("./staff/webhooks.js") : null,
    admin ? import("./staff/audit.js") : null,
  ]);
  // The sections are appended in this order, each as it is called.
  const loads = [notices.default(cats, null), communities.default(), polls.default(null), merchants.default(), reports.default(),
    appointments.default(), kpi.default()];
  if (config) loads.push(config.default());
  if (webhooks) loads.push(webhooks.default());
  if (audit) loads.push(audit.default());
  return Promise.all(loads);
}

/* Leaders (tổ trưởng, trưởng thôn …) run their own communities here: members, households,
   invite codes, notices to their community and its polls. */
async function leaderDesk(main) {
  const led = (desk.me.roles || []).filter((r) => r.role === "community_leader" && r.community_id);
  const found = await Promise.all(led.map((r) => api("GET", "/api/v1/communities/" + r.community_id).catch(() => null)));
  const mine = found.filter((c) => c && c.ward === desk.ward.code);
  if (!mine.length) {
    main.appendChild(message("Tài khoản của bạn không phải cán bộ của " + desk.ward.name + ".", "error"));
    return null;
  }
  document.title = "Bàn làm việc người phụ trách cộng đồng – " + desk.config.app.title;
  document.getElementById("app-title").textContent = "Bàn làm việc người phụ trách cộng đồng";
  main.appendChild(h("p", null, "Bạn phụ trách: " + mine.map((c) => c.name).join(", ") + "."));
  nav(main, [["#notices", "Thông báo"], ["#communities", "Cộng đồng"], ["#polls", "Biểu quyết"]]);
  const [cats, notices, communities, polls] = await Promise.all([
    categories(), import("./staff/notices.js"), import("./staff/communities.js"), import("./staff/polls.js"),
  ]);
  notices.default(cats, mine);
  communities.ledCommunitiesSection(mine);
  return polls.default(mine);
}

async function boot() {
  setupLargeText();
  const slug = encodeURIComponent(decodeURIComponent(location.pathname.split("/")[2] || ""));
  const main = document.getElementById("main");
  try {
    const [ward, config, me] = await Promise.all([
      api("GET", "/api/v1/wards/" + slug),
      api("GET", "/api/v1/wards/" + slug + "/miniapp"),
      loadMe(),
      loadVocabulary(),
    ]);
    Object.assign(desk, { ward, config, me });
    applyTheme(config.app.theme);
    document.title = "Bàn làm việc cán bộ – " + config.app.title;
    document.getElementById("app-subtitle").textContent = config.app.title;
    await ensureConsent(me);
    renderAccount(me);
    clear(main);
    main.appendChild(h("p", null, h("a", { href: "/w/" + ward.slug }, "← Về miniapp của " + ward.name)));
    if (!me) {
      main.appendChild(signInPrompt("Đăng nhập bằng VNeID bằng tài khoản cán bộ để làm việc."));
      return;
    }
    const admin = roleIn("ward_admin");
    if (admin || roleIn("ward_editor")) await wardDesk(main, admin);
    else await leaderDesk(main);
  } catch (error) {
    clear(main).appendChild(errorBox(error));
  }
}

boot();
