/* Staff and leaders: communities, their invite codes and QR, members, households, leaders;
   for staff also the ward's list of tổ dân phố, thôn (./registry.js) each community may name. */

import { h, clear, message } from "../core/dom.js";
import { api } from "../core/api.js";
import { errorBox, runAction, submitForm } from "../core/forms.js";
import { capitalize, formatDate, formatNumber } from "../core/format.js";
import { options } from "../core/labels.js";
import { desk, section, field, select } from "./common.js";
import { registryPanel } from "./registry.js";

const RESIDENTIAL = ["to_dan_pho", "thon"];

/** A leader's desk: only the communities they run (no creation, no leader changes). */
export function ledCommunitiesSection(targets) {
  const s = section("communities", "Cộng đồng và thành viên");
  s.appendChild(h("h3", null, "Cộng đồng bạn phụ trách"));
  const list = h("ul", { className: "cards", id: "community-list" });
  s.appendChild(list);
  for (const c of targets) list.appendChild(communityCard(c, false));
}

/** Ward staff: the registry of tổ dân phố, thôn; create communities and run every one of them. */
export default function communitiesSection() {
  const { ward } = desk;
  const s = section("communities", "Cộng đồng và thành viên");
  const status = h("div", { "aria-live": "polite" });
  // The registry's groups a new community may name: of its kind, without a community yet.
  const groupSelect = h("select", { id: "community-group", name: "community-group", "data-field": "residential_group_id",
    "aria-describedby": "community-group-hint" });
  const groupHint = h("p", { className: "hint", id: "community-group-hint" });
  const form = h("form", null,
    h("fieldset", null, h("legend", null, "Lập cộng đồng mới"),
      field("community-name", "Tên cộng đồng", { required: true, maxlength: "120", "data-field": "name" }, "Ví dụ: Tổ dân phố số 5"),
      select("community-kind", "Loại cộng đồng", options("community_kind", { codes: ["to_dan_pho", "thon", "chi_bo", "chi_hoi", "other"] }), "to_dan_pho", { "data-field": "kind" }),
      h("label", { for: "community-group" }, "Tổ dân phố, thôn trong danh sách"), groupSelect, groupHint,
      h("div", { className: "actions" }, h("button", { type: "submit" }, "Lập cộng đồng")), status));
  let groups = [];
  let known = [];  /* the ward's communities, for linking them to groups */
  function fillGroups() {
    const kind = form.elements["community-kind"].value;
    const chosen = groupSelect.value;
    const free = RESIDENTIAL.includes(kind) ? groups.filter((g) => g.kind === kind && !g.community) : [];
    clear(groupSelect).appendChild(h("option", { value: "" }, "Không gắn với tổ, thôn nào"));
    for (const g of free) groupSelect.appendChild(h("option", { value: String(g.id), selected: String(g.id) === chosen }, g.name));
    groupSelect.disabled = !free.length;
    groupHint.textContent = !RESIDENTIAL.includes(kind)
      ? "Chỉ cộng đồng tổ dân phố, thôn mới gắn với danh sách."
      : free.length
        ? "Chọn tổ, thôn mà cộng đồng này phục vụ: chỉ tiêu tính theo danh sách."
        : "Mọi tổ, thôn loại này trong danh sách đã có cộng đồng số (hoặc danh sách còn trống).";
  }
  form.elements["community-kind"].addEventListener("change", fillGroups);
  s.appendChild(form);
  s.appendChild(h("h3", null, "Các cộng đồng của phường, xã"));
  const list = h("ul", { className: "cards", id: "community-list" });
  const more = h("div", { className: "actions" });
  s.appendChild(list);
  s.appendChild(more);
  const registry = registryPanel(s, {
    communities: () => known,
    changed: (fresh) => { groups = fresh; fillGroups(); },
  });
  fillGroups();
  function load(cursor) {
    return api("GET", "/api/v1/wards/" + ward.code + "/communities?limit=50" + (cursor ? "&cursor=" + encodeURIComponent(cursor) : ""))
      .then((data) => {
        if (!cursor) { clear(list); known = []; }
        clear(more);
        known = known.concat(data.items);
        for (const c of data.items) list.appendChild(communityCard(c, true));
        if (!cursor && !data.items.length) list.appendChild(h("li", { className: "meta" }, "Phường, xã chưa có cộng đồng nào."));
        if (data.next_cursor) {
          more.appendChild(h("button", { type: "button", className: "secondary", onclick: () => load(data.next_cursor) }, "Xem thêm cộng đồng"));
        }
      }).catch((error) => clear(list).appendChild(h("li", null, errorBox(error))));
  }
  submitForm(form, {
    status,
    collect: () => {
      const body = { name: form.elements["community-name"].value.trim(), kind: form.elements["community-kind"].value };
      if (groupSelect.value && !groupSelect.disabled) body.residential_group_id = Number(groupSelect.value);
      return body;
    },
    send: (body, key) => api("POST", "/api/v1/wards/" + ward.code + "/communities", body, { idempotencyKey: key }),
    done: (c) => {
      form.reset();
      fillGroups();
      status.appendChild(message("Đã lập «" + c.name + "», mã mời " + c.invite_code + "."));
      return Promise.all([load(null), c.residential_group_id ? registry.reload() : null]);
    },
  });
  return Promise.all([load(null), registry.reload()]);
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
