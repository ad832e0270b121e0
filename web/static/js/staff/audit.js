/* "Nhật ký": the audit log of privileged acts, newest first, for a ward's admins (the ward
   console) and for city admins (the city console, every ward or one). Entries come from
   GET /api/v1/wards/{ward}/audit or GET /api/v1/audit; the API decides who may read them. */

import { h, clear, message } from "../core/dom.js";
import { api } from "../core/api.js";
import { errorBox } from "../core/forms.js";
import { formatDateTime } from "../core/format.js";
import { desk, section, select } from "./common.js";

/* The kinds of act to filter by: an action prefix each. */
const KINDS = [
  ["", "Mọi thao tác"],
  ["notice.", "Thông báo"],
  ["broadcast.", "Thông báo gửi nhiều phường, xã"],
  ["poll", "Biểu quyết, khảo sát"],
  ["role.", "Vai trò"],
  ["community.", "Cộng đồng"],
  ["member.", "Thành viên cộng đồng"],
  ["residential_group.", "Tổ dân phố, thôn"],
  ["merchant.", "Chợ 4.0"],
  ["report", "Phản ánh"],
  ["config.", "Cấu hình miniapp"],
  ["booking_service.", "Đặt lịch"],
  ["webhook.", "Webhook"],
  ["client.", "Ứng dụng kết nối"],
  ["account.", "Xóa tài khoản"],
  ["token.", "Mã truy cập"],
  ["sessions.", "Phiên đăng nhập"],
];

const ACTOR_KINDS = { person: "", client: "Ứng dụng: ", system: "" };

/** The act for people ("Đăng thông báo"), as the API names it; its code otherwise. Pure. */
export function actionLabel(entry) {
  return entry.action_label || entry.action;
}

/** One entry as a line of text: what, on what, by whom, when. Pure. */
export function entryText(entry) {
  const what = actionLabel(entry) + (entry.object.label ? ": " + entry.object.label : "");
  const who = (ACTOR_KINDS[entry.actor.kind] || "") + entry.actor.name;
  return { what, meta: formatDateTime(entry.at) + " · " + who };
}

function entryItem(entry, wardNames) {
  const { what, meta } = entryText(entry);
  const where = wardNames ? " · " + (entry.ward ? wardNames[entry.ward] || entry.ward : "Toàn thành phố") : "";
  return h("li", { className: "card" },
    h("p", null, h("strong", null, what)),
    h("p", { className: "meta" }, meta + where));
}

/** Fill `container` with the log of one ward (its code) or, for city admins, of every ward
 *  (ward null; `wards` lists them for the filter). */
export async function auditPanel(container, { ward, wards, prefix }) {
  const controls = [h("div", null, select(prefix + "-kind", "Loại thao tác", KINDS, ""))];
  if (!ward && wards) {
    controls.push(h("div", null, select(prefix + "-ward", "Phường, xã",
      [["", "Mọi phường, xã"]].concat(wards.map((w) => [w.code, w.name])), "")));
  }
  const filter = h("form", { className: "filter", id: prefix + "-filter" }, controls);
  const list = h("ul", { className: "cards", id: prefix + "-list", "aria-live": "polite" });
  const more = h("div", { className: "actions" });
  const wardNames = !ward && wards ? Object.fromEntries(wards.map((w) => [w.code, w.name])) : null;
  container.append(
    h("p", null, "Mọi thao tác quan trọng (đăng, thu hồi, cấp và thu hồi vai trò, xác minh, đóng biểu quyết …), "
      + "ai làm và lúc nào. Nhật ký chỉ được ghi thêm, không thể sửa hay xóa."),
    filter, list, more);

  async function load(cursor) {
    const params = new URLSearchParams({ limit: "30" });
    const kind = filter.elements[prefix + "-kind"].value;
    if (kind) params.set("action", kind);
    const chosen = filter.elements[prefix + "-ward"];
    if (chosen && chosen.value) params.set("ward", chosen.value);
    if (cursor) params.set("cursor", cursor);
    const base = ward ? "/api/v1/wards/" + encodeURIComponent(ward) + "/audit" : "/api/v1/audit";
    try {
      const data = await api("GET", base + "?" + params.toString());
      if (!cursor) clear(list);
      clear(more);
      for (const entry of data.items) list.appendChild(entryItem(entry, wardNames));
      if (!cursor && !data.items.length) list.appendChild(h("li", { className: "meta" }, "Chưa có thao tác nào."));
      if (data.has_more) {
        more.appendChild(h("button", { type: "button", className: "secondary", onclick: () => load(data.next) },
          "Xem thêm"));
      }
    } catch (error) {
      clear(list).appendChild(h("li", null, errorBox(error)));
    }
  }
  filter.addEventListener("change", () => load(null));
  filter.addEventListener("submit", (e) => { e.preventDefault(); load(null); });
  await load(null);
}

/** The ward console's section (ward admins). */
export default async function auditSection() {
  const s = section("audit", "Nhật ký");
  try {
    await auditPanel(s, { ward: desk.ward.code, prefix: "audit" });
  } catch (error) {
    s.appendChild(errorBox(error));
  }
}
