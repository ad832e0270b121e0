/* Sharing and copying from a page: the phone's share sheet where there is one, else the
   clipboard, else the text shown selected for the person to copy. Each says what happened in
   `status` (a polite live region). */

import { h, clear, message } from "../core/dom.js";

/** Copy `text`; say `done` ("Đã chép liên kết") in `status`, or show it to copy by hand. */
export async function copyText(text, status, done) {
  clear(status);
  try {
    await navigator.clipboard.writeText(text);
    status.appendChild(message(done));
    return true;
  } catch (error) {
    const field = h("input", { type: "text", readonly: true, value: text, "aria-label": "Nội dung để chép",
      className: "copy-field" });
    status.appendChild(h("div", null, h("p", null, "Không chép tự động được: hãy chạm vào ô dưới đây và chép."), field));
    field.focus();
    field.select();
    return false;
  }
}

/**
 * Share {title, text, url} with the phone's share sheet; without one, copy the link (or the
 * text) and say `copied` in `status`.
 */
export async function share(data, status, copied) {
  clear(status);
  if (navigator.share) {
    try {
      await navigator.share(data);
      return true;
    } catch (error) {
      if (error && error.name === "AbortError") return false;  // the person closed the sheet
    }
  }
  return copyText(data.url || data.text, status, copied);
}
