/* What the market pages share: the zones this ward's market module shows. */

import { api } from "../core/api.js";
import { state, moduleById } from "./shell.js";

/** The ward's market zones, limited to those the module's settings name (if any). */
export function zones() {
  return api("GET", "/api/v1/wards/" + state.ward.code + "/market-zones?limit=200").then((data) => {
    const m = moduleById("market");
    const wanted = (m && m.settings && m.settings.zone_ids) || [];
    return wanted.length ? data.items.filter((z) => wanted.includes(z.id)) : data.items;
  });
}
