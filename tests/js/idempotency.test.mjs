// One Idempotency-Key per submission: kept for a retry of the same content, new otherwise.
import { test } from "node:test";
import assert from "node:assert/strict";
import { createKeyKeeper } from "../../web/static/js/core/idempotency.js";

function counter() {
  let n = 0;
  return () => "key-" + ++n;
}

test("a retry of the same content reuses the key", () => {
  const keys = createKeyKeeper(counter());
  assert.equal(keys.keyFor({ title: "Cắt điện" }), "key-1");
  assert.equal(keys.keyFor({ title: "Cắt điện" }), "key-1");
});

test("changed content gets a new key", () => {
  const keys = createKeyKeeper(counter());
  keys.keyFor({ title: "Cắt điện" });
  assert.equal(keys.keyFor({ title: "Cắt nước" }), "key-2");
});

test("after a success the same content is a new submission", () => {
  const keys = createKeyKeeper(counter());
  keys.keyFor({ title: "Cắt điện" });
  keys.succeeded();
  assert.equal(keys.keyFor({ title: "Cắt điện" }), "key-2");
});

test("a body-less create has a key too", () => {
  const keys = createKeyKeeper(counter());
  assert.equal(keys.keyFor(undefined), "key-1");
  assert.equal(keys.keyFor(undefined), "key-1");
});
