/* Entry point of a department's console (/d/<dept>): for the department's staff, its own
   miniapp config (admins: the same form as a ward's, web/static/js/staff/config.js) and
   "Gửi thông báo tới phường, xã" (the city-wide publishing section of city/broadcasts.js).
   Every permission is decided by the API; the page only hides what the caller cannot use. */

import { h, clear, message } from "./core/dom.js";
import { api, loadMe } from "./core/api.js";
import { errorBox } from "./core/forms.js";
import { loadVocabulary } from "./core/labels.js";
import { applyTheme, setupLargeText } from "./core/theme.js";
import { renderAccount, signInPrompt } from "./core/account.js";
import { ensureConsent } from "./core/privacy.js";
import { isDepartmentAdmin, isDepartmentStaff } from "./department/roles.js";

function nav(main, links) {
  main.appendChild(h("nav", { className: "staff-nav", "aria-label": "Các phần của bàn làm việc" },
    links.map(([href, text]) => h("a", { className: "button secondary", href }, text))));
}

/* City-wide publishing is another module's section: city/broadcasts.js exports
   broadcastSection(main, { department }), which draws its section (under an h3) into the
   element it gets. It gets a box of its own here, the target of "#broadcasts" with the h2 of
   this part, and is loaded on its own, so that the console still shows the config if it fails. */
async function broadcasts(main, department) {
  const box = h("section", { id: "broadcasts", "aria-labelledby": "broadcasts-title" },
    h("h2", { id: "broadcasts-title" }, "Gửi thông báo tới phường, xã"));
  main.appendChild(box);
  try {
    const mod = await import("./city/broadcasts.js");
    if (typeof mod.broadcastSection !== "function") throw new Error("broadcastSection is missing");
    return await mod.broadcastSection(box, { department });
  } catch (error) {
    box.appendChild(message("Phần gửi thông báo tới các phường, xã chưa sẵn sàng. Vui lòng thử lại sau.", "error"));
    return null;
  }
}

async function boot() {
  setupLargeText();
  const key = encodeURIComponent(decodeURIComponent(location.pathname.split("/")[2] || ""));
  const main = document.getElementById("main");
  try {
    const [department, config, me] = await Promise.all([
      api("GET", "/api/v1/departments/" + key),
      api("GET", "/api/v1/departments/" + key + "/miniapp"),
      loadMe(),
      loadVocabulary(),
    ]);
    applyTheme(config.app.theme);
    document.title = "Bàn làm việc – " + department.name;
    document.getElementById("app-title").textContent = "Bàn làm việc sở, ngành";
    document.getElementById("app-subtitle").textContent = department.name;
    await ensureConsent(me);
    renderAccount(me);
    clear(main);
    main.appendChild(h("p", null, h("a", { href: "/" }, "← Về danh sách phường, xã")));
    if (!me) {
      main.appendChild(signInPrompt("Đăng nhập bằng VNeID bằng tài khoản cán bộ của " + department.name + " để làm việc."));
      return;
    }
    if (!isDepartmentStaff(me, department.code)) {
      main.appendChild(message("Tài khoản của bạn không phải cán bộ của " + department.name + ".", "error"));
      return;
    }
    const admin = isDepartmentAdmin(me, department.code);
    const links = [["#broadcasts", "Gửi thông báo tới phường, xã"]];
    if (admin) links.push(["#config", "Cấu hình miniapp"]);
    nav(main, links);
    await broadcasts(main, department);
    if (admin) {
      const config = await import("./staff/config.js");
      await config.default({
        base: "/api/v1/departments/" + encodeURIComponent(department.code) + "/miniapp",
        unitName: department.name,
        audience: "Người dùng miniapp của " + department.name,
      });
    }
  } catch (error) {
    clear(main).appendChild(errorBox(error));
  }
}

boot();
