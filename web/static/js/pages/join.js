/* The page an invite QR code opens: /w/<ward>/join/<community id>?code=<invite code>. */

import { h, clear, message } from "../core/dom.js";
import { api, newKey } from "../core/api.js";
import { errorBox, runAction } from "../core/forms.js";
import { createKeyKeeper } from "../core/idempotency.js";
import { formatNumber } from "../core/format.js";
import { signInPrompt } from "../core/account.js";
import { state, view, heading, setTitle } from "./shell.js";

export default function joinCommunity({ id }) {
  const main = view("Tham gia cộng đồng");
  const code = (new URLSearchParams(location.search).get("code") || "").trim();
  return api("GET", "/api/v1/communities/" + encodeURIComponent(id)).then((c) => {
    if (c.ward !== state.ward.code) throw Object.assign(new Error("Cộng đồng này không thuộc " + state.ward.name + "."), { status: 404 });
    setTitle("Tham gia " + c.name);
    heading(main, "Tham gia " + c.name);
    const leaders = (c.leaders || []).filter((l) => l.name).map((l) => l.name);
    const summary = (x) => [x.kind_label, state.ward.name, formatNumber(x.member_count) + " thành viên"].join(" · ");
    const meta = h("p", { className: "meta" }, summary(c));
    main.appendChild(meta);
    if (leaders.length) main.appendChild(h("p", null, "Người phụ trách: " + leaders.join(", ")));
    const box = h("div", { "aria-live": "polite" });
    main.appendChild(box);
    if (!state.me) {
      box.appendChild(signInPrompt("Đăng nhập bằng VNeID để tham gia «" + c.name + "». Sau khi đăng nhập, bạn quay lại trang này."));
      return;
    }
    if (c.my_status === "active") { joined(box, c, false); return; }
    if (c.my_status === "pending" && !code) {
      box.appendChild(message("Yêu cầu tham gia của bạn đang chờ người phụ trách duyệt."));
      return;
    }
    box.appendChild(h("p", null, code
      ? "Khi tham gia, bạn nhận thông báo, biểu quyết của cộng đồng và theo dõi " + state.ward.name + "."
      : "Đường dẫn này không có mã mời: yêu cầu của bạn sẽ chờ người phụ trách duyệt."));
    const keys = createKeyKeeper(newKey);
    const button = h("button", { type: "button" }, code ? "Tham gia cộng đồng" : "Gửi yêu cầu tham gia");
    button.addEventListener("click", () => runAction(button, async () => {
      const body = { invite_code: code || null };
      const m = await api("POST", "/api/v1/communities/" + c.id + "/join", body, { idempotencyKey: keys.keyFor(body) });
      keys.succeeded();
      clear(box);
      api("GET", "/api/v1/communities/" + c.id).then((x) => { meta.textContent = summary(x); }).catch(() => null);
      if (m.status === "active") joined(box, c, true);
      else box.appendChild(message("Đã gửi yêu cầu tham gia. Người phụ trách sẽ duyệt."));
    }, box));
    box.appendChild(h("div", { className: "actions" }, button));
  }).catch((error) => {
    heading(main, "Tham gia cộng đồng");
    main.appendChild(errorBox(error));
  });
}

function joined(box, c, justNow) {
  box.appendChild(message(justNow ? "Bạn đã tham gia «" + c.name + "»." : "Bạn đã là thành viên của «" + c.name + "»."));
  box.appendChild(h("div", { className: "actions" },
    h("a", { className: "button", href: state.base + "/notices" }, "Xem thông báo"),
    h("a", { className: "button secondary", href: state.base }, "Về trang chủ")));
}
