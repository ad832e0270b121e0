/* One field report: its status, due date, photos, position and public history; for its reporter,
   reopening (within 14 days of resolution) and rating (once closed). Opening it as the reporter
   records that its latest changes were seen (the "my reports" badge). */

import { h, clear, message } from "../core/dom.js";
import { api, newKey } from "../core/api.js";
import { errorBox, submitForm } from "../core/forms.js";
import { formatDateTime } from "../core/format.js";
import { signInPrompt } from "../core/account.js";
import { state, view, heading, setTitle } from "./shell.js";
import { isOpen, starsText } from "./report-model.js";
import { reportBadges, dueLine } from "./report-common.js";
import { reportLinks } from "./reports.js";

export default function reportPage({ id }) {
  const main = view("Phản ánh");
  const justSent = new URLSearchParams(location.search).get("moi") === "1";
  return api("GET", "/api/v1/reports/" + encodeURIComponent(id)).then((r) => {
    if (r.ward !== state.ward.code) {
      heading(main, "Phản ánh");
      main.appendChild(message("Phản ánh này thuộc phường, xã khác."));
      return null;
    }
    show(main, r, justSent ? "Đã gửi phản ánh. Phường, xã sẽ trả lời công khai tại đây; bạn theo dõi ở mục «Phản ánh của tôi»." : null);
    if (r.mine && r.updated_since_seen) {
      return api("POST", "/api/v1/me/reports/seen", { report_ids: [r.id] })
        .catch(() => { /* the badge stays until the next visit */ });
    }
    return null;
  }).catch((error) => {
    heading(main, "Phản ánh");
    if (error.status === 401 && !state.me) main.appendChild(signInPrompt());
    else main.appendChild(errorBox(error));
  });
}

function show(main, r, notice) {
  clear(main);
  const title = "Phản ánh #" + r.id + ": " + r.category_name;
  setTitle(title);
  main.appendChild(h("p", null, h("a", { href: state.base + "/phan-anh" }, "← Bảng phản ánh")));
  heading(main, title);
  if (notice) main.appendChild(message(notice));
  main.appendChild(h("p", { className: "meta" }, reportBadges(Object.assign({}, r, { updated_since_seen: false }))));
  const facts = h("dl", { className: "facts" },
    fact("Trạng thái", r.status_label),
    fact("Loại phản ánh", r.category_name + (r.category_group ? " (" + r.category_group + ")" : "")),
    fact("Gửi lúc", formatDateTime(r.created_at)),
    isOpen(r.status) ? fact("Hạn xử lý", formatDateTime(r.due_at) + (r.overdue ? " – đã quá hạn" : "")) : null,
    r.closed_at ? fact("Đóng lúc", formatDateTime(r.closed_at)) : null,
    r.address ? fact("Địa chỉ", r.address) : null,
    fact("Vị trí (đã làm tròn)", h("span", null, r.lat + ", " + r.long + " · ",
      h("a", { href: "https://www.openstreetmap.org/?mlat=" + r.lat + "&mlon=" + r.long + "#map=18/" + r.lat + "/" + r.long,
        rel: "noopener", target: "_blank" }, "Xem trên bản đồ (mở trang mới)"))),
    r.duplicate_of ? fact("Trùng với", h("a", { href: state.base + "/phan-anh/" + r.duplicate_of }, "Phản ánh #" + r.duplicate_of)) : null,
    r.rating ? fact("Đánh giá của người gửi", starsText(r.rating)) : null);
  main.appendChild(facts);
  main.appendChild(h("h3", null, "Nội dung"));
  main.appendChild(h("p", { className: "body-text" }, r.description));
  if (r.description_hidden && (r.mine || r.reporter !== undefined)) {
    main.appendChild(h("p", { className: "hint" }, "Nội dung này đã được ẩn với mọi người; chỉ bạn và cán bộ phường, xã thấy."));
  }
  if (r.photos.length) {
    main.appendChild(h("h3", null, "Ảnh"));
    main.appendChild(h("ul", { className: "report-photos plain" }, r.photos.map((p, i) => h("li", null,
      h("img", { src: p.url, alt: "Ảnh " + (i + 1) + " của phản ánh #" + r.id, width: String(p.width),
        height: String(p.height), loading: "lazy" }),
      p.hidden ? h("p", { className: "hint" }, "Ảnh này đã được ẩn với mọi người.") : null))));
  }
  main.appendChild(h("h3", null, "Quá trình xử lý"));
  main.appendChild(h("ol", { className: "report-history" }, (r.history || []).map((e) => h("li", null,
    h("p", null, h("strong", null, e.status_label), h("span", { className: "meta" }, " · " + formatDateTime(e.at))),
    e.note ? h("p", { className: "body-text" }, e.note) : null))));
  if (isOpen(r.status)) main.appendChild(h("p", { className: "meta" }, dueLine(r)));
  if (r.mine) {
    main.appendChild(h("p", { className: "hint" }, "Đây là phản ánh của bạn. Người khác không thấy tên bạn."));
    if (r.can_reopen) main.appendChild(reopenForm(main, r));
    if (r.can_rate) main.appendChild(ratingForm(main, r));
  }
  main.appendChild(reportLinks(null));
}

function fact(term, value) {
  return h("div", null, h("dt", null, term), h("dd", null, value));
}

function reopenForm(main, r) {
  const status = h("div", { "aria-live": "polite" });
  const form = h("form", { className: "report-reopen" },
    h("h3", null, "Chưa xử lý xong?"),
    h("p", null, "Bạn có thể mở lại phản ánh trong 14 ngày kể từ khi phường, xã báo đã xử lý xong."),
    h("label", { for: "reopen-note" }, "Lý do mở lại (không bắt buộc, công khai)"),
    h("textarea", { id: "reopen-note", name: "note", rows: "3", maxlength: "1000", "data-field": "note" }),
    status,
    h("div", { className: "actions" }, h("button", { type: "submit", className: "secondary" }, "Mở lại phản ánh")));
  submitForm(form, {
    status,
    collect: () => ({ note: form.elements.note.value.trim() || null }),
    send: (body) => api("POST", "/api/v1/reports/" + r.id + "/reopen", body),
    done: (fresh) => show(main, fresh, "Đã mở lại phản ánh; phường, xã sẽ xử lý lại."),
  });
  return form;
}

function ratingForm(main, r) {
  const status = h("div", { "aria-live": "polite" });
  const names = ["Rất không hài lòng", "Không hài lòng", "Bình thường", "Hài lòng", "Rất hài lòng"];
  const stars = h("fieldset", { className: "stars", "data-field": "stars" },
    h("legend", null, "Bạn đánh giá việc xử lý thế nào?"),
    names.map((text, i) => h("label", { className: "check", for: "stars-" + (i + 1) },
      h("input", { type: "radio", id: "stars-" + (i + 1), name: "stars", value: String(i + 1) }),
      "★".repeat(i + 1) + " " + (i + 1) + " sao – " + text)));
  const form = h("form", { className: "report-rating" }, stars, status,
    h("div", { className: "actions" }, h("button", { type: "submit" }, "Gửi đánh giá")));
  submitForm(form, {
    status,
    validate: () => (form.querySelector("input[name=stars]:checked") ? [] : [{ field: "stars", message: "Hãy chọn số sao." }]),
    collect: () => ({ stars: Number(form.querySelector("input[name=stars]:checked").value) }),
    send: (body, key) => api("POST", "/api/v1/reports/" + r.id + "/rating", body, { idempotencyKey: key || newKey() }),
    done: (rating) => show(main, Object.assign({}, r, { rating: rating.stars, can_rate: false }),
      "Cảm ơn bạn đã đánh giá: " + starsText(rating.stars) + "."),
  });
  return form;
}
