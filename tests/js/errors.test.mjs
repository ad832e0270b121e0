// The API's errors, for people: a flat list by field, never a raw path shown.
import { test } from "node:test";
import assert from "node:assert/strict";
import {
  describe, errorsOf, fallbackMessage, fieldCandidates, fieldErrors, requiredChoiceMessage,
  requiredMessage,
} from "../../web/static/js/core/errors.js";

test("details.errors is taken as it is", () => {
  const details = {
    fields: { questions: { 0: { text: ["Độ dài phải từ 1 đến 500 ký tự."] } } },
    errors: [{ field: "questions.0.text", label: "Câu hỏi 1 – Nội dung", message: "Độ dài phải từ 1 đến 500 ký tự." }],
  };
  assert.deepEqual(fieldErrors(details), [
    { field: "questions.0.text", label: "Câu hỏi 1 – Nội dung", message: "Độ dài phải từ 1 đến 500 ký tự." },
  ]);
});

test("without details.errors, the same list is derived from the nested fields", () => {
  const details = {
    location: "json",
    fields: {
      title: ["Không được để trống."],
      questions: { 0: { text: ["Quá dài."], options: { 1: ["Trùng phương án.", "Quá dài."] } } },
      answers: [["Chọn ít nhất 1."]],
    },
  };
  assert.deepEqual(fieldErrors(details), [
    { field: "title", label: null, message: "Không được để trống." },
    { field: "questions.0.text", label: null, message: "Quá dài." },
    { field: "questions.0.options.1", label: null, message: "Trùng phương án. Quá dài." },
    { field: "answers.0", label: null, message: "Chọn ít nhất 1." },
  ]);
});

test("a location prefix of several locations is dropped", () => {
  assert.deepEqual(fieldErrors({ fields: { json: { title: ["x"] }, query: { limit: ["y"] } } }), [
    { field: "title", label: null, message: "x" },
    { field: "limit", label: null, message: "y" },
  ]);
});

test("details that are not field errors give none", () => {
  assert.deepEqual(fieldErrors({ results_visibility: "after_vote", status: "open" }), []);
  assert.deepEqual(fieldErrors(null), []);
  assert.deepEqual(fieldErrors({ errors: [{ field: "x" }] }), []);
});

test("errorsOf reads an error thrown by api()", () => {
  const error = { status: 422, data: { error: { code: "validation_error", message: "m",
    details: { fields: { "answers.0": ["Chọn một phương án."] } } } } };
  assert.deepEqual(errorsOf(error), [{ field: "answers.0", label: null, message: "Chọn một phương án." }]);
  assert.deepEqual(errorsOf({ status: 0, data: null }), []);
});

test("a line for people names the field by its label, or gives the message alone", () => {
  assert.equal(describe({ field: "tab_bar", label: "Thanh tab", message: "Phải có 2 đến 5 mục." }),
    "Thanh tab: Phải có 2 đến 5 mục.");
  assert.equal(describe({ field: "tab_bar", label: null, message: "Phải có 2 đến 5 mục." }), "Phải có 2 đến 5 mục.");
  assert.equal(describe({ field: "invite_code", label: "Mã mời", message: "Mã mời không đúng." }), "Mã mời không đúng.");
});

test("a path is matched to controls from the longest prefix down", () => {
  assert.deepEqual(fieldCandidates("questions.0.options.1"),
    ["questions.0.options.1", "questions.0.options", "questions.0", "questions"]);
  assert.deepEqual(fieldCandidates(""), []);
});

test("required text: empty and spaces-only get Vietnamese messages naming the field", () => {
  assert.equal(requiredMessage("Nội dung", ""), "Hãy nhập «Nội dung».");
  assert.equal(requiredMessage("Nội dung", "   "), "«Nội dung» không được chỉ có dấu cách.");
  assert.equal(requiredChoiceMessage("Ngân hàng"), "Hãy chọn «Ngân hàng».");
});

test("a failure without a message says what happened in Vietnamese", () => {
  assert.match(fallbackMessage(0), /Không kết nối được/);
  assert.equal(fallbackMessage(502), "Có lỗi xảy ra (mã 502).");
});
