/* Appointments and queue numbers (đặt lịch, lấy số): the pure rules the pages share. No DOM
   here, so that Node's test runner can check them (tests/js/appointments.test.mjs).

   Days come from the API as local dates ("2025-07-07", Asia/Ho_Chi_Minh); times as ISO
   instants, shown in Hà Nội whatever their offset. */

import { TZ } from "../core/format.js";

/** The statuses of a booking still ahead of its holder (booked, at the hall, at a counter). */
export const ACTIVE_STATUSES = ["booked", "checked_in", "called"];

/** ISO weekdays as the API numbers them (1 = Monday … 7 = Sunday), for the hours editor. */
export const WEEKDAYS = [
  [1, "Thứ Hai"], [2, "Thứ Ba"], [3, "Thứ Tư"], [4, "Thứ Năm"], [5, "Thứ Sáu"], [6, "Thứ Bảy"], [7, "Chủ nhật"],
];

const timeFmt = new Intl.DateTimeFormat("vi-VN", { timeZone: TZ, hour: "2-digit", minute: "2-digit", hour12: false });
const dayFmt = new Intl.DateTimeFormat("en-CA", { timeZone: TZ, year: "numeric", month: "2-digit", day: "2-digit" });

/** "08:30" for an ISO instant, in Hà Nội; "" for nothing. */
export function formatTime(iso) {
  return iso ? timeFmt.format(new Date(iso)) : "";
}

/** The local date ("2025-07-07") of an instant in Hà Nội (default: now). */
export function localDate(at = new Date()) {
  return dayFmt.format(at instanceof Date ? at : new Date(at));
}

/** "2025-07-07" moved by `days` days (pure calendar arithmetic, no time zone involved). */
export function addDays(date, days) {
  const [y, m, d] = date.split("-").map(Number);
  const t = new Date(Date.UTC(y, m - 1, d + days));
  return t.toISOString().slice(0, 10);
}

/** "07/07" (or "07/07/2025" with `year`) for a local date "2025-07-07". */
export function shortDate(date, year = false) {
  const [y, m, d] = String(date || "").split("-");
  if (!d) return "";
  return d + "/" + m + (year ? "/" + y : "");
}

/** The ISO weekday (1 = Monday … 7 = Sunday) of a local date. */
export function isoWeekday(date) {
  const [y, m, d] = date.split("-").map(Number);
  const day = new Date(Date.UTC(y, m - 1, d)).getUTCDay();
  return day === 0 ? 7 : day;
}

/**
 * The days of GET …/days grouped by week (Monday first), in the API's order:
 * [{label: "Tuần 07/07 – 13/07", days: [day, …]}, …].
 */
export function groupDaysByWeek(days) {
  const weeks = [];
  let current = null;
  for (const day of days || []) {
    const monday = addDays(day.date, 1 - isoWeekday(day.date));
    if (!current || current.monday !== monday) {
      current = { monday, label: "Tuần " + shortDate(monday) + " – " + shortDate(addDays(monday, 6)), days: [] };
      weeks.push(current);
    }
    current.days.push(day);
  }
  return weeks.map(({ label, days: list }) => ({ label, days: list }));
}

/** "Còn 3 chỗ", "Còn 1 chỗ" or "Hết chỗ". */
export function remainingText(remaining) {
  return remaining > 0 ? "Còn " + remaining + " chỗ" : "Hết chỗ";
}

/** What a day of the booking calendar says beside its date: places left, or why it is closed. */
export function dayStatusText(day) {
  if (!day.open) return day.closed_reason || "Không nhận đặt lịch";
  return remainingText(day.remaining);
}

/** "08:30–08:45" for a slot (or an appointment) {start, end}. */
export function slotText(slot) {
  return formatTime(slot.start) + "–" + formatTime(slot.end);
}

/** "30 phút", "1 giờ", "1 giờ 15 phút". */
export function minutesText(minutes) {
  const m = Math.max(0, Math.round(Number(minutes) || 0));
  const hours = Math.floor(m / 60);
  const rest = m % 60;
  if (!hours) return m + " phút";
  return hours + " giờ" + (rest ? " " + rest + " phút" : "");
}

/**
 * How long a ticket still waits, for its holder: "Còn 3 người trước bạn, chờ khoảng 15 phút.";
 * "" when it is no longer waiting.
 */
export function waitText(ticket) {
  if (!ticket || ticket.status !== "waiting") return "";
  const ahead = ticket.waiting_ahead || 0;
  const minutes = ticket.estimated_wait_minutes;
  const who = ahead ? "Còn " + ahead + " người trước bạn" : "Bạn là người tiếp theo";
  if (!ahead || minutes === null || minutes === undefined) return who + ".";
  return who + ", chờ khoảng " + minutesText(minutes) + ".";
}

/** For the hall's display: "5 người đang chờ · khoảng 20 phút" (or "Không có ai đang chờ"). */
export function queueWaitText(service) {
  if (!service.waiting) return "Không có ai đang chờ";
  const minutes = service.estimated_wait_minutes;
  return service.waiting + " người đang chờ"
    + (minutes === null || minutes === undefined ? "" : " · khoảng " + minutesText(minutes));
}

/** "hôm nay", "ngày mai" or "ngày 07/07/2025" for a local date seen on local date `today`. */
export function relativeDay(date, today) {
  if (date === today) return "hôm nay";
  if (date === addDays(today, 1)) return "ngày mai";
  return "ngày " + shortDate(date, true);
}

/** "Cấp bản sao trích lục khai sinh, ngày mai lúc 08:30" for a reminder (an appointment). */
export function reminderText(appointment, now = new Date()) {
  const day = relativeDay(localDate(appointment.start), localDate(now));
  return appointment.service.name + ", " + day + " lúc " + formatTime(appointment.start);
}

/**
 * Whether an appointment is still ahead of its holder at `now`: not done, cancelled or missed
 * (a booking never checked in is missed once its slot has ended, whatever status it carries).
 */
export function isUpcoming(appointment, now = new Date()) {
  // The API says when a booking was missed or left unfinished (one rule, on the server);
  // between two refreshes a booking whose slot has just ended is not upcoming either.
  if (!ACTIVE_STATUSES.includes(appointment.status) || appointment.missed || appointment.expired) return false;
  return appointment.status !== "booked" || !appointment.end || Date.parse(appointment.end) > now.getTime();
}

/** Appointments split into {upcoming (soonest first), past (latest first)}. */
export function splitAppointments(items, now = new Date()) {
  const list = items || [];
  const upcoming = list.filter((a) => isUpcoming(a, now)).sort((a, b) => Date.parse(a.start) - Date.parse(b.start));
  const past = list.filter((a) => !isUpcoming(a, now)).sort((a, b) => Date.parse(b.start) - Date.parse(a.start));
  return { upcoming, past };
}

/**
 * The numbers newly called between two answers of GET /wards/{ward}/queue: what the display
 * announces. [{number, counter, name}]; none on the first answer (`before` null).
 */
export function newlyCalled(before, after) {
  if (!before || !after) return [];
  const seen = new Set();
  for (const s of before.services || []) {
    for (const t of s.serving || []) seen.add(callKey(s, t));
  }
  const fresh = [];
  for (const s of after.services || []) {
    for (const t of s.serving || []) {
      if (!seen.has(callKey(s, t))) fresh.push({ number: t.number, counter: t.counter, name: s.name });
    }
  }
  return fresh;
}

/** What makes a call new on the display: the number, its counter and how many times it was
 * called (a recall is announced again). */
export function callKey(service, serving) {
  return service.service_id + ":" + serving.number + ":" + serving.counter + ":" + (serving.call_count || 1);
}

/** "Mời số 12 tới quầy 2 (Chứng thực)": the sentence the display announces. */
export function callText(call) {
  return "Mời số " + call.number + " tới quầy " + call.counter + (call.name ? " (" + call.name + ")" : "");
}

/** The counter numbers a hall has: 1 … the largest `counters` of its services (at least 1). */
export function counterNumbers(services) {
  const most = Math.max(1, ...(services || []).map((s) => Number(s.counters) || 1));
  return Array.from({ length: most }, (_, i) => i + 1);
}

/** A typed or scanned code as the API keeps it: upper case, without spaces or dashes. */
export function normaliseCode(text) {
  return String(text || "").toUpperCase().replace(/[\s-]+/g, "");
}

/** The query string of the statistics for a period (and "format=csv" for the file). */
export function statsQuery({ from, to, serviceId }, csv = false) {
  const q = new URLSearchParams();
  if (from) q.set("from", from);
  if (to) q.set("to", to);
  if (serviceId) q.set("service_id", String(serviceId));
  if (csv) q.set("format", "csv");
  return q.toString();
}

/** A service's weekly hours as editor rows, ordered by weekday then start. */
export function hoursRows(hours) {
  return (hours || []).map((r) => ({ weekday: Number(r.weekday), start: r.start, end: r.end }))
    .sort((a, b) => a.weekday - b.weekday || a.start.localeCompare(b.start));
}

/** A service's hours in one line, consecutive days with the same hours together:
 * "Thứ Hai – Thứ Sáu 07:30–11:30, 13:30–17:00; Thứ Bảy 07:30–11:30". */
export function hoursText(hours) {
  const byDay = new Map();
  for (const r of hoursRows(hours)) {
    if (!byDay.has(r.weekday)) byDay.set(r.weekday, []);
    byDay.get(r.weekday).push(r.start + "–" + r.end);
  }
  const name = (n) => (WEEKDAYS.find(([d]) => d === n) || [null, String(n)])[1];
  const runs = [];
  for (const [day, spans] of byDay) {
    const text = spans.join(", ");
    const last = runs[runs.length - 1];
    if (last && last.text === text && last.to === day - 1) last.to = day;
    else runs.push({ from: day, to: day, text });
  }
  return runs.map((r) => {
    if (r.from === r.to) return name(r.from) + " " + r.text;
    const sep = r.to === r.from + 1 ? ", " : " – ";
    return name(r.from) + sep + name(r.to) + " " + r.text;
  }).join("; ");
}

/** "Thứ Hai, 07/07/2025" for a local date. */
export function weekdayDate(date) {
  const name = (WEEKDAYS.find(([n]) => n === isoWeekday(date)) || [null, ""])[1];
  return name + ", " + shortDate(date, true);
}

/** "08:30–08:45, Thứ Hai, 07/07/2025": when an appointment {start, end} takes place, in Hà Nội. */
export function whenText(appointment) {
  return slotText(appointment) + ", " + weekdayDate(localDate(appointment.start));
}
