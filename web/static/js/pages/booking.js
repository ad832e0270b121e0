/* Đặt lịch, lấy số: the ward's booking services → a service's open days (closed ones with their
   reason) → the day's slots with the places left → confirm. The chosen day and time stay in the
   address (?ngay=&gio=), so that signing in comes back to them. */

import { h, clear, message } from "../core/dom.js";
import { api } from "../core/api.js";
import { errorBox, submitForm } from "../core/forms.js";
import { signInPrompt } from "../core/account.js";
import { state, view, heading, go, moduleById, moduleTitle, disabled, setTitle } from "./shell.js";
import {
  dayStatusText, groupDaysByWeek, hoursText, minutesText, remainingText, slotText, weekdayDate, whenText,
} from "./appointment-model.js";
import { appointmentLinks } from "./appointment-common.js";

export const MODULE_ID = "dat-lich";

/** The module's title, and whether the ward turned it off (a config that predates it keeps it on). */
export function moduleState() {
  const m = moduleById(MODULE_ID);
  return { title: moduleTitle(MODULE_ID, "Đặt lịch, lấy số"), off: !!m && !m.enabled };
}

export default function booking({ id } = {}) {
  const { title, off } = moduleState();
  const main = view(title);
  if (off) return disabled(main, title);
  return id ? servicePage(main, id) : servicesPage(main, title);
}

async function servicesPage(main, title) {
  heading(main, title);
  main.appendChild(h("p", null, "Đặt lịch trước để tới " + state.ward.name + " đúng giờ, không phải xếp hàng lâu. "
    + "Khi tới nơi, đưa mã lịch hẹn cho cán bộ để lấy số thứ tự."));
  if (state.me) main.appendChild(appointmentLinks("book"));
  let services;
  try {
    services = (await api("GET", "/api/v1/wards/" + state.ward.code + "/booking-services")).items;
  } catch (error) {
    main.appendChild(errorBox(error));
    return null;
  }
  main.appendChild(h("h3", null, "Chọn việc cần làm"));
  if (!services.length) {
    main.appendChild(message(state.ward.name + " chưa mở đặt lịch trực tuyến cho việc nào."));
    return null;
  }
  main.appendChild(h("ul", { className: "cards" }, services.map((s) => h("li", { className: "card", id: "service-" + s.id },
    h("a", { className: "stretch", href: state.base + "/dat-lich/" + s.id },
      h("h4", null, s.name),
      h("p", { className: "meta" }, [s.kind_label, s.location].filter(Boolean).join(" · "))),
    s.description ? h("p", null, s.description) : null,
    h("p", { className: "meta" }, "Mỗi lượt khoảng " + minutesText(s.duration_minutes) + ". " + hoursText(s.hours))))));
  if (!state.me) main.appendChild(signInPrompt("Đăng nhập bằng VNeID để đặt lịch và xem lịch hẹn của bạn."));
  return null;
}

async function servicePage(main, id) {
  const back = h("p", null, h("a", { href: state.base + "/dat-lich" }, "← Các việc nhận đặt lịch"));
  let service;
  let days;
  try {
    [service, days] = await Promise.all([
      api("GET", "/api/v1/booking-services/" + encodeURIComponent(id)),
      api("GET", "/api/v1/booking-services/" + encodeURIComponent(id) + "/days").then((d) => d.items),
    ]);
  } catch (error) {
    main.appendChild(back);
    heading(main, "Đặt lịch");
    main.appendChild(errorBox(error));
    return null;
  }
  if (service.ward !== state.ward.code) {
    main.appendChild(back);
    heading(main, "Đặt lịch");
    main.appendChild(message("Việc này thuộc phường, xã khác."));
    return null;
  }
  const title = "Đặt lịch: " + service.name;
  setTitle(title);
  main.appendChild(back);
  heading(main, title);
  main.appendChild(h("dl", { className: "facts" },
    h("div", null, h("dt", null, "Địa điểm"), h("dd", null, service.location || state.ward.name)),
    h("div", null, h("dt", null, "Thời gian mỗi lượt"), h("dd", null, minutesText(service.duration_minutes))),
    h("div", null, h("dt", null, "Giờ tiếp nhận"), h("dd", null, hoursText(service.hours)))));
  if (service.description) main.appendChild(h("p", null, service.description));
  if (!service.active) {
    main.appendChild(message("Việc này tạm ngừng nhận đặt lịch."));
    return null;
  }

  const params = new URLSearchParams(location.search);
  const slotsBox = h("div", { className: "slots", id: "slots" });
  const picker = dayPicker(days, params.get("ngay"), (day) => {
    remember({ ngay: day.date });
    // Chosen by hand: take the keyboard and screen reader to the day's times.
    return showSlots(slotsBox, service, day.date, null).then(() => {
      const title = document.getElementById("slots-title");
      if (title) title.focus();
    });
  });
  main.appendChild(h("section", { "aria-labelledby": "days-title" }, h("h3", { id: "days-title" }, "1. Chọn ngày"), picker.node));
  main.appendChild(slotsBox);
  if (state.me) main.appendChild(appointmentLinks("book"));
  if (picker.chosen) return showSlots(slotsBox, service, picker.chosen, params.get("gio"));
  return null;
}

/* The days from today to the last bookable one, week by week; a day is a toggle button. */
function dayPicker(days, wanted, choose) {
  const node = h("div", { className: "day-picker" });
  const openDays = days.filter((d) => d.open && d.remaining > 0);
  if (!openDays.length) {
    node.appendChild(message("Không còn ngày nào nhận đặt lịch. Hãy quay lại sau."));
  }
  const buttons = [];
  for (const week of groupDaysByWeek(days)) {
    const weekId = "week-" + week.days[0].date;
    node.appendChild(h("h4", { id: weekId }, week.label));
    node.appendChild(h("ul", { className: "days", "aria-labelledby": weekId }, week.days.map((d) => {
      const text = [h("span", { className: "day-name" }, (d.weekday_label || "") + " " + d.date.slice(8, 10) + "/" + d.date.slice(5, 7)),
        h("span", { className: "day-status" }, dayStatusText(d))];
      if (!d.open || d.remaining <= 0) {
        return h("li", { className: "day closed" }, h("span", { className: "day-box" }, text));
      }
      const button = h("button", { type: "button", className: "day-box", "aria-pressed": "false", "data-date": d.date }, text);
      button.addEventListener("click", () => {
        buttons.forEach((b) => b.setAttribute("aria-pressed", String(b === button)));
        choose(d);
      });
      buttons.push(button);
      return h("li", { className: "day" }, button);
    })));
  }
  const chosen = openDays.some((d) => d.date === wanted) ? wanted : null;
  buttons.forEach((b) => b.setAttribute("aria-pressed", String(b.getAttribute("data-date") === chosen)));
  return { node, chosen };
}

/* Keep the choice in the address (no new history entry: Back leaves the service). */
function remember(values) {
  const params = new URLSearchParams();
  for (const [key, value] of Object.entries(values)) if (value) params.set(key, value);
  const qs = params.toString();
  history.replaceState(null, "", location.pathname + (qs ? "?" + qs : ""));
}

let slotSerial = 0;

/* The day's slots as a choice of times, then "Xác nhận đặt lịch" (or a prompt to sign in). */
async function showSlots(box, service, date, wantedStart, notice) {
  const mine = ++slotSerial;
  clear(box).appendChild(h("p", { role: "status" }, "Đang tải giờ trống…"));
  let data;
  try {
    data = await api("GET", "/api/v1/booking-services/" + service.id + "/slots?date=" + encodeURIComponent(date));
  } catch (error) {
    if (mine === slotSerial) clear(box).appendChild(errorBox(error));
    return;
  }
  if (mine !== slotSerial) return;  // another day was chosen meanwhile
  clear(box);
  const titleId = "slots-title";
  const section = h("section", { "aria-labelledby": titleId }, h("h3", { id: titleId, tabindex: "-1" }, "2. Chọn giờ – " + weekdayDate(date)));
  box.appendChild(section);
  if (notice) section.appendChild(notice);
  const free = data.items.filter((s) => s.remaining > 0);
  if (data.closed_reason || !free.length) {
    section.appendChild(message(data.closed_reason || "Ngày này đã hết chỗ. Hãy chọn ngày khác."));
    return;
  }
  const chosenStart = free.some((s) => s.start === wantedStart) ? wantedStart : null;
  const summary = h("p", { className: "booking-summary", "aria-live": "polite" });
  const status = h("div", { "aria-live": "polite" });
  const fieldset = h("fieldset", { className: "slot-list", "data-field": "start service_id" },
    h("legend", null, "Giờ hẹn (còn chỗ)"),
    data.items.map((s, i) => {
      const id = "slot-" + i;
      const full = s.remaining <= 0;
      return h("label", { className: "check slot" + (full ? " full" : ""), for: id },
        h("input", { type: "radio", id, name: "slot", value: s.start, disabled: full, checked: s.start === chosenStart }),
        h("span", null, h("strong", null, slotText(s)), " · " + remainingText(s.remaining)));
    }));
  const form = h("form", { className: "booking-form" }, fieldset);
  const describe = () => {
    const slot = data.items.find((s) => s.start === selected());
    summary.textContent = slot ? "Bạn chọn: " + service.name + ", " + whenText(slot) + ", tại "
      + (service.location || state.ward.name) + "." : "";
  };
  const selected = () => {
    const input = form.querySelector("input[name=slot]:checked");
    return input ? input.value : null;
  };
  fieldset.addEventListener("change", () => {
    remember({ ngay: date, gio: selected() });
    describe();
  });
  form.appendChild(h("h3", null, "3. Xác nhận"));
  form.appendChild(summary);
  describe();
  section.appendChild(form);
  if (!state.me) {
    form.appendChild(signInPrompt("Đăng nhập bằng VNeID để đặt lịch. Sau khi đăng nhập, bạn quay lại đúng trang này."));
    return;
  }
  form.appendChild(status);
  form.appendChild(h("div", { className: "actions" }, h("button", { type: "submit" }, "Xác nhận đặt lịch")));
  submitForm(form, {
    status,
    validate: () => (selected() ? [] : [{ field: "start", message: "Hãy chọn một giờ hẹn." }]),
    collect: () => ({ service_id: service.id, start: selected() }),
    send: (body, key) => api("POST", "/api/v1/appointments", body, { idempotencyKey: key }).catch((error) => {
      if (error.status === 409 && error.data && error.data.error && error.data.error.code === "slot_full") {
        // Someone took the last place meanwhile: show the day's places as they are now.
        showSlots(box, service, date, null, h("p", { className: "notice message error", role: "alert" },
          error.message + " Hãy chọn giờ khác."));
      } else if (error.status === 409 && error.data && error.data.error && error.data.error.code === "already_booked") {
        // After the message submitForm puts in `status`.
        setTimeout(() => status.appendChild(h("p", null, h("a", { href: state.base + "/lich-hen" }, "Xem lịch hẹn của tôi"))), 0);
      }
      throw error;
    }),
    done: (appointment) => go(state.base + "/lich-hen/" + appointment.id + "?moi=1"),
  });
}
