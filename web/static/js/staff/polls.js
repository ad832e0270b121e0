/* Staff: create a poll (opened at once if asked), list, open, close, see results. */

import { h, clear, message } from "../core/dom.js";
import { api } from "../core/api.js";
import { errorBox, runAction, submitForm } from "../core/forms.js";
import { formatDateTime, formatNumber, formatPercent, localToIso } from "../core/format.js";
import { options } from "../core/labels.js";
import { desk, section, field, select, checkbox, targetSelect } from "./common.js";

/* Question blocks: each a fieldset whose controls name their API path (questions.N.…), so
   the API's errors land beside them. The blocks are drawn from `questions`, the form's state. */
let serial = 0;

function newQuestion() {
  serial += 1;
  return { uid: serial, text: "", type: "choice", options: ["", ""], min: "1", max: "1" };
}

export default function pollsSection(targets) {
  const { ward } = desk;
  const s = section("polls", "Biểu quyết, lấy ý kiến");
  const status = h("div", { "aria-live": "polite" });
  let questions = [newQuestion()];
  const questionsBox = h("div", { id: "poll-questions", "data-field": "questions" });
  const kindHint = h("p", { className: "hint", id: "poll-questions-hint" });
  const addQuestion = h("button", { type: "button", className: "secondary", "aria-describedby": "poll-questions-hint" }, "Thêm câu hỏi");
  const form = h("form", null,
    targetSelect("poll-community", "Cộng đồng biểu quyết", targets, { "data-field": "community_id" }),
    field("poll-title", "Tiêu đề", { required: true, maxlength: "200", "data-field": "title" }),
    select("poll-kind", "Hình thức", options("poll_kind", { codes: ["vote", "consultation", "survey", "election"] }), "vote", { "data-field": "kind" }),
    field("poll-description", "Mô tả (không bắt buộc)", { tag: "textarea", maxlength: "5000", "data-field": "description" }),
    questionsBox,
    h("div", { className: "actions" }, addQuestion),
    kindHint,
    select("poll-visibility", "Công bố kết quả", options("results_visibility", { codes: ["after_close", "after_vote", "always"] }), "after_close", { "data-field": "results_visibility" }),
    field("poll-quorum", "Túc số (% cử tri phải bỏ phiếu, 0 là không yêu cầu)", { type: "number", min: "0", max: "100", value: "0", inputmode: "numeric", "data-field": "quorum_percent" }),
    field("poll-closes", "Kết thúc lúc", { type: "datetime-local", required: true, "data-field": "closes_at" }),
    checkbox("poll-secret", "Bỏ phiếu kín", { "data-field": "secret" }),
    checkbox("poll-open-now", "Mở ngay sau khi tạo", { checked: true }),
    h("div", { className: "actions" }, h("button", { type: "submit" }, "Tạo cuộc biểu quyết")),
    status);
  s.appendChild(form);
  s.appendChild(h("h3", null, targets ? "Các cuộc biểu quyết của cộng đồng" : "Các cuộc biểu quyết của phường, xã"));
  const list = h("ul", { className: "cards", id: "poll-list" });
  s.appendChild(list);

  const kind = () => form.elements["poll-kind"].value;
  function renderQuestions(focusId) {
    clear(questionsBox);
    questions.forEach((q, index) => questionsBox.appendChild(questionBlock(q, index)));
    const single = kind() === "vote" || kind() === "election";
    kindHint.textContent = single
      ? "Biểu quyết và bầu cử chỉ có một câu hỏi; khảo sát và xin ý kiến có thể có nhiều câu hỏi."
      : kind() === "survey" ? "Khảo sát có thể có nhiều câu hỏi, chọn phương án hoặc trả lời tự do."
        : "Xin ý kiến có thể có nhiều câu hỏi chọn phương án; người trả lời được góp ý thêm.";
    addQuestion.disabled = single && questions.length >= 1;
    if (focusId) {
      const target = document.getElementById(focusId);
      if (target) target.focus();
    }
  }
  function questionBlock(q, index) {
    const id = "poll-q" + q.uid;
    const path = "questions." + index;
    const box = h("fieldset", { className: "question", "data-field": path, id },
      h("legend", null, "Câu hỏi " + (index + 1)));
    const [textLabel, textInput] = field(id + "-text", "Nội dung câu hỏi", { required: true, maxlength: "500", value: q.text, "data-field": path + ".text" });
    textInput.addEventListener("input", () => { q.text = textInput.value; });
    const [typeLabel, typeSelect] = select(id + "-type", "Loại câu hỏi", options("question_type", { codes: ["choice", "text"] }), q.type, { "data-field": path + ".type" });
    typeSelect.addEventListener("change", () => { q.type = typeSelect.value; renderQuestions(id + "-type"); });
    box.append(textLabel, textInput, typeLabel, typeSelect);
    if (q.type === "choice") {
      const opts = h("fieldset", { className: "options", "data-field": path + ".options" }, h("legend", null, "Các phương án"));
      q.options.forEach((text, k) => {
        const [label, input] = field(id + "-o" + k, "Phương án " + (k + 1), { required: true, maxlength: "300", value: text, "data-field": path + ".options." + k });
        input.addEventListener("input", () => { q.options[k] = input.value; });
        const remove = h("button", { type: "button", className: "secondary small", disabled: q.options.length <= 2,
          "aria-label": "Xóa phương án " + (k + 1) + " của câu hỏi " + (index + 1) }, "Xóa");
        remove.addEventListener("click", () => {
          q.options.splice(k, 1);
          renderQuestions(id + "-o" + Math.min(k, q.options.length - 1));
        });
        opts.appendChild(h("div", { className: "option-row" }, h("div", null, label, input), remove));
      });
      opts.appendChild(h("div", { className: "actions compact" }, h("button", { type: "button", className: "secondary", disabled: q.options.length >= 100,
        "aria-label": "Thêm phương án cho câu hỏi " + (index + 1),
        onclick: () => { q.options.push(""); renderQuestions(id + "-o" + (q.options.length - 1)); } }, "Thêm phương án")));
      const [minLabel, minInput] = field(id + "-min", "Chọn ít nhất", { type: "number", min: "0", value: q.min, inputmode: "numeric", "data-field": path + ".min_choices" });
      const [maxLabel, maxInput] = field(id + "-max", "Chọn nhiều nhất", { type: "number", min: "1", value: q.max, inputmode: "numeric", "data-field": path + ".max_choices" });
      minInput.addEventListener("input", () => { q.min = minInput.value; });
      maxInput.addEventListener("input", () => { q.max = maxInput.value; });
      box.append(opts, h("div", { className: "limits" }, h("div", null, minLabel, minInput), h("div", null, maxLabel, maxInput)));
    } else {
      box.appendChild(h("p", { className: "hint" }, "Người trả lời tự viết câu trả lời."));
    }
    if (questions.length > 1) {
      box.appendChild(h("div", { className: "actions compact" }, h("button", { type: "button", className: "secondary",
        onclick: () => {
          questions.splice(index, 1);
          renderQuestions("poll-q" + questions[Math.min(index, questions.length - 1)].uid + "-text");
        } }, "Xóa câu hỏi " + (index + 1))));
    }
    return box;
  }
  addQuestion.addEventListener("click", () => {
    const q = newQuestion();
    questions.push(q);
    renderQuestions("poll-q" + q.uid + "-text");
  });
  form.elements["poll-kind"].addEventListener("change", () => renderQuestions());
  renderQuestions();

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
  /* Checks the API would refuse, said before sending. */
  function validate() {
    const problems = [];
    if ((kind() === "vote" || kind() === "election") && questions.length > 1) {
      problems.push({ field: "questions", message: "Biểu quyết và bầu cử chỉ có một câu hỏi; hãy xóa bớt hoặc chọn hình thức khảo sát." });
    }
    questions.forEach((q, index) => {
      const path = "questions." + index;
      if (q.type === "text") {
        if (kind() !== "survey") problems.push({ field: path + ".type", message: "Chỉ khảo sát mới có câu hỏi trả lời tự do." });
        return;
      }
      const low = Number(q.min || 0);
      const high = Number(q.max || 1);
      const filled = q.options.filter((o) => o.trim()).length;
      if (high < 1 || low > high || high > filled) {
        problems.push({ field: path + ".max_choices", message: "Số chọn nhiều nhất phải từ " + Math.max(low, 1) + " đến " + filled + " (số phương án)." });
      }
    });
    return problems;
  }
  submitForm(form, {
    status,
    validate,
    collect: () => {
      const body = {
        ward: ward.code,
        title: form.elements["poll-title"].value.trim(),
        kind: kind(),
        questions: questions.map((q) => (q.type === "text"
          ? { text: q.text.trim(), type: "text" }
          : { text: q.text.trim(), type: "choice", options: q.options.map((o) => o.trim()),
            min_choices: Number(q.min || 0), max_choices: Number(q.max || 1) })),
        results_visibility: form.elements["poll-visibility"].value,
        quorum_percent: Number(form.elements["poll-quorum"].value || 0),
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
      questions = [newQuestion()];
      renderQuestions();
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
  actions.appendChild(h("a", { className: "button secondary", href: "/api/v1/polls/" + p.id + "/results?format=csv", download: "",
    "aria-label": "Tải kết quả (CSV) của «" + p.title + "»" }, "Tải kết quả (CSV)"));
  return h("li", { className: "card" },
    h("h3", null, h("a", { href: "/w/" + desk.ward.slug + "/polls/" + p.id }, p.title)),
    h("p", { className: "meta" }, [p.kind_label, p.status_label,
      p.closes_at ? "kết thúc " + formatDateTime(p.closes_at) : null].filter(Boolean).join(" · ")),
    actions, box);
}

/* A poll without a quorum (0 %) says so, rather than "đủ túc số" after one ballot. */
function quorumText(r) {
  if (!r.quorum_percent) return "không yêu cầu túc số";
  return (r.quorum_reached ? "đủ túc số " : "chưa đủ túc số ") + "(cần " + formatNumber(r.quorum_percent) + "% cử tri)";
}

function results(p, box) {
  clear(box);
  return api("GET", "/api/v1/polls/" + p.id + "/results").then((r) => {
    let head = "Số phiếu: " + formatNumber(r.turnout);
    if (r.eligible) head += " / " + formatNumber(r.eligible) + " cử tri (" + formatPercent(r.turnout / r.eligible) + ")";
    head += " · " + quorumText(r);
    box.appendChild(h("p", null, head));
    for (const q of r.questions || []) {
      if ((q.options || []).length) {
        box.appendChild(h("table", null, h("caption", null, q.text),
          h("thead", null, h("tr", null, h("th", { scope: "col" }, "Phương án"), h("th", { scope: "col" }, "Số phiếu"))),
          h("tbody", null, q.options.map((o) => h("tr", null, h("td", null, o.text), h("td", null, formatNumber(o.count)))))));
      } else {
        box.appendChild(h("p", null, h("strong", null, q.text)));
      }
      if (q.answers) {
        box.appendChild(q.answers.length
          ? h("ul", { "aria-label": "Câu trả lời: " + q.text }, q.answers.map((a) => h("li", { className: "body-text" }, a)))
          : h("p", { className: "meta" }, "Chưa có câu trả lời."));
      }
    }
  }).catch((error) => box.appendChild(errorBox(error)));
}
