"""A failed sign-in in a browser lands on a Vietnamese page that offers to sign in again."""

BROWSER = {"Accept": "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8"}


def test_a_replayed_callback_shows_a_vietnamese_page_with_a_way_back(client):
    client.get("/auth/login?next=/w/hoan-kiem")

    page = client.get("/auth/callback?code=used&state=stale", headers=BROWSER)

    assert page.status_code == 400
    assert page.mimetype == "text/html"
    text = page.get_data(as_text=True)
    assert "Chưa đăng nhập được" in text
    assert "/auth/login?next=/w/hoan-kiem" in text
    assert client.get("/api/v1/me").status_code == 401


def test_programs_still_get_the_json_error(client):
    answer = client.get("/auth/callback?code=x&state=y", headers={"Accept": "application/json"})

    assert answer.status_code == 400
    assert answer.get_json()["error"]["code"] == "sign_in_failed"


def test_back_onto_the_providers_used_request_is_a_vietnamese_page(client):
    """The mock provider refuses a used nonce; a browser sees a page, not 'Replay attack'."""
    start = client.get("/auth/login?login_hint=nobody-known")
    authorize_url = start.headers["Location"]
    chooser = client.get(authorize_url, headers=BROWSER)
    assert chooser.status_code == 200
    bad = authorize_url.replace("client_id=", "client_id=unknown-")

    page = client.get(bad, headers=BROWSER)

    assert page.status_code == 400
    assert "Replay" not in page.get_data(as_text=True)
    assert "Đăng nhập lại" in page.get_data(as_text=True)


def test_the_mock_chooser_shows_each_citizens_ward_and_role(client):
    client.get("/auth/login")
    page = client.get(client.get("/auth/login").headers["Location"]).get_data(as_text=True)

    assert "Phường Hoàn Kiếm" in page
    assert "Quản trị phường, xã" in page
    assert "Quản trị thành phố" in page
    assert "Cư dân" in page
