// Labels come from GET /api/v1/vocabulary, fetched once; a missing label shows the code.
import { test } from "node:test";
import assert from "node:assert/strict";
import { label, loadVocabulary, options, resetVocabulary } from "../../web/static/js/core/labels.js";

const VOCAB = {
  community_kind: { chi_bo: "Chi bộ", other: "Khác", thon: "Thôn", to_dan_pho: "Tổ dân phố" },
  notice_status: { draft: "Bản nháp", published: "Đã đăng", withdrawn: "Đã thu hồi" },
};

test("a label is looked up, or the code itself shows", () => {
  assert.equal(label("community_kind", "thon", VOCAB), "Thôn");
  assert.equal(label("community_kind", "new_kind", VOCAB), "new_kind");
  assert.equal(label("no_such_vocabulary", "x", VOCAB), "x");
  assert.equal(label("community_kind", null, VOCAB), "");
  assert.equal(label("community_kind", "toString", VOCAB), "toString");
});

test("options follow the order asked, then the vocabulary's other codes", () => {
  assert.deepEqual(options("community_kind", { codes: ["to_dan_pho", "thon", "gone"], vocab: VOCAB }), [
    ["to_dan_pho", "Tổ dân phố"], ["thon", "Thôn"], ["chi_bo", "Chi bộ"], ["other", "Khác"],
  ]);
  assert.deepEqual(options("notice_status", { codes: ["published"], only: ["published", "draft"], vocab: VOCAB }),
    [["published", "Đã đăng"], ["draft", "Bản nháp"]]);
});

test("without the vocabulary, the codes label themselves", () => {
  assert.deepEqual(options("zone_kind", { codes: ["street", "market"], vocab: {} }),
    [["street", "street"], ["market", "market"]]);
});

test("the vocabulary is fetched once for the page's life", async () => {
  resetVocabulary();
  let calls = 0;
  const fetcher = async () => { calls++; return VOCAB; };
  await Promise.all([loadVocabulary(fetcher), loadVocabulary(fetcher)]);
  await loadVocabulary(fetcher);
  assert.equal(calls, 1);
  assert.equal(label("notice_status", "draft"), "Bản nháp");
  resetVocabulary();
});

test("a failed fetch leaves the codes showing", async () => {
  resetVocabulary();
  const vocab = await loadVocabulary(async () => { throw new Error("offline"); });
  assert.deepEqual(vocab, {});
  assert.equal(label("notice_status", "draft"), "draft");
  resetVocabulary();
});
