"""Webhooks in the consoles: a ward admin registers an endpoint, keeps its secret (shown once),
sends a test event, reads the delivery log, replays a delivery and deletes the endpoint; the city
console manages the every-ward endpoints."""

import os
import re

import pytest
from playwright.sync_api import expect
from standardwebhooks import Webhook

from app.config import DEFAULT_INSTALLED_MODULES
from app.identity.demo import CITY_ADMIN_SUB, citizens_of
from tests.conftest import _empty_tables, grant, make_app
from tests.integrations.webhooks.conftest import TEST_MODULE, Receiver, deliver
from tests.web.pages import check_page, sign_in_on_page

WARD = "00070"
ADMIN = citizens_of(WARD)[0].sub


@pytest.fixture
def app(database_url):
    """The app with the webhook tests' event types declared."""
    app = make_app(
        database_url,
        os.environ["PXS_TEST_INSTANCE"],
        INSTALLED_MODULES=[*DEFAULT_INSTALLED_MODULES, TEST_MODULE],
    )
    yield app
    _empty_tables(app)


@pytest.fixture
def receiver():
    found = Receiver().start()
    yield found
    found.stop()


def test_ward_admin_manages_a_webhook(app, open_page, receiver):
    grant(app, ADMIN, "ward_admin", ward=WARD)
    page = open_page("/w/hoan-kiem/staff")
    sign_in_on_page(page, ADMIN)
    section = page.locator("#webhooks")
    section.get_by_text("Chưa có điểm nhận nào.").wait_for()

    form = section.locator("#wh-form")
    form.get_by_role("button", name="Đăng ký và tạo mã bí mật").click()
    expect(form.get_by_text("Hãy chọn ít nhất một sự kiện.")).to_be_visible()
    form.get_by_label("Địa chỉ nhận (URL)").fill(receiver.url)
    form.get_by_label(re.compile("^Sự việc thử \\(test.happened\\)")).check()
    form.get_by_role("button", name="Đăng ký và tạo mã bí mật").click()

    secret_box = section.locator("#wh-secret")
    secret_box.wait_for()
    secret = secret_box.get_by_label("Mã bí mật (whsec_…)").input_value()
    assert secret.startswith("whsec_")
    card = section.locator("#wh-list li.card").first
    card.get_by_text(re.compile("^Đang hoạt động · Phường Hoàn Kiếm")).wait_for()
    check_page(page, "webhooks-secret")
    secret_box.get_by_role("button", name="Tôi đã lưu mã bí mật").click()
    expect(section.locator("#wh-secret")).to_have_count(0)

    card.get_by_role("button", name="Gửi thử").click()
    card.get_by_text("Đã xếp lịch gửi sự kiện thử").wait_for()
    assert deliver(app) == 1  # the worker's run
    (got,) = receiver.received
    assert Webhook(secret).verify(got.body, got.headers)["type"] == "webhook.test"

    card.get_by_role("button", name="Nhật ký gửi").click()
    entry = card.locator("li.card").first
    entry.get_by_text(re.compile("^Thử webhook · Đã nhận")).wait_for()
    entry.get_by_text(re.compile("Máy nhận trả lời 200")).wait_for()
    check_page(page, "webhooks-log")
    entry.get_by_role("button", name="Gửi lại").click()
    entry.get_by_text(re.compile("Đã xếp lịch gửi lại")).wait_for()
    assert deliver(app) == 1
    assert len(set(receiver.ids())) == 1 and len(receiver.ids()) == 2

    card.get_by_role("button", name="Xóa").click()
    dialog = page.get_by_role("dialog")
    expect(dialog).to_contain_text("Không thể hoàn tác.")
    check_page(page, "webhooks-delete-dialog")
    dialog.get_by_role("button", name="Xóa điểm nhận").click()
    section.get_by_text("Chưa có điểm nhận nào.").wait_for()


def test_city_admin_adds_an_every_ward_webhook(app, open_page, receiver):
    grant(app, CITY_ADMIN_SUB, "city_admin")
    page = open_page("/city")
    sign_in_on_page(page, CITY_ADMIN_SUB)
    section = page.locator("#city-webhooks")
    section.get_by_text("Chưa có điểm nhận nào.").wait_for()
    form = section.locator("#cwh-form")
    form.get_by_label("Địa chỉ nhận (URL)").fill(receiver.url)
    form.get_by_label(re.compile("^Sự việc thử khác")).check()
    form.get_by_role("button", name="Đăng ký và tạo mã bí mật").click()
    section.locator("#cwh-secret").wait_for()
    section.locator("#cwh-list li.card").first.get_by_text(
        re.compile("Đang hoạt động · Mọi phường, xã")
    ).wait_for()
    check_page(page, "city-webhooks")
