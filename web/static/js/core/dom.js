/* DOM helpers: build elements from plain data. Text from the API is always inserted as text,
   never as HTML. */

/** Create an element: h("a", { href, className, onclick }, child, [children], "text"). */
export function h(tag, attrs, ...children) {
  const node = document.createElement(tag);
  if (attrs) {
    for (const [key, value] of Object.entries(attrs)) {
      if (value === null || value === undefined || value === false) continue;
      if (key === "text") node.textContent = value;
      else if (key.startsWith("on")) node.addEventListener(key.slice(2), value);
      else if (key === "className") node.className = value;
      else if (value === true) node.setAttribute(key, "");
      else node.setAttribute(key, value);
    }
  }
  for (const child of children) append(node, child);
  return node;
}

/** Append a child, an array of children, text or nothing (null, undefined, false). */
export function append(node, child) {
  if (child === null || child === undefined || child === false) return node;
  if (Array.isArray(child)) child.forEach((c) => append(node, c));
  else node.appendChild(typeof child === "string" || typeof child === "number"
    ? document.createTextNode(String(child)) : child);
  return node;
}

/** Remove every child of a node; return the node. */
export function clear(node) {
  while (node.firstChild) node.removeChild(node.firstChild);
  return node;
}

/** A status line, or an alert when kind is "error". */
export function message(text, kind) {
  return h("p", { className: "notice message" + (kind === "error" ? " error" : ""),
    role: kind === "error" ? "alert" : "status" }, text);
}

/** The `tel:` address of a phone number as people write it ("0912 345 678", "113"). */
export function telHref(phone) {
  return "tel:" + String(phone).replace(/[^0-9+]/g, "");
}

/** A tap-to-call link showing the number as written. */
export function phoneLink(phone, attrs) {
  return h("a", Object.assign({ href: telHref(phone), className: "tel" }, attrs || {}), phone);
}

/* Icons: a few Lucide-like outline glyphs drawn as SVG paths (the config names them). */
const ICON_PATHS = {
  bell: "M6 8a6 6 0 0 1 12 0c0 7 3 9 3 9H3s3-2 3-9M10.3 21a1.94 1.94 0 0 0 3.4 0",
  vote: "M9 12l2 2 4-4M5 7c0-1.1.9-2 2-2h10a2 2 0 0 1 2 2v12H5V7zM22 19H2",
  store: "M3 9l1-5h16l1 5M4 9v11h16V9M3 9h18M9 20v-6h6v6",
  users: "M16 21v-2a4 4 0 0 0-4-4H6a4 4 0 0 0-4 4v2M9 11a4 4 0 1 0 0-8 4 4 0 0 0 0 8zM22 21v-2a4 4 0 0 0-3-3.87M16 3.13a4 4 0 0 1 0 7.75",
  phone: "M22 16.9v3a2 2 0 0 1-2.2 2 19.8 19.8 0 0 1-8.6-3.1 19.5 19.5 0 0 1-6-6A19.8 19.8 0 0 1 2.1 4.2 2 2 0 0 1 4.1 2h3a2 2 0 0 1 2 1.7c.1.9.4 1.8.7 2.7a2 2 0 0 1-.5 2.1L8 9.8a16 16 0 0 0 6 6l1.3-1.3a2 2 0 0 1 2.1-.4c.9.3 1.8.6 2.7.7a2 2 0 0 1 1.7 2z",
  landmark: "M3 22h18M6 18v-7M10 18v-7M14 18v-7M18 18v-7M12 2l8 5H4l8-5z",
  "id-card": "M3 5h18v14H3zM7 10a2 2 0 1 0 4 0 2 2 0 0 0-4 0M6 16c.5-1.5 2-2 3-2s2.5.5 3 2M14 9h4M14 13h4",
  camera: "M14.5 4h-5L7 7H4a2 2 0 0 0-2 2v9a2 2 0 0 0 2 2h16a2 2 0 0 0 2-2V9a2 2 0 0 0-2-2h-3l-2.5-3zM12 17a4 4 0 1 0 0-8 4 4 0 0 0 0 8z",
  house: "M3 10l9-7 9 7v11H3zM9 21v-7h6v7",
  sprout: "M7 20h10M10 20c5.5-2.5.8-6.4 3-10M9.5 9.4c1.1.8 1.8 2.2 2.3 3.7-2 .4-3.5.4-4.8-.3-1.2-.6-2.3-1.9-3-4.2 2.8-.5 4.4 0 5.5.8zM14.1 6a7 7 0 0 0-1.1 4c1.9-.1 3.3-.6 4.3-1.4 1-1 1.6-2.3 1.7-4.6-2.7.1-4 1-4.9 2z",
  home: "M3 10l9-7 9 7v11H3zM9 21v-7h6v7",
  calendar: "M8 2v4M16 2v4M3 10h18M5 4h14a2 2 0 0 1 2 2v14a2 2 0 0 1-2 2H5a2 2 0 0 1-2-2V6a2 2 0 0 1 2-2z",
  "clipboard-list": "M9 2h6v4H9zM16 4h2a2 2 0 0 1 2 2v14a2 2 0 0 1-2 2H6a2 2 0 0 1-2-2V6a2 2 0 0 1 2-2h2M12 11h4M12 16h4M8 11h.01M8 16h.01",
};

/** An SVG icon, hidden from assistive technology (the link beside it carries the name). */
export function icon(name) {
  const ns = "http://www.w3.org/2000/svg";
  const svg = document.createElementNS(ns, "svg");
  const attrs = { viewBox: "0 0 24 24", fill: "none", stroke: "currentColor", "stroke-width": "2",
    "stroke-linecap": "round", "stroke-linejoin": "round", "aria-hidden": "true", focusable: "false" };
  for (const [key, value] of Object.entries(attrs)) svg.setAttribute(key, value);
  const path = document.createElementNS(ns, "path");
  path.setAttribute("d", ICON_PATHS[name] || "M12 3a9 9 0 1 0 0 18 9 9 0 0 0 0-18z");
  svg.appendChild(path);
  return svg;
}
