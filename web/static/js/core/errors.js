/* The API's errors, for people. Pure: no DOM here (see forms.js for showing them).

   A 422 body is {"error": {"code", "message", "details": {"fields": {...nested...},
   "errors": [{"field": "questions.0.text", "label": "Câu hỏi 1 – Nội dung", "message": "…"}]}}}.
   Older answers carry only `details.fields`; the same flat list is derived from it. */

const LOCATIONS = ["json", "query", "form", "headers", "files"];

/** The flat list [{field, label, message}] of an error body's `details`. */
export function fieldErrors(details) {
  if (!details || typeof details !== "object") return [];
  if (Array.isArray(details.errors)) {
    return details.errors
      .filter((e) => e && e.message)
      .map((e) => ({ field: stripLocation(String(e.field ?? "")), label: e.label || null,
        message: String(e.message) }));
  }
  const out = [];
  walk("", details.fields, out);
  return out;
}

function walk(prefix, value, out) {
  if (value === null || value === undefined) return;
  if (typeof value === "string") {
    out.push({ field: stripLocation(prefix), label: null, message: value });
  } else if (Array.isArray(value) && value.every((v) => typeof v === "string")) {
    if (value.length) out.push({ field: stripLocation(prefix), label: null, message: value.join(" ") });
  } else if (Array.isArray(value)) {
    value.forEach((v, i) => walk(join(prefix, String(i)), v, out));
  } else if (typeof value === "object") {
    for (const [key, v] of Object.entries(value)) walk(join(prefix, key), v, out);
  }
}

function join(prefix, key) {
  return prefix ? prefix + "." + key : key;
}

/* webargs nests errors by location ("json.title") when a request had several. */
function stripLocation(path) {
  const first = path.split(".")[0];
  return LOCATIONS.includes(first) && path.includes(".") ? path.slice(first.length + 1) : path;
}

/** The field errors of an error thrown by api() (none for a network failure or a non-422). */
export function errorsOf(error) {
  const body = error && error.data && error.data.error;
  return body ? fieldErrors(body.details) : [];
}

/** One line for a person: "Label: message", or the message alone (never a raw field path). */
export function describe(e) {
  // "Mã mời: Mã mời không đúng." says the label twice: the message alone names the field.
  if (!e.label || e.message.toLowerCase().startsWith(e.label.toLowerCase())) return e.message;
  return e.label + ": " + e.message;
}

/** The candidate `data-field` names for a path, longest first: "a.0.b" -> a.0.b, a.0, a. */
export function fieldCandidates(path) {
  const parts = String(path || "").split(".").filter(Boolean);
  const out = [];
  for (let n = parts.length; n > 0; n--) out.push(parts.slice(0, n).join("."));
  return out;
}

/** The message for a required text that is empty or only spaces, naming its label. */
export function requiredMessage(label, value) {
  const name = label ? "«" + label + "»" : "Mục này";
  if (value && !value.trim()) return name + " không được chỉ có dấu cách.";
  return label ? "Hãy nhập " + name + "." : "Hãy nhập mục này.";
}

/** The message for a required choice left empty. */
export function requiredChoiceMessage(label) {
  return label ? "Hãy chọn «" + label + "»." : "Hãy chọn một mục.";
}

/** A message for a failure that carries no message of its own (network, unexpected). */
export function fallbackMessage(status) {
  if (!status) return "Không kết nối được. Hãy kiểm tra mạng rồi thử lại.";
  return "Có lỗi xảy ra (mã " + status + ").";
}
