"""Helpers for browser tests: sign in on the page, screenshot and accessibility check."""

import json
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
AXE_SCRIPT = ROOT / "node_modules" / "axe-core" / "axe.min.js"
ARTIFACTS = ROOT / "tests" / "artifacts"


# Accepts the privacy notice from a page that does not show it (so that a later ward page does
# not open it over what the test clicks), as the ward and staff pages would.
ACCEPT_NOTICE = """async () => {
    const me = await (await fetch("/api/v1/me")).json();
    if (!me.consent_required) return false;
    const notice = await (await fetch("/api/v1/privacy-notice")).json();
    const r = await fetch("/api/v1/me/consent", {
        method: "POST",
        headers: {"Content-Type": "application/json", "X-CSRF-Token": me.csrf_token},
        body: JSON.stringify({policy_version: notice.version}),
    });
    return r.status;
}"""


def sign_in_on_page(page, sub: str) -> None:
    """Sign in as a demo citizen the way a resident does: the button, the mock's page, the notice.

    At the first sign-in the ward and staff pages open the privacy notice before they show
    "Đăng xuất"; it is accepted here as a resident would.
    """
    page.get_by_role("link", name="Đăng nhập bằng VNeID").first.click()
    page.locator(f"button[name=citizen][value='{sub}']").click()
    page.get_by_role("button", name="Đăng xuất").wait_for()
    accept_privacy_notice(page)


def accept_privacy_notice(page) -> None:
    """Accept the privacy notice: in its dialog when it is open, else through the API."""
    dialog = page.locator("dialog.privacy[open]")
    if dialog.count():
        dialog.get_by_role("button", name="Đồng ý và tiếp tục").click()
        dialog.wait_for(state="detached")
    else:
        page.evaluate(ACCEPT_NOTICE)


def check_page(page, name: str) -> None:
    """Save a screenshot of the page to tests/artifacts/ and assert axe finds no violation."""
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / f"{name}.png"), full_page=True)
    if not AXE_SCRIPT.exists():
        pytest.fail(f"{AXE_SCRIPT} is missing: run `npm ci --no-audit --no-fund` at the repo root.")
    if not page.evaluate("() => typeof window.axe !== 'undefined'"):
        page.add_script_tag(path=str(AXE_SCRIPT))
    result = page.evaluate(
        """async () => {
            const r = await axe.run(document, {resultTypes: ['violations']});
            return r.violations.map(v => ({
                id: v.id, impact: v.impact, help: v.help,
                nodes: v.nodes.slice(0, 5).map(n => n.target.join(' ') + ' :: ' + n.failureSummary),
            }));
        }"""
    )
    report = json.dumps(result, ensure_ascii=False, indent=1)
    assert result == [], f"axe violations on {name}:\n{report}"
