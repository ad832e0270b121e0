/* The ward's colours and the large-text mode. The colour maths is pure (WCAG 2 contrast). */

/** WCAG relative luminance of "#RRGGBB". */
export function luminance(hex) {
  const [r, g, b] = [1, 3, 5].map((i) => {
    const v = parseInt(hex.slice(i, i + 2), 16) / 255;
    return v <= 0.03928 ? v / 12.92 : Math.pow((v + 0.055) / 1.055, 2.4);
  });
  return 0.2126 * r + 0.7152 * g + 0.0722 * b;
}

/** WCAG contrast ratio of two "#RRGGBB" colours (1 to 21). */
export function contrast(a, b) {
  const la = luminance(a);
  const lb = luminance(b);
  return (Math.max(la, lb) + 0.05) / (Math.min(la, lb) + 0.05);
}

/** The text colour for a background: black or white, whichever contrasts more. */
export function textOn(background) {
  return contrast(background, "#FFFFFF") >= contrast(background, "#000000") ? "#FFFFFF" : "#000000";
}

/** The CSS variables of a colour set: primary, text on it, background, text, a readable link. */
export function themeVariables(colours) {
  return {
    "--primary": colours.primary,
    "--on-primary": textOn(colours.primary),
    "--bg": colours.background,
    "--text": colours.text,
    "--link": contrast(colours.primary, colours.background) >= 4.5 ? colours.primary : colours.text,
  };
}

/** Apply the config's theme (light, or dark when the device asks and the ward has one). */
export function applyTheme(theme, root = document.documentElement) {
  const dark = !!(window.matchMedia && matchMedia("(prefers-color-scheme: dark)").matches && theme.dark);
  const colours = (dark ? theme.dark : theme.light) || theme.light;
  if (!colours) return;
  for (const [name, value] of Object.entries(themeVariables(colours))) root.style.setProperty(name, value);
  if (root === document.documentElement) root.classList.toggle("dark", dark);
}

/* Large-text mode for elderly residents, remembered on the device. */
export function setupLargeText() {
  const root = document.documentElement;
  let on = false;
  try { on = localStorage.getItem("pxs-large-text") === "1"; } catch (e) { /* private mode */ }
  root.classList.toggle("large-text", on);
  const buttons = document.querySelectorAll("[data-large-text]");
  buttons.forEach((button) => {
    button.setAttribute("aria-pressed", String(on));
    button.addEventListener("click", () => {
      on = !root.classList.contains("large-text");
      root.classList.toggle("large-text", on);
      try { localStorage.setItem("pxs-large-text", on ? "1" : "0"); } catch (e) { /* ignore */ }
      buttons.forEach((b) => b.setAttribute("aria-pressed", String(on)));
    });
  });
}
