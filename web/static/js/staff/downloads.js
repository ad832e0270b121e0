/* Files the console offers as plain links (the API answers CSV in UTF-8 with a BOM, Vietnamese
   headers, so it opens in Excel): here, the ward's indicators. */

import { h } from "../core/dom.js";
import { desk, section } from "./common.js";

/** The ward's indicators (the city's KPIs measured for this ward), as a CSV download. */
export function indicatorsSection() {
  const s = section("indicators", "Chỉ số của phường, xã");
  s.appendChild(h("p", null, "Các chỉ số chuyển đổi số thành phố theo dõi, đo cho " + desk.ward.name + " từ dữ liệu của hệ thống."));
  s.appendChild(h("div", { className: "downloads" },
    h("a", { className: "button secondary", download: "", href: "/api/v1/kpi?ward=" + encodeURIComponent(desk.ward.code) + "&format=csv" },
      "Tải chỉ số (CSV)")));
  return s;
}
