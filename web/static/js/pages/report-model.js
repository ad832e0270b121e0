/* Field reports (phản ánh hiện trường): the pure rules the pages share. No DOM here, so that
   Node's test runner can check them (tests/js/reports.test.mjs). */

/** The statuses in the order people follow them (the vocabulary's JSON is sorted by code). */
export const STATUS_CODES = ["received", "acknowledged", "in_progress", "resolved", "rejected", "duplicate", "referred"];
export const OPEN_STATUSES = ["received", "acknowledged", "in_progress"];

/** The board's two grouped filters (the API takes them beside each status). */
export const GROUP_FILTERS = [["open", "Chưa đóng (đang tiếp nhận, xử lý)"], ["closed", "Đã đóng"]];

export const MAX_PHOTOS = 5;
export const MAX_PHOTO_BYTES = 10 * 1024 * 1024;
export const DESCRIPTION_MAX = 2000;

/* Hà Nội's bounding box, as the API checks it (docs/decisions/0016-field-reports.md). */
const HANOI = { south: 20.53, north: 21.40, west: 105.28, east: 106.03 };

/** The board's filters read from an address's query (?status=&category=&overdue=1). */
export function boardFilters(search) {
  const q = new URLSearchParams(search || "");
  const status = q.get("status") || "";
  const valid = STATUS_CODES.includes(status) || GROUP_FILTERS.some(([code]) => code === status);
  return {
    status: valid ? status : "",
    category: (q.get("category") || "").slice(0, 40),
    overdue: q.get("overdue") === "1" || q.get("overdue") === "true",
  };
}

/** The query string of board filters (for the address when `extra` is empty, else for the API). */
export function boardQuery(filters, extra = {}) {
  const q = new URLSearchParams();
  if (filters.status) q.set("status", filters.status);
  if (filters.category) q.set("category", filters.category);
  if (filters.overdue) q.set("overdue", extra.api ? "true" : "1");
  if (extra.limit) q.set("limit", String(extra.limit));
  if (extra.cursor) q.set("cursor", extra.cursor);
  return q.toString();
}

/** Whether a status is still being handled. */
export function isOpen(status) {
  return OPEN_STATUSES.includes(status);
}

/** A position rounded as the API stores it: 4 decimals, about 11 m. */
export function roundCoord(value) {
  return Math.round(Number(value) * 10000) / 10000;
}

/** Whether a position lies in Hà Nội (the API refuses others). */
export function inHanoi(lat, long) {
  return Number.isFinite(lat) && Number.isFinite(long)
    && lat >= HANOI.south && lat <= HANOI.north && long >= HANOI.west && long <= HANOI.east;
}

/** A coordinate typed by a person ("21,0285" or "21.0285"), or NaN. */
export function parseCoord(text) {
  const t = String(text ?? "").trim().replace(",", ".");
  return /^-?\d{1,3}(\.\d+)?$/.test(t) ? Number(t) : NaN;
}

/** Problems with the chosen photos: [{message}] (empty when they can be sent). */
export function photoProblems(files) {
  const list = Array.from(files || []);
  const problems = [];
  if (list.length > MAX_PHOTOS) problems.push({ message: "Chỉ gửi được tối đa " + MAX_PHOTOS + " ảnh; bạn đã chọn " + list.length + " ảnh." });
  for (const f of list) {
    if (f.type && !f.type.startsWith("image/")) problems.push({ message: "«" + f.name + "» không phải là ảnh." });
    else if (f.size > MAX_PHOTO_BYTES) problems.push({ message: "Ảnh «" + f.name + "» lớn hơn 10 MB; hãy chọn ảnh nhỏ hơn." });
  }
  return problems;
}

/** "1,2 MB" / "340 KB" for a file size. */
export function fileSize(bytes) {
  if (bytes >= 1024 * 1024) return (bytes / 1024 / 1024).toFixed(1).replace(".", ",") + " MB";
  return Math.max(1, Math.round(bytes / 1024)) + " KB";
}

/** What the reporter's location request answered, for people: a geolocation error code. */
export function locationError(code) {
  if (code === 1) {
    return "Bạn chưa cho phép miniapp biết vị trí. Hãy bật quyền vị trí cho trình duyệt trong phần cài đặt "
      + "của điện thoại rồi bấm lại, hoặc nhập vĩ độ, kinh độ của nơi cần phản ánh.";
  }
  if (code === 3) return "Chưa lấy được vị trí trong thời gian chờ. Hãy ra chỗ thoáng rồi bấm lại, hoặc nhập vĩ độ, kinh độ.";
  return "Điện thoại chưa xác định được vị trí. Hãy bật định vị (GPS) rồi bấm lại, hoặc nhập vĩ độ, kinh độ.";
}

/** The stars of a rating as people read them: "4/5 sao". */
export function starsText(stars) {
  return stars + "/5 sao";
}
