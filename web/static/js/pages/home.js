/* Trang chủ: the ward's modules as a grid, and for the signed-in resident "Theo dõi" and the
   reminders of tomorrow's appointments on top. */

import { h, clear, icon, message } from "../core/dom.js";
import { api } from "../core/api.js";
import { errorBox, runAction } from "../core/forms.js";
import { signInPrompt, ERASED_FLAG } from "../core/account.js";
import { state, view, heading, moduleHref } from "./shell.js";

export default function home() {
  const main = view("Trang chủ");
  heading(main, "Trang chủ");
  if (takeErasedFlag()) main.appendChild(message("Tài khoản của bạn đã được xóa và bạn đã được đăng xuất."));
  const reminders = h("div");
  main.appendChild(reminders);
  const grid = h("ul", { className: "grid" });
  for (const m of (state.config.modules || []).filter((x) => x.enabled)) {
    const attrs = { href: moduleHref(m) };
    if (m.kind === "link") attrs.rel = "noopener";
    grid.appendChild(h("li", null, h("a", attrs, icon(m.icon), h("span", null, m.title))));
  }
  main.appendChild(grid);
  const follow = h("div", { className: "actions" });
  main.appendChild(follow);
  if (!state.me) {
    follow.appendChild(signInPrompt("Đăng nhập bằng VNeID để nhận thông báo, tham gia biểu quyết của " + state.ward.name + "."));
    return null;
  }
  return Promise.all([
    api("GET", "/api/v1/wards/" + state.ward.code + "/follow")
      .then((data) => renderFollow(follow, data.following))
      .catch(() => null),
    showReminders(reminders),
  ]);
}

/* "Nhắc lịch hẹn": the resident's bookings of tomorrow the reminder job has marked, on top. */
async function showReminders(box) {
  let items;
  try {
    items = (await api("GET", "/api/v1/me/reminders")).items || [];
  } catch (error) {
    return;  // a reminder is a courtesy: the home page stands without it
  }
  if (!items.length || !box.isConnected) return;
  const { reminderText } = await import("./appointment-model.js");
  const href = state.base + "/lich-hen";
  box.appendChild(h("section", { className: "card reminder", "aria-labelledby": "reminders-title" },
    h("h3", { id: "reminders-title" }, icon("calendar"), " Nhắc lịch hẹn"),
    h("ul", { className: "plain" }, items.map((a) => h("li", null,
      h("a", { href }, "Nhắc lịch hẹn: " + reminderText(a)
        + (a.service.location ? " tại " + a.service.location : "")
        + (a.ward !== state.ward.code && a.ward_name ? " (" + a.ward_name + ")" : "")),
      h("span", { className: "meta" }, " · mã " + a.code))))));
}

/* Whether the page was just reloaded after the account was erased (told once). */
function takeErasedFlag() {
  try {
    const erased = sessionStorage.getItem(ERASED_FLAG);
    sessionStorage.removeItem(ERASED_FLAG);
    return !!erased;
  } catch (e) {
    return false;
  }
}

function renderFollow(box, following) {
  clear(box);
  if (following) {
    box.appendChild(h("p", { className: "meta" }, "Bạn đang theo dõi " + state.ward.name + "."));
    return;
  }
  const button = h("button", { type: "button" }, "Theo dõi " + state.ward.name);
  button.addEventListener("click", () => runAction(button,
    () => api("POST", "/api/v1/wards/" + state.ward.code + "/follow").then(() => renderFollow(box, true)))
    .catch((error) => box.appendChild(errorBox(error))));
  box.appendChild(button);
}
