/* One Idempotency-Key per submission. Pure (the key maker is passed in).

   The same content sent again (a retry after a network failure, a second tap) keeps its key, so
   the API replays its first answer instead of creating twice; a success or a change of content
   starts a new submission with a new key. */

/** Return {keyFor(body), succeeded()}: keyFor gives the submission's key for this content. */
export function createKeyKeeper(makeKey) {
  let key = null;
  let fingerprint = null;
  return {
    keyFor(body) {
      const print = JSON.stringify(body === undefined ? null : body);
      if (key === null || print !== fingerprint) {
        key = makeKey();
        fingerprint = print;
      }
      return key;
    },
    succeeded() {
      key = null;
      fingerprint = null;
    },
  };
}
