/* The privacy notice shown at the first sign-in (and after a new version of it): accepting it
   records the consent (Law 91/2025 on personal data); declining signs out, and the public pages
   stay readable. */

import { h, clear } from "./dom.js";
import { api } from "./api.js";
import { errorBox, runAction } from "./forms.js";

/**
 * Show the privacy notice when `me.consent_required`, as a modal dialog.
 *
 * Resolves once the dialog is open (or at once when nothing is needed), so a caller that
 * awaits it before drawing the header knows the notice is up when "Đăng xuất" shows. The
 * person's answer is handled here: "Đồng ý" records the consent and closes the dialog;
 * "Không đồng ý" signs out and explains what stays open. A notice that cannot be fetched is
 * not shown (it will be at the next load): the page must not be blocked by it.
 */
export async function ensureConsent(me) {
  if (!me || !me.consent_required || typeof HTMLDialogElement === "undefined") return;
  let notice;
  try {
    notice = await api("GET", "/api/v1/privacy-notice");
  } catch (error) {
    return;
  }
  const dialog = noticeDialog(notice, me);
  document.body.appendChild(dialog);
  dialog.showModal();
  dialog.querySelector("h2").focus();
}

function noticeDialog(notice, me) {
  const dialog = h("dialog", { className: "modal privacy", "aria-labelledby": "privacy-title" });
  const body = h("div", { className: "modal-body" });
  dialog.appendChild(body);
  // Escape must not dismiss it unanswered; the two buttons are the only ways out.
  dialog.addEventListener("cancel", (event) => event.preventDefault());

  body.appendChild(h("h2", { id: "privacy-title", tabindex: "-1" }, notice.title));
  body.appendChild(h("p", null, "Chào " + (me.name || "bạn") + ". Trước khi tiếp tục, xin đọc cách chúng tôi "
    + "dùng dữ liệu cá nhân của bạn."));
  for (const section of notice.sections || []) {
    body.appendChild(h("h3", null, section.heading));
    body.appendChild(h("p", null, section.text));
  }
  const box = h("div", { "aria-live": "polite" });
  const accept = h("button", { type: "button" }, "Đồng ý và tiếp tục");
  const decline = h("button", { type: "button", className: "secondary" }, "Không đồng ý");
  body.appendChild(box);
  body.appendChild(h("div", { className: "actions" }, accept, decline));
  body.appendChild(h("p", { className: "hint" }, "Nếu không đồng ý, bạn sẽ được đăng xuất và vẫn xem được các "
    + "trang công khai của phường, xã (thông tin, liên hệ, chợ)."));

  accept.addEventListener("click", () => runAction(accept, async () => {
    clear(box);
    await api("POST", "/api/v1/me/consent", { policy_version: notice.version });
    me.consent_required = false;
    dialog.close();
    dialog.remove();
    const title = document.getElementById("view-title");
    if (title) title.focus();
  }, box));

  decline.addEventListener("click", () => runAction(decline, async () => {
    clear(box);
    await api("POST", "/auth/logout");
    clear(body);
    body.appendChild(h("h2", { id: "privacy-title", tabindex: "-1" }, "Bạn đã đăng xuất"));
    body.appendChild(h("p", null, "Bạn chưa đồng ý với thông báo về dữ liệu cá nhân. Bạn vẫn "
      + "xem được các trang công khai của phường, xã. Khi muốn nhận thông báo, tham gia cộng đồng hay "
      + "biểu quyết, hãy đăng nhập lại và đồng ý với thông báo này."));
    const close = h("button", { type: "button" }, "Đóng");
    close.addEventListener("click", () => location.assign(location.pathname + location.search));
    body.appendChild(h("div", { className: "actions" }, close));
    body.querySelector("h2").focus();
  }, box));
  return dialog;
}
