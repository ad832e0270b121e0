// The config form's pure rules: contrast pairs, module order, the tab bar, link ids and addresses.
import { test } from "node:test";
import assert from "node:assert/strict";
import {
  contrastChecks, contrastProblems, formatRatio, isHttpsUrl, linkId, linkProblems, moveItem,
  tabBarFor, tabBarProblems,
} from "../../web/static/js/staff/config-model.js";

const THEME = {
  light: { primary: "#C62828", background: "#FFFFFF", text: "#1F1F1F" },
  dark: { primary: "#EF9A9A", background: "#121212", text: "#EDEDED" },
};

test("the template's colours pass AA in both variants", () => {
  const checks = contrastChecks(THEME);
  assert.equal(checks.length, 4);
  assert.ok(checks.every((c) => c.ok));
  assert.deepEqual(contrastProblems(THEME), []);
});

test("grey text on white is refused, naming the colour to change and the ratio", () => {
  const theme = { light: { ...THEME.light, text: "#BBBBBB" } };
  const problems = contrastProblems(theme);
  assert.equal(problems.length, 1);
  assert.equal(problems[0].field, "app.theme.light.text");
  assert.match(problems[0].message, /^Màu chữ trên màu nền \(giao diện sáng\) chỉ đạt độ tương phản 1,7:1, dưới mức tối thiểu 4,5:1/);
});

test("ratios are rounded down, so a failing pair never reads as 4,5:1", () => {
  assert.equal(formatRatio(4.49), "4,4:1");
  assert.equal(formatRatio(21), "21,0:1");
});

test("a malformed colour is left to the server's own message", () => {
  assert.deepEqual(contrastChecks({ light: { primary: "red", background: "#FFFFFF", text: "#000" } }), []);
});

test("modules move by one, and stay put at the ends", () => {
  assert.deepEqual(moveItem(["a", "b", "c"], 1, -1), ["b", "a", "c"]);
  assert.deepEqual(moveItem(["a", "b", "c"], 1, 1), ["a", "c", "b"]);
  assert.deepEqual(moveItem(["a", "b", "c"], 0, -1), ["a", "b", "c"]);
  assert.deepEqual(moveItem(["a", "b", "c"], 2, 1), ["a", "b", "c"]);
});

test("the tab bar follows the module order and skips modules switched off", () => {
  const modules = [{ id: "polls", enabled: true }, { id: "notices", enabled: true }, { id: "market", enabled: false }];
  assert.deepEqual(tabBarFor(modules, ["notices", "market", "polls"]), ["polls", "notices"]);
  assert.deepEqual(tabBarProblems(["polls", "notices"]), []);
  assert.equal(tabBarProblems(["polls"])[0].field, "tab_bar");
  assert.equal(tabBarProblems(["a", "b", "c", "d", "e", "f"]).length, 1);
});

test("link ids are ASCII slugs, unique among the modules", () => {
  assert.equal(linkId("Đường dây nóng Công an", []), "duong-day-nong-cong-an");
  assert.equal(linkId("Dịch vụ công", ["dich-vu-cong"]), "dich-vu-cong-2");
  assert.equal(linkId("123", []), "lien-ket");
  assert.equal(linkId("", ["lien-ket"]), "lien-ket-2");
});

test("links need a name and an https address", () => {
  assert.ok(isHttpsUrl("https://dichvucong.gov.vn"));
  assert.ok(!isHttpsUrl("http://dichvucong.gov.vn"));
  assert.ok(!isHttpsUrl("dichvucong.gov.vn"));
  const problems = linkProblems([
    { id: "notices", kind: "builtin", title: "" },
    { id: "x", kind: "link", title: "  ", settings: { url: "ftp://x" } },
  ]);
  assert.deepEqual(problems.map((p) => p.field), ["modules.1.title", "modules.1.settings.url"]);
});

test("text must read on the cards as well as on the page background", () => {
  const theme = { light: { primary: "#C62828", background: "#FFFFFF", text: "#767676" } };
  const [, body] = contrastChecks(theme);
  assert.equal(body.ok, false);  // 4.54:1 on white, but 4.1:1 on the #F5F5F5 cards
});
