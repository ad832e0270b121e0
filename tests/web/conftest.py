"""Browser fixtures: the app served on a loopback port, Debian's Chromium driven by Playwright.

The browser tests never skip: a missing Chromium or a missing axe-core (installed by `npm ci`
from `make test`) fails them with the command that fixes it.
"""

import threading
from pathlib import Path

import pytest
from werkzeug.serving import make_server

ROOT = Path(__file__).resolve().parents[2]
CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-quic",
]
# A small phone: the front is built mobile first.
PHONE = {"width": 390, "height": 844}
TIMEOUT_MS = 15_000


@pytest.fixture(scope="session")
def browser():
    """Launch Debian's Chromium once for the session (Playwright's own download cannot work)."""
    if not CHROMIUM.exists():
        pytest.fail(f"{CHROMIUM} is missing: install it with `apt-get install -y chromium`.")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=str(CHROMIUM), args=CHROMIUM_ARGS, headless=True
        )
        yield browser
        browser.close()


@pytest.fixture
def server(app):
    """Serve the test's app (on its migrated database) on a free loopback port."""
    httpd = make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{httpd.server_port}"
    httpd.shutdown()
    thread.join()
    httpd.server_close()


@pytest.fixture
def open_page(browser, server):
    """Return a factory of pages, each in its own browser context (its own cookies).

    Script errors in any page fail the test.
    """
    contexts = []
    errors: list[str] = []

    def factory(path: str = "/"):
        context = browser.new_context(
            base_url=server,
            viewport=PHONE,
            locale="vi-VN",
            timezone_id="Asia/Ho_Chi_Minh",
            # axe is injected as an inline script, which the pages' CSP would refuse.
            bypass_csp=True,
            accept_downloads=True,
        )
        context.set_default_timeout(TIMEOUT_MS)
        contexts.append(context)
        page = context.new_page()
        page.on("pageerror", lambda error: errors.append(str(error)))
        page.goto(path)
        return page

    yield factory
    for context in contexts:
        context.close()
    assert not errors, f"script errors in the page: {errors}"
