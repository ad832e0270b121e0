/* Sign-in state in the header, the prompt to sign in, and signing out of every device. */

import { h, clear, icon, message } from "./dom.js";
import { api } from "./api.js";
import { runAction } from "./forms.js";

/* Set in sessionStorage before the page reloads after an erasure, so the ward page can say so. */
export const ERASED_FLAG = "pxs-account-erased";
/* Set before the page reloads after "Đăng xuất khỏi mọi thiết bị", so the prompt can say so. */
export const SIGNED_OUT_EVERYWHERE_FLAG = "pxs-signed-out-everywhere";

/** Read a one-time note left in `storage` before a reload, and remove it (false if none). */
export function takeFlag(storage, name) {
  try {
    const found = storage.getItem(name);
    storage.removeItem(name);
    return found !== null;
  } catch (e) {
    return false; // storage refused (private mode): no note
  }
}

function loginHref() {
  return "/auth/login?next=" + encodeURIComponent(location.pathname + location.search);
}

/* The page's address changes as the person moves within the app: point back to where they are
   when they press the link, not to where the link was drawn. */
function loginLink(attrs, ...children) {
  return h("a", { ...attrs, href: loginHref(), onclick: (e) => { e.currentTarget.href = loginHref(); } }, ...children);
}

/** The account page of the ward this address belongs to (/w/<ward>/tai-khoan), or null. */
export function accountHref(path = location.pathname) {
  const m = /^\/w\/([^/]+)/.exec(path);
  return m ? "/w/" + m[1] + "/tai-khoan" : null;
}

/**
 * "Đăng nhập bằng VNeID", or the user's name, "Tài khoản" (on a ward's pages) and "Đăng xuất",
 * in #account.
 */
export function renderAccount(me) {
  const box = document.getElementById("account");
  if (!box) return;
  clear(box);
  if (!me) {
    // " bằng VNeID" is only visually hidden on a small screen at large text: the name stays whole.
    box.appendChild(loginLink({ className: "button" }, "Đăng nhập", h("span", { className: "long" }, "\u00a0bằng VNeID")));
    return;
  }
  const form = h("form", { method: "post", action: "/auth/logout" },
    h("input", { type: "hidden", name: "next", value: location.pathname }),
    h("input", { type: "hidden", name: "csrf_token", value: me.csrf_token }),
    h("button", { type: "submit" }, "Đăng xuất"));
  form.addEventListener("submit", (event) => {
    event.preventDefault();
    api("POST", "/auth/logout").catch(() => null).then(() => location.assign(location.pathname));
  });
  box.appendChild(h("span", { className: "who" }, h("span", { className: "visually-hidden" }, "Đã đăng nhập: "),
    me.name || "Cư dân", " "));
  const href = accountHref();
  if (href) {
    // At large text on a small phone only the icon shows (the name "Tài khoản" is still read out).
    box.appendChild(h("a", { className: "account-link", href }, icon("id-card"), h("span", { className: "long" }, "Tài khoản")));
  }
  box.appendChild(form);
}

/**
 * A card asking to sign in with VNeID, coming back here after. Right after "Đăng xuất khỏi mọi
 * thiết bị" (the page reloads signed out) it first says that this worked.
 */
export function signInPrompt(text) {
  const card = h("div", { className: "card" });
  if (takeFlag(globalThis.sessionStorage, SIGNED_OUT_EVERYWHERE_FLAG)) {
    card.appendChild(message("Bạn đã đăng xuất khỏi mọi thiết bị: mọi phiên đăng nhập và mã truy cập "
      + "của bạn đã hết hiệu lực."));
  }
  card.appendChild(h("p", null, text || "Hãy đăng nhập bằng VNeID để xem mục này."));
  card.appendChild(loginLink({ className: "button" }, "Đăng nhập bằng VNeID"));
  return card;
}

/**
 * "Đăng xuất khỏi mọi thiết bị" for the account page: every browser session and personal access
 * token of the person ends (DELETE /api/v1/me/sessions), this browser's too; the page reloads
 * signed out and says so.
 */
export function signOutEverywhereSection() {
  const box = h("div", { "aria-live": "polite" });
  const button = h("button", { type: "button", className: "secondary" }, "Đăng xuất khỏi mọi thiết bị");
  button.addEventListener("click", () => runAction(button, async () => {
    clear(box);
    await api("DELETE", "/api/v1/me/sessions");
    try { sessionStorage.setItem(SIGNED_OUT_EVERYWHERE_FLAG, "1"); } catch (e) { /* no note */ }
    location.assign(location.pathname);
  }, box));
  return h("section", { "aria-labelledby": "sessions-title" },
    h("h3", { id: "sessions-title" }, "Phiên đăng nhập"),
    h("p", null, "Quên đăng xuất trên máy dùng chung, hoặc bị mất điện thoại? Đăng xuất khỏi mọi thiết bị "
      + "để chấm dứt mọi phiên đăng nhập và mã truy cập của bạn, kể cả trên thiết bị này. "
      + "Sau đó bạn đăng nhập lại bằng VNeID như thường."),
    h("div", { className: "actions" }, button), box);
}
