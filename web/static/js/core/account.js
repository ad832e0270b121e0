/* Sign-in state in the header, and the prompt to sign in. */

import { h, clear, icon } from "./dom.js";
import { api } from "./api.js";

/* Set in sessionStorage before the page reloads after an erasure, so the ward page can say so. */
export const ERASED_FLAG = "pxs-account-erased";

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

/** A card asking to sign in with VNeID, coming back here after. */
export function signInPrompt(text) {
  return h("div", { className: "card" },
    h("p", null, text || "Hãy đăng nhập bằng VNeID để xem mục này."),
    loginLink({ className: "button" }, "Đăng nhập bằng VNeID"));
}
