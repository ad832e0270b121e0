/* Formatting for people in Việt Nam: times in Asia/Ho_Chi_Minh, money in đồng. Pure. */

export const TZ = "Asia/Ho_Chi_Minh";
const dateFmt = new Intl.DateTimeFormat("vi-VN", {
  timeZone: TZ, day: "2-digit", month: "2-digit", year: "numeric",
});
const timeFmt = new Intl.DateTimeFormat("vi-VN", {
  timeZone: TZ, hour: "2-digit", minute: "2-digit", hour12: false,
});
const moneyFmt = new Intl.NumberFormat("vi-VN", { style: "currency", currency: "VND" });
export const numberFmt = new Intl.NumberFormat("vi-VN");
export const percentFmt = new Intl.NumberFormat("vi-VN", { style: "percent", maximumFractionDigits: 1 });

/** "05/07/2025" for an ISO time, in Hà Nội; "" for nothing. */
export function formatDate(iso) {
  return iso ? dateFmt.format(new Date(iso)) : "";
}

/** "08:30, 05/07/2025" for an ISO time, in Hà Nội; "" for nothing. */
export function formatDateTime(iso) {
  if (!iso) return "";
  const d = new Date(iso);
  return timeFmt.format(d) + ", " + dateFmt.format(d);
}

/** "45.000 ₫". */
export function formatMoney(amount) {
  return moneyFmt.format(amount);
}

/** "1.234". */
export function formatNumber(n) {
  return numberFmt.format(n || 0);
}

/** "12,5%" for 0.125 (0 for nothing). */
export function formatPercent(share) {
  return percentFmt.format(share || 0);
}

/** A datetime-local value ("2025-07-01T08:00") read as Hà Nội time (UTC+7, no daylight saving). */
export function localToIso(value) {
  return value ? value + ":00+07:00" : null;
}

/** "Ki-ốt a" -> "Ki-ốt a": the first letter upper-cased. */
export function capitalize(text) {
  return text ? text.charAt(0).toUpperCase() + text.slice(1) : "";
}
