/* Tổ dân phố: the ward's communities, and the desk link for those who lead one here. */

import { h, message } from "../core/dom.js";
import { api } from "../core/api.js";
import { errorBox } from "../core/forms.js";
import { formatNumber } from "../core/format.js";
import { state, view, heading, moduleEnabled, moduleTitle, disabled } from "./shell.js";

export default function communities() {
  const title = moduleTitle("communities", "Tổ dân phố");
  const main = view(title);
  if (!moduleEnabled("communities")) return disabled(main, title);
  heading(main, title);
  const list = h("ul", { className: "cards" });
  main.appendChild(list);
  return api("GET", "/api/v1/wards/" + state.ward.code + "/communities?limit=200").then((data) => {
    for (const c of data.items) {
      list.appendChild(h("li", { className: "card" }, h("h3", null, c.name),
        h("p", { className: "meta" }, c.kind_label + " · " + formatNumber(c.member_count) + " thành viên"
          + (c.my_status === "active" ? " · Bạn là thành viên" : c.my_status === "pending" ? " · Đang chờ duyệt" : ""))));
    }
    if (!data.items.length) list.appendChild(h("li", null, message("Chưa có cộng đồng nào.")));
    main.appendChild(h("p", { className: "hint" }, "Để tham gia, hãy quét mã QR mời do tổ trưởng, trưởng thôn gửi."));
    const here = data.items.map((c) => c.id);
    const leads = ((state.me && state.me.roles) || []).some((r) => r.role === "community_leader" && here.includes(r.community_id));
    if (leads) main.appendChild(h("p", null, h("a", { href: state.base + "/staff" }, "Bàn làm việc của người phụ trách cộng đồng")));
  }).catch((error) => main.appendChild(errorBox(error)));
}
