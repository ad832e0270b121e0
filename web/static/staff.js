/* Phường Xã Số: the ward staff console (/w/<ward>/staff). Uses the helpers of app.js (window.PXS).
   Every permission is decided by the API; the page only hides what the caller's roles cannot use. */
(function () {
  "use strict";

  var P = window.PXS;
  var h = P.h, clear = P.clear, api = P.api;
  var ward, config, me;

  var CATEGORY_FALLBACK = [{ code: "thong_tin_co_so", label: "Thông tin cơ sở" }];

  function roleIn(role) {
    return (me.roles || []).some(function (r) {
      return r.role === "city_admin" || (r.role === role && r.ward === ward.code);
    });
  }

  function section(id, title) {
    var s = h("section", { id: id, "aria-labelledby": id + "-title" }, h("h2", { id: id + "-title" }, title));
    document.getElementById("main").appendChild(s);
    return s;
  }

  function field(id, label, attrs, hint) {
    var input = h(attrs && attrs.tag || "input", Object.assign({ id: id, name: id }, attrs || {}, { tag: null }));
    return [h("label", { for: id }, label), input, hint ? h("p", { className: "hint" }, hint) : null];
  }

  function select(id, label, options, value) {
    var node = h("select", { id: id, name: id }, options.map(function (o) {
      return h("option", { value: o[0], selected: o[0] === value }, o[1]);
    }));
    return [h("label", { for: id }, label), node];
  }

  /* Datetime-local inputs are read as Hà Nội time (UTC+7, no daylight saving). */
  function localToIso(value) { return value ? value + ":00+07:00" : null; }

  function percent(share) { return P.percentFmt.format(share || 0); }

  /* ---- Notices ---------------------------------------------------------------------------- */

  /* The API names each status (status_label); a published notice not yet delivered is scheduled. */
  function noticeStatus(n) {
    if (n.status === "published" && !n.delivered_at) return "Hẹn giờ đăng " + P.formatDateTime(n.published_at);
    return n.status_label;
  }

  /* `targets`: the communities a leader runs (leader mode), or null for ward staff. */
  function targetSelect(id, label, targets) {
    return targets ? select(id, label, targets.map(function (c) { return [String(c.id), c.name]; }), String(targets[0].id)) : null;
  }

  function noticesSection(categories, targets) {
    var s = section("notices", "Đăng thông báo");
    var status = h("div", { "aria-live": "polite" });
    var form = h("form", { novalidate: true },
      targetSelect("notice-community", "Gửi tới cộng đồng", targets),
      field("notice-title", "Tiêu đề", { required: true, maxlength: "200" }),
      field("notice-body", "Nội dung", { tag: "textarea", required: true, maxlength: "10000" }),
      select("notice-category", "Lĩnh vực", categories.map(function (c) { return [c.code, c.label]; })),
      select("notice-priority", "Mức độ", [["normal", "Bình thường"], ["urgent", "Khẩn"]], "normal"),
      h("label", { className: "check", for: "notice-pinned" }, h("input", { type: "checkbox", id: "notice-pinned", name: "notice-pinned" }), "Ghim lên đầu"),
      h("label", { className: "check", for: "notice-draft" }, h("input", { type: "checkbox", id: "notice-draft", name: "notice-draft" }), "Chỉ lưu bản nháp"),
      field("notice-expires", "Hết hạn lúc (không bắt buộc)", { type: "datetime-local" }),
      h("div", { className: "actions" }, h("button", { type: "submit" }, "Đăng thông báo")),
      status);
    s.appendChild(form);
    s.appendChild(h("h3", null, targets ? "Thông báo gửi cộng đồng của bạn" : "Thông báo của phường, xã"));
    var filter = h("form", { className: "filter" },
      h("div", null, select("notice-status", "Trạng thái", [["", "Tất cả"], ["published", "Đã đăng"], ["draft", "Bản nháp"], ["withdrawn", "Đã thu hồi"]], "")));
    s.appendChild(filter);
    var list = h("ul", { className: "cards", id: "notice-list" });
    var more = h("div", { className: "actions" });
    s.appendChild(list);
    s.appendChild(more);

    function load(cursor) {
      var wanted = filter.elements["notice-status"].value;
      var url = "/api/v1/wards/" + ward.code + "/notices?limit=20" + (wanted ? "&status=" + wanted : "")
        + (cursor ? "&cursor=" + encodeURIComponent(cursor) : "");
      return api("GET", url).then(function (data) {
        if (!cursor) clear(list);
        clear(more);
        data.items.forEach(function (n) { list.appendChild(noticeCard(n, function () { return load(null); })); });
        if (!cursor && !data.items.length) list.appendChild(h("li", { className: "meta" }, "Chưa có thông báo nào."));
        if (data.next_cursor) {
          more.appendChild(h("button", { type: "button", className: "secondary", onclick: function () { load(data.next_cursor); } }, "Xem thêm thông báo"));
        }
      }).catch(function (error) { clear(list).appendChild(h("li", null, P.errorBox(error))); });
    }
    filter.addEventListener("change", function () { load(null); });
    filter.addEventListener("submit", function (e) { e.preventDefault(); load(null); });
    form.addEventListener("submit", function (e) {
      e.preventDefault();
      clear(status);
      var draft = form.elements["notice-draft"].checked;
      var body = {
        ward: ward.code,
        title: form.elements["notice-title"].value.trim(),
        body: form.elements["notice-body"].value.trim(),
        category: form.elements["notice-category"].value,
        priority: form.elements["notice-priority"].value,
        pinned: form.elements["notice-pinned"].checked,
        status: draft ? "draft" : "published",
      };
      if (targets) body.community_ids = [Number(form.elements["notice-community"].value)];
      var expires = localToIso(form.elements["notice-expires"].value);
      if (expires) body.expires_at = expires;
      api("POST", "/api/v1/notices", body).then(function (n) {
        form.reset();
        status.appendChild(P.message((draft ? "Đã lưu bản nháp «" : "Đã đăng thông báo «") + n.title + "» (số " + n.id + ")."));
        return load(null);
      }).catch(function (error) { status.appendChild(P.errorBox(error)); });
    });
    return load(null);
  }

  function noticeCard(n, reload) {
    var box = h("div", { "aria-live": "polite" });
    var actions = h("div", { className: "actions" });
    function act(path, label, confirmText) {
      return h("button", { type: "button", className: "secondary", "aria-label": label + " «" + n.title + "»", onclick: function () {
        if (confirmText && !window.confirm(confirmText)) return;
        api("POST", "/api/v1/notices/" + n.id + path).then(reload).catch(function (e) { box.appendChild(P.errorBox(e)); });
      } }, label);
    }
    if (n.status === "draft") actions.appendChild(act("/publish", "Đăng ngay"));
    else {
      actions.appendChild(h("button", { type: "button", className: "secondary", "aria-label": "Số liệu tiếp cận «" + n.title + "»",
        onclick: function () { showStats(n.id, box); } }, "Số liệu tiếp cận"));
    }
    if (n.status === "published") actions.appendChild(act("/withdraw", "Thu hồi", "Thu hồi thông báo «" + n.title + "» khỏi mọi bảng tin?"));
    var reach = n.community_ids.length ? "Gửi " + n.community_ids.length + " cộng đồng" : "Toàn phường, xã";
    return h("li", { className: "card" },
      h("h4", null, h("a", { href: "/w/" + ward.slug + "/notices/" + n.id }, n.title)),
      h("p", { className: "meta" }, [
        noticeStatus(n), n.priority === "urgent" ? "Khẩn" : null, n.pinned ? "Ghim" : null, n.category.label, reach,
        "Số " + n.id, P.formatDateTime(n.published_at || n.created_at)].filter(Boolean).join(" · ")),
      actions, box);
  }

  function showStats(id, box) {
    clear(box);
    return api("GET", "/api/v1/notices/" + encodeURIComponent(id) + "/stats").then(function (st) {
      box.appendChild(h("table", null,
        h("caption", { className: "visually-hidden" }, "Số liệu tiếp cận của thông báo số " + id),
        h("tbody", null,
          h("tr", null, h("th", { scope: "row" }, "Người nhận"), h("td", null, P.numberFmt.format(st.audience))),
          h("tr", null, h("th", { scope: "row" }, "Đã hiện trên ứng dụng"), h("td", null, P.numberFmt.format(st.delivered))),
          h("tr", null, h("th", { scope: "row" }, "Đã đọc"), h("td", null, P.numberFmt.format(st.read) + " (" + percent(st.read_share) + ")")))));
    }).catch(function (error) { box.appendChild(P.errorBox(error)); });
  }

  /* ---- Polls ------------------------------------------------------------------------------ */

  function pollsSection(targets) {
    var s = section("polls", "Biểu quyết, lấy ý kiến");
    var status = h("div", { "aria-live": "polite" });
    var form = h("form", { novalidate: true },
      targetSelect("poll-community", "Cộng đồng biểu quyết", targets),
      field("poll-title", "Tiêu đề", { required: true, maxlength: "200" }),
      select("poll-kind", "Hình thức", [["vote", "Biểu quyết"], ["consultation", "Lấy ý kiến"], ["survey", "Khảo sát"], ["election", "Bầu cử"]], "vote"),
      field("poll-description", "Mô tả (không bắt buộc)", { tag: "textarea", maxlength: "5000" }),
      field("poll-question", "Câu hỏi", { required: true, maxlength: "500" }),
      field("poll-options", "Các phương án, mỗi dòng một phương án", { tag: "textarea", required: true }),
      field("poll-max", "Số phương án được chọn tối đa", { type: "number", min: "1", value: "1", inputmode: "numeric" }),
      select("poll-visibility", "Công bố kết quả", [["after_close", "Khi kết thúc"], ["after_vote", "Sau khi cư dân bỏ phiếu"], ["always", "Luôn công khai"]], "after_close"),
      field("poll-closes", "Kết thúc lúc", { type: "datetime-local", required: true }),
      h("label", { className: "check", for: "poll-secret" }, h("input", { type: "checkbox", id: "poll-secret", name: "poll-secret" }), "Bỏ phiếu kín"),
      h("label", { className: "check", for: "poll-open-now" }, h("input", { type: "checkbox", id: "poll-open-now", name: "poll-open-now", checked: true }), "Mở ngay sau khi tạo"),
      h("div", { className: "actions" }, h("button", { type: "submit" }, "Tạo cuộc biểu quyết")),
      status);
    s.appendChild(form);
    s.appendChild(h("h3", null, targets ? "Các cuộc biểu quyết của cộng đồng" : "Các cuộc biểu quyết của phường, xã"));
    var list = h("ul", { className: "cards", id: "poll-list" });
    s.appendChild(list);

    function fetchPolls() {
      if (!targets) return api("GET", "/api/v1/polls?ward=" + ward.code + "&limit=50").then(function (data) { return data.items; });
      return Promise.all(targets.map(function (c) { return api("GET", "/api/v1/polls?community_id=" + c.id + "&limit=50"); }))
        .then(function (pages) {
          var items = [].concat.apply([], pages.map(function (data) { return data.items; }));
          return items.sort(function (a, b) { return b.id - a.id; });
        });
    }
    function load() {
      return fetchPolls().then(function (items) {
        clear(list);
        if (!items.length) list.appendChild(h("li", { className: "meta" }, "Chưa có cuộc biểu quyết nào."));
        items.forEach(function (p) { list.appendChild(pollCard(p, load)); });
      }).catch(function (error) { clear(list).appendChild(h("li", null, P.errorBox(error))); });
    }
    form.addEventListener("submit", function (e) {
      e.preventDefault();
      clear(status);
      var options = form.elements["poll-options"].value.split("\n").map(function (x) { return x.trim(); }).filter(Boolean);
      var body = {
        ward: ward.code,
        title: form.elements["poll-title"].value.trim(),
        kind: form.elements["poll-kind"].value,
        questions: [{ text: form.elements["poll-question"].value.trim(), options: options,
          max_choices: Number(form.elements["poll-max"].value || 1) }],
        results_visibility: form.elements["poll-visibility"].value,
        closes_at: localToIso(form.elements["poll-closes"].value),
        secret: form.elements["poll-secret"].checked,
      };
      if (targets) {  /* a community's poll names its community, not the ward */
        delete body.ward;
        body.community_id = Number(form.elements["poll-community"].value);
      }
      var description = form.elements["poll-description"].value.trim();
      if (description) body.description = description;
      var openNow = form.elements["poll-open-now"].checked;
      api("POST", "/api/v1/polls", body).then(function (p) {
        return openNow ? api("POST", "/api/v1/polls/" + p.id + "/open") : p;
      }).then(function (p) {
        form.reset();
        status.appendChild(P.message("Đã tạo «" + p.title + "» (" + p.status_label + ")."));
        return load();
      }).catch(function (error) { status.appendChild(P.errorBox(error)); });
    });
    return load();
  }

  function pollCard(p, reload) {
    var box = h("div", { "aria-live": "polite" });
    var actions = h("div", { className: "actions" });
    if (p.status === "draft" || p.status === "scheduled") {
      actions.appendChild(h("button", { type: "button", onclick: function () {
        api("POST", "/api/v1/polls/" + p.id + "/open").then(reload).catch(function (e) { box.appendChild(P.errorBox(e)); });
      } }, "Mở ngay"));
    }
    if (p.status === "open") {
      actions.appendChild(h("button", { type: "button", onclick: function () {
        if (!window.confirm("Đóng cuộc biểu quyết «" + p.title + "» ngay bây giờ?")) return;
        api("POST", "/api/v1/polls/" + p.id + "/close", { reason: "Cán bộ đóng trên bàn làm việc" })
          .then(reload).catch(function (e) { box.appendChild(P.errorBox(e)); });
      } }, "Đóng"));
    }
    actions.appendChild(h("button", { type: "button", className: "secondary", onclick: function () { results(p, box); } }, "Kết quả"));
    return h("li", { className: "card" },
      h("h3", null, h("a", { href: "/w/" + ward.slug + "/polls/" + p.id }, p.title)),
      h("p", { className: "meta" }, [p.kind_label, p.status_label,
        p.closes_at ? "kết thúc " + P.formatDateTime(p.closes_at) : null].filter(Boolean).join(" · ")),
      actions, box);
  }

  function results(p, box) {
    clear(box);
    return api("GET", "/api/v1/polls/" + p.id + "/results").then(function (r) {
      var head = "Số phiếu: " + P.numberFmt.format(r.turnout);
      if (r.eligible) head += " / " + P.numberFmt.format(r.eligible) + " cử tri (" + percent(r.turnout / r.eligible) + ")";
      head += r.quorum_reached ? " · đủ túc số" : " · chưa đủ túc số";
      box.appendChild(h("p", null, head));
      (r.questions || []).forEach(function (q) {
        box.appendChild(h("table", null, h("caption", null, q.text),
          h("thead", null, h("tr", null, h("th", { scope: "col" }, "Phương án"), h("th", { scope: "col" }, "Số phiếu"))),
          h("tbody", null, (q.options || []).map(function (o) {
            return h("tr", null, h("td", null, o.text), h("td", null, P.numberFmt.format(o.count)));
          }))));
      });
    }).catch(function (error) { box.appendChild(P.errorBox(error)); });
  }

  /* ---- Communities and members ------------------------------------------------------------ */

  var KINDS = [["to_dan_pho", "Tổ dân phố"], ["thon", "Thôn"], ["chi_bo", "Chi bộ"], ["chi_hoi", "Chi hội"], ["other", "Khác"]];

  function ledCommunitiesSection(targets) {
    var s = section("communities", "Cộng đồng và thành viên");
    s.appendChild(h("h3", null, "Cộng đồng bạn phụ trách"));
    var list = h("ul", { className: "cards", id: "community-list" });
    s.appendChild(list);
    targets.forEach(function (c) { list.appendChild(communityCard(c, false)); });
  }

  function communitiesSection() {
    var s = section("communities", "Cộng đồng và thành viên");
    var status = h("div", { "aria-live": "polite" });
    var form = h("form", { novalidate: true },
      h("fieldset", null, h("legend", null, "Lập cộng đồng mới"),
        field("community-name", "Tên cộng đồng", { required: true, maxlength: "120" }, "Ví dụ: Tổ dân phố số 5"),
        select("community-kind", "Loại cộng đồng", KINDS, "to_dan_pho"),
        h("div", { className: "actions" }, h("button", { type: "submit" }, "Lập cộng đồng")), status));
    s.appendChild(form);
    s.appendChild(h("h3", null, "Các cộng đồng của phường, xã"));
    var list = h("ul", { className: "cards", id: "community-list" });
    var more = h("div", { className: "actions" });
    s.appendChild(list);
    s.appendChild(more);
    function load(cursor) {
      return api("GET", "/api/v1/wards/" + ward.code + "/communities?limit=50" + (cursor ? "&cursor=" + encodeURIComponent(cursor) : ""))
        .then(function (data) {
          if (!cursor) clear(list);
          clear(more);
          data.items.forEach(function (c) { list.appendChild(communityCard(c, true)); });
          if (!cursor && !data.items.length) list.appendChild(h("li", { className: "meta" }, "Phường, xã chưa có cộng đồng nào."));
          if (data.next_cursor) {
            more.appendChild(h("button", { type: "button", className: "secondary", onclick: function () { load(data.next_cursor); } }, "Xem thêm cộng đồng"));
          }
        }).catch(function (error) { clear(list).appendChild(h("li", null, P.errorBox(error))); });
    }
    form.addEventListener("submit", function (e) {
      e.preventDefault();
      clear(status);
      api("POST", "/api/v1/wards/" + ward.code + "/communities", {
        name: form.elements["community-name"].value.trim(), kind: form.elements["community-kind"].value,
      }).then(function (c) {
        form.reset();
        status.appendChild(P.message("Đã lập «" + c.name + "», mã mời " + c.invite_code + "."));
        return load(null);
      }).catch(function (error) { status.appendChild(P.errorBox(error)); });
    });
    return load(null);
  }

  /* `staffView`: ward staff (they also appoint and dismiss leaders); false for a leader. */
  function communityCard(c, staffView) {
    var qrBox = h("div");
    var members = h("div", { "aria-live": "polite" });
    var rotated = h("div", { "aria-live": "polite" });
    var meta = h("p", { className: "meta" }, communityMeta(c));
    var code = c.invite_code ? h("strong", { className: "receipt" }, c.invite_code) : null;
    function changed() {
      return api("GET", "/api/v1/communities/" + c.id).then(function (fresh) { meta.textContent = communityMeta(fresh); })
        .catch(function () { return null; });
    }
    var card = h("li", { className: "card" },
      h("h4", null, c.name),
      meta,
      code ? h("p", null, "Mã mời: ", code) : null,
      h("div", { className: "actions" },
        c.invite_code ? h("button", { type: "button", className: "secondary", "aria-expanded": "false", "aria-label": "Mã QR mời vào " + c.name,
          onclick: function (e) {
            var open = e.currentTarget.getAttribute("aria-expanded") === "true";
            e.currentTarget.setAttribute("aria-expanded", String(!open));
            clear(qrBox);
            if (!open) {
              qrBox.appendChild(h("img", { className: "qr", src: "/api/v1/communities/" + c.id + "/invite-qr.png",
                alt: "Mã QR mời tham gia " + c.name + ": quét để mở trang tham gia", width: "256", height: "256" }));
              if (c.join_url) qrBox.appendChild(h("p", { className: "hint wrap" }, "Mã QR mở trang: ", h("a", { href: c.join_url }, c.join_url)));
            }
          } }, "Mã QR mời") : null,
        code ? h("button", { type: "button", className: "secondary", "aria-label": "Đổi mã mời của " + c.name,
          onclick: function () {
            if (!window.confirm("Đổi mã mời của «" + c.name + "»? Mã cũ và mã QR cũ sẽ không dùng được nữa.")) return;
            clear(rotated);
            api("POST", "/api/v1/communities/" + c.id + "/invite-code").then(function (fresh) {
              c.invite_code = fresh.invite_code;
              c.join_url = fresh.join_url;
              code.textContent = fresh.invite_code;
              clear(qrBox);
              rotated.appendChild(P.message("Đã đổi mã mời của «" + c.name + "»: " + fresh.invite_code + "."));
            }).catch(function (e) { rotated.appendChild(P.errorBox(e)); });
          } }, "Đổi mã mời") : null,
        h("button", { type: "button", className: "secondary", "aria-label": "Thành viên của " + c.name,
          onclick: function () { loadMembers(c, members, null, changed, staffView); } }, "Thành viên")),
      rotated, qrBox, members);
    return card;
  }

  function capital(text) { return text.charAt(0).toUpperCase() + text.slice(1); }

  function communityMeta(c) {
    var title = c.leader_label;  /* what the leader of this kind is called, from the API */
    var leaders = (c.leaders || []).map(function (l) { return (l.name || "Tài khoản đã xoá") + (l.title === "deputy" ? " (phó)" : ""); });
    return [c.kind_label, P.numberFmt.format(c.member_count || 0) + " thành viên",
      leaders.length ? capital(title) + ": " + leaders.join(", ") : "Chưa có " + title].join(" · ");
  }

  function loadMembers(c, box, cursor, changed, staffView) {
    var title = c.leader_label;  /* what the leader of this kind is called, from the API */
    return api("GET", "/api/v1/communities/" + c.id + "/members?limit=50" + (cursor ? "&cursor=" + encodeURIComponent(cursor) : ""))
      .then(function (data) {
        var list;
        if (!cursor) {
          clear(box);
          box.appendChild(h("h5", null, "Thành viên của " + c.name));
          list = h("ul", { className: "cards members" });
          box.appendChild(list);
        } else {
          list = box.querySelector("ul.members");
          var old = box.querySelector(".more-members");
          if (old) old.remove();
        }
        var status = h("div", { "aria-live": "polite" });
        function reload() { changed(); return loadMembers(c, box, null, changed, staffView); }
        function act(method, path, body, confirmText) {
          return function () {
            if (confirmText && !window.confirm(confirmText)) return;
            api(method, path, body).then(reload).catch(function (e) { status.appendChild(P.errorBox(e)); });
          };
        }
        if (!cursor && !data.items.length) list.appendChild(h("li", { className: "meta" }, "Chưa có thành viên nào."));
        data.items.forEach(function (m) {
          var who = m.name || "Người dùng số " + m.user_id;
          var actions = h("div", { className: "actions" });
          var base = "/api/v1/communities/" + c.id;
          if (m.status === "pending") {
            actions.appendChild(h("button", { type: "button", "aria-label": "Duyệt: " + who,
              onclick: act("POST", base + "/members/" + m.user_id + "/approve") }, "Duyệt"));
          } else if (m.household && !m.household_confirmed) {
            actions.appendChild(h("button", { type: "button", "aria-label": "Xác nhận hộ " + m.household + " của " + who,
              onclick: act("POST", base + "/members/" + m.user_id + "/confirm-household") }, "Xác nhận hộ"));
          }
          if (m.status !== "pending" && staffView) {
            actions.appendChild(m.role === "member"
              ? h("button", { type: "button", className: "secondary", "aria-label": "Giao làm " + title + ": " + who,
                onclick: act("POST", base + "/leaders", { user_id: m.user_id }) }, "Giao làm " + title)
              : h("button", { type: "button", className: "secondary", "aria-label": "Thôi làm " + title + ": " + who,
                onclick: act("DELETE", base + "/leaders/" + m.user_id) }, "Thôi làm " + title));
          }
          if (staffView || m.role === "member") {  /* only the ward's staff remove a leader */
            actions.appendChild(h("button", { type: "button", className: "secondary", "aria-label": (m.status === "pending" ? "Từ chối: " : "Xoá khỏi cộng đồng: ") + who,
              onclick: act("DELETE", base + "/members/" + m.user_id, undefined, "Xoá " + who + " khỏi «" + c.name + "»?") },
            m.status === "pending" ? "Từ chối" : "Xoá khỏi cộng đồng"));
          }
          list.appendChild(h("li", { className: "card" },
            h("p", null, h("strong", null, who)),
            h("p", { className: "meta" }, [m.role === "member" ? "Thành viên" : m.role === "deputy" ? "Phó " + title : capital(title),
              m.status === "pending" ? "Chờ duyệt" : null,
              m.household ? "Hộ " + m.household + (m.household_confirmed ? " (đã xác nhận)" : " (chưa xác nhận)") : null,
              m.joined_at ? "tham gia " + P.formatDate(m.joined_at) : null].filter(Boolean).join(" · ")),
            actions));
        });
        box.appendChild(status);
        if (data.next_cursor) {
          box.appendChild(h("div", { className: "actions more-members" }, h("button", { type: "button", className: "secondary",
            onclick: function () { loadMembers(c, box, data.next_cursor, changed, staffView); } }, "Xem thêm thành viên")));
        }
      }).catch(function (error) { clear(box).appendChild(P.errorBox(error)); });
  }

  /* ---- Chợ 4.0 ---------------------------------------------------------------------------- */

  function marketSection() {
    var s = section("market", "Chợ 4.0 – xác minh cửa hàng");
    var status = h("div", { "aria-live": "polite" });
    var form = h("form", { novalidate: true },
      h("fieldset", null, h("legend", null, "Mở phố số hoặc chợ 4.0"),
        field("zone-name", "Tên phố, chợ", { required: true, maxlength: "200" }),
        select("zone-kind", "Loại", [["street", "Phố số"], ["market", "Chợ 4.0"]], "street"),
        field("zone-location", "Vị trí (không bắt buộc)", { maxlength: "300" }),
        h("div", { className: "actions" }, h("button", { type: "submit" }, "Mở")), status));
    s.appendChild(form);
    var zonesBox = h("div");
    s.appendChild(zonesBox);
    function load() {
      return api("GET", "/api/v1/wards/" + ward.code + "/market-zones?limit=200").then(function (data) {
        clear(zonesBox);
        if (!data.items.length) zonesBox.appendChild(P.message("Phường, xã chưa mở phố số hay chợ 4.0 nào."));
        data.items.forEach(function (z) { zonesBox.appendChild(zoneBlock(z)); });
      }).catch(function (error) { clear(zonesBox).appendChild(P.errorBox(error)); });
    }
    form.addEventListener("submit", function (e) {
      e.preventDefault();
      clear(status);
      var body = { name: form.elements["zone-name"].value.trim(), kind: form.elements["zone-kind"].value };
      var location = form.elements["zone-location"].value.trim();
      if (location) body.location = location;
      api("POST", "/api/v1/wards/" + ward.code + "/market-zones", body).then(function (z) {
        form.reset();
        status.appendChild(P.message("Đã mở «" + z.name + "»."));
        return load();
      }).catch(function (error) { status.appendChild(P.errorBox(error)); });
    });
    return load();
  }

  function zoneBlock(z) {
    var block = h("div", { className: "card" }, h("h3", null, z.name + (z.kind === "market" ? " (chợ)" : " (phố)")));
    var report = h("p", { className: "meta" });
    var list = h("ul", { className: "cards" });
    block.appendChild(report);
    block.appendChild(h("h4", null, "Cửa hàng chờ xác minh"));
    block.appendChild(list);
    function load() {
      api("GET", "/api/v1/market-zones/" + z.id + "/report").then(function (r) {
        report.textContent = r.merchants_total + " cửa hàng · " + r.verified + " đã xác minh · "
          + r.with_payment_qr + " có mã VietQR · " + r.with_ocop + " có sản phẩm OCOP";
      }).catch(function () { report.textContent = ""; });
      return api("GET", "/api/v1/market-zones/" + z.id + "/merchants?status=pending&limit=200").then(function (data) {
        clear(list);
        if (!data.items.length) list.appendChild(h("li", { className: "meta" }, "Không có cửa hàng nào chờ xác minh."));
        data.items.forEach(function (m) {
          var box = h("div", { "aria-live": "polite" });
          list.appendChild(h("li", { className: "card" },
            h("h5", null, h("a", { href: "/w/" + ward.slug + "/merchants/" + m.id }, m.name)),
            h("p", { className: "meta" }, [m.stall, m.category, m.bank.label + " " + (m.account_number || m.account_number_masked),
              m.account_name, m.status_label].filter(Boolean).join(" · ")),
            h("div", { className: "actions" },
              h("button", { type: "button", "aria-label": "Xác minh " + m.name, onclick: function () {
                api("POST", "/api/v1/merchants/" + m.id + "/verify").then(load)
                  .catch(function (e) { box.appendChild(P.errorBox(e)); });
              } }, "Xác minh")),
            box));
        });
      }).catch(function (error) { clear(list).appendChild(h("li", null, P.errorBox(error))); });
    }
    load();
    return block;
  }

  /* ---- Miniapp config --------------------------------------------------------------------- */

  function configSection() {
    var s = section("config", "Cấu hình miniapp");
    var status = h("div", { "aria-live": "polite" });
    var area = h("textarea", { id: "config-json", className: "code", spellcheck: "false", "aria-describedby": "config-hint" });
    var preview = h("div", { id: "config-preview", "aria-live": "polite" });
    var summary = h("input", { id: "config-summary", maxlength: "500" });
    s.appendChild(h("label", { for: "config-json" }, "Tài liệu cấu hình (JSON)"));
    s.appendChild(h("p", { className: "hint", id: "config-hint" },
      "Sửa tiêu đề, màu, các module và thanh tab; bấm «Xem trước», lưu nháp rồi xuất bản. Cư dân chỉ thấy bản đã xuất bản."));
    s.appendChild(area);
    s.appendChild(h("label", { for: "config-summary" }, "Tóm tắt thay đổi (không bắt buộc)"));
    s.appendChild(summary);
    var draftNote = h("p", { className: "meta" });
    s.appendChild(draftNote);
    s.appendChild(h("div", { className: "actions" },
      h("button", { type: "button", className: "secondary", onclick: showPreview }, "Xem trước"),
      h("button", { type: "button", className: "secondary", onclick: saveDraft }, "Lưu nháp"),
      h("button", { type: "button", onclick: publish }, "Xuất bản")));
    s.appendChild(status);
    s.appendChild(h("h3", null, "Xem trước"));
    s.appendChild(preview);
    s.appendChild(h("h3", null, "Lịch sử phiên bản"));
    var versions = h("ul", { className: "cards", id: "config-versions" });
    s.appendChild(versions);

    function parsed() {
      try { return JSON.parse(area.value); } catch (e) {
        clear(status).appendChild(P.message("JSON không hợp lệ: " + e.message, "error"));
        return null;
      }
    }
    function showPreview() {
      var doc = parsed();
      if (!doc) return;
      clear(status);
      clear(preview).appendChild(renderPreview(doc));
    }
    function saveDraft() {
      var doc = parsed();
      if (!doc) return Promise.resolve(null);
      clear(status);
      return api("PUT", "/api/v1/wards/" + ward.code + "/miniapp/draft", doc).then(function (saved) {
        area.value = JSON.stringify(saved, null, 2);
        draftNote.textContent = "Có bản nháp chưa xuất bản.";
        status.appendChild(P.message("Đã lưu nháp."));
        return saved;
      }).catch(function (error) { status.appendChild(P.errorBox(error)); return null; });
    }
    function publish() {
      saveDraft().then(function (saved) {
        if (!saved) return null;
        var body = summary.value.trim() ? { summary: summary.value.trim() } : undefined;
        return api("POST", "/api/v1/wards/" + ward.code + "/miniapp/publish", body).then(function (v) {
          clear(status).appendChild(P.message("Đã xuất bản phiên bản " + v.version + ": " + v.summary));
          summary.value = "";
          draftNote.textContent = "";
          return loadVersions();
        });
      }).catch(function (error) { status.appendChild(P.errorBox(error)); });
    }
    function loadVersions() {
      return api("GET", "/api/v1/wards/" + ward.code + "/miniapp/versions?limit=50").then(function (data) {
        clear(versions);
        data.items.forEach(function (v, index) {
          var row = h("li", { className: "card" },
            h("h4", null, "Phiên bản " + v.version + (index === 0 ? " (đang dùng)" : "")),
            h("p", { className: "meta" }, P.formatDateTime(v.published_at) + " · " + (v.author || "Hệ thống")),
            h("p", null, v.summary));
          if (index > 0) {
            row.appendChild(h("button", { type: "button", className: "secondary", "aria-label": "Khôi phục phiên bản " + v.version,
              onclick: function () {
                api("POST", "/api/v1/wards/" + ward.code + "/miniapp/versions/" + v.version + "/restore")
                  .then(function (nv) {
                    clear(status).appendChild(P.message("Đã khôi phục phiên bản " + v.version + " thành phiên bản " + nv.version + "."));
                    return loadDraft().then(loadVersions);
                  }).catch(function (error) { status.appendChild(P.errorBox(error)); });
              } }, "Khôi phục"));
          }
          versions.appendChild(row);
        });
      }).catch(function (error) { clear(versions).appendChild(h("li", null, P.errorBox(error))); });
    }
    function loadDraft() {
      return fetch("/api/v1/wards/" + ward.code + "/miniapp/draft", { credentials: "same-origin", headers: { Accept: "application/json" } })
        .then(function (r) {
          if (!r.ok) throw new Error("Không tải được bản nháp (mã " + r.status + ").");
          draftNote.textContent = r.headers.get("X-Miniapp-Draft") === "true" ? "Có bản nháp chưa xuất bản." : "";
          return r.json();
        }).then(function (doc) {
          area.value = JSON.stringify(doc, null, 2);
          clear(preview).appendChild(renderPreview(doc));
        }).catch(function (error) { status.appendChild(P.errorBox(error)); });
    }
    return loadDraft().then(loadVersions);
  }

  /* A phone-sized sketch of the miniapp a resident would see with this document. */
  function renderPreview(doc) {
    var app = doc.app || {};
    var box = h("div", { className: "preview" });
    if (app.theme && app.theme.light) P.applyTheme({ light: app.theme.light }, box);
    var modules = (doc.modules || []).filter(function (m) { return m.enabled; });
    var byId = {};
    (doc.modules || []).forEach(function (m) { byId[m.id] = m; });
    box.appendChild(h("div", { className: "top" }, h("div", { className: "brand" },
      h("p", null, h("strong", null, app.title || "(chưa có tiêu đề)")), h("p", null, app.subtitle || ""))));
    box.appendChild(h("ol", { "aria-label": "Các module đang bật" }, modules.map(function (m) {
      return h("li", null, m.title + (m.kind === "link" ? " (liên kết)" : ""));
    })));
    box.appendChild(h("div", { className: "tabs", "aria-label": "Thanh tab" }, (doc.tab_bar || []).map(function (id) {
      return h("span", null, P.icon(byId[id] && byId[id].icon), h("br"), (byId[id] && byId[id].title) || id);
    })));
    return box;
  }

  /* ---- Boot ------------------------------------------------------------------------------- */

  function boot() {
    var slug = decodeURIComponent(location.pathname.split("/")[2] || "");
    var main = document.getElementById("main");
    Promise.all([
      api("GET", "/api/v1/wards/" + encodeURIComponent(slug)),
      api("GET", "/api/v1/wards/" + encodeURIComponent(slug) + "/miniapp"),
      P.loadMe(),
    ]).then(function (results) {
      ward = results[0]; config = results[1]; me = results[2];
      P.applyTheme(config.app.theme);
      document.title = "Bàn làm việc cán bộ – " + config.app.title;
      document.getElementById("app-subtitle").textContent = config.app.title;
      P.renderAccount(me);
      clear(main);
      main.appendChild(h("p", null, h("a", { href: "/w/" + ward.slug }, "← Về miniapp của " + ward.name)));
      if (!me) { main.appendChild(P.signInPrompt("Đăng nhập bằng VNeID bằng tài khoản cán bộ để làm việc.")); return null; }
      var admin = roleIn("ward_admin");
      var staff = admin || roleIn("ward_editor");
      if (!staff) return leaderDesk(main);
      var links = [["#notices", "Thông báo"], ["#communities", "Cộng đồng"], ["#polls", "Biểu quyết"], ["#market", "Chợ 4.0"]];
      if (admin) links.push(["#config", "Cấu hình miniapp"]);
      main.appendChild(h("nav", { className: "staff-nav", "aria-label": "Các phần của bàn làm việc" },
        links.map(function (l) { return h("a", { className: "button secondary", href: l[0] }, l[1]); })));
      return api("GET", "/api/v1/notice-categories").then(function (c) { return c.items; })
        .catch(function () { return CATEGORY_FALLBACK; })
        .then(function (categories) {
          noticesSection(categories, null);
          return Promise.all([communitiesSection(), pollsSection(null), marketSection(), admin ? configSection() : null]);
        });
    }).catch(function (error) { clear(main).appendChild(P.errorBox(error)); });
  }

  /* Leaders (tổ trưởng, trưởng thôn …) run their own communities here: members, households,
     invite codes, notices to their community and its polls. */
  function leaderDesk(main) {
    var led = (me.roles || []).filter(function (r) { return r.role === "community_leader" && r.community_id; });
    return Promise.all(led.map(function (r) {
      return api("GET", "/api/v1/communities/" + r.community_id).catch(function () { return null; });
    })).then(function (found) {
      var mine = found.filter(function (c) { return c && c.ward === ward.code; });
      if (!mine.length) {
        main.appendChild(P.message("Tài khoản của bạn không phải cán bộ của " + ward.name + ".", "error"));
        return null;
      }
      document.title = "Bàn làm việc người phụ trách cộng đồng – " + config.app.title;
      document.getElementById("app-title").textContent = "Bàn làm việc người phụ trách cộng đồng";
      main.appendChild(h("p", null, "Bạn phụ trách: " + mine.map(function (c) { return c.name; }).join(", ") + "."));
      main.appendChild(h("nav", { className: "staff-nav", "aria-label": "Các phần của bàn làm việc" },
        [["#notices", "Thông báo"], ["#communities", "Cộng đồng"], ["#polls", "Biểu quyết"]].map(function (l) {
          return h("a", { className: "button secondary", href: l[0] }, l[1]);
        })));
      return api("GET", "/api/v1/notice-categories").then(function (c) { return c.items; })
        .catch(function () { return CATEGORY_FALLBACK; })
        .then(function (categories) {
          noticesSection(categories, mine);
          ledCommunitiesSection(mine);
          return pollsSection(mine);
        });
    });
  }

  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", boot);
  else boot();
})();
