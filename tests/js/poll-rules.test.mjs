// A ballot's limits as people tick, the quorum's wording, the receipt's hash.
import { test } from "node:test";
import assert from "node:assert/strict";
import { createHash } from "node:crypto";
import {
  choiceLimits, choiceProblem, limitHint, limitState, normalizeReceipt, quorumText, receiptHash, receiptKey,
} from "../../web/static/js/pages/poll-rules.js";

test("limits default to exactly one choice", () => {
  assert.deepEqual(choiceLimits({}), { min: 1, max: 1, multiple: false });
  assert.deepEqual(choiceLimits({ min_choices: 0, max_choices: 3 }), { min: 0, max: 3, multiple: true });
  assert.equal(limitHint({ max_choices: 1 }), "");
  assert.equal(limitHint({ min_choices: 1, max_choices: 2 }), "Chọn tối đa 2 phương án.");
  assert.equal(limitHint({ min_choices: 2, max_choices: 2 }), "Chọn đúng 2 phương án.");
  assert.equal(limitHint({ min_choices: 2, max_choices: 4 }), "Chọn từ 2 đến 4 phương án.");
});

test("reaching the maximum disables the other boxes; unticking frees them", () => {
  const q = { min_choices: 1, max_choices: 2 };
  assert.equal(limitState(q, 1).full, false);
  assert.equal(limitState(q, 1).live, "Đã chọn 1/2 phương án.");
  assert.equal(limitState(q, 2).full, true);
  assert.match(limitState(q, 2).live, /^Đã chọn đủ 2 phương án/);
  assert.equal(limitState({ max_choices: 1 }, 1).full, false);  // radios need no disabling
});

test("too many choices are named before sending; too few are the API's to say", () => {
  const q = { min_choices: 1, max_choices: 2 };
  assert.equal(choiceProblem(q, 0), null);
  assert.equal(choiceProblem(q, 3), "Chỉ được chọn tối đa 2 phương án.");
  assert.equal(choiceProblem(q, 2), null);
  assert.equal(choiceProblem({ min_choices: 0, max_choices: 2 }, 0), null);
});

test("no quorum claim without a quorum; reached only when the API says so", () => {
  assert.equal(quorumText({ quorum_percent: 0, quorum_reached: true, turnout: 1, eligible: 8 }), null);
  assert.equal(quorumText({ quorum_percent: 50, quorum_reached: true, turnout: 5, eligible: 8 }), "Đã đạt túc số");
  assert.equal(quorumText({ quorum_percent: 50, quorum_reached: false, turnout: 1, eligible: 8 }),
    "Chưa đạt túc số: 1/8 (cần 50%)");
  assert.equal(quorumText({ quorum_percent: 50, quorum_reached: false, turnout: 1200, eligible: null }),
    "Chưa đạt túc số: 1.200 phiếu (cần 50%)");
});

test("the receipt's hash is the service's: SHA-256 of the trimmed, upper-cased receipt", async () => {
  const receipt = " 7kq2-m9xd-4tbw-pa3n-c8hv \n";
  assert.equal(normalizeReceipt(receipt), "7KQ2-M9XD-4TBW-PA3N-C8HV");
  const expected = createHash("sha256").update("7KQ2-M9XD-4TBW-PA3N-C8HV").digest("hex");
  assert.equal(await receiptHash(receipt), expected);
  assert.equal(receiptKey(7, 12), "pxs-receipt:7:12");
});
