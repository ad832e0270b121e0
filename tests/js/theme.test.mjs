// Colours: WCAG contrast, the text colour on the ward's primary, a readable link colour.
import { test } from "node:test";
import assert from "node:assert/strict";
import { contrast, luminance, textOn, themeVariables } from "../../web/static/js/core/theme.js";

test("contrast ratios follow WCAG 2", () => {
  assert.equal(contrast("#000000", "#FFFFFF"), 21);
  assert.equal(contrast("#777777", "#777777"), 1);
  assert.ok(Math.abs(contrast("#767676", "#FFFFFF") - 4.54) < 0.01);
  assert.equal(luminance("#FFFFFF"), 1);
});

test("text on a colour is black or white, whichever reads better", () => {
  assert.equal(textOn("#B71C1C"), "#FFFFFF");
  assert.equal(textOn("#FFEB3B"), "#000000");
});

test("links take the primary colour only where it reads on the background", () => {
  const dark = themeVariables({ primary: "#B71C1C", background: "#FFFFFF", text: "#1F1F1F" });
  assert.equal(dark["--link"], "#B71C1C");
  const pale = themeVariables({ primary: "#FFEB3B", background: "#FFFFFF", text: "#1F1F1F" });
  assert.equal(pale["--link"], "#1F1F1F");
  assert.equal(pale["--on-primary"], "#000000");
});
