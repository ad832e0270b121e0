// City-wide publishing: finding wards to send to, the reach table's order, what the
// confirmation says, and the «Từ: Sở …» line residents see on a department's notice.
import { test } from "node:test";
import assert from "node:assert/strict";
import { confirmText, matchWards, sortReach } from "../../web/static/js/city/broadcasts.js";
import { senderText } from "../../web/static/js/pages/notices-common.js";

const WARDS = [
  { code: "00070", name: "Phường Hoàn Kiếm", slug: "hoan-kiem" },
  { code: "00082", name: "Phường Cửa Nam", slug: "cua-nam" },
  { code: "00235", name: "Phường Đống Đa", slug: "dong-da" },
  { code: "00256", name: "Phường Kim Liên", slug: "kim-lien" },
  { code: "09619", name: "Xã Sóc Sơn", slug: "soc-son" },
];
const codes = (wards) => wards.map((w) => w.code);

test("ward search ignores diacritics and case: «hoan kiem» finds Hoàn Kiếm", () => {
  assert.deepEqual(codes(matchWards(WARDS, "hoan kiem")), ["00070"]);
  assert.deepEqual(codes(matchWards(WARDS, "HOÀN KIẾM")), ["00070"]);
  assert.deepEqual(codes(matchWards(WARDS, "Hoàn  Kiếm ")), ["00070"]);
  // đ folds to d, so «dong da» finds Đống Đa.
  assert.deepEqual(codes(matchWards(WARDS, "dong da")), ["00235"]);
  assert.deepEqual(codes(matchWards(WARDS, "soc son")), ["09619"]);
});

test("every word must match, in any order, against name, code or slug", () => {
  assert.deepEqual(codes(matchWards(WARDS, "kiem hoan")), ["00070"]);
  assert.deepEqual(codes(matchWards(WARDS, "hoan nam")), []);  // each word matches a different ward
  assert.deepEqual(codes(matchWards(WARDS, "kim")), ["00256"]);  // not Hoàn Kiếm: "kiem" is not "kim"
  assert.deepEqual(codes(matchWards(WARDS, "00082")), ["00082"]);
  assert.deepEqual(codes(matchWards(WARDS, "xa")), ["09619"]);
  assert.deepEqual(codes(matchWards(WARDS, "khong co")), []);
});

test("an empty search shows every ward, as a copy the caller may change", () => {
  for (const q of ["", "   ", null, undefined]) {
    const all = matchWards(WARDS, q);
    assert.deepEqual(all, WARDS);
    assert.notEqual(all, WARDS);
  }
});

const ROWS = [
  { ward: "a", name: "Phúc Xá", audience: 100, read: 50, share: 0.5 },
  { ward: "b", name: "Ô Chợ Dừa", audience: 20, read: 10, share: 0.5 },
  { ward: "c", name: "Ba Đình", audience: 3, read: 0, share: 0 },
  { ward: "d", name: "Đống Đa", audience: 40, read: 36, share: 0.9 },
  { ward: "e", name: "Dịch Vọng", audience: 40, read: 20, share: 0.5 },
];
const wardsOf = (rows) => rows.map((r) => r.ward);

test("reach sorts by share, lowest first by default, ties by Vietnamese name", () => {
  // Ties at 50 %: Dịch Vọng, Ô Chợ Dừa, Phúc Xá (Vietnamese order puts Ô before P).
  assert.deepEqual(wardsOf(sortReach(ROWS, "share", "ascending")), ["c", "e", "b", "a", "d"]);
});

test("descending reverses the key but ties still read A to Z", () => {
  assert.deepEqual(wardsOf(sortReach(ROWS, "share", "descending")), ["d", "e", "b", "a", "c"]);
});

test("numbers sort as numbers, names in Vietnamese alphabetical order", () => {
  // 3 < 20 < 40 = 40 < 100 (as text "100" would come before "20").
  assert.deepEqual(wardsOf(sortReach(ROWS, "audience", "ascending")), ["c", "b", "e", "d", "a"]);
  assert.deepEqual(wardsOf(sortReach(ROWS, "read", "descending")), ["a", "d", "e", "b", "c"]);
  // B < D < Đ < Ô < P.
  assert.deepEqual(sortReach(ROWS, "name", "ascending").map((r) => r.name),
    ["Ba Đình", "Dịch Vọng", "Đống Đa", "Ô Chợ Dừa", "Phúc Xá"]);
  assert.deepEqual(sortReach(ROWS, "name", "descending").map((r) => r.name),
    ["Phúc Xá", "Ô Chợ Dừa", "Đống Đa", "Dịch Vọng", "Ba Đình"]);
  // Đ is a letter of its own after D: Dương Nội comes before Định Công (not "Di" < "Du").
  const d = [{ name: "Định Công", share: 0 }, { name: "Dương Nội", share: 0 }];
  assert.deepEqual(sortReach(d, "name", "ascending").map((r) => r.name), ["Dương Nội", "Định Công"]);
  assert.deepEqual(sortReach(d, "share", "descending").map((r) => r.name), ["Dương Nội", "Định Công"]);
});

test("sorting leaves the API's rows as they were", () => {
  const before = wardsOf(ROWS);
  sortReach(ROWS, "share", "descending");
  assert.deepEqual(wardsOf(ROWS), before);
});

test("the confirmation names the notice and how many wards get it", () => {
  assert.equal(confirmText("Lịch cắt điện", 126, true),
    "Gửi thông báo «Lịch cắt điện» tới 126 phường, xã (tất cả)? "
    + "Mỗi phường, xã nhận một thông báo riêng, đến những người theo dõi phường, xã đó.");
  const some = confirmText("Tiêm chủng", 3, false);
  assert.ok(some.startsWith("Gửi thông báo «Tiêm chủng» tới 3 phường, xã? "), some);
  assert.ok(!some.includes("tất cả"));
  assert.ok(confirmText("X", 1234, false).includes("tới 1.234 phường, xã"));
});

test("residents see «Từ: Sở …» on a department's notice, nothing on a ward's", () => {
  assert.equal(senderText({ title: "A", department: { code: "so-y-te", name: "Sở Y tế Hà Nội" } }), "Từ: Sở Y tế Hà Nội");
  assert.equal(senderText({ title: "A", department: null }), null);
  assert.equal(senderText({ title: "A" }), null);
  assert.equal(senderText({ title: "A", department: { code: "so-y-te", name: "" } }), null);
  assert.equal(senderText(null), null);
});

// City-wide surveys: the questions as typed in the form, and what is said before sending.
import { optionLines, surveyProblems, surveyQuestions } from "../../web/static/js/city/broadcasts.js";

test("options are typed one per line: blanks and spaces dropped", () => {
  assert.deepEqual(optionLines("  Có \n\n Không  \n"), ["Có", "Không"]);
  assert.deepEqual(optionLines(null), []);
});

test("a survey's questions become choice questions: one answer, or any number when multiple", () => {
  const [one, many] = surveyQuestions([
    { text: " Bạn có đồng ý? ", options: "Có\nKhông", multiple: false },
    { text: "Bạn cần gì?", options: "Điện\nNước\nĐường", multiple: true },
  ]);
  assert.deepEqual(one, { text: "Bạn có đồng ý?", type: "choice", options: ["Có", "Không"], min_choices: 1, max_choices: 1 });
  assert.equal(many.max_choices, 3);
  assert.equal(many.min_choices, 1);
});

test("a question without text, with one option or with the same option twice is named before sending", () => {
  const problems = surveyProblems([
    { text: "", options: "Có\nKhông" },
    { text: "Chọn một", options: "Chỉ một" },
    { text: "Lặp lại", options: "Có\ncó" },
    { text: "Đúng cả", options: "Có\nKhông" },
  ]);
  assert.deepEqual(problems.map((p) => p.field), ["questions.0.text", "questions.1.options", "questions.2.options"]);
  assert.match(problems[1].message, /ít nhất hai phương án/);
  assert.match(problems[2].message, /phải khác nhau/);
});
