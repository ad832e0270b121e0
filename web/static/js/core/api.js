/* The one way to call the API: JSON in and out, the CSRF token on writes, errors thrown with the
   API's Vietnamese message, and an Idempotency-Key on creates. */

import { fallbackMessage } from "./errors.js";

let csrfToken = null;
let meCache = null;

/** An error from the API (status, data: the error body) or from the network (status 0). */
export class ApiError extends Error {
  constructor(message, status, data) {
    super(message);
    this.status = status;
    this.data = data;
  }
}

/** A new random Idempotency-Key (a UUID). */
export function newKey() {
  if (globalThis.crypto && crypto.randomUUID) return crypto.randomUUID();
  const bytes = new Uint8Array(16);
  crypto.getRandomValues(bytes);
  return Array.from(bytes, (b) => b.toString(16).padStart(2, "0")).join("");
}

/**
 * Call the API and return the parsed JSON (null for 204).
 *
 * options.idempotencyKey: sent as Idempotency-Key (every POST that creates something must pass
 * one; submitForm() does it). options.headers: more headers.
 */
export async function api(method, path, body, options = {}) {
  const headers = { Accept: "application/json", ...(options.headers || {}) };
  if (body !== undefined) headers["Content-Type"] = "application/json";
  if (options.idempotencyKey) headers["Idempotency-Key"] = options.idempotencyKey;
  if (method !== "GET" && !csrfToken) await loadMe();
  if (method !== "GET" && csrfToken) headers["X-CSRF-Token"] = csrfToken;
  let response;
  try {
    response = await fetch(path, {
      method, headers, credentials: "same-origin",
      body: body === undefined ? undefined : JSON.stringify(body),
    });
  } catch (cause) {
    throw new ApiError(fallbackMessage(0), 0, null);
  }
  if (response.status === 204) return null;
  const data = await response.json().catch(() => null);
  if (!response.ok) {
    const text = data && data.error && data.error.message;
    throw new ApiError(text || fallbackMessage(response.status), response.status, data);
  }
  return data;
}

/** The signed-in user (null when signed out), fetched once; `force` asks again. */
export function loadMe(force) {
  if (meCache && !force) return meCache;
  meCache = fetch("/api/v1/me", { headers: { Accept: "application/json" }, credentials: "same-origin" })
    // A refusal's body is read too: an answer marked no-store is otherwise never finished.
    .then((r) => (r.ok ? r.json() : r.text().then(() => null)))
    .then((me) => { csrfToken = me ? me.csrf_token : null; return me; })
    .catch(() => null);
  return meCache;
}
