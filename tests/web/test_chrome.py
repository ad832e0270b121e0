"""The chrome around a ward's pages: light on the network, small on a phone at large text."""

import re

import pytest

from app.identity.demo import citizens_of
from tests.web.pages import check_page, sign_in_on_page

RESIDENT = citizens_of("00070")[2].sub
FIRST_LOAD_BUDGET = 150_000  # bytes on the wire: HTML, scripts, styles and API answers
SMALL_PHONE = {"width": 360, "height": 740}


def test_a_ward_pages_first_load_transfers_at_most_150_kb(open_page):
    page = open_page("about:blank")
    finished = []
    page.on("requestfinished", lambda request: finished.append(request))
    page.goto("/w/hoan-kiem")
    page.get_by_role("heading", name="Trang chủ").wait_for()
    page.wait_for_load_state("networkidle")
    sizes = {r.url: r.sizes() for r in finished}
    transferred = sum(s["responseBodySize"] + s["responseHeadersSize"] for s in sizes.values())
    scripts = [url for url in sizes if url.endswith(".js")]
    assert any(url.endswith("/static/js/pages/home.js") for url in scripts)
    on_demand = re.compile(r"/static/js/(staff|pages/(?!home|shell))")  # other pages, the console
    assert not any(on_demand.search(url) for url in scripts), scripts
    assert transferred <= FIRST_LOAD_BUDGET, f"{transferred} bytes: {sizes}"


def _covered(page) -> float:
    """The share of the screen the header and the tab bar take at the top of the page."""
    return page.evaluate(
        """() => {
            const h = (sel) => { const n = document.querySelector(sel);
                return n ? n.getBoundingClientRect().height : 0; };
            return (h('header.top') + h('#tabbar')) / window.innerHeight;
        }"""
    )


@pytest.mark.parametrize("signed_in", [False, True])
def test_at_large_text_the_chrome_covers_at_most_30_percent(open_page, signed_in):
    page = open_page("/w/hoan-kiem")
    page.set_viewport_size(SMALL_PHONE)
    if signed_in:
        sign_in_on_page(page, RESIDENT)
    page.get_by_role("button", name="Chữ to").click()
    page.get_by_role("heading", name="Trang chủ").wait_for()
    assert "large-text" in page.locator("html").get_attribute("class")
    share = _covered(page)
    assert share <= 0.30, f"header and tab bar cover {share:.0%} of the screen"
    # Each tab's label stays on at most two lines.
    for tab in page.locator("#tabbar a span").all():
        lines = tab.evaluate(
            "n => Math.round(n.getBoundingClientRect().height"
            " / parseFloat(getComputedStyle(n).lineHeight))"
        )
        assert lines <= 2, tab.inner_text()
    check_page(page, "ward-home-large-text-small-phone" + ("-signed-in" if signed_in else ""))


def test_phone_numbers_are_tap_to_call(open_page):
    page = open_page("/w/hoan-kiem/contacts")
    page.get_by_text("Đường dây nóng").wait_for()
    hotline = page.locator("dd a[href^='tel:']")
    assert re.fullmatch(r"tel:\+?\d{3,15}", hotline.get_attribute("href"))
    police = page.get_by_role("link", name=re.compile("113"))
    assert police.get_attribute("href") == "tel:113"
    check_page(page, "ward-contacts-tel")
