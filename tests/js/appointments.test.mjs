// Appointments and queue numbers: days, slots, waits and the display's announcements.
import { test } from "node:test";
import assert from "node:assert/strict";
import {
  addDays, callText, counterNumbers, dayStatusText, formatTime, groupDaysByWeek, hoursRows, hoursText,
  isoWeekday, localDate, minutesText, newlyCalled, normaliseCode, queueWaitText, relativeDay, reminderText,
  remainingText, shortDate, slotText, splitAppointments, statsQuery, waitText, weekdayDate, whenText,
} from "../../web/static/js/pages/appointment-model.js";

test("calendar arithmetic on local dates crosses months and years", () => {
  assert.equal(addDays("2025-07-31", 1), "2025-08-01");
  assert.equal(addDays("2025-12-31", 1), "2026-01-01");
  assert.equal(addDays("2025-03-01", -1), "2025-02-28");
  assert.equal(isoWeekday("2025-07-07"), 1);  // a Monday
  assert.equal(isoWeekday("2025-07-13"), 7);  // a Sunday
  assert.equal(shortDate("2025-07-07"), "07/07");
  assert.equal(shortDate("2025-07-07", true), "07/07/2025");
  assert.equal(shortDate(""), "");
});

test("the local date is Hà Nội's, not the machine's", () => {
  assert.equal(localDate(new Date("2025-07-01T17:30:00Z")), "2025-07-02");
  assert.equal(localDate("2025-07-01T16:59:00Z"), "2025-07-01");
});

test("days are grouped by week, Monday first, keeping the API's order", () => {
  const days = ["2025-07-10", "2025-07-11", "2025-07-14", "2025-07-15", "2025-07-21"].map((date) => ({ date, open: true, remaining: 3 }));
  const weeks = groupDaysByWeek(days);
  assert.deepEqual(weeks.map((w) => w.label), ["Tuần 07/07 – 13/07", "Tuần 14/07 – 20/07", "Tuần 21/07 – 27/07"]);
  assert.deepEqual(weeks[0].days.map((d) => d.date), ["2025-07-10", "2025-07-11"]);
  assert.deepEqual(groupDaysByWeek([]), []);
  assert.deepEqual(groupDaysByWeek(undefined), []);
});

test("a day says its places left, or why it is closed", () => {
  assert.equal(dayStatusText({ open: true, remaining: 4 }), "Còn 4 chỗ");
  assert.equal(dayStatusText({ open: true, remaining: 0 }), "Hết chỗ");
  assert.equal(dayStatusText({ open: false, closed_reason: "Nghỉ lễ Quốc khánh" }), "Nghỉ lễ Quốc khánh");
  assert.equal(dayStatusText({ open: false, closed_reason: null }), "Không nhận đặt lịch");
  assert.equal(remainingText(1), "Còn 1 chỗ");
});

test("slot times are shown in Hà Nội whatever their offset", () => {
  assert.equal(formatTime("2025-07-07T01:30:00Z"), "08:30");
  assert.equal(slotText({ start: "2025-07-07T08:30:00+07:00", end: "2025-07-07T08:45:00+07:00" }), "08:30–08:45");
  assert.equal(formatTime(null), "");
});

test("waits read as people say them", () => {
  assert.equal(minutesText(0), "0 phút");
  assert.equal(minutesText(45), "45 phút");
  assert.equal(minutesText(60), "1 giờ");
  assert.equal(minutesText(75.4), "1 giờ 15 phút");
  assert.equal(waitText({ status: "waiting", waiting_ahead: 3, estimated_wait_minutes: 15 }),
    "Còn 3 người trước bạn, chờ khoảng 15 phút.");
  assert.equal(waitText({ status: "waiting", waiting_ahead: 0, estimated_wait_minutes: 0 }), "Bạn là người tiếp theo.");
  assert.equal(waitText({ status: "waiting", waiting_ahead: 2, estimated_wait_minutes: null }), "Còn 2 người trước bạn.");
  assert.equal(waitText({ status: "called", waiting_ahead: 0 }), "");
  assert.equal(waitText(null), "");
  assert.equal(queueWaitText({ waiting: 0 }), "Không có ai đang chờ");
  assert.equal(queueWaitText({ waiting: 5, estimated_wait_minutes: 20 }), "5 người đang chờ · khoảng 20 phút");
});

test("a reminder names the service and the day relative to today, in Hà Nội", () => {
  assert.equal(relativeDay("2025-07-07", "2025-07-07"), "hôm nay");
  assert.equal(relativeDay("2025-07-08", "2025-07-07"), "ngày mai");
  assert.equal(relativeDay("2025-07-10", "2025-07-07"), "ngày 10/07/2025");
  const appointment = { start: "2025-07-08T01:30:00Z", service: { name: "Chứng thực bản sao" } };
  // 23:30 on the 7th in Hà Nội is 16:30 UTC.
  assert.equal(reminderText(appointment, new Date("2025-07-07T16:30:00Z")), "Chứng thực bản sao, ngày mai lúc 08:30");
});

test("my appointments: the coming ones soonest first, the others latest first", () => {
  const items = [
    { id: 1, status: "done", start: "2025-07-01T01:00:00Z" },
    { id: 2, status: "booked", start: "2025-07-09T01:00:00Z" },
    { id: 3, status: "checked_in", start: "2025-07-08T01:00:00Z" },
    { id: 4, status: "cancelled", start: "2025-07-05T01:00:00Z" },
    { id: 5, status: "missed", start: "2025-07-03T01:00:00Z" },
    // Booked, never checked in, its slot over: missed, whatever its status says.
    { id: 6, status: "booked", start: "2025-07-06T01:00:00Z", end: "2025-07-06T01:15:00Z" },
    { id: 7, status: "booked", missed: true, start: "2025-07-02T01:00:00Z" },
  ];
  const { upcoming, past } = splitAppointments(items, new Date("2025-07-07T00:00:00Z"));
  assert.deepEqual(upcoming.map((a) => a.id), [3, 2]);
  assert.deepEqual(past.map((a) => a.id), [6, 4, 5, 7, 1]);
});

test("the display announces only numbers newly called", () => {
  const before = { services: [{ service_id: 1, name: "Chứng thực", serving: [{ number: 4, counter: 1 }] }] };
  const after = { services: [
    { service_id: 1, name: "Chứng thực", serving: [{ number: 4, counter: 1 }, { number: 5, counter: 2 }] },
    { service_id: 2, name: "Hộ tịch", serving: [{ number: 1, counter: 3 }] },
  ] };
  assert.deepEqual(newlyCalled(before, after), [
    { number: 5, counter: 2, name: "Chứng thực" }, { number: 1, counter: 3, name: "Hộ tịch" }]);
  assert.deepEqual(newlyCalled(null, after), []);
  assert.deepEqual(newlyCalled(after, after), []);
  // Called again at the same counter: announced again.
  const recalled = { services: [{ service_id: 1, name: "Chứng thực", serving: [{ number: 4, counter: 1, call_count: 2 }] }] };
  assert.deepEqual(newlyCalled(before, recalled), [{ number: 4, counter: 1, name: "Chứng thực" }]);
  assert.equal(callText({ number: 5, counter: 2, name: "Chứng thực" }), "Mời số 5 tới quầy 2 (Chứng thực)");
});

test("counters, codes and the statistics' query", () => {
  assert.deepEqual(counterNumbers([{ counters: 2 }, { counters: 3 }]), [1, 2, 3]);
  assert.deepEqual(counterNumbers([]), [1]);
  assert.equal(normaliseCode(" ab3-k7 9 "), "AB3K79");
  assert.equal(statsQuery({ from: "2025-07-01", to: "2025-07-31" }), "from=2025-07-01&to=2025-07-31");
  assert.equal(statsQuery({ from: "2025-07-01", to: "2025-07-31", serviceId: 4 }, true),
    "from=2025-07-01&to=2025-07-31&service_id=4&format=csv");
});

test("weekly hours: ordered rows and one line for people", () => {
  const hours = [{ weekday: 2, start: "08:00", end: "11:30" }, { weekday: 1, start: "13:30", end: "17:00" },
    { weekday: 1, start: "07:30", end: "11:30" }];
  assert.deepEqual(hoursRows(hours).map((r) => r.weekday + " " + r.start), ["1 07:30", "1 13:30", "2 08:00"]);
  assert.equal(hoursText(hours), "Thứ Hai 07:30–11:30, 13:30–17:00; Thứ Ba 08:00–11:30");
  assert.equal(hoursText([]), "");
  const office = [1, 2, 3, 4, 5].flatMap((weekday) => [
    { weekday, start: "07:30", end: "11:30" }, { weekday, start: "13:30", end: "17:00" }]);
  office.push({ weekday: 6, start: "07:30", end: "11:30" }, { weekday: 7, start: "07:30", end: "11:30" });
  assert.equal(hoursText(office),
    "Thứ Hai – Thứ Sáu 07:30–11:30, 13:30–17:00; Thứ Bảy, Chủ nhật 07:30–11:30");
  // Days apart are not joined, even with the same hours.
  assert.equal(hoursText([{ weekday: 1, start: "08:00", end: "09:00" }, { weekday: 3, start: "08:00", end: "09:00" }]),
    "Thứ Hai 08:00–09:00; Thứ Tư 08:00–09:00");
});

test("an appointment's time reads with its weekday, in Hà Nội", () => {
  assert.equal(whenText({ start: "2025-07-07T01:30:00Z", end: "2025-07-07T01:45:00Z" }), "08:30–08:45, Thứ Hai, 07/07/2025");
  assert.equal(weekdayDate("2025-07-13"), "Chủ nhật, 13/07/2025");
});
