/* One poll: the ballot, the receipt, the results when the API shows them. */

import { h, clear, message } from "../core/dom.js";
import { api } from "../core/api.js";
import { errorBox, submitForm } from "../core/forms.js";
import { formatDateTime, formatNumber, formatPercent } from "../core/format.js";
import { signInPrompt } from "../core/account.js";
import { state, view, heading, setTitle } from "./shell.js";

/** "Biểu quyết · Đang mở · đóng lúc … · bạn đã bỏ phiếu" (labels from the API). */
export function pollMeta(p) {
  const bits = [p.kind_label];
  if (p.status_label) bits.push(p.status_label);
  if (p.status === "scheduled" && p.opens_at) bits.push("mở lúc " + formatDateTime(p.opens_at));
  if (p.closes_at) bits.push((p.status === "closed" ? "đã đóng lúc " : "đóng lúc ") + formatDateTime(p.closes_at));
  if (p.my && p.my.voted) bits.push("bạn đã bỏ phiếu");
  return bits.join(" · ");
}

export default function poll({ id }) {
  const main = view("Biểu quyết");
  return api("GET", "/api/v1/polls/" + encodeURIComponent(id)).then((p) => {
    setTitle(p.title);
    main.appendChild(h("p", null, h("a", { href: state.base + "/polls" }, "← Tất cả cuộc biểu quyết")));
    heading(main, p.title);
    main.appendChild(h("p", { className: "meta" }, pollMeta(p)));
    if (p.description) main.appendChild(h("div", { className: "body-text" }, p.description));
    const results = h("section", { "aria-labelledby": "results-title" });
    const area = h("div");
    main.appendChild(area);
    main.appendChild(results);
    if (p.status && p.status !== "open") {
      area.appendChild(message(p.status === "closed" ? "Cuộc biểu quyết đã đóng." : "Cuộc biểu quyết chưa mở."));
    } else if (!state.me) {
      area.appendChild(signInPrompt("Đăng nhập bằng VNeID để bỏ phiếu."));
    } else if (p.my && p.my.voted && !p.allow_change) {
      area.appendChild(receiptBox(null));
    } else if (p.my && !p.my.eligible) {
      area.appendChild(message("Bạn không thuộc danh sách được bỏ phiếu trong cuộc này"
        + (p.min_vneid_level > 1 ? " (cần tài khoản VNeID mức 2)." : ".")));
    } else {
      area.appendChild(ballotForm(p, area, results));
    }
    return showResults(p, results);
  }).catch((error) => {
    heading(main, "Biểu quyết");
    main.appendChild(error.status === 401 ? signInPrompt() : errorBox(error));
  });
}

function ballotForm(p, area, results) {
  const questions = p.questions || [];
  const form = h("form", null);
  questions.forEach((q, index) => {
    const name = "q" + q.id;
    const field = "answers." + index;
    if (q.type === "text") {
      form.appendChild(h("label", { for: name }, (index + 1) + ". " + q.text));
      form.appendChild(h("textarea", { id: name, name, maxlength: "2000", "data-field": field }));
      return;
    }
    const multiple = (q.max_choices || 1) > 1;
    const fs = h("fieldset", { "data-field": field }, h("legend", null, (index + 1) + ". " + q.text));
    if (multiple) fs.appendChild(h("p", { className: "hint" }, "Chọn từ " + (q.min_choices || 1) + " đến " + q.max_choices + " phương án."));
    for (const o of q.options) {
      const optionId = name + "-o" + o.id;
      fs.appendChild(h("div", { className: "check" },
        h("label", { for: optionId },
          h("input", { type: multiple ? "checkbox" : "radio", id: optionId, name, value: String(o.id) }),
          o.text)));
    }
    form.appendChild(fs);
  });
  const status = h("div", { "aria-live": "polite" });
  form.appendChild(status);
  form.appendChild(h("div", { className: "actions" }, h("button", { type: "submit" }, "Gửi phiếu")));
  const chosen = (q) => Array.from(form.querySelectorAll("input[name='q" + q.id + "']"))
    .filter((i) => i.checked).map((i) => Number(i.value));
  submitForm(form, {
    status,
    validate: () => questions.flatMap((q, index) => {
      if (q.type === "text") return [];
      const count = chosen(q).length;
      const max = q.max_choices || 1;
      if (count > max) return [{ field: "answers." + index, message: "Chỉ được chọn tối đa " + max + " phương án." }];
      return [];
    }),
    collect: () => ({
      answers: questions.map((q) => (q.type === "text"
        ? { question: q.id, text: form.elements["q" + q.id].value.trim() }
        : { question: q.id, options: chosen(q) })),
    }),
    send: (body, key) => api("POST", "/api/v1/polls/" + p.id + "/ballots", body, { idempotencyKey: key }),
    done: (data) => {
      clear(area).appendChild(receiptBox(data.receipt));
      area.querySelector("h3").focus();
      return showResults(p, results);
    },
  });
  return form;
}

function receiptBox(receipt) {
  return h("div", { className: "card", role: "status" },
    h("h3", { tabindex: "-1" }, "Phiếu của bạn đã được ghi nhận"),
    receipt ? [h("p", null, "Mã biên nhận (giữ lại để tự kiểm tra phiếu của mình):"),
      h("p", { className: "receipt", id: "receipt" }, receipt)] : h("p", null, "Bạn đã bỏ phiếu trong cuộc này."));
}

/* The API decides whether the results can be seen (403 with the rule's wording otherwise):
   the page keeps no copy of the rule. */
function showResults(p, box) {
  return api("GET", "/api/v1/polls/" + p.id + "/results").then((r) => {
    clear(box);
    box.appendChild(h("h3", { id: "results-title" }, "Kết quả"));
    const bits = ["Số phiếu: " + formatNumber(r.turnout)];
    if (r.eligible) bits.push("cử tri: " + formatNumber(r.eligible) + " (" + formatPercent(r.turnout / r.eligible) + ")");
    if (r.quorum_reached !== undefined && r.quorum_reached !== null) {
      bits.push(r.quorum_reached ? "đã đủ túc số" : "chưa đủ túc số");
    }
    box.appendChild(h("p", { className: "meta" }, bits.join(" · ")));
    const byId = new Map((p.questions || []).map((q) => [q.id, q]));
    for (const q of r.questions || []) {
      const total = (q.options || []).reduce((s, o) => s + o.count, 0);
      box.appendChild(h("h4", null, (byId.get(q.id) && byId.get(q.id).text) || q.text || ""));
      const list = h("ul", { className: "cards" });
      for (const o of q.options || []) {
        const share = total ? o.count / total : 0;
        const bar = h("span");
        bar.style.width = (share * 100).toFixed(1) + "%";
        list.appendChild(h("li", null, h("p", null, o.text + ": " + formatNumber(o.count) + " phiếu ("
          + formatPercent(share) + ")"), h("div", { className: "bar", "aria-hidden": "true" }, bar)));
      }
      box.appendChild(list);
    }
  }).catch((error) => {
    clear(box);
    const text = error.status === 403 && error.message ? error.message
      : "Kết quả sẽ được công bố theo quy định của cuộc biểu quyết.";
    box.appendChild(h("p", { className: "meta", id: "results-title" }, text));
  });
}
