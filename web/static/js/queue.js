/* Entry point of the hall's public display (/w/<ward>/queue): per service, the numbers being
   served at their counters, how many wait and for about how long. It asks the public API every
   10 seconds (no page reload); a failed refresh keeps the last answer on screen with a quiet
   "mất kết nối" note. A newly called number is announced in an aria-live region. */

import { h, clear } from "./core/dom.js";
import { api } from "./core/api.js";
import { callKey, callText, formatTime, newlyCalled, queueWaitText } from "./pages/appointment-model.js";

const REFRESH_MS = 10_000;

const screen = {
  ward: null,
  last: null,
  fresh: new Set(),
};

function render(data) {
  const box = clear(document.getElementById("queue-services"));
  if (!data.services.length) {
    box.appendChild(h("p", { className: "queue-empty" }, "Hôm nay chưa có dịch vụ nào nhận số."));
    return;
  }
  for (const s of data.services) {
    const titleId = "service-" + s.service_id;
    box.appendChild(h("section", { className: "queue-service", "aria-labelledby": titleId },
      h("h2", { id: titleId }, s.name),
      h("h3", null, "Đang phục vụ"),
      s.serving.length
        ? h("ul", { className: "serving" }, s.serving.map((t) => h("li", {
          className: screen.fresh.has(callKey(s, t)) ? "fresh" : null },
        h("span", { className: "number" }, h("span", { className: "visually-hidden" }, "Số "), String(t.number)),
        h("span", { className: "counter" }, "Quầy " + t.counter))))
        : h("p", { className: "queue-empty" }, "Chưa gọi số nào."),
      h("p", { className: "queue-wait" }, queueWaitText(s)),
      (s.next_numbers || []).length
        ? h("p", { className: "queue-next" }, "Số tiếp theo: " + s.next_numbers.join(", ")) : null));
  }
}

function announce(calls) {
  if (!calls.length) return;
  // The region's whole text is read once: the latest calls, in the order they appeared.
  document.getElementById("queue-call").textContent = calls.map(callText).join(". ") + ".";
}

function note(text, offline) {
  const node = document.getElementById("queue-note");
  node.textContent = text;
  node.classList.toggle("offline", !!offline);
}

async function refresh() {
  try {
    const data = await api("GET", "/api/v1/wards/" + encodeURIComponent(screen.ward.code) + "/queue");
    const calls = newlyCalled(screen.last, data);
    screen.fresh = new Set();
    for (const s of data.services) {
      for (const t of s.serving) {
        if (calls.some((c) => c.number === t.number && c.counter === t.counter && c.name === s.name)) {
          screen.fresh.add(callKey(s, t));
        }
      }
    }
    screen.last = data;
    render(data);
    announce(calls);
    note("Cập nhật lúc " + formatTime(data.generated_at || new Date().toISOString()) + ". Tự cập nhật mỗi 10 giây.");
  } catch (error) {
    // Keep the last numbers on screen; say quietly that they may be old.
    note("Mất kết nối, đang thử lại… Số trên màn hình có thể chưa mới.", true);
  }
  setTimeout(refresh, REFRESH_MS);
}

function tickClock() {
  const clock = document.getElementById("queue-clock");
  clock.textContent = formatTime(new Date().toISOString());
  setTimeout(tickClock, 1000 * (60 - new Date().getSeconds()));
}

async function boot() {
  const slug = decodeURIComponent(location.pathname.split("/")[2] || "");
  try {
    screen.ward = await api("GET", "/api/v1/wards/" + encodeURIComponent(slug));
  } catch (error) {
    clear(document.getElementById("queue-services")).appendChild(h("p", null, error.message));
    return;
  }
  const title = "Số thứ tự – " + screen.ward.name;
  document.getElementById("queue-title").textContent = title;
  document.title = title;
  tickClock();
  refresh();
}

boot();
