/* The city console's list of departments (sở, ngành), each linking to its console at /d/<slug>,
   where its staff edit its miniapp and send notices to the wards. */

import { h } from "../core/dom.js";
import { api } from "../core/api.js";
import { errorBox } from "../core/forms.js";

export default async function section(main) {
  const box = h("section", { id: "departments", "aria-labelledby": "departments-heading" },
    h("h2", { id: "departments-heading" }, "Sở, ngành"),
    h("p", { className: "hint" }, "Mỗi sở, ngành có miniapp và bàn làm việc riêng: sửa cấu hình miniapp, gửi thông báo tới các phường, xã."));
  main.appendChild(box);
  try {
    const data = await api("GET", "/api/v1/departments");
    box.appendChild(h("ul", { className: "department-list" }, data.items.map((d) =>
      h("li", null, h("a", { href: "/d/" + encodeURIComponent(d.slug) }, d.name)))));
  } catch (error) {
    box.appendChild(errorBox(error));
  }
}
