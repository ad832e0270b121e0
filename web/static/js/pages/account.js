/* Tài khoản: who I am, my communities, my data as a file, and erasing my account. */

import { h, clear, message } from "../core/dom.js";
import { api } from "../core/api.js";
import { errorBox, runAction } from "../core/forms.js";
import { label, loadVocabulary } from "../core/labels.js";
import { signInPrompt, ERASED_FLAG, signOutEverywhereSection } from "../core/account.js";
import { state, view, heading } from "./shell.js";

const wardCache = new Map();

/** A ward's public fields by code (each asked once; null when it cannot be had). */
function wardOf(code) {
  if (!code) return Promise.resolve(null);
  if (code === state.ward.code) return Promise.resolve(state.ward);
  if (!wardCache.has(code)) {
    wardCache.set(code, api("GET", "/api/v1/wards/" + encodeURIComponent(code)).catch(() => null));
  }
  return wardCache.get(code);
}

/** "Cán bộ phường (Phường Hoàn Kiếm)", "Người phụ trách cộng đồng (Tổ dân phố số 3)" … */
async function roleText(r, communityNames) {
  const bits = [];
  if (r.community_id && communityNames.has(r.community_id)) bits.push(communityNames.get(r.community_id));
  else if (r.ward) {
    const w = await wardOf(r.ward);
    bits.push(w ? w.name : r.ward);
  }
  return label("role", r.role) + (bits.length ? " (" + bits.join(", ") + ")" : "");
}

export default async function account() {
  const main = view("Tài khoản");
  heading(main, "Tài khoản");
  const me = state.me;
  if (!me) {
    main.appendChild(signInPrompt("Đăng nhập bằng VNeID để xem tài khoản, tải dữ liệu của bạn hoặc xóa tài khoản."));
    return;
  }
  const [, mine] = await Promise.all([
    loadVocabulary(),
    api("GET", "/api/v1/me/communities").catch(() => ({ items: [], followed_wards: [] })),
  ]);
  // Each membership comes with its community named: no request per community.
  const communities = (mine.items || []).map((m) => ({ membership: m, community: m.community }));
  const names = new Map(communities.map((x) => [x.community.id, x.community.name]));

  // Who I am.
  const who = h("section", { "aria-labelledby": "who-title" }, h("h3", { id: "who-title" }, "Thông tin của bạn"));
  const dl = h("dl", { className: "facts" });
  const row = (term, value) => dl.appendChild(h("div", null, h("dt", null, term), h("dd", null, value)));
  row("Họ và tên", me.name || "Cư dân");
  row("Mức định danh VNeID", "Mức " + (me.vneid_level || 1));
  const roles = await Promise.all((me.roles || []).map((r) => roleText(r, names)));
  row("Vai trò", roles.length ? h("ul", { className: "plain" }, roles.map((t) => h("li", null, t))) : "Cư dân");
  who.appendChild(dl);
  main.appendChild(who);

  // My communities.
  const section = h("section", { "aria-labelledby": "mine-title" }, h("h3", { id: "mine-title" }, "Cộng đồng của tôi"));
  if (communities.length) {
    const list = h("ul", { className: "cards" });
    for (const { membership, community } of communities) {
      const w = await wardOf(community.ward);
      const href = (w ? "/w/" + w.slug : state.base) + "/join/" + community.id;
      const status = membership.status === "pending" ? "Đang chờ duyệt" : "Thành viên";
      list.appendChild(h("li", { className: "card" },
        h("a", { className: "stretch", href },
          h("h4", null, community.name),
          h("p", { className: "meta" }, [community.kind_label, w && w.name, status].filter(Boolean).join(" · ")))));
    }
    section.appendChild(list);
  } else {
    section.appendChild(h("p", null, "Bạn chưa tham gia cộng đồng nào. ",
      h("a", { href: state.base + "/communities" }, "Nhập mã mời hoặc xem các tổ dân phố")));
  }
  main.appendChild(section);

  main.appendChild(h("section", { "aria-labelledby": "appointments-title" },
    h("h3", { id: "appointments-title" }, "Lịch hẹn"),
    h("p", null, h("a", { href: state.base + "/lich-hen" }, "Lịch hẹn của tôi"), " · ",
      h("a", { href: state.base + "/dat-lich" }, "Đặt lịch mới"))));

  main.appendChild(exportSection());
  main.appendChild(signOutEverywhereSection());
  main.appendChild(eraseSection());
}

/** "Tải dữ liệu của tôi": every record the service holds about me, as a .json file. */
function exportSection() {
  const box = h("div", { "aria-live": "polite" });
  const button = h("button", { type: "button", className: "secondary" }, "Tải dữ liệu của tôi");
  button.addEventListener("click", () => runAction(button, async () => {
    clear(box);
    const data = await api("GET", "/api/v1/me/data");
    const day = new Date().toISOString().slice(0, 10);
    saveFile(JSON.stringify(data, null, 2), "du-lieu-cua-toi-" + day + ".json", "application/json");
    box.appendChild(message("Đã tải tệp dữ liệu của bạn (định dạng JSON)."));
  }, box));
  return h("section", { "aria-labelledby": "export-title" },
    h("h3", { id: "export-title" }, "Dữ liệu của tôi"),
    h("p", null, "Tải về một tệp chứa mọi dữ liệu về bạn mà hệ thống đang lưu: thông tin tài khoản, "
      + "đồng ý về dữ liệu cá nhân, vai trò, cộng đồng, thông báo đã nhận, gian hàng."),
    h("div", { className: "actions" }, button), box);
}

/** Hand `text` to the browser as a downloaded file named `name`. */
function saveFile(text, name, type) {
  const url = URL.createObjectURL(new Blob([text], { type }));
  const link = h("a", { href: url, download: name, hidden: true });
  document.body.appendChild(link);
  link.click();
  link.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10000);
}

/** "Xóa tài khoản", after a dialog that says what goes and what stays. */
function eraseSection() {
  const box = h("div", { "aria-live": "polite" });
  const open = h("button", { type: "button", className: "danger" }, "Xóa tài khoản");
  const dialog = eraseDialog(box, open);
  open.addEventListener("click", () => {
    clear(box);
    dialog.showModal();
    dialog.querySelector("h2").focus();
  });
  return h("section", { "aria-labelledby": "erase-title" },
    h("h3", { id: "erase-title" }, "Xóa tài khoản"),
    h("p", null, "Xóa thông tin cá nhân của bạn khỏi hệ thống. Việc này không hoàn tác được."),
    h("div", { className: "actions" }, open), box, dialog);
}

function eraseDialog(box, opener) {
  const dialog = h("dialog", { className: "modal", "aria-labelledby": "erase-dialog-title" });
  const inside = h("div", { "aria-live": "polite" });
  const confirm = h("button", { type: "button", className: "danger" }, "Xóa tài khoản của tôi");
  const cancel = h("button", { type: "button", className: "secondary" }, "Không xóa");
  dialog.appendChild(h("div", { className: "modal-body" },
    h("h2", { id: "erase-dialog-title", tabindex: "-1" }, "Xóa tài khoản của bạn?"),
    h("p", null, h("strong", null, "Sẽ bị xóa:")),
    h("ul", null,
      h("li", null, "họ tên và mã băm số định danh cá nhân của bạn;"),
      h("li", null, "vai trò của bạn (cán bộ, người phụ trách cộng đồng…);"),
      h("li", null, "tư cách thành viên các cộng đồng, mã hộ đã khai và các phường, xã bạn theo dõi;"),
      h("li", null, "thông báo trong mục Thông báo của bạn;"),
      h("li", null, "số điện thoại của gian hàng bạn đăng ký (gian hàng không còn gắn với bạn);"),
      h("li", null, "các lần đồng ý về dữ liệu cá nhân, mã truy cập và phiên đăng nhập.")),
    h("p", null, h("strong", null, "Được giữ lại:"),
      " các phiếu bạn đã bỏ vẫn được đếm để kết quả không thay đổi, nhưng không còn gắn với tên bạn. "
      + "Nếu đăng nhập lại sau này, bạn không bỏ phiếu lại được trong các cuộc đã tham gia."),
    h("p", null, "Bạn sẽ được đăng xuất. Nên tải dữ liệu của bạn trước khi xóa."),
    inside,
    h("div", { className: "actions" }, confirm, cancel)));
  dialog.addEventListener("close", () => { clear(inside); opener.focus(); });
  cancel.addEventListener("click", () => dialog.close());
  confirm.addEventListener("click", () => runAction(confirm, async () => {
    clear(inside);
    try {
      await api("DELETE", "/api/v1/me");
    } catch (error) {
      dialog.close();
      // The city's last admin (409) and other refusals are told in the page, with their reason.
      box.appendChild(errorBox(error));
      return;
    }
    try { sessionStorage.setItem(ERASED_FLAG, "1"); } catch (e) { /* private mode: no note */ }
    location.assign(state.base);
  }));
  return dialog;
}
