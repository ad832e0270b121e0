/* Tổ dân phố: the ward's communities, "Nhập mã mời" for a code told by phone or read off a
   board, and the desk link for those who lead one here. */

import { h, message } from "../core/dom.js";
import { api } from "../core/api.js";
import { errorBox, submitForm } from "../core/forms.js";
import { formatNumber } from "../core/format.js";
import { signInPrompt } from "../core/account.js";
import { state, view, heading, go, moduleEnabled, moduleTitle, disabled } from "./shell.js";

export default function communities() {
  const title = moduleTitle("communities", "Tổ dân phố");
  const main = view(title);
  if (!moduleEnabled("communities")) return disabled(main, title);
  heading(main, title);
  main.appendChild(inviteCodeSection());
  const list = h("ul", { className: "cards", "aria-labelledby": "list-title" });
  main.appendChild(h("h3", { id: "list-title" }, "Các cộng đồng của " + state.ward.name));
  main.appendChild(list);
  return api("GET", "/api/v1/wards/" + state.ward.code + "/communities?limit=200").then((data) => {
    for (const c of data.items) {
      const status = c.my_status === "active" ? " · Bạn là thành viên" : c.my_status === "pending" ? " · Đang chờ duyệt" : "";
      list.appendChild(h("li", { className: "card" },
        h("a", { className: "stretch", href: state.base + "/join/" + c.id }, h("h4", null, c.name),
          h("p", { className: "meta" }, c.kind_label + " · " + formatNumber(c.member_count) + " thành viên" + status))));
    }
    if (!data.items.length) list.appendChild(h("li", null, message("Chưa có cộng đồng nào.")));
    const here = data.items.map((c) => c.id);
    const leads = ((state.me && state.me.roles) || []).some((r) => r.role === "community_leader" && here.includes(r.community_id));
    if (leads) main.appendChild(h("p", null, h("a", { href: state.base + "/staff" }, "Bàn làm việc của người phụ trách cộng đồng")));
  }).catch((error) => main.appendChild(errorBox(error)));
}

/** "Nhập mã mời": join with the code alone, then open the community joined. */
function inviteCodeSection() {
  const section = h("section", { "aria-labelledby": "invite-title", className: "card" },
    h("h3", { id: "invite-title" }, "Nhập mã mời"));
  if (!state.me) {
    section.appendChild(signInPrompt("Đăng nhập bằng VNeID để tham gia cộng đồng bằng mã mời hoặc mã QR "
      + "do tổ trưởng, trưởng thôn gửi."));
    return section;
  }
  const status = h("div", { "aria-live": "polite" });
  const form = h("form", null,
    h("label", { for: "invite-code" }, "Mã mời"),
    h("input", { id: "invite-code", name: "invite_code", "data-field": "invite_code", required: true,
      autocomplete: "off", autocapitalize: "characters", spellcheck: "false", maxlength: "16",
      "aria-describedby": "invite-hint" }),
    h("p", { className: "hint", id: "invite-hint" }, "8 ký tự do tổ trưởng, trưởng thôn đọc cho bạn hoặc in trên "
      + "bảng tin, ví dụ K7M2QX9P. Gõ chữ hoa hay chữ thường đều được."),
    status,
    h("div", { className: "actions" }, h("button", { type: "submit" }, "Tham gia")));
  submitForm(form, {
    status,
    collect: (f) => ({ invite_code: f.elements.invite_code.value.trim() }),
    send: (body, key) => api("POST", "/api/v1/communities/join", body, { idempotencyKey: key }),
    done: async (membership) => {
      const c = await api("GET", "/api/v1/communities/" + membership.community_id);
      if (c.ward === state.ward.code) return go(state.base + "/join/" + c.id);
      // A community of another ward: its own miniapp.
      const ward = await api("GET", "/api/v1/wards/" + encodeURIComponent(c.ward));
      location.assign("/w/" + ward.slug + "/join/" + c.id);
      return null;
    },
  });
  section.appendChild(h("p", null, "Bạn có thể quét mã QR mời, hoặc gõ mã mời mà người phụ trách cộng đồng đọc cho bạn."));
  section.appendChild(form);
  return section;
}
