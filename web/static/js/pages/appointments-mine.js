/* Lịch hẹn của tôi: the signed-in resident's appointments (the coming ones first), each with its
   code, QR ticket, calendar file, queue number once checked in, cancel and rating; and one
   appointment's page (/lich-hen/<id>), where a new booking lands. While a queue number waits,
   the list refreshes itself every 30 seconds. */

import { h, clear, message } from "../core/dom.js";
import { api } from "../core/api.js";
import { errorBox } from "../core/forms.js";
import { signInPrompt } from "../core/account.js";
import { state, view, heading, setTitle } from "./shell.js";
import { splitAppointments } from "./appointment-model.js";
import { appointmentCard, appointmentLinks } from "./appointment-common.js";
import { moduleState } from "./booking.js";

const TITLE = "Lịch hẹn của tôi";
const REFRESH_MS = 30_000;
const PAGE_SIZE = 50;

export default function myAppointments({ id } = {}) {
  const { off, title } = moduleState();
  const main = view(id ? "Lịch hẹn" : TITLE);
  if (off) {
    heading(main, title);
    main.appendChild(message("Mục này chưa được " + state.ward.name + " bật trên miniapp."));
    return null;
  }
  if (!state.me) {
    heading(main, id ? "Lịch hẹn" : TITLE);
    main.appendChild(signInPrompt("Đăng nhập bằng VNeID để xem lịch hẹn của bạn."));
    return null;
  }
  return id ? onePage(main, id) : listPage(main);
}

function onePage(main, id) {
  const justBooked = new URLSearchParams(location.search).get("moi") === "1";
  return api("GET", "/api/v1/appointments/" + encodeURIComponent(id)).then((a) => {
    const title = "Lịch hẹn " + a.code;
    setTitle(title);
    main.appendChild(h("p", null, h("a", { href: state.base + "/lich-hen" }, "← " + TITLE)));
    heading(main, title);
    if (justBooked) {
      main.appendChild(message("Đã đặt lịch. Mã lịch hẹn của bạn là " + a.code
        + ". Khi tới nơi, đưa mã QR dưới đây cho cán bộ ở quầy để lấy số thứ tự."));
    }
    main.appendChild(h("ul", { className: "cards" }, appointmentCard(a)));
    main.appendChild(appointmentLinks(null));
  }).catch((error) => {
    heading(main, "Lịch hẹn");
    main.appendChild(errorBox(error));
  });
}

function listPage(main) {
  heading(main, TITLE);
  const box = h("div");
  const more = h("div", { className: "actions" });
  main.append(box, more, appointmentLinks("mine"));
  let timer = null;
  let items = [];
  let cursor = null;
  function draw() {
    const { upcoming, past } = splitAppointments(items);
    clear(box);
    box.appendChild(h("h3", { id: "upcoming-title" }, "Sắp tới"));
    box.appendChild(upcoming.length
      ? h("ul", { className: "cards", "aria-labelledby": "upcoming-title" }, upcoming.map((a) => appointmentCard(a)))
      : message("Bạn không có lịch hẹn nào sắp tới."));
    if (past.length) {
      box.appendChild(h("h3", { id: "past-title" }, "Đã qua, đã hủy"));
      box.appendChild(h("ul", { className: "cards", "aria-labelledby": "past-title" }, past.map((a) => appointmentCard(a))));
    }
    clear(more);
    if (cursor) {
      more.appendChild(h("button", { type: "button", className: "secondary",
        onclick: (event) => { event.currentTarget.disabled = true; load(cursor); } }, "Xem lịch hẹn cũ hơn"));
    }
    clearTimeout(timer);
    if (upcoming.some((a) => a.ticket && a.ticket.status === "waiting")) timer = setTimeout(refresh, REFRESH_MS);
  }
  /* The newest page again: a queue number's place changes while the resident waits. */
  function refresh() {
    if (!box.isConnected) return;  // the resident has moved on
    // A refresh must not throw away a choice being made or a message just shown.
    if (box.querySelector("form input:checked, .notice.message, dialog[open]") || document.querySelector("dialog[open]")) {
      timer = setTimeout(refresh, REFRESH_MS);
      return;
    }
    api("GET", "/api/v1/me/appointments?limit=" + PAGE_SIZE).then((data) => {
      const fresh = new Map(data.items.map((a) => [a.id, a]));
      items = items.map((a) => fresh.get(a.id) || a);
      if (box.isConnected) draw();
    }).catch(() => { timer = setTimeout(refresh, REFRESH_MS); });
  }
  function load(after) {
    return api("GET", "/api/v1/me/appointments?limit=" + PAGE_SIZE + (after ? "&cursor=" + encodeURIComponent(after) : ""))
      .then((data) => {
        items = items.concat(data.items);
        cursor = data.next_cursor || null;
        if (box.isConnected) draw();
      }).catch((error) => clear(more).appendChild(errorBox(error)));
  }
  return load(null);
}
