/* Webhooks in the city console: the endpoints that hear of every ward's events (city admins
   register them; a ward's own endpoints are managed in that ward's console). */

import { h } from "../core/dom.js";
import { errorBox } from "../core/forms.js";
import { webhookPanel } from "../staff/webhooks.js";

export default async function webhooksSection(main) {
  const s = h("section", { id: "city-webhooks", "aria-labelledby": "city-webhooks-title" },
    h("h2", { id: "city-webhooks-title" }, "Webhook cho mọi phường, xã"));
  main.appendChild(s);
  try {
    await webhookPanel(s, { ward: null, prefix: "cwh" });
  } catch (error) {
    s.appendChild(errorBox(error));
  }
}
