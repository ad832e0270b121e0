"""The web front's pages without a browser: first-load weight and no outside resources."""

import gzip
import json
import re
from html.parser import HTMLParser
from urllib.parse import urljoin

import brotli
import pytest

FIRST_LOAD_BUDGET = 150_000  # bytes: HTML, JS and CSS of a ward page, for small old phones
PAGES = ["/", "/w/hoan-kiem", "/w/hoan-kiem/notices/1", "/w/hoan-kiem/staff"]


class _Resources(HTMLParser):
    """Collect the scripts, stylesheets and other resources a page loads."""

    def __init__(self):
        super().__init__()
        self.urls: list[str] = []
        self.lang: str | None = None

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "html":
            self.lang = attrs.get("lang")
        if tag in ("script", "img", "iframe", "source", "audio", "video") and attrs.get("src"):
            self.urls.append(attrs["src"])
        if tag == "link" and attrs.get("href"):
            self.urls.append(attrs["href"])


def _get(client, path: str):
    """GET a path and return the response, its file closed (files are streamed)."""
    response = client.get(path)
    response.get_data()
    response.close()
    return response


def _resources(client, path: str) -> _Resources:
    response = _get(client, path)
    assert response.status_code == 200
    assert response.mimetype == "text/html"
    parser = _Resources()
    parser.feed(response.get_data(as_text=True))
    return parser


# Static imports of an ES module (`import … from "./x.js"`, `import "./x.js"`); dynamic
# `import("./x.js")` calls are what a page loads later, on demand, and are not followed.
_STATIC_IMPORT = re.compile(r"""^\s*(?:import|export)\b[^"'()]*?["'](\.{1,2}/[^"']+)["']""", re.M)


def _module_graph(client, url: str, seen: dict[str, int]) -> None:
    """Add a module and everything it imports statically to `seen` (url -> bytes)."""
    if url in seen:
        return
    response = _get(client, url)
    assert response.status_code == 200, url
    seen[url] = len(response.data)
    for spec in _STATIC_IMPORT.findall(response.get_data(as_text=True)):
        _module_graph(client, urljoin(url, spec), seen)


def test_a_ward_page_first_load_fits_the_budget(client):
    """HTML, CSS and the entry module with its static imports, uncompressed, fit the budget.

    The page module of the address (home.js here) is loaded on demand and counted too.
    """
    page = _get(client, "/w/hoan-kiem")
    total = len(page.data)
    resources = _resources(client, "/w/hoan-kiem").urls
    assert any(url.endswith(".js") for url in resources)
    assert any(url.endswith(".css") for url in resources)
    modules: dict[str, int] = {}
    for url in resources:
        if url.startswith("data:"):
            continue  # inline: already counted in the page
        if url.endswith(".js"):
            _module_graph(client, url, modules)
            continue
        response = _get(client, url)
        assert response.status_code == 200, url
        total += len(response.data)
    _module_graph(client, "/static/js/pages/home.js", modules)
    assert "/static/js/core/api.js" in modules  # the graph was followed
    assert not any("/staff/" in url for url in modules)  # the console is not part of it
    total += sum(modules.values())
    assert total <= FIRST_LOAD_BUDGET, f"first load is {total} bytes: {modules}"


@pytest.mark.parametrize("path", PAGES)
def test_pages_load_nothing_from_another_site(client, path):
    parser = _resources(client, path)
    assert parser.lang == "vi"
    for url in parser.urls:
        assert not re.match(r"^(https?:)?//", url), url
        if url.endswith(".css"):
            css = _get(client, url).get_data(as_text=True)
            assert not re.search(r"(url\(|@import)\s*['\"]?(https?:)?//", css)


def test_pages_forbid_scripts_from_elsewhere(client):
    policy = _get(client, "/w/hoan-kiem").headers["Content-Security-Policy"]
    assert "default-src 'self'" in policy


def test_assets_are_served_and_missing_ones_answer_404(client):
    assert _get(client, "/static/js/ward.js").status_code == 200
    assert _get(client, "/static/nothing-here.js").status_code == 404
    assert _get(client, "/static/../wsgi.py").status_code == 404


def _compressed(client, path: str, encoding: str, **headers):
    response = client.get(path, headers={"Accept-Encoding": encoding, **headers})
    data = response.get_data()
    response.close()
    return response, data


def test_scripts_and_json_are_gzipped_for_browsers_that_accept_it(client):
    plain = _get(client, "/static/js/ward.js").data
    response, data = _compressed(client, "/static/js/ward.js", "gzip")
    assert response.status_code == 200
    assert response.headers["Content-Encoding"] == "gzip"
    assert "Accept-Encoding" in response.headers["Vary"]
    assert gzip.decompress(data) == plain

    response, data = _compressed(client, "/api/v1/wards?limit=200", "gzip")
    assert (response.status_code, response.headers["Content-Encoding"]) == (200, "gzip")
    assert response.mimetype == "application/json"
    assert len(json.loads(gzip.decompress(data))["items"]) == 126
    assert len(data) < len(gzip.decompress(data)) / 3


@pytest.mark.parametrize("path", ["/w/hoan-kiem", "/static/app.css", "/static/js/core/forms.js"])
def test_pages_styles_and_scripts_take_brotli_first(client, path):
    plain = _get(client, path).data
    response, data = _compressed(client, path, "gzip, deflate, br, zstd")
    assert response.headers["Content-Encoding"] == "br"
    assert brotli.decompress(data) == plain


def test_a_compressed_asset_still_revalidates_with_304(client):
    response, _ = _compressed(client, "/static/js/ward.js", "gzip")
    etag = response.headers["ETag"]
    again, data = _compressed(client, "/static/js/ward.js", "gzip", **{"If-None-Match": etag})
    assert again.status_code == 304
    assert data == b""


def test_answers_are_not_compressed_for_clients_that_do_not_ask(client):
    response = _get(client, "/static/js/ward.js")
    assert "Content-Encoding" not in response.headers
