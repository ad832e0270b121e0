/* "Nhật ký" in the city console: every ward's audit log and the city's own acts, filtered by
   ward and by kind of act (city admins). */

import { h } from "../core/dom.js";
import { api } from "../core/api.js";
import { errorBox } from "../core/forms.js";
import { auditPanel } from "../staff/audit.js";

export default async function auditSection(main) {
  const s = h("section", { id: "city-audit", "aria-labelledby": "city-audit-title" },
    h("h2", { id: "city-audit-title" }, "Nhật ký"));
  main.appendChild(s);
  try {
    const wards = (await api("GET", "/api/v1/wards?limit=200")).items;
    await auditPanel(s, { ward: null, wards, prefix: "caudit" });
  } catch (error) {
    s.appendChild(errorBox(error));
  }
}
