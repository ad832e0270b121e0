/* Forms: one submission at a time, an Idempotency-Key per submission, errors beside the field.

   Every form that sends something uses submitForm(); a button that acts alone uses runAction().
   A control is found for an error by its `data-field` (the API's field path, e.g. "questions.0.text"
   or "answers.0" on a fieldset; several paths separated by spaces), then by its `name`; an error
   on "a.0.b" goes to the control of "a.0.b", else "a.0", else "a". */

import { h, clear } from "./dom.js";
import { newKey } from "./api.js";
import { createKeyKeeper } from "./idempotency.js";
import {
  describe, errorsOf, fieldCandidates, requiredChoiceMessage, requiredMessage,
} from "./errors.js";

let serial = 0;

/**
 * Wire a form: on submit, check required fields (trimmed), then send once.
 *
 *   submitForm(form, {
 *     collect: (form) => body,                 // the JSON to send (read and trim the inputs)
 *     send: (body, key) => promise,            // e.g. api("POST", url, body, { idempotencyKey: key })
 *     done: (result, body) => void|promise,    // after success (reset, reload, go …)
 *     status: element,                         // where the form's own messages go
 *     validate: (form) => [{field, message}],  // optional checks of your own
 *     button: element,                         // optional, default: the form's submit button
 *   })
 *
 * While a request is pending the button is disabled and aria-busy, and further submits are
 * ignored. Returns {submit()} to send from code.
 */
export function submitForm(form, options) {
  const keys = createKeyKeeper(newKey);
  const status = options.status || null;
  const button = options.button || form.querySelector("button[type=submit]");
  let pending = false;
  form.noValidate = true;  // our messages, in Vietnamese and beside the field, not the browser's

  async function submit() {
    if (pending) return undefined;
    clearErrors(form);
    if (status) clear(status);
    const problems = checkRequired(form).concat(options.validate ? options.validate(form) || [] : []);
    if (problems.length) {
      showErrors(form, problems, status, null);
      return undefined;
    }
    const body = options.collect ? options.collect(form) : undefined;
    pending = true;
    setBusy(button, true);
    let result;
    try {
      result = await options.send(body, keys.keyFor(body));
    } catch (error) {
      pending = false;
      setBusy(button, false);
      showErrors(form, errorsOf(error), status, error);
      return undefined;
    }
    keys.succeeded();
    pending = false;
    setBusy(button, false);
    try {
      if (options.done) await options.done(result, body);
    } catch (error) {
      if (status) status.appendChild(errorBox(error));
    }
    return result;
  }

  form.addEventListener("submit", (event) => {
    event.preventDefault();
    submit();
  });
  return { submit };
}

/**
 * Run an action from a button once at a time (a double tap runs it once): the button is disabled
 * and aria-busy while `run()` is pending; a failure goes into `box` (if given) and is rethrown
 * otherwise. For a create, pass a key from createKeyKeeper(newKey) in `run` yourself.
 */
export async function runAction(button, run, box) {
  if (button && button.getAttribute("aria-busy") === "true") return undefined;
  setBusy(button, true);
  try {
    return await run();
  } catch (error) {
    if (box) box.appendChild(errorBox(error));
    else throw error;
    return undefined;
  } finally {
    setBusy(button, false);
  }
}

function setBusy(button, busy) {
  if (!button) return;
  button.disabled = busy;
  if (busy) button.setAttribute("aria-busy", "true");
  else button.removeAttribute("aria-busy");
}

/** The label people read for a control: its <label for>, its wrapping label or its legend. */
export function labelOf(control) {
  let text = "";
  if (control.id) {
    const label = control.ownerDocument.querySelector('label[for="' + cssEscape(control.id) + '"]');
    if (label) text = label.textContent;
  }
  if (!text && control.closest && control.closest("label")) text = control.closest("label").textContent;
  if (!text && control.tagName === "FIELDSET" && control.querySelector("legend")) {
    text = control.querySelector("legend").textContent;
  }
  if (!text) text = control.getAttribute("aria-label") || "";
  return text.replace(/\s+/g, " ").trim();
}

/** Errors for required controls left empty or holding only spaces. */
export function checkRequired(form) {
  const problems = [];
  form.querySelectorAll("[required]").forEach((control) => {
    if (control.disabled || control.type === "checkbox" || control.type === "radio") return;
    const field = control.getAttribute("data-field") || control.name || control.id;
    if (control.tagName === "SELECT") {
      if (!control.value) problems.push({ field, message: requiredChoiceMessage(labelOf(control)) });
    } else if (!control.value.trim()) {
      problems.push({ field, message: requiredMessage(labelOf(control), control.value) });
    }
  });
  return problems;
}

/** Find the control an error's field path belongs to, or null. */
export function findControl(form, path) {
  for (const name of fieldCandidates(path)) {
    const quoted = '"' + cssEscape(name) + '"';
    const found = form.querySelector("[data-field~=" + quoted + "]") || form.querySelector("[name=" + quoted + "]");
    if (found) return found;
  }
  return null;
}

/** Remove the messages showErrors() put in a form. */
export function clearErrors(form) {
  form.querySelectorAll(".field-error").forEach((node) => {
    form.querySelectorAll('[aria-describedby~="' + node.id + '"]').forEach((control) => {
      const rest = control.getAttribute("aria-describedby").split(/\s+/).filter((id) => id && id !== node.id);
      if (rest.length) control.setAttribute("aria-describedby", rest.join(" "));
      else control.removeAttribute("aria-describedby");
    });
    node.remove();
  });
  form.querySelectorAll("[aria-invalid]").forEach((control) => control.removeAttribute("aria-invalid"));
}

/**
 * Show errors [{field, label?, message}] beside their controls, each once; the rest (and a
 * failure without field errors) go in `box`. `error` is the thrown error, if any.
 */
export function showErrors(form, errors, box, error) {
  const unmatched = [];
  const placed = new Map();
  for (const e of errors) {
    const control = findControl(form, e.field);
    if (!control) {
      if (!unmatched.some((u) => describe(u) === describe(e))) unmatched.push(e);
      continue;
    }
    const messages = placed.get(control) || [];
    if (!messages.includes(e.message)) messages.push(e.message);
    placed.set(control, messages);
  }
  for (const [control, messages] of placed) markInvalid(control, messages.join(" "));
  if (box) {
    if (!errors.length && error) box.appendChild(errorBox(error));
    else if (unmatched.length) box.appendChild(errorList(unmatched));
    else if (placed.size) {
      box.appendChild(h("p", { className: "notice message error", role: "alert" },
        placed.size === 1 ? "Chưa gửi được: hãy sửa mục được đánh dấu." : "Chưa gửi được: hãy sửa các mục được đánh dấu."));
    }
  }
  const first = placed.keys().next().value;
  if (first) focusControl(first);
}

function markInvalid(control, text) {
  const id = "err-" + (control.id || "f") + "-" + (++serial);
  const note = h("p", { className: "field-error error-text", id }, text);
  if (control.tagName === "FIELDSET") {
    control.appendChild(note);
  } else {
    control.setAttribute("aria-invalid", "true");
    const anchor = control.closest("label") || control;
    anchor.insertAdjacentElement("afterend", note);
  }
  const described = control.getAttribute("aria-describedby");
  control.setAttribute("aria-describedby", described ? described + " " + id : id);
}

function focusControl(control) {
  const target = control.tagName === "FIELDSET" ? control.querySelector("input, select, textarea, button") : control;
  if (target && target.focus) target.focus();
}

/** An error box for a failure: its message, and any field errors as a list (never raw paths). */
export function errorBox(error) {
  const errors = errorsOf(error);
  if (errors.length) return errorList(errors);
  return h("p", { className: "notice message error", role: "alert" }, (error && error.message) || "Có lỗi xảy ra.");
}

function errorList(errors) {
  if (errors.length === 1) {
    return h("p", { className: "notice message error", role: "alert" }, describe(errors[0]));
  }
  return h("div", { role: "alert", className: "notice message error" },
    h("p", null, "Dữ liệu chưa hợp lệ:"),
    h("ul", null, errors.map((e) => h("li", null, describe(e)))));
}

function cssEscape(text) {
  return globalThis.CSS && CSS.escape ? CSS.escape(text) : String(text).replace(/["\\]/g, "\\$&");
}
