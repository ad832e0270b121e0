// One-time notes left in sessionStorage before a reload ("Đăng xuất khỏi mọi thiết bị").
import { test } from "node:test";
import assert from "node:assert/strict";
import { takeFlag, SIGNED_OUT_EVERYWHERE_FLAG } from "../../web/static/js/core/account.js";

function memoryStorage() {
  const items = new Map();
  return {
    getItem: (k) => (items.has(k) ? items.get(k) : null),
    setItem: (k, v) => items.set(k, String(v)),
    removeItem: (k) => items.delete(k),
  };
}

test("a note is read once, then gone", () => {
  const storage = memoryStorage();
  storage.setItem(SIGNED_OUT_EVERYWHERE_FLAG, "1");
  assert.equal(takeFlag(storage, SIGNED_OUT_EVERYWHERE_FLAG), true);
  assert.equal(takeFlag(storage, SIGNED_OUT_EVERYWHERE_FLAG), false);
});

test("no note, no storage, or a storage that refuses: false, never an error", () => {
  assert.equal(takeFlag(memoryStorage(), SIGNED_OUT_EVERYWHERE_FLAG), false);
  assert.equal(takeFlag(undefined, SIGNED_OUT_EVERYWHERE_FLAG), false);
  const refusing = { getItem() { throw new Error("SecurityError"); }, removeItem() {} };
  assert.equal(takeFlag(refusing, SIGNED_OUT_EVERYWHERE_FLAG), false);
});
