/* Routing of a ward's pages under /w/<ward>: a route table of lazily loaded page modules. */

/**
 * Match `rest` (the path after the base, e.g. "polls/12") against routes [[pattern, load], …]
 * in order; a pattern like "polls/:id" matches when its segments match the path's first ones
 * ("" matches only the empty path). Returns {load, params, pattern} or null. Pure.
 */
export function matchRoute(routes, rest) {
  const parts = String(rest || "").split("/").filter(Boolean).map(safeDecode);
  for (const [pattern, load] of routes) {
    const want = pattern.split("/").filter(Boolean);
    if (!want.length && parts.length) continue;
    if (want.length > parts.length) continue;
    const params = {};
    const ok = want.every((seg, i) => {
      if (seg.startsWith(":")) { params[seg.slice(1)] = parts[i]; return true; }
      return seg === parts[i];
    });
    if (ok) return { load, params, pattern };
  }
  return null;
}

function safeDecode(text) {
  try { return decodeURIComponent(text); } catch (e) { return text; }
}

/**
 * Start routing: render the current address, follow in-app links and Back/Forward.
 * `render(match, rest, moved)` shows a page; `within(url)` tells whether a link stays in the app.
 * Returns {go(path)}.
 */
export function startRouter({ base, routes, render, within }) {
  let moved = false;
  function current() {
    return location.pathname.slice(base.length).replace(/^\/+/, "");
  }
  function route() {
    const rest = current();
    const wasMoved = moved;
    moved = false;
    return render(matchRoute(routes, rest), rest, wasMoved);
  }
  function go(path) {
    history.pushState(null, "", path);
    moved = true;
    return route();
  }
  document.addEventListener("click", (event) => {
    const link = event.target.closest && event.target.closest("a[href]");
    if (!link || link.target || link.hasAttribute("download") || event.ctrlKey || event.metaKey
      || event.shiftKey || event.button !== 0) return;
    const url = new URL(link.href, location.href);
    if (url.origin !== location.origin || !within(url)) return;
    event.preventDefault();
    go(url.pathname + url.search);
  });
  window.addEventListener("popstate", () => { moved = true; route(); });
  route();
  return { go, route };
}
