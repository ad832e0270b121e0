// Routes of a ward's pages: the first pattern whose segments match wins.
import { test } from "node:test";
import assert from "node:assert/strict";
import { matchRoute } from "../../web/static/js/core/router.js";
import { telHref } from "../../web/static/js/core/dom.js";

const ROUTES = [
  ["", "home"],
  ["notices/:id", "notice"],
  ["notices", "feed"],
  ["market/register", "register"],
  ["market", "market"],
].map(([pattern, name]) => [pattern, name]);

const hit = (rest) => {
  const m = matchRoute(ROUTES, rest);
  return m && [m.load, m.params];
};

test("the home page matches only the empty path", () => {
  assert.deepEqual(hit(""), ["home", {}]);
  assert.equal(hit("nowhere"), null);
});

test("parameters are taken from the path, decoded", () => {
  assert.deepEqual(hit("notices/12"), ["notice", { id: "12" }]);
  assert.deepEqual(hit("notices/a%20b"), ["notice", { id: "a b" }]);
  assert.deepEqual(hit("notices"), ["feed", {}]);
});

test("fixed segments win over the shorter route in order", () => {
  assert.deepEqual(hit("market/register"), ["register", {}]);
  assert.deepEqual(hit("market"), ["market", {}]);
  assert.deepEqual(hit("market/other"), ["market", {}]);
});

test("phone numbers become tel: addresses as written", () => {
  assert.equal(telHref("113"), "tel:113");
  assert.equal(telHref("024 3825 3536"), "tel:02438253536");
  assert.equal(telHref("+84 912 345 678"), "tel:+84912345678");
});
