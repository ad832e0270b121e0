/* What the staff console's sections share: the ward, the user, and form-building helpers. */

import { h } from "../core/dom.js";

export const desk = { ward: null, config: null, me: null };

/** A titled <section> appended to <main>. */
export function section(id, title) {
  const s = h("section", { id, "aria-labelledby": id + "-title" }, h("h2", { id: id + "-title" }, title));
  document.getElementById("main").appendChild(s);
  return s;
}

/**
 * A labelled control: [label, control, hint]. attrs.tag picks the element ("textarea");
 * attrs["data-field"] names the API field its errors belong to.
 */
export function field(id, labelText, attrs = {}, hint) {
  const { tag = "input", ...rest } = attrs;
  const hintId = hint ? id + "-hint" : null;
  const control = h(tag, Object.assign({ id, name: id }, rest, hintId ? { "aria-describedby": hintId } : {}));
  return [h("label", { for: id }, labelText), control, hint ? h("p", { className: "hint", id: hintId }, hint) : null];
}

/** A labelled <select> of [[value, text], …]. */
export function select(id, labelText, options, value, attrs = {}) {
  const node = h("select", Object.assign({ id, name: id }, attrs), options.map(([v, text]) =>
    h("option", { value: v, selected: v === value }, text)));
  return [h("label", { for: id }, labelText), node];
}

/** A checkbox with its label. */
export function checkbox(id, labelText, attrs = {}) {
  return h("label", { className: "check", for: id }, h("input", Object.assign({ type: "checkbox", id, name: id }, attrs)), labelText);
}

/* `targets`: the communities a leader runs (leader mode), or null for ward staff. */
export function targetSelect(id, labelText, targets, attrs) {
  return targets ? select(id, labelText, targets.map((c) => [String(c.id), c.name]), String(targets[0].id), attrs) : null;
}

/** A secondary button for an action on a card. */
export function actionButton(text, attrs, onclick) {
  return h("button", Object.assign({ type: "button", className: "secondary", onclick }, attrs || {}), text);
}
