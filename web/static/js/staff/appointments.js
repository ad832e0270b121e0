/* Staff: Đặt lịch, lấy số. The hall (check in by a typed or scanned code, walk-in numbers, call
   the next number at a counter, today's tickets with recall / done / no-show), the day's
   schedule, the booking services (hours, capacity, counters…) and the statistics with their CSV.
   The API decides every rule (a second check-in answers the same ticket, no-show only after
   enough calls…); the page shows its answers and its refusals. */

import { h, clear, append, message } from "../core/dom.js";
import { api, newKey } from "../core/api.js";
import { errorBox, runAction, submitForm } from "../core/forms.js";
import { label } from "../core/labels.js";
import { formatNumber, formatPercent } from "../core/format.js";
import { desk, section, field, select, checkbox, actionButton } from "./common.js";
import {
  WEEKDAYS, counterNumbers, formatTime, hoursRows, hoursText, localDate, minutesText, normaliseCode, statsQuery,
} from "../pages/appointment-model.js";

const KIND_CODES = ["procedure", "facility"];
const COUNTER_KEY = "pxs-hall-counter";

/* The ward's services, asked again after each change; the parts that list them re-draw. */
const services = { all: [], listeners: [] };

function wardPath(rest) {
  return "/api/v1/wards/" + desk.ward.code + rest;
}

async function loadServices() {
  services.all = (await api("GET", wardPath("/booking-services?include_inactive=true"))).items;
  services.listeners.forEach((f) => f(services.all));
  return services.all;
}

function onServices(listener) {
  services.listeners.push(listener);
  listener(services.all);
}

function activeServices() {
  return services.all.filter((s) => s.active);
}

/* A <select> whose options follow the services (`all`: the first option, "" for every service). */
function serviceSelect(id, labelText, { all = null, activeOnly = true, attrs = {} } = {}) {
  const [lab, node] = select(id, labelText, [], "", attrs);
  onServices(() => {
    const keep = node.value;
    clear(node);
    if (all) node.appendChild(h("option", { value: "" }, all));
    for (const s of activeOnly ? activeServices() : services.all) {
      node.appendChild(h("option", { value: String(s.id) }, s.name + (s.active ? "" : " (tạm ngừng)")));
    }
    if (Array.from(node.options).some((o) => o.value === keep)) node.value = keep;
  });
  return [lab, node];
}

export default async function appointmentsSection() {
  const s = section("appointments", "Đặt lịch, lấy số");
  const displayHref = "/w/" + desk.ward.slug + "/queue";
  s.appendChild(h("p", null, "Tiếp nhận người dân theo lịch hẹn và cấp số thứ tự tại quầy. ",
    h("a", { href: displayHref, target: "_blank", rel: "noopener" }, "Mở màn hình gọi số (trang mới)"),
    " để chiếu trên màn hình lớn ở sảnh."));
  s.appendChild(h("nav", { className: "staff-nav", "aria-label": "Các phần của đặt lịch, lấy số" },
    [["#hall", "Quầy tiếp nhận"], ["#schedule", "Lịch trong ngày"], ["#booking-services", "Dịch vụ"], ["#booking-stats", "Thống kê"]]
      .map(([href, text]) => h("a", { className: "button secondary small", href }, text))));
  try {
    await loadServices();
  } catch (error) {
    s.appendChild(errorBox(error));
    return null;
  }
  s.appendChild(hallPart());
  s.appendChild(schedulePart());
  s.appendChild(servicesPart());
  s.appendChild(statsPart());
  return null;
}

/* ---------------------------------------------------------------- the hall (quầy) */

function part(id, title) {
  return h("section", { id, className: "appointments-part", "aria-labelledby": id + "-title" },
    h("h3", { id: id + "-title" }, title));
}

function hallPart() {
  const box = part("hall", "Quầy tiếp nhận");
  const counters = counterNumbers(activeServices());
  let saved = null;
  try { saved = localStorage.getItem(COUNTER_KEY); } catch (e) { /* private mode */ }
  const [counterLabel, counter] = select("hall-counter", "Bạn đang ở quầy số", counters.map((n) => [String(n), "Quầy " + n]),
    counters.includes(Number(saved)) ? saved : "1");
  counter.addEventListener("change", () => {
    try { localStorage.setItem(COUNTER_KEY, counter.value); } catch (e) { /* ignore */ }
  });
  onServices((all) => {
    const keep = counter.value;
    clear(counter);
    for (const n of counterNumbers(all.filter((x) => x.active))) counter.appendChild(h("option", { value: String(n) }, "Quầy " + n));
    if (Array.from(counter.options).some((o) => o.value === keep)) counter.value = keep;
  });
  box.appendChild(h("div", { className: "counter-pick" }, counterLabel, counter));

  const tickets = ticketsList(() => Number(counter.value));
  box.appendChild(checkInForm(tickets.load));
  box.appendChild(walkInForm(tickets.load));
  box.appendChild(callNextForm(() => Number(counter.value), tickets.load));
  box.appendChild(tickets.node);
  tickets.load();
  return box;
}

/* The number just given or called, large, for staff to read out. */
function bigTicket(t, lead) {
  return h("div", { className: "hall-result", role: "status" },
    h("p", null, lead),
    h("p", { className: "hall-number" }, String(t.number)),
    h("p", { className: "meta" }, [t.service_name, t.source_label, t.appointment_start ? "hẹn lúc " + formatTime(t.appointment_start) : null]
      .filter(Boolean).join(" · ")));
}

function checkInForm(reload) {
  const status = h("div", { "aria-live": "polite" });
  const [codeLabel, code, codeHint] = field("checkin-code", "Mã lịch hẹn", {
    required: true, maxlength: "12", autocomplete: "off", autocapitalize: "characters", spellcheck: "false",
    "data-field": "code", className: "code-input" },
  "6 ký tự in trên vé của người dân (hoặc quét mã QR).");
  // Shown only where the browser reads QR codes itself (BarcodeDetector: Chrome on Android, …).
  const scan = h("button", { type: "button", className: "secondary", hidden: true }, "Quét mã");
  if ("BarcodeDetector" in window && window.BarcodeDetector.getSupportedFormats) {
    window.BarcodeDetector.getSupportedFormats()
      .then((formats) => { scan.hidden = !formats.includes("qr_code"); })
      .catch(() => { /* no camera reading here: typing the code is enough */ });
  }
  const form = h("form", { className: "hall-form", "aria-labelledby": "checkin-title" },
    h("h4", { id: "checkin-title" }, "Người có lịch hẹn tới nơi"),
    codeLabel, code, codeHint, status,
    h("div", { className: "actions" }, h("button", { type: "submit" }, "Xác nhận có mặt, cấp số"), scan));
  const wired = submitForm(form, {
    status,
    collect: () => ({ code: normaliseCode(code.value) }),
    send: (body, key) => api("POST", wardPath("/queue/check-in"), body, { idempotencyKey: key }),
    done: (t) => {
      code.value = "";
      status.appendChild(bigTicket(t, "Đã xác nhận có mặt. Số thứ tự:"));
      return reload();
    },
  });
  scan.addEventListener("click", () => scanCode((text) => {
    code.value = normaliseCode(text);
    wired.submit();
  }, status));
  return form;
}

/* Read a QR code with the camera (BarcodeDetector), in a dialog that stops the camera on close. */
async function scanCode(found, status) {
  clear(status);
  let stream;
  try {
    stream = await navigator.mediaDevices.getUserMedia({ video: { facingMode: "environment" }, audio: false });
  } catch (error) {
    status.appendChild(message("Không mở được máy ảnh. Hãy cho phép dùng máy ảnh, hoặc gõ mã.", "error"));
    return;
  }
  const detector = new window.BarcodeDetector({ formats: ["qr_code"] });
  const video = h("video", { className: "scan-video", autoplay: true, muted: true, playsinline: true,
    "aria-label": "Hình từ máy ảnh" });
  video.srcObject = stream;
  const stop = h("button", { type: "button", className: "secondary" }, "Dừng quét");
  const dialog = h("dialog", { className: "staff-dialog", "aria-labelledby": "scan-title" },
    h("h2", { id: "scan-title" }, "Quét mã lịch hẹn"),
    h("p", null, "Đưa mã QR trên vé vào giữa khung hình."),
    video,
    h("div", { className: "actions" }, stop));
  document.body.appendChild(dialog);
  let running = true;
  const close = () => {
    running = false;
    stream.getTracks().forEach((t) => t.stop());
    if (dialog.open) dialog.close();
  };
  stop.addEventListener("click", close);
  dialog.addEventListener("close", () => { running = false; stream.getTracks().forEach((t) => t.stop()); dialog.remove(); });
  dialog.showModal();
  stop.focus();
  const tick = async () => {
    if (!running) return;
    try {
      const codes = video.readyState >= 2 ? await detector.detect(video) : [];
      if (codes.length && codes[0].rawValue) {
        close();
        found(codes[0].rawValue);
        return;
      }
    } catch (error) { /* a frame that cannot be read: try the next */ }
    setTimeout(tick, 250);
  };
  tick();
}

function walkInForm(reload) {
  const status = h("div", { "aria-live": "polite" });
  const [svcLabel, svc] = serviceSelect("walkin-service", "Dịch vụ", { attrs: { required: true, "data-field": "service_id" } });
  const form = h("form", { className: "hall-form", "aria-labelledby": "walkin-title" },
    h("h4", { id: "walkin-title" }, "Người chưa đặt lịch: cấp số tại chỗ"),
    svcLabel, svc, status,
    h("div", { className: "actions" }, h("button", { type: "submit" }, "Cấp số")));
  submitForm(form, {
    status,
    collect: () => ({ service_id: Number(svc.value) }),
    send: (body, key) => api("POST", wardPath("/queue/tickets"), body, { idempotencyKey: key }),
    done: (t) => {
      status.appendChild(bigTicket(t, "Số thứ tự mới:"));
      return reload();
    },
  });
  return form;
}

function callNextForm(counter, reload) {
  const status = h("div", { "aria-live": "polite" });
  const [svcLabel, svc] = serviceSelect("call-service", "Gọi số của", { all: "Mọi dịch vụ", attrs: { "data-field": "service_id" } });
  const form = h("form", { className: "hall-form", "aria-labelledby": "call-title" },
    h("h4", { id: "call-title" }, "Gọi người tiếp theo"),
    svcLabel, svc, status,
    h("div", { className: "actions" }, h("button", { type: "submit" }, "Gọi số tiếp theo")));
  submitForm(form, {
    status,
    collect: () => {
      const body = { counter: counter() };
      if (svc.value) body.service_id = Number(svc.value);
      return body;
    },
    // The key makes a double tap call one person (the API replays its first answer).
    send: (body, key) => api("POST", wardPath("/queue/call-next"), body, { idempotencyKey: key }).catch((error) => {
      if (error.status === 409 && error.data && error.data.error && error.data.error.code === "queue_empty") {
        return null;
      }
      throw error;
    }),
    done: (t) => {
      if (!t) {
        status.appendChild(message("Không còn ai đang chờ" + (svc.value ? " ở dịch vụ này." : ".")));
        return null;
      }
      status.appendChild(bigTicket(t, "Mời số tới quầy " + t.counter + ":"));
      return reload();
    },
  });
  return form;
}

/* Today's tickets, the called ones first: recall, done, no-show. */
function ticketsList(counter) {
  const node = h("section", { className: "hall-tickets", "aria-labelledby": "tickets-title" });
  const summary = h("p", { className: "meta", role: "status" });
  const list = h("ul", { className: "cards" });
  const refresh = actionButton("Làm mới danh sách", null, () => runAction(refresh, load, list));
  append(node, [h("h4", { id: "tickets-title" }, "Số thứ tự hôm nay"), summary,
    h("div", { className: "actions compact" }, refresh), list]);
  const ORDER = { called: 0, waiting: 1, done: 2, no_show: 3 };
  async function load() {
    try {
      // Every page of the day's tickets (a busy hall gives out hundreds).
      let all = [];
      let cursor = null;
      do {
        const query = "?limit=200" + (cursor ? "&cursor=" + encodeURIComponent(cursor) : "");
        const data = await api("GET", wardPath("/queue/tickets") + query);
        all = all.concat(data.items);
        cursor = data.next_cursor;
      } while (cursor);
      const items = all.slice().sort((a, b) => (ORDER[a.status] ?? 9) - (ORDER[b.status] ?? 9) || a.number - b.number
        || String(a.service_name).localeCompare(String(b.service_name)));
      clear(list);
      const waiting = items.filter((t) => t.status === "waiting").length;
      summary.textContent = items.length ? items.length + " số đã cấp hôm nay, " + waiting + " người đang chờ." : "";
      if (!items.length) list.appendChild(h("li", null, message("Hôm nay chưa cấp số nào.")));
      for (const t of items) list.appendChild(ticketCard(t, counter, load));
    } catch (error) {
      clear(list).appendChild(h("li", null, errorBox(error)));
    }
  }
  return { node, load };
}

function ticketCard(t, counter, reload) {
  const card = h("li", { className: "card ticket-card status-" + t.status, id: "ticket-" + t.id });
  const box = h("div", { "aria-live": "polite" });
  const title = "Số " + t.number + " · " + t.service_name;
  append(card, [
    h("h5", null, title),
    h("p", { className: "meta" }, h("span", { className: "badge" + (t.status === "called" ? " unread" : "") }, t.status_label),
      [t.source_label, t.appointment_start ? "hẹn lúc " + formatTime(t.appointment_start) : null,
        t.counter ? "quầy " + t.counter : null, t.call_count ? "đã gọi " + t.call_count + " lần" : null,
        t.status === "waiting" && t.estimated_wait_minutes !== null && t.estimated_wait_minutes !== undefined
          ? "chờ khoảng " + minutesText(t.estimated_wait_minutes) : null].filter(Boolean).join(" · ")),
  ]);
  if (t.status === "called") {
    const act = (path, text, className) => {
      const button = h("button", { type: "button", className: className === undefined ? "secondary" : className }, text,
        h("span", { className: "visually-hidden" }, " số " + t.number));
      button.addEventListener("click", () => {
        clear(box);
        runAction(button, async () => {
          // A recall calls the number again at this counter, once per tap (its own key).
          if (path === "recall") {
            await api("POST", "/api/v1/queue/tickets/" + t.id + "/recall", { counter: counter() }, { idempotencyKey: newKey() });
          } else {
            await api("POST", "/api/v1/queue/tickets/" + t.id + "/" + path);
          }
          await reload();
        }, box);
      });
      return button;
    };
    card.appendChild(h("div", { className: "actions compact" },
      act("recall", "Gọi lại"), act("done", "Xong", ""), act("no-show", "Vắng mặt")));
  }
  card.appendChild(box);
  return card;
}

/* ---------------------------------------------------------------- the day's schedule */

function schedulePart() {
  const box = part("schedule", "Lịch trong ngày");
  const status = h("div", { "aria-live": "polite" });
  const result = h("div");
  const [dateLabel, date] = field("schedule-date", "Ngày", { type: "date", required: true, value: localDate(), "data-field": "date" });
  const [svcLabel, svc] = serviceSelect("schedule-service", "Dịch vụ", { all: "Tất cả dịch vụ", activeOnly: false,
    attrs: { "data-field": "service_id" } });
  const form = h("form", { className: "filters", role: "search", "aria-label": "Xem lịch trong ngày" },
    h("div", null, dateLabel, date), h("div", null, svcLabel, svc), status,
    h("div", { className: "actions" }, h("button", { type: "submit" }, "Xem lịch")));
  box.append(form, result);
  const wired = submitForm(form, {
    status,
    collect: () => ({ date: date.value, service_id: svc.value }),
    send: (body) => daySchedule(body),
    done: (items, body) => showSchedule(result, items, body.date),
  });
  wired.submit();
  return box;
}

/* Every booking of the day (the API answers by pages of at most 200). */
async function daySchedule(filters) {
  const query = new URLSearchParams(Object.entries(filters).filter(([, v]) => v));
  query.set("limit", "200");
  let items = [];
  let cursor = null;
  do {
    if (cursor) query.set("cursor", cursor);
    const data = await api("GET", wardPath("/appointments?" + query.toString()));
    items = items.concat(data.items);
    cursor = data.next_cursor;
  } while (cursor);
  return items;
}

function showSchedule(box, items, date) {
  clear(box);
  if (!items.length) {
    box.appendChild(message("Không có lịch hẹn nào ngày " + date.split("-").reverse().join("/") + "."));
    return;
  }
  const caption = "Lịch hẹn ngày " + date.split("-").reverse().join("/") + " (" + items.length + ")";
  box.appendChild(scrollTable(caption, ["Giờ", "Mã", "Người đặt", "Dịch vụ", "Trạng thái", "Số thứ tự"],
    items.map((a) => [
      formatTime(a.start) + "–" + formatTime(a.end),
      h("span", { className: "code" }, a.code),
      (a.holder && a.holder.name) || "(đã xóa tài khoản)",
      a.service.name,
      a.status_label,
      a.ticket ? String(a.ticket.number) : "",
    ])));
}

/* A table that scrolls sideways on a phone (the scroller takes focus, so keyboards can scroll it). */
function scrollTable(caption, headings, rows, foot) {
  const id = "table-" + caption.replace(/[^a-z0-9]+/gi, "-").toLowerCase();
  return h("div", { className: "table-scroll", tabindex: "0", role: "region", "aria-labelledby": id },
    h("table", null,
      h("caption", { id }, caption),
      h("thead", null, h("tr", null, headings.map((text) => h("th", { scope: "col" }, text)))),
      h("tbody", null, rows.map((cells) => h("tr", null, cells.map((c, i) => (i === 0 ? h("th", { scope: "row" }, c) : h("td", null, c)))))),
      foot ? h("tfoot", null, h("tr", null, foot.map((c, i) => (i === 0 ? h("th", { scope: "row" }, c) : h("td", null, c))))) : null));
}

/* ---------------------------------------------------------------- the services */

function servicesPart() {
  const box = part("booking-services", "Dịch vụ nhận đặt lịch");
  const list = h("ul", { className: "cards" });
  box.appendChild(list);
  onServices((all) => {
    clear(list);
    if (!all.length) list.appendChild(h("li", null, message("Chưa có dịch vụ nào. Thêm dịch vụ đầu tiên bên dưới.")));
    for (const s of all) list.appendChild(serviceCard(s));
  });
  const details = h("details", { className: "advanced", id: "new-service" }, h("summary", null, "Thêm dịch vụ"));
  details.appendChild(serviceForm("svc-new", null, (created, status) => {
    status.appendChild(message("Đã thêm dịch vụ «" + created.name + "»."));
    return loadServices();
  }));
  box.appendChild(details);
  return box;
}

function serviceCard(s) {
  const card = h("li", { className: "card", id: "booking-service-" + s.id });
  append(card, [
    h("h4", null, s.name + (s.active ? "" : " (tạm ngừng)")),
    h("p", { className: "meta" }, [s.kind_label, s.location, "mỗi lượt " + minutesText(s.duration_minutes),
      s.capacity + " người một lượt", s.counters + " quầy"].filter(Boolean).join(" · ")),
    h("p", { className: "meta" }, "Giờ tiếp nhận: " + (hoursText(s.hours) || "chưa có")),
  ]);
  const details = h("details", { className: "edit-service" }, h("summary", null, "Sửa «" + s.name + "»"));
  details.appendChild(serviceForm("svc-" + s.id, s, (fresh, status) => loadServices().then(() => {
    // The list was drawn again: say it in the new card.
    const again = document.getElementById("booking-service-" + fresh.id);
    if (again) {
      again.appendChild(message("Đã lưu «" + fresh.name + "»."));
      const heading = again.querySelector("h4");
      heading.setAttribute("tabindex", "-1");
      heading.focus();
    } else status.appendChild(message("Đã lưu."));
  })));
  card.appendChild(details);
  return card;
}

const NUMBER_FIELDS = [
  ["duration_minutes", "Thời lượng mỗi lượt (phút)", 15, "5", "480"],
  ["capacity", "Số người mỗi khung giờ", 1, "1", "100"],
  ["counters", "Số quầy", 1, "1", "50"],
  ["book_ahead_days", "Đặt trước tối đa (ngày)", 30, "1", "90"],
  ["walk_in_cap", "Số lấy tại chỗ tối đa mỗi ngày", 100, "0", "999"],
  ["calls_before_no_show", "Số lần gọi trước khi ghi vắng mặt", 2, "1", "5"],
];

function serviceForm(prefix, s, saved) {
  const status = h("div", { "aria-live": "polite" });
  const kinds = KIND_CODES.map((code) => [code, kindLabel(code)]);
  const hours = hoursEditor(prefix, s ? hoursRows(s.hours) : [
    { weekday: 1, start: "08:00", end: "11:30" }, { weekday: 1, start: "13:30", end: "17:00" }]);
  const form = h("form", { className: "service-form" },
    field(prefix + "-name", "Tên dịch vụ", { required: true, maxlength: "120", value: s ? s.name : "", "data-field": "name" }),
    select(prefix + "-kind", "Loại", kinds, s ? s.kind : "procedure", { "data-field": "kind" }),
    field(prefix + "-description", "Mô tả (không bắt buộc)", { tag: "textarea", rows: "2", maxlength: "1000", "data-field": "description" }),
    field(prefix + "-location", "Địa điểm", { maxlength: "300", value: s ? s.location || "" : "", "data-field": "location" },
      "Ví dụ: Bộ phận một cửa, tầng 1, trụ sở UBND."),
    h("div", { className: "number-grid" }, NUMBER_FIELDS.map(([name, text, def, min, max]) => h("div", null,
      field(prefix + "-" + name, text, { type: "number", inputmode: "numeric", min, max, step: "1", required: true,
        value: String(s ? s[name] : def), "data-field": name })))),
    hours.node,
    checkbox(prefix + "-active", "Đang nhận đặt lịch", { checked: s ? s.active : true, "data-field": "active" }),
    status,
    h("div", { className: "actions" }, h("button", { type: "submit" }, s ? "Lưu «" + s.name + "»" : "Thêm dịch vụ")));
  if (s && s.description) form.elements[prefix + "-description"].value = s.description;
  submitForm(form, {
    status,
    collect: () => {
      const body = {
        name: form.elements[prefix + "-name"].value.trim(),
        kind: form.elements[prefix + "-kind"].value,
        description: form.elements[prefix + "-description"].value.trim(),
        location: form.elements[prefix + "-location"].value.trim(),
        hours: hours.value(),
        active: form.elements[prefix + "-active"].checked,
      };
      for (const [name] of NUMBER_FIELDS) body[name] = Number(form.elements[prefix + "-" + name].value);
      return body;
    },
    send: (body, key) => (s ? api("PATCH", "/api/v1/booking-services/" + s.id, body)
      : api("POST", wardPath("/booking-services"), body, { idempotencyKey: key })),
    done: (result) => {
      if (!s) {
        form.reset();
        hours.reset();
      }
      return saved(result, status);
    },
  });
  return form;
}

function kindLabel(code) {
  const known = services.all.find((x) => x.kind === code && x.kind_label);
  if (known) return known.kind_label;
  const text = label("booking_service_kind", code);
  return text === code ? { procedure: "Thủ tục hành chính", facility: "Nhà văn hóa, phòng họp" }[code] || code : text;
}

/* Weekly hours: rows of weekday + start + end, added and removed; errors land on their row
   ("hours.1.end"), the whole list's on the fieldset ("hours"). */
function hoursEditor(prefix, initial) {
  const rows = h("ol", { className: "hours-rows" });
  const add = h("button", { type: "button", className: "secondary small" }, "Thêm khung giờ");
  const node = h("fieldset", { className: "hours-editor", "data-field": "hours" },
    h("legend", null, "Giờ tiếp nhận trong tuần"),
    h("p", { className: "hint" }, "Mỗi dòng một khung giờ; một ngày có thể có nhiều khung (sáng, chiều) không chồng lên nhau."),
    rows, h("div", { className: "actions compact" }, add));
  let serial = 0;
  function renumber() {
    Array.from(rows.children).forEach((row, i) => {
      row.firstElementChild.setAttribute("aria-label", "Khung giờ " + (i + 1));
      row.querySelector("select").setAttribute("data-field", "hours." + i + ".weekday hours." + i);
      row.querySelector("input.start").setAttribute("data-field", "hours." + i + ".start");
      row.querySelector("input.end").setAttribute("data-field", "hours." + i + ".end");
      row.querySelector(".remove-label").textContent = " khung giờ " + (i + 1);
    });
  }
  function addRow(r) {
    const id = prefix + "-h" + (++serial);
    const remove = h("button", { type: "button", className: "secondary small" }, "Xóa",
      h("span", { className: "visually-hidden remove-label" }, ""));
    const row = h("li", null, h("div", { className: "hours-row", role: "group" },
      h("div", null, select(id + "-weekday", "Ngày", WEEKDAYS.map(([n, text]) => [String(n), text]), String(r.weekday))),
      h("div", null, h("label", { for: id + "-start" }, "Từ"),
        h("input", { type: "time", id: id + "-start", className: "start", required: true, value: r.start, step: "300" })),
      h("div", null, h("label", { for: id + "-end" }, "Đến"),
        h("input", { type: "time", id: id + "-end", className: "end", required: true, value: r.end, step: "300" })),
      h("div", { className: "remove" }, remove)));
    remove.addEventListener("click", () => {
      const next = row.nextElementSibling || row.previousElementSibling;
      row.remove();
      renumber();
      (next ? next.querySelector("select") : add).focus();
    });
    rows.appendChild(row);
    renumber();
    return row;
  }
  add.addEventListener("click", () => {
    const last = rows.lastElementChild;
    const weekday = last ? Math.min(7, Number(last.querySelector("select").value) + 1) : 1;
    addRow({ weekday, start: "08:00", end: "11:30" }).querySelector("select").focus();
  });
  initial.forEach(addRow);
  return {
    node,
    value: () => Array.from(rows.children).map((row) => ({
      weekday: Number(row.querySelector("select").value),
      start: row.querySelector("input.start").value,
      end: row.querySelector("input.end").value,
    })),
    reset: () => {
      clear(rows);
      initial.forEach(addRow);
    },
  };
}

/* ---------------------------------------------------------------- statistics */

function statsPart() {
  const box = part("booking-stats", "Thống kê đặt lịch, lấy số");
  const today = localDate();
  const status = h("div", { "aria-live": "polite" });
  const result = h("div");
  const [fromLabel, from] = field("stats-from", "Từ ngày", { type: "date", required: true, value: today.slice(0, 8) + "01", "data-field": "from" });
  const [toLabel, to] = field("stats-to", "Đến ngày", { type: "date", required: true, value: today, "data-field": "to" });
  const csv = h("a", { className: "button secondary", download: "" }, "Tải thống kê (CSV)");
  const updateCsv = () => { csv.href = wardPath("/booking-stats?" + statsQuery({ from: from.value, to: to.value }, true)); };
  from.addEventListener("change", updateCsv);
  to.addEventListener("change", updateCsv);
  updateCsv();
  const form = h("form", { className: "filters", "aria-label": "Chọn khoảng thời gian thống kê" },
    h("div", null, fromLabel, from), h("div", null, toLabel, to), status,
    h("div", { className: "actions" }, h("button", { type: "submit" }, "Xem thống kê"), csv));
  box.append(form, result);
  const wired = submitForm(form, {
    status,
    collect: () => ({ from: from.value, to: to.value }),
    send: (body) => api("GET", wardPath("/booking-stats?" + statsQuery(body))),
    done: (data) => showStats(result, data),
  });
  wired.submit();
  return box;
}

function minutesCell(value) {
  return value === null || value === undefined ? "–" : formatNumber(Math.round(value));
}

function statsRow(name, st) {
  return [name, formatNumber(st.bookings), formatNumber(st.cancelled), formatNumber(st.served), formatNumber(st.no_shows),
    formatNumber(st.walk_ins), formatNumber(st.unfinished || 0), minutesCell(st.median_wait_minutes), minutesCell(st.p90_wait_minutes),
    st.on_time_share === null || st.on_time_share === undefined ? "–" : formatPercent(st.on_time_share),
    st.average_rating === null || st.average_rating === undefined ? "–"
      : st.average_rating.toFixed(1).replace(".", ",") + " (" + formatNumber(st.ratings) + " lượt)"];
}

function showStats(box, data) {
  clear(box);
  const day = (d) => String(d || "").split("-").reverse().join("/");
  const period = day(data.from) + " – " + day(data.to);
  box.appendChild(scrollTable("Thống kê " + period,
    ["Dịch vụ", "Lượt đặt", "Đã hủy", "Đã phục vụ", "Vắng mặt", "Cấp tại chỗ", "Chưa phục vụ xong", "Chờ trung vị (phút)",
      "Chờ 90% (phút)", "Gọi đúng giờ", "Đánh giá trung bình"],
    data.items.map((st) => statsRow(st.name, st)),
    data.total ? statsRow("Tổng cộng", data.total) : null));
  box.appendChild(h("p", { className: "hint" }, "Chờ: từ lúc lấy số tới lúc được gọi. Gọi đúng giờ: tỉ lệ lịch hẹn được gọi "
    + "trong vòng 15 phút sau giờ hẹn (hoặc sau lúc người dân tới, nếu tới muộn), trong số lịch hẹn đã được gọi. "
    + "Chưa phục vụ xong: đã lấy số nhưng hết ngày chưa được gọi hoặc chưa xong."));
}
