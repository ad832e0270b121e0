/* One notice; opening it marks it read. */

import { h, clear, append } from "../core/dom.js";
import { api } from "../core/api.js";
import { errorBox } from "../core/forms.js";
import { loadVocabulary } from "../core/labels.js";
import { formatDate, formatDateTime } from "../core/format.js";
import { signInPrompt } from "../core/account.js";
import { state, view, heading, setTitle } from "./shell.js";
import { noticeBadges } from "./notices-common.js";

function metaLine(n) {
  return [noticeBadges(n), n.category.label, " · Đăng lúc ", formatDateTime(n.published_at || n.created_at),
    n.author_name ? " · " + n.author_name : ""];
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
    article.appendChild(h("div", { className: "body-text" }, n.body));
    if (n.expires_at) article.appendChild(h("p", { className: "meta" }, "Hết hạn: " + formatDate(n.expires_at)));
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
