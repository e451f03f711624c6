from __future__ import annotations

import datetime as dt
import email.utils
import json
import socket
import threading
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from pytest_httpserver import HTTPServer
from werkzeug import Request
from werkzeug import Response as WerkzeugResponse

from scrapers.http import FetchError, HttpClient, HttpSettings, Response

XML_BODY = '<?xml version="1.0"?><author><name>Ibáñez-Ortega, M.</name></author>'.encode()


class FakeClock:
    """A monotonic clock that only moves when ``sleep`` is called."""

    def __init__(self) -> None:
        self.now = 1000.0
        self.sleeps: list[float] = []

    def sleep(self, seconds: float) -> None:
        self.sleeps.append(seconds)
        self.now += seconds

    def monotonic(self) -> float:
        return self.now


@pytest.fixture
def clock() -> FakeClock:
    return FakeClock()


MakeClient = Callable[..., HttpClient]


@pytest.fixture
def make_client(clock: FakeClock) -> Iterator[MakeClient]:
    clients: list[HttpClient] = []

    def make(**overrides: Any) -> HttpClient:
        options: dict[str, Any] = {
            "contact_email": "tracker@example.org",
            "version": "1.2.3",
            "requests_per_second": 1000.0,
            "connect_timeout": 2.0,
            "read_timeout": 2.0,
        }
        options.update(overrides)
        client = HttpClient(HttpSettings(**options), sleep=clock.sleep, monotonic=clock.monotonic)
        clients.append(client)
        return client

    yield make
    for client in clients:
        client.close()


@pytest.fixture
def closed_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


# -- User-Agent ------------------------------------------------------------


def test_user_agent_names_product_version_and_contact(
    httpserver: HTTPServer, make_client: MakeClient
) -> None:
    httpserver.expect_request("/ua").respond_with_data("ok")
    make_client().get(httpserver.url_for("/ua"))
    request, _ = httpserver.log[0]
    assert request.headers["User-Agent"] == (
        "mn-tracker/1.2.3 (+mailto:tracker@example.org; Minnesota bill tracker)"
    )


def test_user_agent_without_contact_email_says_so(
    httpserver: HTTPServer, make_client: MakeClient
) -> None:
    httpserver.expect_request("/ua").respond_with_data("ok")
    make_client(contact_email=None).get(httpserver.url_for("/ua"))
    request, _ = httpserver.log[0]
    assert request.headers["User-Agent"] == (
        "mn-tracker/1.2.3 (no contact email configured; Minnesota bill tracker)"
    )


def test_settings_validation() -> None:
    with pytest.raises(ValueError, match="mutually exclusive"):
        HttpSettings(contact_email=None, version="1", record_dir="/tmp/a", replay_dir="/tmp/b")
    with pytest.raises(ValueError, match="requests_per_second"):
        HttpSettings(contact_email=None, version="1", requests_per_second=0)
    with pytest.raises(ValueError, match="contact_email"):
        HttpSettings(contact_email="a@b.org\r\nX-Evil: 1", version="1")


def test_missing_ca_bundle_is_an_error(tmp_path: Path) -> None:
    settings = HttpSettings(contact_email=None, version="1", ca_bundle=str(tmp_path / "no.pem"))
    with pytest.raises(ValueError, match="CA bundle not found"):
        HttpClient(settings)


def test_ca_bundle_adds_to_the_default_store(tmp_path: Path) -> None:
    import certifi

    extra = tmp_path / "intermediate.pem"
    extra.write_text("-----BEGIN CERTIFICATE-----\nMIIBinvented\n-----END CERTIFICATE-----\n")
    client = HttpClient(HttpSettings(contact_email=None, version="1", ca_bundle=str(extra)))
    combined = Path(client._verify)  # type: ignore[arg-type]
    text = combined.read_text()
    assert text.startswith(Path(certifi.where()).read_text().rstrip("\n"))
    assert text.endswith(extra.read_text())
    client.close()
    assert not combined.exists()


def test_ca_bundle_without_certificates_is_refused(tmp_path: Path) -> None:
    extra = tmp_path / "empty.pem"
    extra.write_text("nothing here")
    with pytest.raises(ValueError, match="holds no PEM certificate"):
        HttpClient(HttpSettings(contact_email=None, version="1", ca_bundle=str(extra)))


# -- rate limit ------------------------------------------------------------


def test_rate_limit_waits_between_requests_to_one_host(
    httpserver: HTTPServer, make_client: MakeClient, clock: FakeClock
) -> None:
    httpserver.expect_request("/a").respond_with_data("a")
    client = make_client(requests_per_second=2.0)
    client.get(httpserver.url_for("/a"))
    assert clock.sleeps == []
    client.get(httpserver.url_for("/a"))
    assert clock.sleeps == [pytest.approx(0.5)]
    client.get(httpserver.url_for("/a"))
    assert clock.sleeps == [pytest.approx(0.5), pytest.approx(0.5)]
    assert client.stats.requests_sent == 3


def test_rate_limit_is_per_host(
    httpserver: HTTPServer,
    httpserver_ipv4: HTTPServer,
    make_client: MakeClient,
    clock: FakeClock,
) -> None:
    httpserver.expect_request("/a").respond_with_data("a")
    httpserver_ipv4.expect_request("/b").respond_with_data("b")
    assert httpserver.url_for("/a").split("/")[2] != httpserver_ipv4.url_for("/b").split("/")[2]
    client = make_client(requests_per_second=1.0)
    assert client.get(httpserver.url_for("/a")).content == b"a"
    assert client.get(httpserver_ipv4.url_for("/b")).content == b"b"
    assert clock.sleeps == []
    client.get(httpserver.url_for("/a"))
    assert clock.sleeps == [pytest.approx(1.0)]


def test_retries_count_against_the_rate_limit(
    httpserver: HTTPServer, make_client: MakeClient, clock: FakeClock
) -> None:
    httpserver.expect_ordered_request("/r").respond_with_data("busy", status=503)
    httpserver.expect_ordered_request("/r").respond_with_data("ok")
    client = make_client(requests_per_second=1.0, backoff_base=0.0)
    assert client.get(httpserver.url_for("/r")).content == b"ok"
    assert clock.sleeps == [pytest.approx(1.0)]  # no backoff, but the host slot


# -- retries ---------------------------------------------------------------


def test_retry_on_503_with_exponential_backoff(
    httpserver: HTTPServer, make_client: MakeClient, clock: FakeClock
) -> None:
    httpserver.expect_ordered_request("/r").respond_with_data("busy", status=503)
    httpserver.expect_ordered_request("/r").respond_with_data("busy", status=503)
    httpserver.expect_ordered_request("/r").respond_with_data("finally")
    client = make_client(backoff_base=1.5)
    response = client.get(httpserver.url_for("/r"))
    assert response.status == 200
    assert response.content == b"finally"
    assert clock.sleeps == [1.5, 3.0]
    assert client.stats.requests_sent == 3
    assert client.stats.retries == 2
    assert client.stats.failures == 0
    assert len(httpserver.log) == 3


def test_backoff_is_capped(
    httpserver: HTTPServer, make_client: MakeClient, clock: FakeClock
) -> None:
    httpserver.expect_request("/r").respond_with_data("down", status=502)
    client = make_client(backoff_base=20.0, retries=4)
    with pytest.raises(FetchError):
        client.get(httpserver.url_for("/r"))
    assert clock.sleeps == [20.0, 40.0, 60.0, 60.0]


def test_retry_after_seconds_is_honoured(
    httpserver: HTTPServer, make_client: MakeClient, clock: FakeClock
) -> None:
    httpserver.expect_ordered_request("/r").respond_with_data(
        "later", status=503, headers={"Retry-After": "7"}
    )
    httpserver.expect_ordered_request("/r").respond_with_data("ok")
    assert make_client().get(httpserver.url_for("/r")).content == b"ok"
    assert clock.sleeps == [7.0]


def test_retry_after_http_date_is_honoured(
    httpserver: HTTPServer, make_client: MakeClient, clock: FakeClock
) -> None:
    when = dt.datetime.now(dt.UTC) + dt.timedelta(seconds=30)
    httpserver.expect_ordered_request("/r").respond_with_data(
        "later", status=429, headers={"Retry-After": email.utils.format_datetime(when, True)}
    )
    httpserver.expect_ordered_request("/r").respond_with_data("ok")
    assert make_client().get(httpserver.url_for("/r")).content == b"ok"
    assert len(clock.sleeps) == 1
    assert 27.0 <= clock.sleeps[0] <= 30.0


@pytest.mark.parametrize("value", ["86400", "soon", "-5"])
def test_insane_retry_after_falls_back_to_backoff(
    httpserver: HTTPServer, make_client: MakeClient, clock: FakeClock, value: str
) -> None:
    httpserver.expect_ordered_request("/r").respond_with_data(
        "later", status=503, headers={"Retry-After": value}
    )
    httpserver.expect_ordered_request("/r").respond_with_data("ok")
    assert make_client(backoff_base=2.0).get(httpserver.url_for("/r")).content == b"ok"
    assert clock.sleeps == [2.0]


def test_429_is_retried(httpserver: HTTPServer, make_client: MakeClient, clock: FakeClock) -> None:
    httpserver.expect_ordered_request("/r").respond_with_data("slow down", status=429)
    httpserver.expect_ordered_request("/r").respond_with_data("ok")
    client = make_client()
    assert client.get(httpserver.url_for("/r")).content == b"ok"
    assert clock.sleeps == [1.0]
    assert client.stats.retries == 1


def test_404_is_not_retried(
    httpserver: HTTPServer, make_client: MakeClient, clock: FakeClock
) -> None:
    httpserver.expect_request("/missing").respond_with_data("no such bill", status=404)
    client = make_client()
    url = httpserver.url_for("/missing")
    with pytest.raises(FetchError) as info:
        client.get(url)
    assert info.value.url == url
    assert info.value.status == 404
    assert url in str(info.value)
    assert "404" in str(info.value)
    assert info.value.response is not None
    assert info.value.response.content == b"no such bill"
    assert len(httpserver.log) == 1
    assert clock.sleeps == []
    assert client.stats.retries == 0
    assert client.stats.failures == 1


def test_gives_up_after_retries(
    httpserver: HTTPServer, make_client: MakeClient, clock: FakeClock
) -> None:
    httpserver.expect_request("/down").respond_with_data("oops", status=500)
    client = make_client(retries=2)
    url = httpserver.url_for("/down")
    with pytest.raises(FetchError) as info:
        client.get(url)
    assert info.value.status == 500
    assert url in str(info.value)
    assert "after 3 attempts" in str(info.value)
    assert len(httpserver.log) == 3
    assert clock.sleeps == [1.0, 2.0]
    assert (client.stats.requests_sent, client.stats.retries, client.stats.failures) == (3, 2, 1)


def test_read_timeout_is_retried_then_fails(
    httpserver: HTTPServer, make_client: MakeClient, clock: FakeClock
) -> None:
    release = threading.Event()

    def slow(request: Request) -> WerkzeugResponse:
        release.wait(2.0)
        return WerkzeugResponse("too late")

    httpserver.expect_request("/slow").respond_with_handler(slow)
    client = make_client(read_timeout=0.2, retries=1)
    url = httpserver.url_for("/slow")
    try:
        with pytest.raises(FetchError) as info:
            client.get(url)
    finally:
        release.set()
        # Let both slow handlers finish and be logged now: a late entry would
        # land in the next test's request log (the server outlives the test).
        deadline = time.monotonic() + 5
        while len(httpserver.log) < 2 and time.monotonic() < deadline:
            time.sleep(0.01)
    assert len(httpserver.log) == 2
    assert url in str(info.value)
    assert "read timeout" in info.value.reason
    assert info.value.status is None
    assert client.stats.requests_sent == 2
    assert clock.sleeps == [1.0]


def test_connection_refused_is_retried_then_fails(
    make_client: MakeClient, clock: FakeClock, closed_port: int
) -> None:
    client = make_client(retries=2)
    url = f"http://127.0.0.1:{closed_port}/nothing"
    with pytest.raises(FetchError) as info:
        client.get(url)
    assert url in str(info.value)
    assert "connection error" in info.value.reason
    assert "after 3 attempts" in info.value.reason
    assert client.stats.requests_sent == 3
    assert clock.sleeps == [1.0, 2.0]


# -- conditional requests --------------------------------------------------


def _etag_handler(request: Request) -> WerkzeugResponse:
    if request.headers.get("If-None-Match") == '"v1"':
        return WerkzeugResponse(status=304, headers={"ETag": '"v1"'})
    return WerkzeugResponse(XML_BODY, content_type="text/xml", headers={"ETag": '"v1"'})


def test_conditional_get_with_etag(
    httpserver: HTTPServer, make_client: MakeClient, tmp_path: Path
) -> None:
    httpserver.expect_request("/bill.xml").respond_with_handler(_etag_handler)
    client = make_client(cache_dir=str(tmp_path / "cache"))
    url = httpserver.url_for("/bill.xml")

    first = client.get(url)
    assert first.status == 200
    assert first.content == XML_BODY
    assert first.from_cache is False
    assert "If-None-Match" not in httpserver.log[0][0].headers

    second = client.get(url)
    assert httpserver.log[1][0].headers["If-None-Match"] == '"v1"'
    assert httpserver.log[1][1].status_code == 304
    assert second.status == 200
    assert second.content == XML_BODY
    assert second.from_cache is True
    assert second.header("etag") == '"v1"'
    assert client.stats.not_modified == 1
    assert client.stats.requests_sent == 2

    # A later run with the same cache directory also asks conditionally.
    later = make_client(cache_dir=str(tmp_path / "cache"))
    assert later.get(url).content == XML_BODY
    assert later.stats.not_modified == 1
    assert httpserver.log[2][0].headers["If-None-Match"] == '"v1"'


def test_conditional_get_with_last_modified_and_params(
    httpserver: HTTPServer, make_client: MakeClient, tmp_path: Path
) -> None:
    stamp = "Wed, 21 Oct 2026 07:28:00 GMT"

    def handler(request: Request) -> WerkzeugResponse:
        if request.headers.get("If-Modified-Since") == stamp:
            return WerkzeugResponse(status=304)
        body = f"page {request.args['page']}"
        return WerkzeugResponse(body, headers={"Last-Modified": stamp})

    httpserver.expect_request("/list").respond_with_handler(handler)
    client = make_client(cache_dir=str(tmp_path / "cache"))
    url = httpserver.url_for("/list")
    assert client.get(url, params={"page": 1}).content == b"page 1"
    assert client.get(url, params={"page": 2}).content == b"page 2"  # a different cache entry
    again = client.get(url, params={"page": 1})
    assert (again.content, again.from_cache) == (b"page 1", True)
    assert httpserver.log[2][0].headers["If-Modified-Since"] == stamp
    assert "If-Modified-Since" not in httpserver.log[1][0].headers
    assert client.stats.not_modified == 1


def test_response_without_validators_is_not_cached(
    httpserver: HTTPServer, make_client: MakeClient, tmp_path: Path
) -> None:
    httpserver.expect_request("/plain").respond_with_data("plain")
    client = make_client(cache_dir=str(tmp_path / "cache"))
    client.get(httpserver.url_for("/plain"))
    client.get(httpserver.url_for("/plain"))
    assert "If-None-Match" not in httpserver.log[1][0].headers
    assert client.stats.not_modified == 0


# -- bodies ----------------------------------------------------------------


def test_utf8_body_without_charset(httpserver: HTTPServer, make_client: MakeClient) -> None:
    httpserver.expect_request("/status.xml").respond_with_data(XML_BODY, content_type="text/xml")
    response = make_client().get(httpserver.url_for("/status.xml"))
    assert response.header("Content-Type") == "text/xml"
    assert "<name>Ibáñez-Ortega, M.</name>" in response.text_utf8()
    assert response.url == httpserver.url_for("/status.xml")


def test_json_helper(httpserver: HTTPServer, make_client: MakeClient) -> None:
    httpserver.expect_request("/api").respond_with_json({"name": "Ibáñez-Ortega", "n": 1})
    assert make_client().get(httpserver.url_for("/api")).json() == {"name": "Ibáñez-Ortega", "n": 1}


def test_post_form_body_is_sent(httpserver: HTTPServer, make_client: MakeClient) -> None:
    httpserver.expect_request(
        "/votes", method="POST", data="bill=HF+1&session=0942025"
    ).respond_with_data("<table>votes</table>", content_type="text/html")
    response = make_client().post(
        httpserver.url_for("/votes"), data={"bill": "HF 1", "session": "0942025"}
    )
    assert response.content == b"<table>votes</table>"
    request, _ = httpserver.log[0]
    assert request.headers["Content-Type"] == "application/x-www-form-urlencoded"
    assert request.form["bill"] == "HF 1"


def test_post_json_body_is_sent(httpserver: HTTPServer, make_client: MakeClient) -> None:
    httpserver.expect_request("/j", method="POST", json={"a": [1, 2]}).respond_with_data("ok")
    assert make_client().post(httpserver.url_for("/j"), json={"a": [1, 2]}).content == b"ok"


# -- record and replay -----------------------------------------------------


def _responses_equal(a: Response, b: Response) -> None:
    assert (a.url, a.status, a.headers, a.content) == (b.url, b.status, b.headers, b.content)


def test_record_then_replay(
    httpserver: HTTPServer, make_client: MakeClient, tmp_path: Path
) -> None:
    record_dir = tmp_path / "rec"
    httpserver.expect_request("/bill", query_string="f=HF1").respond_with_data(
        XML_BODY, content_type="text/xml", headers={"X-Source": "test"}
    )
    httpserver.expect_request("/votes", method="POST", data="bill=HF1").respond_with_data(
        "<p>yes 70</p>", content_type="text/html"
    )
    httpserver.expect_request("/gone").respond_with_data("gone", status=404)
    recorder = make_client(record_dir=str(record_dir))
    got = recorder.get(httpserver.url_for("/bill"), params={"f": "HF1"})
    posted = recorder.post(httpserver.url_for("/votes"), data={"bill": "HF1"})
    with pytest.raises(FetchError):
        recorder.get(httpserver.url_for("/gone"))
    recorder.close()
    assert recorder.stats.recorded == 3

    lines = (record_dir / "index.jsonl").read_text(encoding="utf-8").splitlines()
    entries = [json.loads(line) for line in lines]
    assert [(e["method"], e["status"]) for e in entries] == [
        ("GET", 200),
        ("POST", 200),
        ("GET", 404),
    ]
    assert entries[0]["url"] == httpserver.url_for("/bill") + "?f=HF1"
    assert entries[0]["request_body"] is None
    assert entries[1]["request_body"] == "bill=HF1"
    assert entries[0]["headers"]["X-Source"] == "test"
    assert dt.datetime.fromisoformat(entries[0]["time"]).tzinfo is not None
    assert (record_dir / entries[0]["body_file"]).read_bytes() == XML_BODY
    assert (record_dir / entries[2]["body_file"]).read_bytes() == b"gone"

    httpserver.clear()  # nothing is served any more
    player = make_client(replay_dir=str(record_dir))
    _responses_equal(player.get(httpserver.url_for("/bill"), params={"f": "HF1"}), got)
    _responses_equal(player.post(httpserver.url_for("/votes"), data={"bill": "HF1"}), posted)
    with pytest.raises(FetchError) as info:
        player.get(httpserver.url_for("/gone"))
    assert info.value.status == 404
    assert len(httpserver.log) == 0
    assert player.stats.replayed == 3
    assert player.stats.requests_sent == 0


def test_replay_of_unknown_request_raises(
    httpserver: HTTPServer, make_client: MakeClient, tmp_path: Path
) -> None:
    httpserver.expect_request("/votes", method="POST").respond_with_data("ok")
    recorder = make_client(record_dir=str(tmp_path))
    recorder.post(httpserver.url_for("/votes"), data={"bill": "HF1"})
    httpserver.clear()

    player = make_client(replay_dir=str(tmp_path))
    unknown = httpserver.url_for("/other")
    with pytest.raises(FetchError, match="not in replay directory") as info:
        player.get(unknown)
    assert info.value.url == unknown
    with pytest.raises(FetchError, match="not in replay directory"):
        player.post(httpserver.url_for("/votes"), data={"bill": "HF2"})
    with pytest.raises(FetchError, match="not in replay directory"):
        player.get(httpserver.url_for("/votes"))
    assert len(httpserver.log) == 0


def test_replay_directory_needs_an_index(tmp_path: Path) -> None:
    with pytest.raises(ValueError, match="index.jsonl"):
        HttpClient(HttpSettings(contact_email=None, version="1", replay_dir=str(tmp_path)))


def test_torn_index_line_is_skipped(
    httpserver: HTTPServer, make_client: MakeClient, tmp_path: Path
) -> None:
    httpserver.expect_request("/a").respond_with_data("a")
    make_client(record_dir=str(tmp_path)).get(httpserver.url_for("/a"))
    with open(tmp_path / "index.jsonl", "a", encoding="utf-8") as index:
        index.write('{"method": "GET", "url": "http://interrupt')
    player = make_client(replay_dir=str(tmp_path))
    assert player.get(httpserver.url_for("/a")).content == b"a"


def test_describe(httpserver: HTTPServer, make_client: MakeClient) -> None:
    httpserver.expect_request("/a").respond_with_data("a")
    client = make_client()
    client.get(httpserver.url_for("/a"))
    assert client.describe() == (
        "1 requests sent, 0 not modified, 0 retries, 0 failures, 0 replayed, 0 recorded"
    )
