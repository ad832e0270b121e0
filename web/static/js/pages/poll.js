/* One poll: the ballot (its limits applied as people tick), the receipt kept on this device,
   the results when the API shows them, and "Kiểm tra phiếu" against the published list. */

import { h, clear, message } from "../core/dom.js";
import { api } from "../core/api.js";
import { errorBox, submitForm } from "../core/forms.js";
import { formatDateTime, formatNumber, formatPercent } from "../core/format.js";
import { signInPrompt } from "../core/account.js";
import { state, view, heading, setTitle } from "./shell.js";
import {
  choiceLimits, choiceProblem, limitHint, limitState, quorumText, receiptHash, receiptKey,
} from "./poll-rules.js";
import { copyText, share } from "./share.js";

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
    const area = h("div");
    const results = h("section", { "aria-labelledby": "results-title" });
    const check = checkSection(p);
    main.appendChild(area);
    main.appendChild(results);
    main.appendChild(check);
    const kept = keptReceipt(p);
    if (p.status && p.status !== "open") {
      area.appendChild(message(p.status === "closed" ? "Cuộc biểu quyết đã đóng." : "Cuộc biểu quyết chưa mở."));
      if (kept) area.appendChild(receiptBox(p, kept, false));
    } else if (!state.me) {
      area.appendChild(signInPrompt("Đăng nhập bằng VNeID để bỏ phiếu."));
    } else if (p.my && p.my.voted && !p.allow_change) {
      area.appendChild(receiptBox(p, kept, false));
    } else if (p.my && !p.my.eligible) {
      area.appendChild(message("Bạn không thuộc danh sách được bỏ phiếu trong cuộc này"
        + (p.min_vneid_level > 1 ? " (cần tài khoản VNeID mức 2)." : ".")));
    } else {
      if (kept) area.appendChild(receiptBox(p, kept, false));
      area.appendChild(ballotForm(p, area, results));
    }
    return showResults(p, results);
  }).catch((error) => {
    heading(main, "Biểu quyết");
    main.appendChild(error.status === 401 ? signInPrompt() : errorBox(error));
  });
}

/* The receipt is kept in this browser for (signed-in person, poll): never sent anywhere. */
function keptReceipt(p) {
  if (!state.me) return null;
  try {
    return localStorage.getItem(receiptKey(state.me.id, p.id));
  } catch (error) {
    return null;
  }
}

function keepReceipt(p, receipt) {
  try {
    if (receipt) localStorage.setItem(receiptKey(state.me.id, p.id), receipt);
    else localStorage.removeItem(receiptKey(state.me.id, p.id));
  } catch (error) { /* storage refused (private mode): the receipt is still shown */ }
}

function ballotForm(p, area, results) {
  const questions = p.questions || [];
  const form = h("form", { "aria-label": "Phiếu của bạn" });
  const boxes = (q) => Array.from(form.querySelectorAll("input[name='q" + q.id + "']"));
  const chosen = (q) => boxes(q).filter((i) => i.checked).map((i) => Number(i.value));
  questions.forEach((q, index) => {
    const name = "q" + q.id;
    const field = "answers." + index;
    if (q.type === "text") {
      form.appendChild(h("label", { for: name }, (index + 1) + ". " + q.text));
      form.appendChild(h("textarea", { id: name, name, maxlength: "2000", "data-field": field }));
      return;
    }
    const { multiple } = choiceLimits(q);
    const fs = h("fieldset", { "data-field": field }, h("legend", null, (index + 1) + ". " + q.text));
    const live = h("p", { className: "hint", "aria-live": "polite", id: name + "-live" });
    if (multiple) fs.appendChild(h("p", { className: "hint", id: name + "-hint" }, limitHint(q)));
    for (const o of q.options) {
      const optionId = name + "-o" + o.id;
      fs.appendChild(h("div", { className: "check" },
        h("label", { for: optionId },
          h("input", { type: multiple ? "checkbox" : "radio", id: optionId, name, value: String(o.id),
            "aria-describedby": multiple ? name + "-hint" : null }),
          o.text)));
    }
    if (multiple) {
      fs.appendChild(live);
      // At the limit, the other boxes are disabled (and enabled again when one is unticked).
      fs.addEventListener("change", () => {
        const { full, live: said } = limitState(q, chosen(q).length);
        for (const box of boxes(q)) box.disabled = full && !box.checked;
        live.textContent = said;
      });
    }
    if (q.allow_comment) {
      form.appendChild(fs);
      form.appendChild(h("label", { for: name + "-comment" }, "Góp ý cho câu " + (index + 1) + " (không bắt buộc)"));
      form.appendChild(h("textarea", { id: name + "-comment", name: name + "-comment", maxlength: "2000", "data-field": field }));
      return;
    }
    form.appendChild(fs);
  });
  const status = h("div", { "aria-live": "polite" });
  form.appendChild(status);
  form.appendChild(h("div", { className: "actions" }, h("button", { type: "submit" }, "Gửi phiếu")));
  submitForm(form, {
    status,
    validate: () => questions.flatMap((q, index) => {
      if (q.type === "text") return [];
      const problem = choiceProblem(q, chosen(q).length);
      return problem ? [{ field: "answers." + index, message: problem }] : [];
    }),
    collect: () => ({
      answers: questions.map((q) => {
        if (q.type === "text") return { question: q.id, text: form.elements["q" + q.id].value.trim() };
        const answer = { question: q.id, options: chosen(q) };
        const comment = q.allow_comment ? form.elements["q" + q.id + "-comment"].value.trim() : "";
        if (comment) answer.text = comment;
        return answer;
      }),
    }),
    send: (body, key) => api("POST", "/api/v1/polls/" + p.id + "/ballots", body, { idempotencyKey: key }),
    done: (data) => {
      keepReceipt(p, data.receipt);
      clear(area).appendChild(receiptBox(p, data.receipt, true));
      area.querySelector("h3").focus();
      const input = document.getElementById("check-receipt");
      if (input) input.value = data.receipt;
      return showResults(p, results);
    },
  });
  return form;
}

/** The receipt with "Chép mã", "Chia sẻ" and "Xóa khỏi máy này"; or "you voted" without one. */
function receiptBox(p, receipt, justNow) {
  const box = h("section", { className: "card", "aria-labelledby": "receipt-title" },
    h("h3", { id: "receipt-title", tabindex: "-1" }, justNow || !receipt ? "Phiếu của bạn đã được ghi nhận" : "Mã biên nhận của bạn"));
  if (!receipt) {
    box.appendChild(h("p", null, "Bạn đã bỏ phiếu trong cuộc này. Mã biên nhận không được lưu trên máy này."));
    return box;
  }
  const status = h("div", { "aria-live": "polite" });
  const copy = h("button", { type: "button", className: "secondary" }, "Chép mã");
  const send = h("button", { type: "button", className: "secondary" }, "Chia sẻ");
  const forget = h("button", { type: "button", className: "secondary" }, "Xóa khỏi máy này");
  copy.addEventListener("click", () => copyText(receipt, status, "Đã chép mã biên nhận."));
  send.addEventListener("click", () => share({ title: "Mã biên nhận phiếu",
    text: "Mã biên nhận phiếu của tôi trong «" + p.title + "»: " + receipt }, status, "Đã chép mã biên nhận."));
  forget.addEventListener("click", () => {
    keepReceipt(p, null);
    const input = document.getElementById("check-receipt");
    if (input && input.value === receipt) input.value = "";
    clear(box).appendChild(message("Đã xóa mã biên nhận khỏi máy này. Nếu đã chép ở nơi khác, bạn vẫn kiểm tra được phiếu."));
  });
  box.appendChild(h("p", null, "Mã biên nhận (giữ lại để tự kiểm tra phiếu của mình sau khi cuộc biểu quyết kết thúc):"));
  box.appendChild(h("p", { className: "receipt", id: "receipt" }, receipt));
  box.appendChild(h("div", { className: "actions" }, copy, send, forget));
  box.appendChild(h("p", { className: "hint" }, "Mã này được lưu trên điện thoại này: ai dùng điện thoại này cũng xem "
    + "được. Ai có mã này sẽ xem được nội dung phiếu của bạn khi danh sách phiếu được công bố, nên chỉ gửi cho chính bạn."));
  box.appendChild(status);
  return box;
}

/** "Kiểm tra phiếu": find one's ballot in the published list by the receipt's hash. */
function checkSection(p) {
  const section = h("section", { "aria-labelledby": "check-title" }, h("h3", { id: "check-title" }, "Kiểm tra phiếu"));
  section.appendChild(h("p", null, p.status === "closed"
    ? "Danh sách phiếu đã được công bố (không có tên người bỏ phiếu). Dán mã biên nhận để xem phiếu của bạn đã được ghi thế nào."
    : "Danh sách phiếu (không có tên người bỏ phiếu) được công bố khi cuộc biểu quyết kết thúc. Khi đó, "
      + "hãy dán mã biên nhận vào đây để xem phiếu của bạn đã được ghi đúng chưa."));
  const result = h("div", { "aria-live": "polite" });
  const form = h("form", { "aria-labelledby": "check-title" },
    h("label", { for: "check-receipt" }, "Mã biên nhận"),
    h("input", { id: "check-receipt", name: "receipt", "data-field": "receipt_hash", required: true,
      autocomplete: "off", autocapitalize: "characters", spellcheck: "false", value: keptReceipt(p) || null }),
    h("p", { className: "hint" }, "Mã biên nhận không rời khỏi máy này: máy chỉ gửi mã băm SHA-256 của nó để tìm phiếu."),
    result,
    h("div", { className: "actions" }, h("button", { type: "submit", className: "secondary" }, "Kiểm tra")));
  submitForm(form, {
    status: result,
    collect: (f) => f.elements.receipt.value,
    send: async (receipt) => {
      const hash = await receiptHash(receipt);
      try {
        return await api("GET", "/api/v1/polls/" + p.id + "/ballots?receipt_hash=" + hash);
      } catch (error) {
        if (error.status === 409) return { notYet: true };
        throw error;
      }
    },
    done: (data) => {
      clear(result);
      if (data.notYet) {
        result.appendChild(message("Cuộc biểu quyết chưa kết thúc: danh sách phiếu sẽ được công bố khi "
          + "cuộc biểu quyết kết thúc" + (p.closes_at ? " (" + formatDateTime(p.closes_at) + ")" : "") + "."));
        return;
      }
      const ballot = (data.items || [])[0];
      if (!ballot) {
        result.appendChild(message("Không tìm thấy phiếu nào có mã này trong danh sách đã công bố. Hãy kiểm tra "
          + "lại mã biên nhận (đủ các chữ và dấu gạch ngang).", "error"));
        return;
      }
      result.appendChild(publishedBallot(p, ballot));
    },
  });
  section.appendChild(form);
  return section;
}

/** The answers recorded on a published ballot, by question. */
function publishedBallot(p, ballot) {
  const byQuestion = new Map((ballot.answers || []).map((a) => [a.question, a]));
  const dl = h("dl", { className: "facts" });
  (p.questions || []).forEach((q, index) => {
    const a = byQuestion.get(q.id);
    const names = new Map((q.options || []).map((o) => [o.id, o.text]));
    const bits = [];
    if (a && a.options && a.options.length) bits.push(a.options.map((id) => names.get(id) || "#" + id).join(", "));
    if (a && a.text) bits.push((q.type === "text" ? "" : "Góp ý: ") + "«" + a.text + "»");
    dl.appendChild(h("div", null, h("dt", null, (index + 1) + ". " + q.text), h("dd", null, bits.length ? bits.join(" · ") : "(bỏ trống)")));
  });
  return h("div", { className: "notice message", role: "status" },
    h("p", null, h("strong", null, "Phiếu của bạn có trong danh sách đã đếm."), " Nội dung đã ghi:"), dl);
}

/* The API decides whether the results can be seen (403 with the rule's wording otherwise):
   the page keeps no copy of the rule. */
function showResults(p, box) {
  return api("GET", "/api/v1/polls/" + p.id + "/results").then((r) => {
    clear(box);
    box.appendChild(h("h3", { id: "results-title" }, "Kết quả"));
    const bits = ["Số phiếu: " + formatNumber(r.turnout)];
    if (r.eligible) bits.push("cử tri: " + formatNumber(r.eligible) + " (" + formatPercent(r.turnout / r.eligible) + ")");
    const quorum = quorumText(r);
    if (quorum) bits.push(quorum);
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
