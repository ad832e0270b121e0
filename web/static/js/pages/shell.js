/* What every ward page shares: the ward, its published config, the signed-in user, and the
   helpers that open a view in <main>. ward.js fills `state` before any page runs. */

import { h, clear, message } from "../core/dom.js";

export const state = { slug: null, ward: null, config: null, me: null, base: "", navigate: null };

/** Go to an address of the app (history entry, no reload). */
export function go(path) {
  return state.navigate(path);
}

/** Render the current address again. */
export function reload() {
  return state.reroute();
}

/** The config's module `id`, or undefined. */
export function moduleById(id) {
  return (state.config.modules || []).find((m) => m.id === id);
}

/** Whether the ward turned module `id` on. */
export function moduleEnabled(id) {
  const m = moduleById(id);
  return !!(m && m.enabled);
}

/** The title the ward gave module `id`, or `fallback`. */
export function moduleTitle(id, fallback) {
  const m = moduleById(id);
  return (m && m.title) || fallback;
}

/** The address of a module: its page in the app, or its link. */
export function moduleHref(m) {
  return m.kind === "link" ? m.settings.url : state.base + "/" + m.id;
}

/** Set the document title: "<page> – <miniapp title>". */
export function setTitle(text) {
  document.title = text + " – " + state.config.app.title;
}

/** Empty <main> for a new view titled `titleText`; return it. */
export function view(titleText) {
  const main = clear(document.getElementById("main"));
  setTitle(titleText);
  return main;
}

/** The view's heading (focused after an in-app navigation). */
export function heading(main, text) {
  const h2 = h("h2", { id: "view-title", tabindex: "-1" }, text);
  main.appendChild(h2);
  return h2;
}

/** The view of a module the ward has not turned on. */
export function disabled(main, title) {
  heading(main, title);
  main.appendChild(message("Mục này chưa được " + state.ward.name + " bật trên miniapp."));
}
