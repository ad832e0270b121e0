/* A confirmation dialog that says what will happen (a native modal <dialog>: focus is kept
   inside, Esc cancels, focus goes back to where it was). */

import { h } from "../core/dom.js";

let serial = 0;

/**
 * Ask before an action people cannot take back: resolves to true when confirmed.
 * `body`: a sentence or a list of sentences (null entries are left out).
 */
export function confirmDialog({ title, body, confirm, cancel = "Hủy" }) {
  const id = "confirm-" + (++serial);
  const before = document.activeElement;
  const paragraphs = [].concat(body || []).filter(Boolean);
  const yes = h("button", { type: "button", value: "yes" }, confirm);
  const no = h("button", { type: "button", className: "secondary", value: "no" }, cancel);
  const dialog = h("dialog", { className: "staff-dialog", "aria-labelledby": id + "-title", "aria-describedby": id + "-body" },
    h("h2", { id: id + "-title" }, title),
    h("div", { id: id + "-body" }, paragraphs.map((text) => h("p", null, text))),
    h("div", { className: "actions" }, yes, no));
  document.body.appendChild(dialog);
  return new Promise((resolve) => {
    let answer = false;
    yes.addEventListener("click", () => { answer = true; dialog.close(); });
    no.addEventListener("click", () => dialog.close());
    dialog.addEventListener("close", () => {
      dialog.remove();
      if (before && before.isConnected && before.focus) before.focus();
      resolve(answer);
    });
    dialog.showModal();
    no.focus();  // the safe choice first: Enter on a stray key press does not publish
  });
}
