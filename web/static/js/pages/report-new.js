/* Gửi phản ánh: category, description, photos from the camera, the phone's position, an address.
   The API needs a position in Hà Nội: the phone gives it on a tap, or the person types it. */

import { h, clear, message } from "../core/dom.js";
import { submitForm, errorBox, clearErrors } from "../core/forms.js";
import { signInPrompt } from "../core/account.js";
import { state, view, heading, go } from "./shell.js";
import {
  DESCRIPTION_MAX, MAX_PHOTOS, fileSize, inHanoi, locationError, parseCoord, photoProblems, roundCoord,
} from "./report-model.js";
import { postReportForm } from "./report-common.js";
import { loadCategories, reportLinks } from "./reports.js";

const TITLE = "Gửi phản ánh";

export default async function newReport() {
  const main = view(TITLE);
  heading(main, TITLE);
  if (!state.me) {
    main.appendChild(signInPrompt("Đăng nhập bằng VNeID để gửi phản ánh tới " + state.ward.name
      + ". Tên của bạn chỉ cán bộ phường, xã thấy, không hiện công khai."));
    main.appendChild(reportLinks("new"));
    return null;
  }
  let categories;
  try {
    categories = (await loadCategories()).filter((c) => c.active !== false);
  } catch (error) {
    main.appendChild(errorBox(error));
    return null;
  }
  main.appendChild(h("p", null, "Phản ánh được đăng công khai trên bảng phản ánh của " + state.ward.name
    + " cùng các trả lời của phường, xã. Tên của bạn không hiện công khai."));
  const status = h("div", { "aria-live": "polite" });
  const photos = h("input", { type: "file", id: "report-photos", name: "photos", accept: "image/*",
    capture: "environment", multiple: true, "data-field": "photos", "aria-describedby": "report-photos-hint" });
  const photoList = h("ul", { className: "plain meta", id: "report-photos-list", "aria-live": "polite" });
  photos.addEventListener("change", () => showPhotos(photos, photoList));
  const place = locationFieldset();
  const form = h("form", { className: "report-form" },
    h("label", { for: "report-category" }, "Loại phản ánh"),
    h("select", { id: "report-category", name: "category", required: true, "data-field": "category" },
      h("option", { value: "" }, "Chọn loại phản ánh"),
      categories.map((c) => h("option", { value: c.code },
        c.name + " (xử lý trong " + c.deadline_days + " ngày làm việc)"))),
    h("label", { for: "report-description" }, "Nội dung phản ánh"),
    h("textarea", { id: "report-description", name: "description", required: true, rows: "5",
      maxlength: String(DESCRIPTION_MAX), "data-field": "description", "aria-describedby": "report-description-hint" }),
    h("p", { className: "hint", id: "report-description-hint" },
      "Việc gì, ở đâu, từ bao giờ. Đừng ghi họ tên, số điện thoại của người khác."),
    h("label", { for: "report-photos" }, "Ảnh chụp (không bắt buộc, tối đa " + MAX_PHOTOS + " ảnh)"),
    photos,
    h("p", { className: "hint", id: "report-photos-hint" },
      "Bấm để chụp bằng máy ảnh hoặc chọn ảnh có sẵn. Thông tin ẩn trong ảnh (vị trí, thời gian, loại máy) được xóa trước khi lưu."),
    photoList,
    place.node,
    h("label", { for: "report-address" }, "Địa chỉ, mô tả nơi xảy ra (không bắt buộc)"),
    h("input", { id: "report-address", name: "address", maxlength: "300", autocomplete: "off", "data-field": "address",
      "aria-describedby": "report-address-hint" }),
    h("p", { className: "hint", id: "report-address-hint" }, "Ví dụ: Đầu ngõ 12 Hàng Bông, cạnh cột điện."),
    h("p", { className: "hint privacy-note" },
      "Quyền riêng tư: vị trí được làm tròn (khoảng 11 m) trước khi lưu; ảnh được lưu lại không kèm thông tin ẩn. "
      + "Cán bộ phường, xã thấy tên bạn để liên hệ khi cần; người khác thì không."),
    status,
    h("div", { className: "actions" }, h("button", { type: "submit" }, "Gửi phản ánh")));
  main.appendChild(form);
  main.appendChild(reportLinks("new"));
  submitForm(form, {
    status,
    validate: () => {
      const problems = photoProblems(photos.files).map((p) => ({ field: "photos", message: p.message }));
      return problems.concat(place.check());
    },
    collect: () => {
      const files = Array.from(photos.files || []);
      return {
        fields: {
          ward: state.ward.code,
          category: form.elements.category.value,
          description: form.elements.description.value.trim(),
          lat: roundCoord(parseCoord(form.elements.lat.value)),
          long: roundCoord(parseCoord(form.elements.long.value)),
          address: form.elements.address.value.trim(),
        },
        // Files do not show in JSON: their names and sizes keep a new choice a new submission.
        photos: files.map((f) => [f.name, f.size, f.lastModified]),
        files,
      };
    },
    send: (body, key) => postReportForm(body.fields, body.files, key),
    done: (report) => go(state.base + "/phan-anh/" + report.id + "?moi=1"),
  });
  return null;
}

/* The chosen photos, each with a small preview (a blob: address of the file on the phone; nothing
   is sent before "Gửi phản ánh"). The previous previews' addresses are released. */
let previews = [];
function showPhotos(input, list) {
  clear(list);
  for (const url of previews) URL.revokeObjectURL(url);
  previews = [];
  const files = Array.from(input.files || []);
  files.forEach((f, i) => {
    const url = f.type.startsWith("image/") ? URL.createObjectURL(f) : null;
    if (url) previews.push(url);
    list.appendChild(h("li", { className: "photo-preview" },
      url ? h("img", { src: url, alt: "Ảnh " + (i + 1) + " sẽ gửi", width: "96", height: "72" }) : null,
      h("span", null, f.name + " (" + fileSize(f.size) + ")")));
  });
  for (const p of photoProblems(files)) list.appendChild(h("li", { className: "error-text" }, p.message));
}

/* "Vị trí": a button asking the phone, and the two numbers it fills (typed by hand if refused). */
function locationFieldset() {
  const status = h("div", { "aria-live": "polite", className: "location-status" });
  const lat = h("input", { id: "report-lat", name: "lat", inputmode: "decimal", autocomplete: "off", required: true,
    "data-field": "lat", "aria-describedby": "report-location-hint" });
  const long = h("input", { id: "report-long", name: "long", inputmode: "decimal", autocomplete: "off", required: true,
    "data-field": "long", "aria-describedby": "report-location-hint" });
  const button = h("button", { type: "button", className: "secondary" }, "Lấy vị trí hiện tại");
  button.addEventListener("click", () => {
    clear(status);
    if (!("geolocation" in navigator)) {
      status.appendChild(message(locationError(2), "error"));
      return;
    }
    button.disabled = true;
    button.setAttribute("aria-busy", "true");
    status.appendChild(message("Đang lấy vị trí…"));
    navigator.geolocation.getCurrentPosition((position) => {
      button.disabled = false;
      button.removeAttribute("aria-busy");
      const la = roundCoord(position.coords.latitude);
      const lo = roundCoord(position.coords.longitude);
      lat.value = String(la);
      long.value = String(lo);
      if (node.closest("form")) clearErrors(node.closest("form"));  // "Hãy nhập «Vĩ độ»" no longer holds
      clear(status).appendChild(inHanoi(la, lo)
        ? message("Đã lấy vị trí: " + la + ", " + lo + " (đã làm tròn).")
        : message("Vị trí hiện tại của bạn nằm ngoài Hà Nội. Hãy nhập vị trí của nơi cần phản ánh.", "error"));
    }, (error) => {
      button.disabled = false;
      button.removeAttribute("aria-busy");
      clear(status).appendChild(message(locationError(error.code), "error"));
    }, { enableHighAccuracy: true, timeout: 20000, maximumAge: 60000 });
  });
  const node = h("fieldset", { className: "report-location", "data-field": "location" },
    h("legend", null, "Vị trí nơi cần phản ánh"),
    h("p", { className: "hint", id: "report-location-hint" },
      "Đứng tại nơi cần phản ánh rồi bấm nút: điện thoại sẽ hỏi bạn có cho phép dùng vị trí không. "
      + "Nếu không muốn, hãy nhập vĩ độ, kinh độ (ví dụ 21.0285 và 105.8542, xem trên ứng dụng bản đồ)."),
    h("div", { className: "actions" }, button),
    status,
    h("div", { className: "row" },
      h("div", null, h("label", { for: "report-lat" }, "Vĩ độ"), lat),
      h("div", null, h("label", { for: "report-long" }, "Kinh độ"), long)));
  function check() {
    const la = parseCoord(lat.value);
    const lo = parseCoord(long.value);
    const problems = [];
    if (lat.value.trim() && Number.isNaN(la)) problems.push({ field: "lat", message: "Vĩ độ là một số, ví dụ 21.0285." });
    if (long.value.trim() && Number.isNaN(lo)) problems.push({ field: "long", message: "Kinh độ là một số, ví dụ 105.8542." });
    if (!problems.length && lat.value.trim() && long.value.trim() && !inHanoi(la, lo)) {
      problems.push({ field: "lat", message: "Vị trí này không thuộc Hà Nội; hãy kiểm tra lại vĩ độ, kinh độ." });
    }
    return problems;
  }
  return { node, check };
}
