/* Staff and leaders: communities, their invite codes and QR, members, households, leaders. */

import { h, clear, message } from "../core/dom.js";
import { api } from "../core/api.js";
import { errorBox, runAction, submitForm } from "../core/forms.js";
import { capitalize, formatDate, formatNumber } from "../core/format.js";
import { options } from "../core/labels.js";
import { desk, section, field, select } from "./common.js";

/** A leader's desk: only the communities they run (no creation, no leader changes). */
export function ledCommunitiesSection(targets) {
  const s = section("communities", "Cộng đồng và thành viên");
  s.appendChild(h("h3", null, "Cộng đồng bạn phụ trách"));
  const list = h("ul", { className: "cards", id: "community-list" });
  s.appendChild(list);
  for (const c of targets) list.appendChild(communityCard(c, false));
}

/** Ward staff: create communities and run every community of the ward. */
export default function communitiesSection() {
  const { ward } = desk;
  const s = section("communities", "Cộng đồng và thành viên");
  const status = h("div", { "aria-live": "polite" });
  const form = h("form", null,
    h("fieldset", null, h("legend", null, "Lập cộng đồng mới"),
      field("community-name", "Tên cộng đồng", { required: true, maxlength: "120", "data-field": "name" }, "Ví dụ: Tổ dân phố số 5"),
      select("community-kind", "Loại cộng đồng", options("community_kind", { codes: ["to_dan_pho", "thon", "chi_bo", "chi_hoi", "other"] }), "to_dan_pho", { "data-field": "kind" }),
      h("div", { className: "actions" }, h("button", { type: "submit" }, "Lập cộng đồng")), status));
  s.appendChild(form);
  s.appendChild(h("h3", null, "Các cộng đồng của phường, xã"));
  const list = h("ul", { className: "cards", id: "community-list" });
  const more = h("div", { className: "actions" });
  s.appendChild(list);
  s.appendChild(more);
  function load(cursor) {
    return api("GET", "/api/v1/wards/" + ward.code + "/communities?limit=50" + (cursor ? "&cursor=" + encodeURIComponent(cursor) : ""))
      .then((data) => {
        if (!cursor) clear(list);
        clear(more);
        for (const c of data.items) list.appendChild(communityCard(c, true));
        if (!cursor && !data.items.length) list.appendChild(h("li", { className: "meta" }, "Phường, xã chưa có cộng đồng nào."));
        if (data.next_cursor) {
          more.appendChild(h("button", { type: "button", className: "secondary", onclick: () => load(data.next_cursor) }, "Xem thêm cộng đồng"));
        }
      }).catch((error) => clear(list).appendChild(h("li", null, errorBox(error))));
  }
  submitForm(form, {
    status,
    collect: () => ({ name: form.elements["community-name"].value.trim(), kind: form.elements["community-kind"].value }),
    send: (body, key) => api("POST", "/api/v1/wards/" + ward.code + "/communities", body, { idempotencyKey: key }),
    done: (c) => {
      form.reset();
      status.appendChild(message("Đã lập «" + c.name + "», mã mời " + c.invite_code + "."));
      return load(null);
    },
  });
  return load(null);
}

/* `staffView`: ward staff (they also appoint and dismiss leaders); false for a leader. */
function communityCard(c, staffView) {
  const qrBox = h("div");
  const members = h("div", { "aria-live": "polite" });
  const rotated = h("div", { "aria-live": "polite" });
  const meta = h("p", { className: "meta" }, communityMeta(c));
  const code = c.invite_code ? h("strong", { className: "receipt" }, c.invite_code) : null;
  function changed() {
    return api("GET", "/api/v1/communities/" + c.id).then((fresh) => { meta.textContent = communityMeta(fresh); })
      .catch(() => null);
  }
  const rotate = code ? h("button", { type: "button", className: "secondary", "aria-label": "Đổi mã mời của " + c.name }, "Đổi mã mời") : null;
  if (rotate) {
    rotate.addEventListener("click", () => {
      if (!window.confirm("Đổi mã mời của «" + c.name + "»? Mã cũ và mã QR cũ sẽ không dùng được nữa.")) return;
      clear(rotated);
      runAction(rotate, () => api("POST", "/api/v1/communities/" + c.id + "/invite-code").then((fresh) => {
        c.invite_code = fresh.invite_code;
        c.join_url = fresh.join_url;
        code.textContent = fresh.invite_code;
        clear(qrBox);
        rotated.appendChild(message("Đã đổi mã mời của «" + c.name + "»: " + fresh.invite_code + "."));
      }), rotated);
    });
  }
  return h("li", { className: "card" },
    h("h4", null, c.name),
    meta,
    code ? h("p", null, "Mã mời: ", code) : null,
    h("div", { className: "actions" },
      c.invite_code ? h("button", { type: "button", className: "secondary", "aria-expanded": "false", "aria-label": "Mã QR mời vào " + c.name,
        onclick: (e) => {
          const open = e.currentTarget.getAttribute("aria-expanded") === "true";
          e.currentTarget.setAttribute("aria-expanded", String(!open));
          clear(qrBox);
          if (!open) {
            qrBox.appendChild(h("img", { className: "qr", src: "/api/v1/communities/" + c.id + "/invite-qr.png",
              alt: "Mã QR mời tham gia " + c.name + ": quét để mở trang tham gia", width: "256", height: "256" }));
            if (c.join_url) qrBox.appendChild(h("p", { className: "hint wrap" }, "Mã QR mở trang: ", h("a", { href: c.join_url }, c.join_url)));
          }
        } }, "Mã QR mời") : null,
      rotate,
      h("button", { type: "button", className: "secondary", "aria-label": "Thành viên của " + c.name,
        onclick: () => loadMembers(c, members, null, changed, staffView) }, "Thành viên")),
    rotated, qrBox, members);
}

function communityMeta(c) {
  const title = c.leader_label;  /* what the leader of this kind is called, from the API */
  const leaders = (c.leaders || []).map((l) => (l.name || "Tài khoản đã xoá") + (l.title === "deputy" ? " (phó)" : ""));
  return [c.kind_label, formatNumber(c.member_count) + " thành viên",
    leaders.length ? capitalize(title) + ": " + leaders.join(", ") : "Chưa có " + title].join(" · ");
}

function loadMembers(c, box, cursor, changed, staffView) {
  const title = c.leader_label;  /* what the leader of this kind is called, from the API */
  return api("GET", "/api/v1/communities/" + c.id + "/members?limit=50" + (cursor ? "&cursor=" + encodeURIComponent(cursor) : ""))
    .then((data) => {
      let list;
      if (!cursor) {
        clear(box);
        box.appendChild(h("h5", null, "Thành viên của " + c.name));
        list = h("ul", { className: "cards members" });
        box.appendChild(list);
      } else {
        list = box.querySelector("ul.members");
        const old = box.querySelector(".more-members");
        if (old) old.remove();
      }
      const status = h("div", { "aria-live": "polite" });
      const reload = () => { changed(); return loadMembers(c, box, null, changed, staffView); };
      function act(text, ariaLabel, method, path, body, confirmText, primary) {
        const button = h("button", { type: "button", className: primary ? null : "secondary", "aria-label": ariaLabel }, text);
        button.addEventListener("click", () => {
          if (confirmText && !window.confirm(confirmText)) return;
          runAction(button, () => api(method, path, body).then(reload), status);
        });
        return button;
      }
      if (!cursor && !data.items.length) list.appendChild(h("li", { className: "meta" }, "Chưa có thành viên nào."));
      for (const m of data.items) {
        const who = m.name || "Người dùng số " + m.user_id;
        const actions = h("div", { className: "actions" });
        const base = "/api/v1/communities/" + c.id;
        if (m.status === "pending") {
          actions.appendChild(act("Duyệt", "Duyệt: " + who, "POST", base + "/members/" + m.user_id + "/approve", undefined, null, true));
        } else if (m.household && !m.household_confirmed) {
          actions.appendChild(act("Xác nhận hộ", "Xác nhận hộ " + m.household + " của " + who, "POST",
            base + "/members/" + m.user_id + "/confirm-household", undefined, null, true));
        }
        if (m.status !== "pending" && staffView) {
          actions.appendChild(m.role === "member"
            ? act("Giao làm " + title, "Giao làm " + title + ": " + who, "POST", base + "/leaders", { user_id: m.user_id })
            : act("Thôi làm " + title, "Thôi làm " + title + ": " + who, "DELETE", base + "/leaders/" + m.user_id));
        }
        if (staffView || m.role === "member") {  /* only the ward's staff remove a leader */
          actions.appendChild(act(m.status === "pending" ? "Từ chối" : "Xoá khỏi cộng đồng",
            (m.status === "pending" ? "Từ chối: " : "Xoá khỏi cộng đồng: ") + who,
            "DELETE", base + "/members/" + m.user_id, undefined, "Xoá " + who + " khỏi «" + c.name + "»?"));
        }
        list.appendChild(h("li", { className: "card" },
          h("p", null, h("strong", null, who)),
          h("p", { className: "meta" }, [m.role === "member" ? "Thành viên" : m.role === "deputy" ? "Phó " + title : capitalize(title),
            m.status === "pending" ? "Chờ duyệt" : null,
            m.household ? "Hộ " + m.household + (m.household_confirmed ? " (đã xác nhận)" : " (chưa xác nhận)") : null,
            m.joined_at ? "tham gia " + formatDate(m.joined_at) : null].filter(Boolean).join(" · ")),
          actions));
      }
      box.appendChild(status);
      if (data.next_cursor) {
        box.appendChild(h("div", { className: "actions more-members" }, h("button", { type: "button", className: "secondary",
          onclick: () => loadMembers(c, box, data.next_cursor, changed, staffView) }, "Xem thêm thành viên")));
      }
    }).catch((error) => clear(box).appendChild(errorBox(error)));
}
