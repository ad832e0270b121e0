/* Liên hệ: the ward's hotline, office and hours, and the emergency numbers, all tap-to-call. */

import { h, phoneLink } from "../core/dom.js";
import { state, view, heading, moduleById, moduleTitle } from "./shell.js";

export default function contacts() {
  const title = moduleTitle("contacts", "Liên hệ");
  const main = view(title);
  heading(main, title);
  const c = state.config.contacts || {};
  const dl = h("dl");
  const row = (term, value) => dl.appendChild(h("div", null, h("dt", null, term), h("dd", null, value)));
  if (c.hotline) row("Đường dây nóng", phoneLink(c.hotline));
  if (c.office_address) row("Địa chỉ trụ sở", c.office_address);
  if (c.working_hours) row("Giờ làm việc", c.working_hours);
  main.appendChild(dl);
  const m = moduleById("contacts");
  const extra = (m && m.settings && m.settings.extra_numbers) || [];
  if (extra.length) {
    main.appendChild(h("h3", null, "Số khẩn cấp"));
    main.appendChild(h("ul", { className: "phones" }, extra.map((x) =>
      h("li", null, h("span", null, x.label), " ", phoneLink(x.phone, { "aria-label": "Gọi " + x.label + ": " + x.phone })))));
  }
  main.appendChild(h("p", null, h("a", { href: state.base + "/staff" }, "Bàn làm việc của cán bộ phường, xã")));
}
