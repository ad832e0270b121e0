/* Phường Xã Số: the ward miniapp on the web (landing page, resident pages, merchant pages).
   Plain JavaScript, no build step. Everything comes from the public API (/api/v1); text coming
   from the API is always inserted as text, never as HTML. */
(function () {
  "use strict";

  var TZ = "Asia/Ho_Chi_Minh";
  var dateFmt = new Intl.DateTimeFormat("vi-VN", {
    timeZone: TZ, day: "2-digit", month: "2-digit", year: "numeric",
  });
  var timeFmt = new Intl.DateTimeFormat("vi-VN", {
    timeZone: TZ, hour: "2-digit", minute: "2-digit", hour12: false,
  });
  var moneyFmt = new Intl.NumberFormat("vi-VN", { style: "currency", currency: "VND" });
  var numberFmt = new Intl.NumberFormat("vi-VN");
  var percentFmt = new Intl.NumberFormat("vi-VN", { style: "percent", maximumFractionDigits: 1 });

  /* ---- Small helpers ------------------------------------------------------------------- */

  function h(tag, attrs) {
    var node = document.createElement(tag);
    if (attrs) {
      Object.keys(attrs).forEach(function (key) {
        var value = attrs[key];
        if (value === null || value === undefined || value === false) return;
        if (key === "text") node.textContent = value;
        else if (key.slice(0, 2) === "on") node.addEventListener(key.slice(2), value);
        else if (key === "className") node.className = value;
        else if (value === true) node.setAttribute(key, "");
        else node.setAttribute(key, value);
      });
    }
    for (var i = 2; i < arguments.length; i++) append(node, arguments[i]);
    return node;
  }

  function append(node, child) {
    if (child === null || child === undefined || child === false) return;
    if (Array.isArray(child)) child.forEach(function (c) { append(node, c); });
    else node.appendChild(typeof child === "string" || typeof child === "number"
      ? document.createTextNode(String(child)) : child);
  }

  function clear(node) { while (node.firstChild) node.removeChild(node.firstChild); return node; }

  function formatDate(iso) {
    if (!iso) return "";
    var d = new Date(iso);
    return dateFmt.format(d);
  }

  function formatDateTime(iso) {
    if (!iso) return "";
    var d = new Date(iso);
    return timeFmt.format(d) + ", " + dateFmt.format(d);
  }

  function formatMoney(amount) { return moneyFmt.format(amount); }

  var csrfToken = null;
  var meCache;

  function api(method, path, body, extraHeaders) {
    var headers = { Accept: "application/json" };
    if (body !== undefined) headers["Content-Type"] = "application/json";
    Object.keys(extraHeaders || {}).forEach(function (k) { headers[k] = extraHeaders[k]; });
    var ready = method === "GET" || csrfToken ? Promise.resolve() : loadMe();
    return ready.then(function () {
      if (method !== "GET" && csrfToken) headers["X-CSRF-Token"] = csrfToken;
      return fetch(path, {
        method: method, headers: headers, credentials: "same-origin",
        body: body === undefined ? undefined : JSON.stringify(body),
      });
    }).then(function (response) {
      if (response.status === 204) return null;
      return response.json().catch(function () { return null; }).then(function (data) {
        if (!response.ok) {
          var message = data && data.error && data.error.message;
          var error = new Error(message || "Có lỗi xảy ra (mã " + response.status + ").");
          error.status = response.status;
          error.data = data;
          throw error;
        }
        return data;
      });
    });
  }

  function loadMe(force) {
    if (meCache && !force) return meCache;
    meCache = fetch("/api/v1/me", { headers: { Accept: "application/json" }, credentials: "same-origin" })
      .then(function (r) { return r.ok ? r.json() : null; })
      .then(function (me) { csrfToken = me ? me.csrf_token : null; return me; })
      .catch(function () { return null; });
    return meCache;
  }

  function newKey() {
    if (window.crypto && crypto.randomUUID) return crypto.randomUUID();
    var bytes = new Uint8Array(16);
    crypto.getRandomValues(bytes);
    return Array.prototype.map.call(bytes, function (b) { return ("0" + b.toString(16)).slice(-2); }).join("");
  }

  function message(text, kind) {
    return h("p", { className: "notice message" + (kind === "error" ? " error" : ""),
      role: kind === "error" ? "alert" : "status" }, text);
  }

  function fieldErrors(error) {
    var details = error && error.data && error.data.error && error.data.error.details;
    var fields = details && (details.fields || details.json || details);
    if (!fields || typeof fields !== "object") return [];
    var out = [];
    (function walk(prefix, value) {
      if (Array.isArray(value) && value.every(function (v) { return typeof v === "string"; })) {
        out.push(prefix + ": " + value.join(" "));
      } else if (value && typeof value === "object") {
        Object.keys(value).forEach(function (k) { walk(prefix ? prefix + "." + k : k, value[k]); });
      } else if (typeof value === "string") out.push(prefix + ": " + value);
    })("", fields);
    return out;
  }

  function errorBox(error) {
    var box = message(error.message || "Có lỗi xảy ra.", "error");
    var lines = fieldErrors(error);
    if (lines.length) {
      return h("div", { role: "alert", className: "notice message error" },
        h("p", { text: error.message }), h("ul", null, lines.map(function (l) { return h("li", { text: l }); })));
    }
    return box;
  }

  /* Contrast: choose black or white text on a colour, and a link colour readable on the
     background (WCAG relative luminance). */
  function luminance(hex) {
    var c = [1, 3, 5].map(function (i) {
      var v = parseInt(hex.slice(i, i + 2), 16) / 255;
      return v <= 0.03928 ? v / 12.92 : Math.pow((v + 0.055) / 1.055, 2.4);
    });
    return 0.2126 * c[0] + 0.7152 * c[1] + 0.0722 * c[2];
  }
  function contrast(a, b) {
    var la = luminance(a), lb = luminance(b);
    return (Math.max(la, lb) + 0.05) / (Math.min(la, lb) + 0.05);
  }
  function applyTheme(theme, root) {
    root = root || document.documentElement;
    var dark = !!(window.matchMedia && matchMedia("(prefers-color-scheme: dark)").matches && theme.dark);
    var colours = (dark ? theme.dark : theme.light) || theme.light;
    if (!colours) return;
    var onPrimary = contrast(colours.primary, "#FFFFFF") >= contrast(colours.primary, "#000000")
      ? "#FFFFFF" : "#000000";
    var link = contrast(colours.primary, colours.background) >= 4.5 ? colours.primary : colours.text;
    root.style.setProperty("--primary", colours.primary);
    root.style.setProperty("--on-primary", onPrimary);
    root.style.setProperty("--bg", colours.background);
    root.style.setProperty("--text", colours.text);
    root.style.setProperty("--link", link);
    if (root === document.documentElement) root.classList.toggle("dark", dark);
  }

  /* Icons: a few Lucide-like outline glyphs drawn as SVG paths (the config names them). */
  var ICON_PATHS = {
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
  };
  function icon(name) {
    var ns = "http://www.w3.org/2000/svg";
    var svg = document.createElementNS(ns, "svg");
    svg.setAttribute("viewBox", "0 0 24 24");
    svg.setAttribute("fill", "none");
    svg.setAttribute("stroke", "currentColor");
    svg.setAttribute("stroke-width", "2");
    svg.setAttribute("stroke-linecap", "round");
    svg.setAttribute("stroke-linejoin", "round");
    svg.setAttribute("aria-hidden", "true");
    svg.setAttribute("focusable", "false");
    var path = document.createElementNS(ns, "path");
    path.setAttribute("d", ICON_PATHS[name] || "M12 3a9 9 0 1 0 0 18 9 9 0 0 0 0-18z");
    svg.appendChild(path);
    return svg;
  }

  /* Large-text mode for elderly residents, remembered on the device. */
  function setupLargeText() {
    var root = document.documentElement;
    var on = false;
    try { on = localStorage.getItem("pxs-large-text") === "1"; } catch (e) { /* private mode */ }
    root.classList.toggle("large-text", on);
    document.querySelectorAll("[data-large-text]").forEach(function (button) {
      button.setAttribute("aria-pressed", String(on));
      button.addEventListener("click", function () {
        on = !root.classList.contains("large-text");
        root.classList.toggle("large-text", on);
        try { localStorage.setItem("pxs-large-text", on ? "1" : "0"); } catch (e) { /* ignore */ }
        document.querySelectorAll("[data-large-text]").forEach(function (b) {
          b.setAttribute("aria-pressed", String(on));
        });
      });
    });
  }

  /* Sign-in state in the header: "Đăng nhập bằng VNeID" or the user's name and "Đăng xuất". */
  function renderAccount(me) {
    var box = document.getElementById("account");
    if (!box) return;
    clear(box);
    if (!me) {
      var next = location.pathname + location.search;
      box.appendChild(h("a", { className: "button", href: "/auth/login?next=" + encodeURIComponent(next) },
        "Đăng nhập bằng VNeID"));
      return;
    }
    var form = h("form", { method: "post", action: "/auth/logout" },
      h("input", { type: "hidden", name: "next", value: location.pathname }),
      h("input", { type: "hidden", name: "csrf_token", value: me.csrf_token }),
      h("button", { type: "submit" }, "Đăng xuất"));
    form.addEventListener("submit", function (event) {
      event.preventDefault();
      api("POST", "/auth/logout").catch(function () { return null; }).then(function () {
        location.assign(location.pathname);
      });
    });
    box.appendChild(h("span", null, h("span", { className: "visually-hidden" }, "Đã đăng nhập: "),
      me.name || "Cư dân", " "));
    box.appendChild(form);
  }

  function signInPrompt(text) {
    var next = location.pathname + location.search;
    return h("div", { className: "card" },
      h("p", null, text || "Hãy đăng nhập bằng VNeID để xem mục này."),
      h("a", { className: "button", href: "/auth/login?next=" + encodeURIComponent(next) }, "Đăng nhập bằng VNeID"));
  }

  /* ---- Landing: the 126 wards ----------------------------------------------------------- */

  function landing() {
    var input = document.getElementById("ward-q");
    var list = document.getElementById("ward-list");
    var count = document.getElementById("ward-count");
    var timer = null;
    var serial = 0;
    function search() {
      var q = input.value.trim();
      var mine = ++serial;
      api("GET", "/api/v1/wards?limit=200" + (q ? "&q=" + encodeURIComponent(q) : ""))
        .then(function (data) {
          if (mine !== serial) return;
          clear(list);
          data.items.forEach(function (ward) {
            list.appendChild(h("li", { className: "card" },
              h("a", { className: "stretch", href: "/w/" + ward.slug },
                h("h3", null, ward.name),
                h("p", { className: "meta" }, (ward.type === "xa" ? "Xã" : "Phường") + " · mã " + ward.code))));
          });
          count.textContent = data.items.length
            ? "Có " + data.items.length + " phường, xã" + (q ? " khớp với «" + q + "»." : ".")
            : "Không tìm thấy phường, xã nào khớp với «" + q + "».";
        })
        .catch(function (error) { clear(list); list.appendChild(h("li", null, errorBox(error))); });
    }
    input.addEventListener("input", function () { clearTimeout(timer); timer = setTimeout(search, 200); });
    document.getElementById("ward-search").addEventListener("submit", function (e) { e.preventDefault(); search(); });
    search();
  }

  /* ---- The ward miniapp ----------------------------------------------------------------- */

  var state = { slug: null, ward: null, config: null, me: null, base: "" };

  function moduleById(id) {
    return (state.config.modules || []).filter(function (m) { return m.id === id; })[0];
  }
  function moduleEnabled(id) { var m = moduleById(id); return !!(m && m.enabled); }
  function moduleTitle(id, fallback) { var m = moduleById(id); return (m && m.title) || fallback; }

  function go(path) {
    history.pushState(null, "", path);
    state.moved = true;
    route();
  }

  function setTitle(text) {
    document.title = text + " – " + state.config.app.title;
  }

  function view(titleText) {
    var main = clear(document.getElementById("main"));
    setTitle(titleText);
    return main;
  }

  function heading(main, text) {
    var h2 = h("h2", { id: "view-title", tabindex: "-1" }, text);
    main.appendChild(h2);
    return h2;
  }

  function renderTabs(current) {
    var nav = clear(document.getElementById("tabbar"));
    var tabs = (state.config.tab_bar || []).map(moduleById).filter(function (m) { return m && m.enabled; });
    tabs.forEach(function (m) {
      var href = m.kind === "link" ? m.settings.url : state.base + "/" + m.id;
      var attrs = { href: href };
      if (m.id === current) attrs["aria-current"] = "page";
      if (m.kind === "link") { attrs.rel = "noopener"; }
      nav.appendChild(h("a", attrs, icon(m.icon), h("span", null, m.title)));
    });
  }

  function ward() {
    var parts = location.pathname.split("/").filter(Boolean);
    state.slug = decodeURIComponent(parts[1] || "");
    state.base = "/w/" + encodeURIComponent(state.slug);
    Promise.all([
      api("GET", "/api/v1/wards/" + encodeURIComponent(state.slug)),
      api("GET", "/api/v1/wards/" + encodeURIComponent(state.slug) + "/miniapp"),
      loadMe(),
    ]).then(function (results) {
      state.ward = results[0];
      state.config = results[1];
      state.me = results[2];
      state.base = "/w/" + state.ward.slug;
      applyTheme(state.config.app.theme);
      document.getElementById("app-title").textContent = state.config.app.title;
      document.getElementById("app-subtitle").textContent = state.config.app.subtitle || "";
      renderAccount(state.me);
      document.addEventListener("click", function (event) {
        var link = event.target.closest && event.target.closest("a[href]");
        if (!link || link.target || link.hasAttribute("download") || event.ctrlKey || event.metaKey
          || event.shiftKey || event.button !== 0) return;
        var url = new URL(link.href, location.href);
        if (url.origin !== location.origin || url.pathname.indexOf(state.base) !== 0
          || url.pathname === state.base + "/staff") return;
        event.preventDefault();
        go(url.pathname + url.search);
      });
      window.addEventListener("popstate", function () { state.moved = true; route(); });
      route();
    }).catch(function (error) {
      clear(document.getElementById("main")).appendChild(errorBox(error));
    });
  }

  function route() {
    var rest = location.pathname.slice(state.base.length).split("/").filter(Boolean);
    var first = rest[0] || "";
    var id = rest[1];
    renderTabs(first === "merchants" ? "market" : first);
    var done;
    if (first === "") done = home();
    else if (first === "notices" && id) done = notice(id);
    else if (first === "notices") done = feed();
    else if (first === "polls" && id) done = poll(id);
    else if (first === "polls") done = polls();
    else if (first === "market" && id === "register") done = registerMerchant();
    else if (first === "market") done = market();
    else if (first === "merchants" && id) done = merchant(id);
    else if (first === "communities") done = communities();
    else if (first === "join" && id) done = joinCommunity(id);
    else if (first === "contacts") done = contacts();
    else done = notFound();
    Promise.resolve(done).then(function () {
      // After an in-app navigation, move the keyboard and screen-reader focus to the new view.
      var title = document.getElementById("view-title");
      if (title && state.moved) title.focus();
      state.moved = false;
    });
  }

  function notFound() {
    var main = view("Không tìm thấy");
    heading(main, "Không tìm thấy trang này");
    main.appendChild(h("p", null, h("a", { href: state.base }, "Về trang chủ của " + state.config.app.title)));
  }

  function disabled(main, title) {
    heading(main, title);
    main.appendChild(message("Mục này chưa được " + state.ward.name + " bật trên miniapp."));
  }

  function home() {
    var main = view("Trang chủ");
    heading(main, "Trang chủ");
    var grid = h("ul", { className: "grid" });
    (state.config.modules || []).filter(function (m) { return m.enabled; }).forEach(function (m) {
      var attrs = { href: m.kind === "link" ? m.settings.url : state.base + "/" + m.id };
      if (m.kind === "link") attrs.rel = "noopener";
      grid.appendChild(h("li", null, h("a", attrs, icon(m.icon), h("span", null, m.title))));
    });
    main.appendChild(grid);
    var follow = h("div", { className: "actions" });
    main.appendChild(follow);
    if (state.me) {
      return api("GET", "/api/v1/wards/" + state.ward.code + "/follow").then(function (data) {
        renderFollow(follow, data.following);
      }).catch(function () { return null; });
    }
    follow.appendChild(signInPrompt("Đăng nhập bằng VNeID để nhận thông báo, tham gia biểu quyết của " + state.ward.name + "."));
    return null;
  }

  function renderFollow(box, following) {
    clear(box);
    if (following) {
      box.appendChild(h("p", { className: "meta" }, "Bạn đang theo dõi " + state.ward.name + "."));
      return;
    }
    box.appendChild(h("button", { type: "button", onclick: function () {
      api("POST", "/api/v1/wards/" + state.ward.code + "/follow").then(function () {
        renderFollow(box, true);
      }).catch(function (error) { box.appendChild(errorBox(error)); });
    } }, "Theo dõi " + state.ward.name));
  }

  /* Notices */

  function noticeBadges(n) {
    return [
      n.pinned ? h("span", { className: "badge" }, "Ghim") : null,
      n.priority === "urgent" ? h("span", { className: "badge urgent" }, "Khẩn") : null,
      !n.read ? h("span", { className: "badge unread" }, "Chưa đọc") : null,
    ];
  }

  function feed() {
    var title = moduleTitle("notices", "Thông báo");
    var main = view(title);
    if (!moduleEnabled("notices")) return disabled(main, title);
    heading(main, title);
    if (!state.me) { main.appendChild(signInPrompt("Đăng nhập bằng VNeID để xem thông báo của " + state.ward.name + ".")); return null; }
    var list = h("ul", { className: "cards" });
    var more = h("div", { className: "actions" });
    main.appendChild(list);
    main.appendChild(more);
    var shown = 0;
    function load(cursor) {
      return api("GET", "/api/v1/me/feed?limit=50" + (cursor ? "&cursor=" + encodeURIComponent(cursor) : ""))
        .then(function (data) {
          var items = data.items.filter(function (n) { return n.ward === state.ward.code; });
          // The API orders pinned, then urgent, then newest; keep that order.
          items.forEach(function (n) {
            shown++;
            list.appendChild(h("li", { className: "card" + (n.read ? "" : " unread-card") },
              h("a", { className: "stretch", href: state.base + "/notices/" + n.id },
                h("h3", null, n.title),
                h("p", { className: "meta" }, noticeBadges(n), n.category.label, " · ",
                  formatDateTime(n.published_at || n.created_at)))));
          });
          if (items.length) {
            // A delivery receipt: the ward sees how many residents the notices reached.
            api("POST", "/api/v1/me/feed/seen", { notice_ids: items.map(function (n) { return n.id; }) })
              .catch(function () { /* a lost receipt only lowers a statistic */ });
          }
          clear(more);
          if (data.next_cursor) {
            more.appendChild(h("button", { type: "button", className: "secondary",
              onclick: function () { load(data.next_cursor); } }, "Xem thêm"));
          } else if (!shown) {
            list.appendChild(h("li", null, message("Chưa có thông báo nào. Hãy theo dõi " + state.ward.name
              + " ở trang chủ hoặc tham gia tổ dân phố để nhận thông báo.")));
          }
        }).catch(function (error) { more.appendChild(errorBox(error)); });
    }
    return load(null);
  }

  function notice(id) {
    var main = view("Thông báo");
    return api("GET", "/api/v1/notices/" + encodeURIComponent(id)).then(function (n) {
      setTitle(n.title);
      main.appendChild(h("p", null, h("a", { href: state.base + "/notices" }, "← Tất cả thông báo")));
      var article = h("article", null);
      main.appendChild(article);
      article.appendChild(h("h2", { id: "view-title", tabindex: "-1" }, n.title));
      var badges = h("p", { className: "meta" }, noticeBadges(n), n.category.label, " · Đăng lúc ",
        formatDateTime(n.published_at || n.created_at), n.author_name ? " · " + n.author_name : "");
      article.appendChild(badges);
      article.appendChild(h("div", { className: "body-text" }, n.body));
      if (n.expires_at) article.appendChild(h("p", { className: "meta" }, "Hết hạn: " + formatDate(n.expires_at)));
      if (state.me && !n.read) {
        return api("POST", "/api/v1/notices/" + n.id + "/read").then(function (updated) {
          clear(badges);
          append(badges, [noticeBadges(updated), updated.category.label, " · Đăng lúc ",
            formatDateTime(updated.published_at || updated.created_at),
            updated.author_name ? " · " + updated.author_name : "",
            " · ", h("span", { className: "badge ok" }, "Đã đọc")]);
        });
      }
      return null;
    }).catch(function (error) {
      heading(main, "Thông báo");
      if (error.status === 401 || (error.status === 404 && !state.me)) main.appendChild(signInPrompt());
      else main.appendChild(errorBox(error));
    });
  }

  /* Polls */

  function pollMeta(p) {
    var bits = [p.kind_label];  // the API names each kind and status (kind_label, status_label)
    if (p.status_label) bits.push(p.status_label);
    if (p.status === "scheduled" && p.opens_at) bits.push("mở lúc " + formatDateTime(p.opens_at));
    if (p.closes_at) bits.push((p.status === "closed" ? "đã đóng lúc " : "đóng lúc ") + formatDateTime(p.closes_at));
    if (p.my && p.my.voted) bits.push("bạn đã bỏ phiếu");
    return bits.join(" · ");
  }

  function polls() {
    var title = moduleTitle("polls", "Biểu quyết");
    var main = view(title);
    if (!moduleEnabled("polls")) return disabled(main, title);
    heading(main, title);
    var list = h("ul", { className: "cards" });
    main.appendChild(list);
    return api("GET", "/api/v1/polls?ward=" + state.ward.code + "&limit=50").then(function (data) {
      // Open polls first, then those about to open, then closed ones (newest first within each).
      var rank = { open: 0, scheduled: 1, closed: 2, draft: 3 };
      var items = (data.items || []).filter(function (p) { return p.status !== "draft"; })
        .sort(function (a, b) { return (rank[a.status] - rank[b.status]) || (b.id - a.id); });
      items.forEach(function (p) {
        list.appendChild(h("li", { className: "card" },
          h("a", { className: "stretch", href: state.base + "/polls/" + p.id },
            h("h3", null, p.title), h("p", { className: "meta" }, pollMeta(p)))));
      });
      if (!items.length) list.appendChild(h("li", null, message("Hiện chưa có cuộc biểu quyết nào đang mở.")));
    }).catch(function (error) {
      list.appendChild(h("li", null, error.status === 401 ? signInPrompt() : errorBox(error)));
    });
  }

  function poll(id) {
    var main = view("Biểu quyết");
    return api("GET", "/api/v1/polls/" + encodeURIComponent(id)).then(function (p) {
      setTitle(p.title);
      main.appendChild(h("p", null, h("a", { href: state.base + "/polls" }, "← Tất cả cuộc biểu quyết")));
      heading(main, p.title);
      main.appendChild(h("p", { className: "meta" }, pollMeta(p)));
      if (p.description) main.appendChild(h("div", { className: "body-text" }, p.description));
      var results = h("section", { "aria-labelledby": "results-title" });
      var area = h("div");
      main.appendChild(area);
      main.appendChild(results);
      if (p.status && p.status !== "open") {
        area.appendChild(message(p.status === "closed" ? "Cuộc biểu quyết đã đóng." : "Cuộc biểu quyết chưa mở."));
      } else if (!state.me) {
        area.appendChild(signInPrompt("Đăng nhập bằng VNeID để bỏ phiếu."));
      } else if (p.my && p.my.voted && !p.allow_change) {
        area.appendChild(receiptBox(null));
      } else if (p.my && !p.my.eligible) {
        area.appendChild(message("Bạn không thuộc danh sách được bỏ phiếu trong cuộc này"
          + (p.min_vneid_level > 1 ? " (cần tài khoản VNeID mức 2)." : ".")));
      } else {
        area.appendChild(ballotForm(p, area, results));
      }
      return showResults(p, results);
    }).catch(function (error) {
      heading(main, "Biểu quyết");
      main.appendChild(error.status === 401 ? signInPrompt() : errorBox(error));
    });
  }

  function ballotForm(p, area, results) {
    var key = newKey();
    var form = h("form", { novalidate: true });
    (p.questions || []).forEach(function (q, index) {
      var name = "q" + q.id;
      if (q.type === "text") {
        form.appendChild(h("label", { for: name }, (index + 1) + ". " + q.text));
        form.appendChild(h("textarea", { id: name, name: name, maxlength: "2000" }));
        return;
      }
      var multiple = (q.max_choices || 1) > 1;
      var fs = h("fieldset", null, h("legend", null, (index + 1) + ". " + q.text));
      if (multiple) fs.appendChild(h("p", { className: "hint" }, "Chọn từ " + (q.min_choices || 1) + " đến " + q.max_choices + " phương án."));
      q.options.forEach(function (o) {
        var optionId = name + "-o" + o.id;
        fs.appendChild(h("div", { className: "check" },
          h("label", { for: optionId },
            h("input", { type: multiple ? "checkbox" : "radio", id: optionId, name: name, value: String(o.id) }),
            o.text)));
      });
      form.appendChild(fs);
    });
    var status = h("div", { "aria-live": "polite" });
    form.appendChild(status);
    form.appendChild(h("div", { className: "actions" }, h("button", { type: "submit" }, "Gửi phiếu")));
    form.addEventListener("submit", function (event) {
      event.preventDefault();
      clear(status);
      var answers = (p.questions || []).map(function (q) {
        var name = "q" + q.id;
        if (q.type === "text") return { question: q.id, text: form.elements[name].value.trim() };
        var chosen = Array.prototype.filter.call(form.querySelectorAll("input[name='" + name + "']"),
          function (i) { return i.checked; }).map(function (i) { return Number(i.value); });
        return { question: q.id, options: chosen };
      });
      var button = form.querySelector("button[type=submit]");
      button.disabled = true;
      api("POST", "/api/v1/polls/" + p.id + "/ballots", { answers: answers }, { "Idempotency-Key": key })
        .then(function (data) {
          clear(area).appendChild(receiptBox(data.receipt));
          area.querySelector("h3").focus();
          return showResults(p, results, true);
        })
        .catch(function (error) { button.disabled = false; status.appendChild(errorBox(error)); });
    });
    return form;
  }

  function receiptBox(receipt) {
    return h("div", { className: "card", role: "status" },
      h("h3", { tabindex: "-1" }, "Phiếu của bạn đã được ghi nhận"),
      receipt ? [h("p", null, "Mã biên nhận (giữ lại để tự kiểm tra phiếu của mình):"),
        h("p", { className: "receipt", id: "receipt" }, receipt)] : h("p", null, "Bạn đã bỏ phiếu trong cuộc này."));
  }

  function showResults(p, box, afterVote) {
    var visible = p.my ? p.my.results_visible || (afterVote && p.results_visibility === "after_vote")
      : p.results_visibility === "always" || (p.results_visibility === "after_close" && p.status === "closed");
    if (!visible) {
      clear(box);
      box.appendChild(h("p", { className: "meta", id: "results-title" }, p.results_visibility === "after_vote"
        ? "Kết quả hiện sau khi bạn bỏ phiếu." : "Kết quả được công bố khi cuộc biểu quyết kết thúc."));
      return null;
    }
    return api("GET", "/api/v1/polls/" + p.id + "/results").then(function (r) {
      clear(box);
      box.appendChild(h("h3", { id: "results-title" }, "Kết quả"));
      var bits = ["Số phiếu: " + numberFmt.format(r.turnout)];
      if (r.eligible) bits.push("cử tri: " + numberFmt.format(r.eligible)
        + " (" + percentFmt.format(r.turnout / r.eligible) + ")");
      if (r.quorum_reached !== undefined && r.quorum_reached !== null) {
        bits.push(r.quorum_reached ? "đã đủ túc số" : "chưa đủ túc số");
      }
      box.appendChild(h("p", { className: "meta" }, bits.join(" · ")));
      var questions = {};
      (p.questions || []).forEach(function (q) { questions[q.id] = q; });
      (r.questions || []).forEach(function (q) {
        var total = (q.options || []).reduce(function (s, o) { return s + o.count; }, 0);
        box.appendChild(h("h4", null, (questions[q.id] && questions[q.id].text) || q.text || ""));
        var list = h("ul", { className: "cards" });
        (q.options || []).forEach(function (o) {
          var share = total ? o.count / total : 0;
          var bar = h("span");
          bar.style.width = (share * 100).toFixed(1) + "%";
          list.appendChild(h("li", null, h("p", null, o.text + ": " + numberFmt.format(o.count) + " phiếu ("
            + percentFmt.format(share) + ")"), h("div", { className: "bar", "aria-hidden": "true" }, bar)));
        });
        box.appendChild(list);
      });
    }).catch(function () {
      clear(box);
      box.appendChild(h("p", { className: "meta", id: "results-title" }, "Kết quả sẽ được công bố theo quy định của cuộc biểu quyết."));
    });
  }

  /* Chợ 4.0 */

  function zones() {
    return api("GET", "/api/v1/wards/" + state.ward.code + "/market-zones?limit=200").then(function (data) {
      var m = moduleById("market");
      var wanted = (m && m.settings && m.settings.zone_ids) || [];
      return wanted.length ? data.items.filter(function (z) { return wanted.indexOf(z.id) >= 0; }) : data.items;
    });
  }

  function market() {
    var title = moduleTitle("market", "Chợ 4.0");
    var main = view(title);
    if (!moduleEnabled("market")) return disabled(main, title);
    heading(main, title);
    var mine = myMerchants(main);
    return Promise.all([zones(), mine]).then(function (results) {
      var items = results[0];
      if (!items.length) { main.appendChild(message("Phường, xã chưa mở phố số hay chợ 4.0 nào.")); return; }
      var params = new URLSearchParams(location.search);
      var zoneSelect = h("select", { id: "zone", name: "zone" }, items.map(function (z) {
        return h("option", { value: String(z.id) }, z.name + (z.kind === "market" ? " (chợ)" : " (phố)"));
      }));
      if (params.get("zone")) zoneSelect.value = params.get("zone");
      var q = h("input", { id: "merchant-q", name: "q", type: "search", autocomplete: "off",
        placeholder: "Ví dụ: ca phe", value: params.get("q") || "" });
      var form = h("form", { role: "search" },
        h("label", { for: "zone" }, "Phố, chợ"), zoneSelect,
        h("label", { for: "merchant-q" }, "Tìm cửa hàng, mặt hàng (có dấu hoặc không dấu)"), q,
        h("div", { className: "actions" }, h("button", { type: "submit" }, "Tìm"),
          h("a", { className: "button secondary", href: state.base + "/market/register" }, "Đăng ký gian hàng")));
      var status = h("p", { className: "meta", role: "status" });
      var list = h("ul", { className: "cards" });
      main.appendChild(form);
      main.appendChild(status);
      main.appendChild(list);
      function search() {
        var url = "/api/v1/market-zones/" + zoneSelect.value + "/merchants?limit=100"
          + (q.value.trim() ? "&q=" + encodeURIComponent(q.value.trim()) : "");
        return api("GET", url).then(function (data) {
          clear(list);
          status.textContent = data.items.length ? "Có " + data.items.length + " cửa hàng." : "Không tìm thấy cửa hàng nào.";
          data.items.forEach(function (m) {
            list.appendChild(h("li", { className: "card" },
              h("a", { className: "stretch", href: state.base + "/merchants/" + m.id },
                h("h3", null, m.name),
                h("p", { className: "meta" }, [m.stall, m.category, m.opening_hours].filter(Boolean).join(" · ")))));
          });
        }).catch(function (error) { clear(list).appendChild(h("li", null, errorBox(error))); });
      }
      form.addEventListener("submit", function (e) {
        e.preventDefault();
        history.replaceState(null, "", state.base + "/market?zone=" + zoneSelect.value
          + (q.value.trim() ? "&q=" + encodeURIComponent(q.value.trim()) : ""));
        search();
      });
      zoneSelect.addEventListener("change", search);
      return search();
    }).catch(function (error) { main.appendChild(errorBox(error)); });
  }

  /* "Cửa hàng của tôi": the signed-in resident's own stalls, in every status (shown if any). */
  function myMerchants(main) {
    if (!state.me) return null;
    var box = h("section", { id: "my-merchants", "aria-labelledby": "my-merchants-title" });
    main.appendChild(box);
    return api("GET", "/api/v1/me/merchants?limit=50").then(function (data) {
      if (!data.items.length) { box.remove(); return; }
      box.appendChild(h("h3", { id: "my-merchants-title" }, "Cửa hàng của tôi"));
      box.appendChild(h("ul", { className: "cards" }, data.items.map(function (m) {
        var here = m.ward.code === state.ward.code;
        return h("li", { className: "card" },
          h("a", { className: "stretch", href: "/w/" + m.ward.slug + "/merchants/" + m.id },
            h("h4", null, m.name),
            h("p", { className: "meta" }, [m.stall, m.zone.name, here ? null : m.ward.name,
              m.status_label].filter(Boolean).join(" · "))));
      })));
    }).catch(function () { box.remove(); });
  }

  function merchant(id) {
    var main = view("Cửa hàng");
    return api("GET", "/api/v1/merchants/" + encodeURIComponent(id)).then(function (m) {
      setTitle(m.name);
      main.appendChild(h("p", null, h("a", { href: state.base + "/market?zone=" + m.zone.id }, "← " + m.zone.name)));
      heading(main, m.name);
      main.appendChild(h("p", { className: "meta" }, [m.stall, m.zone.name, m.category].filter(Boolean).join(" · ")));
      if (m.opening_hours) main.appendChild(h("p", null, "Giờ mở cửa: " + m.opening_hours));
      if (m.status !== "verified") {
        main.appendChild(message("Trạng thái: " + m.status_label
          + (m.status_reason ? " – " + m.status_reason : "")));
      }
      if (m.products && m.products.length) {
        main.appendChild(h("h3", null, "Mặt hàng"));
        main.appendChild(h("ul", { className: "products" }, m.products.map(function (p) {
          return h("li", null, h("span", null, p.name, p.ocop_stars ? " (OCOP " + p.ocop_stars + " sao)" : ""),
            h("strong", null, formatMoney(p.price)));
        })));
      }
      main.appendChild(h("h3", null, "Thanh toán bằng VietQR"));
      var account = h("p", null, m.bank.label + " · " + m.account_number_masked + " · " + m.account_name);
      if (m.status === "verified") {
        main.appendChild(h("img", { className: "qr", src: "/api/v1/merchants/" + m.id + "/payment-qr.png",
          alt: "Mã VietQR để chuyển khoản cho " + m.name + ", tài khoản " + m.bank.label + " " + m.account_number_masked,
          width: "256", height: "256" }));
        main.appendChild(h("p", { className: "hint" }, "Mở ứng dụng ngân hàng, chọn quét mã QR và nhập số tiền."));
      } else {
        main.appendChild(h("p", { className: "hint" }, "Mã thanh toán có sau khi phường xác minh cửa hàng."));
      }
      main.appendChild(account);
      if (m.is_owner) {
        main.appendChild(h("h3", null, "Dành cho chủ cửa hàng"));
        if (m.status === "verified") {
          main.appendChild(h("div", { className: "actions" },
            h("a", { className: "button", id: "poster-a5", href: "/api/v1/merchants/" + m.id + "/poster.pdf?size=A5", download: "ap-phich-" + m.id + ".pdf" }, "Tải áp phích mã QR (A5, PDF)"),
            h("a", { className: "button secondary", href: "/api/v1/merchants/" + m.id + "/poster.pdf?size=A6", download: "ap-phich-a6-" + m.id + ".pdf" }, "Khổ A6")));
        } else {
          main.appendChild(h("p", null, "Áp phích mã QR tải được khi phường đã xác minh cửa hàng."));
        }
        main.appendChild(productForm(m));
      }
    }).catch(function (error) {
      heading(main, "Cửa hàng");
      main.appendChild(errorBox(error));
    });
  }

  function productForm(m) {
    var status = h("div", { "aria-live": "polite" });
    var form = h("form", null,
      h("fieldset", null, h("legend", null, "Thêm mặt hàng"),
        h("label", { for: "product-name" }, "Tên mặt hàng"),
        h("input", { id: "product-name", name: "name", required: true, maxlength: "120" }),
        h("label", { for: "product-price" }, "Giá (đồng)"),
        h("input", { id: "product-price", name: "price", type: "number", min: "0", step: "1", required: true, inputmode: "numeric" }),
        h("div", { className: "actions" }, h("button", { type: "submit" }, "Thêm mặt hàng")), status));
    form.addEventListener("submit", function (event) {
      event.preventDefault();
      api("POST", "/api/v1/merchants/" + m.id + "/products", {
        name: form.elements.name.value.trim(), price: Number(form.elements.price.value),
      }).then(function () { route(); }).catch(function (error) { clear(status).appendChild(errorBox(error)); });
    });
    return form;
  }

  function registerMerchant() {
    var main = view("Đăng ký gian hàng");
    heading(main, "Đăng ký gian hàng");
    if (!state.me) { main.appendChild(signInPrompt("Đăng nhập bằng VNeID để đăng ký gian hàng của bạn.")); return null; }
    return Promise.all([zones(), api("GET", "/api/v1/banks")]).then(function (results) {
      var zoneItems = results[0], banks = results[1].items;
      if (!zoneItems.length) { main.appendChild(message("Phường, xã chưa mở phố số hay chợ 4.0 nào.")); return; }
      function field(id, label, attrs, hint) {
        return [h("label", { for: id }, label), h("input", Object.assign({ id: id, name: id }, attrs || {})),
          hint ? h("p", { className: "hint", id: id + "-hint" }, hint) : null];
      }
      var products = h("div");
      function addProductRow() {
        var n = products.children.length + 1;
        products.appendChild(h("div", { className: "row" },
          h("div", null, h("label", { for: "p-name-" + n }, "Mặt hàng " + n), h("input", { id: "p-name-" + n, "data-product-name": true, maxlength: "120" })),
          h("div", null, h("label", { for: "p-price-" + n }, "Giá (đồng)"), h("input", { id: "p-price-" + n, "data-product-price": true, type: "number", min: "0", step: "1", inputmode: "numeric" })),
          h("span")));
      }
      addProductRow();
      var status = h("div", { "aria-live": "polite" });
      var form = h("form", { novalidate: true },
        h("label", { for: "zone_id" }, "Phố, chợ"),
        h("select", { id: "zone_id", name: "zone_id" }, zoneItems.map(function (z) { return h("option", { value: String(z.id) }, z.name); })),
        field("name", "Tên cửa hàng", { required: true, maxlength: "120", autocomplete: "organization" }),
        field("stall", "Số nhà, ki-ốt", { required: true, maxlength: "120" }, "Ví dụ: Số 12 hoặc Ki-ốt A12"),
        field("category", "Ngành hàng", { maxlength: "80" }),
        field("opening_hours", "Giờ mở cửa", { maxlength: "120" }, "Ví dụ: 6:30–22:00"),
        field("phone", "Số điện thoại (chỉ phường thấy)", { type: "tel", inputmode: "tel", autocomplete: "tel", maxlength: "16" }),
        h("fieldset", null, h("legend", null, "Tài khoản nhận tiền"),
          h("label", { for: "bank_bin" }, "Ngân hàng"),
          h("select", { id: "bank_bin", name: "bank_bin", required: true },
            h("option", { value: "" }, "— Chọn ngân hàng —"),
            banks.map(function (b) { return h("option", { value: b.bin }, b.label + " (" + b.bin + ")"); })),
          field("account_number", "Số tài khoản", { required: true, maxlength: "19", inputmode: "numeric", autocomplete: "off" }),
          field("account_name", "Tên chủ tài khoản", { required: true, maxlength: "70" }, "Viết như trên thẻ, ví dụ NGUYEN VAN A")),
        h("fieldset", null, h("legend", null, "Mặt hàng (không bắt buộc)"), products,
          h("div", { className: "actions" }, h("button", { type: "button", className: "secondary", onclick: addProductRow }, "Thêm dòng"))),
        status,
        h("div", { className: "actions" }, h("button", { type: "submit" }, "Gửi đăng ký")));
      main.appendChild(form);
      form.addEventListener("submit", function (event) {
        event.preventDefault();
        clear(status);
        var v = function (name) { var x = form.elements[name].value.trim(); return x || null; };
        var items = [];
        products.querySelectorAll(".row").forEach(function (row) {
          var name = row.querySelector("[data-product-name]").value.trim();
          var price = row.querySelector("[data-product-price]").value;
          if (name) items.push({ name: name, price: Number(price || 0) });
        });
        var body = { name: v("name"), stall: v("stall"), category: v("category"), opening_hours: v("opening_hours"),
          phone: v("phone"), bank_bin: v("bank_bin"), account_number: v("account_number"),
          account_name: v("account_name"), products: items };
        Object.keys(body).forEach(function (k) { if (body[k] === null && ["category", "opening_hours", "phone"].indexOf(k) >= 0) delete body[k]; });
        api("POST", "/api/v1/market-zones/" + form.elements.zone_id.value + "/merchants", body)
          .then(function (m) { go(state.base + "/merchants/" + m.id); })
          .catch(function (error) { status.appendChild(errorBox(error)); status.querySelector("[role=alert]").focus && status.scrollIntoView(); });
      });
    }).catch(function (error) { main.appendChild(errorBox(error)); });
  }

  /* Communities and contacts */

  function communities() {
    var title = moduleTitle("communities", "Tổ dân phố");
    var main = view(title);
    if (!moduleEnabled("communities")) return disabled(main, title);
    heading(main, title);
    var list = h("ul", { className: "cards" });
    main.appendChild(list);
    return api("GET", "/api/v1/wards/" + state.ward.code + "/communities?limit=200").then(function (data) {
      data.items.forEach(function (c) {
        list.appendChild(h("li", { className: "card" }, h("h3", null, c.name),
          h("p", { className: "meta" }, c.kind_label + " · " + numberFmt.format(c.member_count || 0) + " thành viên"
            + (c.my_status === "active" ? " · Bạn là thành viên" : c.my_status === "pending" ? " · Đang chờ duyệt" : ""))));
      });
      if (!data.items.length) list.appendChild(h("li", null, message("Chưa có cộng đồng nào.")));
      main.appendChild(h("p", { className: "hint" }, "Để tham gia, hãy quét mã QR mời do tổ trưởng, trưởng thôn gửi."));
      var here = data.items.map(function (c) { return c.id; });
      var leads = ((state.me && state.me.roles) || []).some(function (r) {
        return r.role === "community_leader" && here.indexOf(r.community_id) >= 0;
      });
      if (leads) main.appendChild(h("p", null, h("a", { href: state.base + "/staff" }, "Bàn làm việc của người phụ trách cộng đồng")));
    }).catch(function (error) { main.appendChild(errorBox(error)); });
  }

  /* The page an invite QR code opens: /w/<ward>/join/<community id>?code=<invite code>. */
  function joinCommunity(id) {
    var main = view("Tham gia cộng đồng");
    var code = (new URLSearchParams(location.search).get("code") || "").trim();
    return api("GET", "/api/v1/communities/" + encodeURIComponent(id)).then(function (c) {
      if (c.ward !== state.ward.code) throw Object.assign(new Error("Cộng đồng này không thuộc " + state.ward.name + "."), { status: 404 });
      setTitle("Tham gia " + c.name);
      heading(main, "Tham gia " + c.name);
      var leaders = (c.leaders || []).filter(function (l) { return l.name; }).map(function (l) { return l.name; });
      function summary(x) {
        return [x.kind_label, state.ward.name, numberFmt.format(x.member_count || 0) + " thành viên"].join(" · ");
      }
      var meta = h("p", { className: "meta" }, summary(c));
      main.appendChild(meta);
      if (leaders.length) main.appendChild(h("p", null, "Người phụ trách: " + leaders.join(", ")));
      var box = h("div", { "aria-live": "polite" });
      main.appendChild(box);
      if (!state.me) {
        box.appendChild(signInPrompt("Đăng nhập bằng VNeID để tham gia «" + c.name + "». Sau khi đăng nhập, bạn quay lại trang này."));
        return;
      }
      if (c.my_status === "active") { joined(box, c, false); return; }
      if (c.my_status === "pending" && !code) {
        box.appendChild(message("Yêu cầu tham gia của bạn đang chờ người phụ trách duyệt."));
        return;
      }
      box.appendChild(h("p", null, code
        ? "Khi tham gia, bạn nhận thông báo, biểu quyết của cộng đồng và theo dõi " + state.ward.name + "."
        : "Đường dẫn này không có mã mời: yêu cầu của bạn sẽ chờ người phụ trách duyệt."));
      var button = h("button", { type: "button" }, code ? "Tham gia cộng đồng" : "Gửi yêu cầu tham gia");
      button.addEventListener("click", function () {
        button.disabled = true;
        api("POST", "/api/v1/communities/" + c.id + "/join", { invite_code: code || null }).then(function (m) {
          clear(box);
          api("GET", "/api/v1/communities/" + c.id).then(function (x) { meta.textContent = summary(x); })
            .catch(function () { return null; });
          if (m.status === "active") joined(box, c, true);
          else box.appendChild(message("Đã gửi yêu cầu tham gia. Người phụ trách sẽ duyệt."));
        }).catch(function (error) { button.disabled = false; box.appendChild(errorBox(error)); });
      });
      box.appendChild(h("div", { className: "actions" }, button));
    }).catch(function (error) {
      heading(main, "Tham gia cộng đồng");
      main.appendChild(errorBox(error));
    });
  }

  function joined(box, c, justNow) {
    box.appendChild(message(justNow ? "Bạn đã tham gia «" + c.name + "»." : "Bạn đã là thành viên của «" + c.name + "»."));
    box.appendChild(h("div", { className: "actions" },
      h("a", { className: "button", href: state.base + "/notices" }, "Xem thông báo"),
      h("a", { className: "button secondary", href: state.base }, "Về trang chủ")));
  }

  function contacts() {
    var title = moduleTitle("contacts", "Liên hệ");
    var main = view(title);
    heading(main, title);
    var c = state.config.contacts || {};
    var dl = h("dl");
    if (c.hotline) dl.appendChild(h("div", null, h("dt", null, "Đường dây nóng"),
      h("dd", null, h("a", { href: "tel:" + c.hotline.replace(/[^0-9+]/g, "") }, c.hotline))));
    if (c.office_address) dl.appendChild(h("div", null, h("dt", null, "Địa chỉ trụ sở"), h("dd", null, c.office_address)));
    if (c.working_hours) dl.appendChild(h("div", null, h("dt", null, "Giờ làm việc"), h("dd", null, c.working_hours)));
    main.appendChild(dl);
    main.appendChild(h("p", null, h("a", { href: state.base + "/staff" }, "Bàn làm việc của cán bộ phường, xã")));
  }

  /* ---- Boot ------------------------------------------------------------------------------ */

  window.PXS = {
    h: h, append: append, clear: clear, api: api, loadMe: loadMe, message: message, errorBox: errorBox,
    formatDate: formatDate, formatDateTime: formatDateTime, formatMoney: formatMoney, numberFmt: numberFmt,
    percentFmt: percentFmt, applyTheme: applyTheme, renderAccount: renderAccount, signInPrompt: signInPrompt,
    icon: icon, newKey: newKey,
  };

  function boot() {
    setupLargeText();
    var page = document.body.getAttribute("data-page");
    if (page === "landing") landing();
    else if (page === "ward") ward();
  }
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", boot);
  else boot();
})();
