/* Đặt lịch, lấy số: what the resident's pages show of an appointment (its code, QR ticket,
   calendar file, queue number), cancelling it after a confirmation and rating it. */

import { h, clear, append, message } from "../core/dom.js";
import { api } from "../core/api.js";
import { runAction, submitForm } from "../core/forms.js";
import { state } from "./shell.js";
import { isUpcoming, waitText, whenText } from "./appointment-model.js";

/** "Đặt lịch mới" and "Lịch hẹn của tôi" (without the one of the current page). */
export function appointmentLinks(current) {
  const box = h("div", { className: "actions" });
  if (current !== "book") box.appendChild(h("a", { className: "button", href: state.base + "/dat-lich" }, "Đặt lịch mới"));
  if (current !== "mine") box.appendChild(h("a", { className: "button secondary", href: state.base + "/lich-hen" }, "Lịch hẹn của tôi"));
  return box;
}

function fact(term, value) {
  return value ? h("div", null, h("dt", null, term), h("dd", null, value)) : null;
}

function stars(n) {
  return "★".repeat(n) + "☆".repeat(5 - n) + " " + n + "/5 sao";
}

/**
 * An appointment as a card of a list (an <li id="appointment-<id>">): redrawn in place after a
 * cancel or a rating, with `notice` said once.
 */
export function appointmentCard(a, notice) {
  const card = h("li", { className: "card appointment", id: "appointment-" + a.id });
  fillCard(card, a, notice);
  return card;
}

function fillCard(card, a, notice) {
  clear(card);
  const titleId = "appointment-" + a.id + "-title";
  card.setAttribute("aria-labelledby", titleId);
  append(card, [
    h("h3", { id: titleId }, a.service.name),
    h("p", { className: "meta" }, h("span", { className: "badge appointment-status status-" + a.status }, a.status_label),
      a.service.kind_label || ""),
    notice ? message(notice) : null,
  ]);
  const ticket = a.ticket;
  if (ticket) card.appendChild(ticketBox(ticket));
  card.appendChild(h("dl", { className: "facts" },
    fact("Mã lịch hẹn", h("span", { className: "code" }, a.code)),
    fact("Thời gian", whenText(a)),
    fact("Địa điểm", [a.service.location, a.ward_name].filter(Boolean).join(", ")),
    typeof a.rating === "number" || (a.rating && a.rating.stars)
      ? fact("Bạn đã đánh giá", stars(typeof a.rating === "number" ? a.rating : a.rating.stars)) : null));
  if (a.status === "booked" && isUpcoming(a) && a.ticket_url && !ticket) {
    card.appendChild(h("figure", { className: "ticket-qr" },
      h("img", { src: a.ticket_url, alt: "Mã QR của lịch hẹn " + a.code, width: "180", height: "180", loading: "lazy" }),
      h("figcaption", { className: "hint" }, "Đưa mã này cho cán bộ ở quầy khi tới nơi để lấy số thứ tự.")));
  }
  const actions = h("div", { className: "actions" });
  if (a.calendar_url && isUpcoming(a)) {
    actions.appendChild(h("a", { className: "button secondary", href: a.calendar_url, download: "lich-hen-" + a.code + ".ics" },
      "Thêm vào lịch"));
  } else if (a.calendar_url && a.status === "cancelled" && Date.parse(a.start) > Date.now()) {
    // The cancelled event (a higher SEQUENCE, STATUS:CANCELLED) takes it and its reminder off
    // a calendar it was added to.
    actions.appendChild(h("a", { className: "button secondary", href: a.calendar_url, download: "lich-hen-" + a.code + ".ics" },
      "Xóa khỏi lịch (tải tệp đã hủy)"));
  }
  const box = h("div", { "aria-live": "polite" });
  if (a.can_cancel) {
    const cancel = h("button", { type: "button", className: "danger" }, "Hủy lịch hẹn");
    cancel.addEventListener("click", async () => {
      clear(box);
      const yes = await confirmModal({
        title: "Hủy lịch hẹn " + a.code + "?",
        body: [a.service.name + ", " + whenText(a) + ".", "Chỗ của bạn sẽ được nhường cho người khác."],
        confirm: "Hủy lịch hẹn",
        cancel: "Không hủy",
      });
      if (!yes) return;
      await runAction(cancel, async () => {
        const fresh = await api("DELETE", "/api/v1/appointments/" + a.id);
        fillCard(card, fresh, "Đã hủy lịch hẹn " + fresh.code + ".");
        card.querySelector("h3").setAttribute("tabindex", "-1");
        card.querySelector("h3").focus();
      }, box);
    });
    actions.appendChild(cancel);
  }
  if (actions.childNodes.length) card.appendChild(actions);
  card.appendChild(box);
  if (a.can_rate) card.appendChild(ratingForm(card, a));
}

/* The queue number of a checked-in appointment, where it stands and where to go. */
function ticketBox(t) {
  const called = t.status === "called";
  return h("div", { className: "ticket-box" + (called ? " called" : "") },
    h("p", { className: "ticket-label" }, "Số thứ tự của bạn"),
    h("p", { className: "ticket-number" }, String(t.number)),
    h("p", null, h("strong", null, t.status_label)),
    called && t.counter ? h("p", { className: "ticket-call" }, "Mời bạn tới quầy " + t.counter + ".") : null,
    waitText(t) ? h("p", null, waitText(t)) : null);
}

const STAR_NAMES = ["Rất không hài lòng", "Không hài lòng", "Bình thường", "Hài lòng", "Rất hài lòng"];

function ratingForm(card, a) {
  const id = "rate-" + a.id;
  const status = h("div", { "aria-live": "polite" });
  const fieldset = h("fieldset", { className: "stars", "data-field": "stars" },
    h("legend", null, "Bạn đánh giá việc tiếp đón, giải quyết thế nào?"),
    STAR_NAMES.map((text, i) => h("label", { className: "check", for: id + "-" + (i + 1) },
      h("input", { type: "radio", id: id + "-" + (i + 1), name: id, value: String(i + 1) }),
      "★".repeat(i + 1) + " " + (i + 1) + " sao – " + text)));
  const form = h("form", { className: "appointment-rating" }, fieldset, status,
    h("div", { className: "actions" }, h("button", { type: "submit" }, "Gửi đánh giá")));
  const checked = () => form.querySelector("input[name='" + id + "']:checked");
  submitForm(form, {
    status,
    validate: () => (checked() ? [] : [{ field: "stars", message: "Hãy chọn số sao." }]),
    collect: () => ({ stars: Number(checked().value) }),
    send: (body, key) => api("POST", "/api/v1/appointments/" + a.id + "/rating", body, { idempotencyKey: key }),
    done: (rating) => fillCard(card, Object.assign({}, a, { rating: rating.stars, can_rate: false }),
      "Cảm ơn bạn đã đánh giá: " + rating.stars + "/5 sao."),
  });
  return form;
}

let serial = 0;

/**
 * Ask before something people cannot take back (a native modal <dialog>: focus stays inside,
 * Esc cancels, focus returns where it was). Resolves to true when confirmed.
 */
export function confirmModal({ title, body, confirm, cancel = "Không" }) {
  const id = "confirm-" + (++serial);
  const before = document.activeElement;
  const yes = h("button", { type: "button", className: "danger" }, confirm);
  const no = h("button", { type: "button", className: "secondary" }, cancel);
  const dialog = h("dialog", { className: "modal", "aria-labelledby": id + "-title", "aria-describedby": id + "-body" },
    h("div", { className: "modal-body" },
      h("h2", { id: id + "-title" }, title),
      h("div", { id: id + "-body" }, [].concat(body || []).filter(Boolean).map((text) => h("p", null, text))),
      h("div", { className: "actions" }, yes, no)));
  document.body.appendChild(dialog);
  return new Promise((resolve) => {
    let answer = false;
    yes.addEventListener("click", () => { answer = true; dialog.close(); });
    no.addEventListener("click", () => dialog.close());
    dialog.addEventListener("close", () => {
      dialog.remove();
      if (before && before.isConnected && before.focus) before.focus();
      resolve(answer);
    });
    dialog.showModal();
    no.focus();  // the safe choice first
  });
}
