"""The landing page: the 126 wards, searchable without diacritics."""

from tests.web.pages import check_page


def test_search_without_diacritics_finds_the_ward(open_page):
    page = open_page("/")
    page.get_by_text("Có 126 phường, xã.").wait_for()
    assert page.locator("html").get_attribute("lang") == "vi"
    check_page(page, "landing")

    page.get_by_label("Tìm phường, xã (gõ có dấu hoặc không dấu)").fill("hoan kiem")
    page.get_by_text("khớp với «hoan kiem»").wait_for()
    link = page.get_by_role("link", name="Phường Hoàn Kiếm")
    assert link.get_attribute("href") == "/w/hoan-kiem"
    check_page(page, "landing-search")

    link.click()
    page.wait_for_url("**/w/hoan-kiem")
    page.get_by_role("heading", name="Phường Hoàn Kiếm", level=1).wait_for()
