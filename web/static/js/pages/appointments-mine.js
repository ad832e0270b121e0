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
  main.append(box, appointmentLinks("mine"));
  let timer = null;
  function load(quiet) {
    return api("GET", "/api/v1/me/appointments").then((data) => {
      if (!box.isConnected) return;  // the resident has moved on
      // A refresh must not throw away a form being filled or a message just shown.
      if (quiet && box.querySelector("form input:checked, [role=alert], .notice.message")) return;
      const { upcoming, past } = splitAppointments(data.items);
      clear(box);
      box.appendChild(h("h3", { id: "upcoming-title" }, "Sắp tới"));
      box.appendChild(upcoming.length
        ? h("ul", { className: "cards", "aria-labelledby": "upcoming-title" }, upcoming.map((a) => appointmentCard(a)))
        : message("Bạn không có lịch hẹn nào sắp tới."));
      if (past.length) {
        box.appendChild(h("h3", { id: "past-title" }, "Đã qua, đã hủy"));
        box.appendChild(h("ul", { className: "cards", "aria-labelledby": "past-title" }, past.map((a) => appointmentCard(a))));
      }
      clearTimeout(timer);
      if (upcoming.some((a) => a.ticket && a.ticket.status === "waiting")) {
        timer = setTimeout(() => load(true), REFRESH_MS);
      }
    }).catch((error) => {
      if (!quiet) clear(box).appendChild(errorBox(error));
    });
  }
  return load(false);
}
