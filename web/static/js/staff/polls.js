/* Staff: create a poll (opened at once if asked), list, open, close, see results. */

import { h, clear, message } from "../core/dom.js";
import { api } from "../core/api.js";
import { errorBox, runAction, submitForm } from "../core/forms.js";
import { formatDateTime, formatNumber, formatPercent, localToIso } from "../core/format.js";
import { options } from "../core/labels.js";
import { desk, section, field, select, checkbox, targetSelect } from "./common.js";

export default function pollsSection(targets) {
  const { ward } = desk;
  const s = section("polls", "Biểu quyết, lấy ý kiến");
  const status = h("div", { "aria-live": "polite" });
  const form = h("form", null,
    targetSelect("poll-community", "Cộng đồng biểu quyết", targets, { "data-field": "community_id" }),
    field("poll-title", "Tiêu đề", { required: true, maxlength: "200", "data-field": "title" }),
    select("poll-kind", "Hình thức", options("poll_kind", { codes: ["vote", "consultation", "survey", "election"] }), "vote", { "data-field": "kind" }),
    field("poll-description", "Mô tả (không bắt buộc)", { tag: "textarea", maxlength: "5000", "data-field": "description" }),
    field("poll-question", "Câu hỏi", { required: true, maxlength: "500", "data-field": "questions.0.text" }),
    field("poll-options", "Các phương án, mỗi dòng một phương án", { tag: "textarea", required: true, "data-field": "questions.0.options questions.0" }),
    field("poll-max", "Số phương án được chọn tối đa", { type: "number", min: "1", value: "1", inputmode: "numeric", "data-field": "questions.0.max_choices" }),
    select("poll-visibility", "Công bố kết quả", options("results_visibility", { codes: ["after_close", "after_vote", "always"] }), "after_close", { "data-field": "results_visibility" }),
    field("poll-closes", "Kết thúc lúc", { type: "datetime-local", required: true, "data-field": "closes_at" }),
    checkbox("poll-secret", "Bỏ phiếu kín", { "data-field": "secret" }),
    checkbox("poll-open-now", "Mở ngay sau khi tạo", { checked: true }),
    h("div", { className: "actions" }, h("button", { type: "submit" }, "Tạo cuộc biểu quyết")),
    status);
  s.appendChild(form);
  s.appendChild(h("h3", null, targets ? "Các cuộc biểu quyết của cộng đồng" : "Các cuộc biểu quyết của phường, xã"));
  const list = h("ul", { className: "cards", id: "poll-list" });
  s.appendChild(list);

  function fetchPolls() {
    if (!targets) return api("GET", "/api/v1/polls?ward=" + ward.code + "&limit=50").then((data) => data.items);
    return Promise.all(targets.map((c) => api("GET", "/api/v1/polls?community_id=" + c.id + "&limit=50")))
      .then((pages) => pages.flatMap((data) => data.items).sort((a, b) => b.id - a.id));
  }
  function load() {
    return fetchPolls().then((items) => {
      clear(list);
      if (!items.length) list.appendChild(h("li", { className: "meta" }, "Chưa có cuộc biểu quyết nào."));
      for (const p of items) list.appendChild(pollCard(p, load));
    }).catch((error) => clear(list).appendChild(h("li", null, errorBox(error))));
  }
  submitForm(form, {
    status,
    collect: () => {
      const body = {
        ward: ward.code,
        title: form.elements["poll-title"].value.trim(),
        kind: form.elements["poll-kind"].value,
        questions: [{
          text: form.elements["poll-question"].value.trim(),
          options: form.elements["poll-options"].value.split("\n").map((x) => x.trim()).filter(Boolean),
          max_choices: Number(form.elements["poll-max"].value || 1),
        }],
        results_visibility: form.elements["poll-visibility"].value,
        closes_at: localToIso(form.elements["poll-closes"].value),
        secret: form.elements["poll-secret"].checked,
      };
      if (targets) {  /* a community's poll names its community, not the ward */
        delete body.ward;
        body.community_id = Number(form.elements["poll-community"].value);
      }
      const description = form.elements["poll-description"].value.trim();
      if (description) body.description = description;
      return { body, openNow: form.elements["poll-open-now"].checked };
    },
    // A retry after a failed "open" replays the create (same key) and opens the same poll.
    send: async ({ body, openNow }, key) => {
      const p = await api("POST", "/api/v1/polls", body, { idempotencyKey: key });
      return openNow && p.status !== "open" ? api("POST", "/api/v1/polls/" + p.id + "/open") : p;
    },
    done: (p) => {
      form.reset();
      status.appendChild(message("Đã tạo «" + p.title + "» (" + p.status_label + ")."));
      return load();
    },
  });
  return load();
}

function pollCard(p, reload) {
  const box = h("div", { "aria-live": "polite" });
  const actions = h("div", { className: "actions" });
  if (p.status === "draft" || p.status === "scheduled") {
    const open = h("button", { type: "button" }, "Mở ngay");
    open.addEventListener("click", () => runAction(open, () => api("POST", "/api/v1/polls/" + p.id + "/open").then(reload), box));
    actions.appendChild(open);
  }
  if (p.status === "open") {
    const close = h("button", { type: "button" }, "Đóng");
    close.addEventListener("click", () => {
      if (!window.confirm("Đóng cuộc biểu quyết «" + p.title + "» ngay bây giờ?")) return;
      runAction(close, () => api("POST", "/api/v1/polls/" + p.id + "/close", { reason: "Cán bộ đóng trên bàn làm việc" }).then(reload), box);
    });
    actions.appendChild(close);
  }
  actions.appendChild(h("button", { type: "button", className: "secondary", onclick: () => results(p, box) }, "Kết quả"));
  return h("li", { className: "card" },
    h("h3", null, h("a", { href: "/w/" + desk.ward.slug + "/polls/" + p.id }, p.title)),
    h("p", { className: "meta" }, [p.kind_label, p.status_label,
      p.closes_at ? "kết thúc " + formatDateTime(p.closes_at) : null].filter(Boolean).join(" · ")),
    actions, box);
}

function results(p, box) {
  clear(box);
  return api("GET", "/api/v1/polls/" + p.id + "/results").then((r) => {
    let head = "Số phiếu: " + formatNumber(r.turnout);
    if (r.eligible) head += " / " + formatNumber(r.eligible) + " cử tri (" + formatPercent(r.turnout / r.eligible) + ")";
    head += r.quorum_reached ? " · đủ túc số" : " · chưa đủ túc số";
    box.appendChild(h("p", null, head));
    for (const q of r.questions || []) {
      box.appendChild(h("table", null, h("caption", null, q.text),
        h("thead", null, h("tr", null, h("th", { scope: "col" }, "Phương án"), h("th", { scope: "col" }, "Số phiếu"))),
        h("tbody", null, (q.options || []).map((o) => h("tr", null, h("td", null, o.text), h("td", null, formatNumber(o.count)))))));
    }
  }).catch((error) => box.appendChild(errorBox(error)));
}
