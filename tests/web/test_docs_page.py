"""The API documentation page works under its Content-Security-Policy, offline."""

from tests.web.conftest import TIMEOUT_MS


def test_swagger_ui_renders_under_its_policy(browser, server):
    # Unlike the other browser tests, the page's CSP is enforced here: it is what is tested.
    context = browser.new_context(base_url=server)
    context.set_default_timeout(TIMEOUT_MS)
    violations: list[str] = []
    page = context.new_page()
    page.on(
        "console",
        lambda m: violations.append(m.text) if "Content Security" in m.text else None,
    )
    try:
        page.goto("/api/docs")
        page.get_by_text("/api/v1/wards", exact=True).first.wait_for()
        assert violations == []
    finally:
        context.close()
