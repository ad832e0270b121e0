/* One notice; opening it marks it read. */

import { h, clear, append, phoneLink } from "../core/dom.js";
import { api } from "../core/api.js";
import { errorBox } from "../core/forms.js";
import { loadVocabulary } from "../core/labels.js";
import { formatDate, formatDateTime } from "../core/format.js";
import { signInPrompt } from "../core/account.js";
import { state, view, heading, setTitle } from "./shell.js";
import { noticeBadges, senderText, splitPhones } from "./notices-common.js";
import { share } from "./share.js";

function metaLine(n) {
  // A department's notice names the department as its sender, not the person who typed it.
  const sender = senderText(n);
  return [noticeBadges(n), n.category.label, " · Đăng lúc ", formatDateTime(n.published_at || n.created_at),
    sender ? [" · ", h("span", { className: "sender" }, sender)] : (n.author_name ? " · " + n.author_name : "")];
}

/** "Chia sẻ": the notice's address through the share sheet, or copied. */
function shareBox(n) {
  const status = h("div", { "aria-live": "polite" });
  const button = h("button", { type: "button", className: "secondary" }, "Chia sẻ");
  const url = location.origin + state.base + "/notices/" + n.id;
  button.addEventListener("click", () => share({ title: n.title, text: n.title + " – " + state.ward.name, url },
    status, "Đã chép liên kết"));
  return h("div", null, h("div", { className: "actions" }, button), status);
}

export default function notice({ id }) {
  const main = view("Thông báo");
  return Promise.all([api("GET", "/api/v1/notices/" + encodeURIComponent(id)), loadVocabulary()]).then(([n]) => {
    setTitle(n.title);
    main.appendChild(h("p", null, h("a", { href: state.base + "/notices" }, "← Tất cả thông báo")));
    const article = h("article", null);
    main.appendChild(article);
    article.appendChild(h("h2", { id: "view-title", tabindex: "-1" }, n.title));
    const badges = h("p", { className: "meta" }, metaLine(n));
    article.appendChild(badges);
    // Phone numbers in the text are tap-to-call.
    article.appendChild(h("div", { className: "body-text" },
      splitPhones(n.body).map((piece) => (piece.phone ? phoneLink(piece.phone) : piece.text))));
    if (n.expires_at) article.appendChild(h("p", { className: "meta" }, "Hết hạn: " + formatDate(n.expires_at)));
    article.appendChild(shareBox(n));
    if (state.me && !n.read) {
      return api("POST", "/api/v1/notices/" + n.id + "/read").then((updated) => {
        clear(badges);
        append(badges, [metaLine(updated), " · ", h("span", { className: "badge ok" }, "Đã đọc")]);
      });
    }
    return null;
  }).catch((error) => {
    heading(main, "Thông báo");
    if (error.status === 401 || (error.status === 404 && !state.me)) main.appendChild(signInPrompt());
    else main.appendChild(errorBox(error));
  });
}
