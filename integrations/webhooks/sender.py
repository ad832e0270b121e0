"""Sending webhooks: many at once, over kept-alive connections, outside any transaction.

The worker hands a batch of claimed deliveries to `Sender.send_all`, which POSTs them from a
thread pool and returns what happened to each; the worker records the outcomes afterwards.
Redirects are never followed (a 3xx is a failed attempt) and nothing is taken from the
environment (no proxies, no .netrc).

When private targets are allowed (development, tests) each thread keeps a plain
requests.Session, so connections to a receiver are reused. When they are not (production),
each attempt resolves the URL's host once with `targets.check_url`, which refuses the URL
unless every address is public, and then connects to the first of those checked addresses
and to nothing else: the name is never resolved again, so DNS rebinding between the check and
the connection cannot reach an address inside. This uses urllib3's public API only: each
thread keeps a `urllib3.PoolManager`, asks it for the pool of (address, port), with the real
host name as `server_hostname` and `assert_hostname` for https (SNI and the certificate check
use the name, not the address), and sends a `Host` header with the URL's host[:port].
Connections to the same checked address are kept alive between attempts.
"""

from __future__ import annotations

import threading
import time
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from datetime import datetime
from urllib.parse import urlsplit

import requests
import urllib3
from requests.adapters import HTTPAdapter
from urllib3.exceptions import HTTPError as Urllib3Error
from urllib3.exceptions import NewConnectionError
from urllib3.exceptions import SSLError as Urllib3SSLError
from urllib3.exceptions import TimeoutError as Urllib3Timeout
from urllib3.util import parse_url

from app.database import utcnow
from integrations.webhooks import signing
from integrations.webhooks.targets import TargetRefused, check_url

USER_AGENT = "PhuongXaSo-Webhooks/1"
# The longest a connection may take to open (and the read timeout, WEBHOOK_TIMEOUT, at most).
CONNECT_TIMEOUT = 5.0
# Enough of an answer to finish it (so the connection can be reused); larger ones are cut.
ANSWER_READ_LIMIT = 64 * 1024


@dataclass(frozen=True)
class Outgoing:
    """One claimed delivery, ready to send: where, and the signed message's parts."""

    delivery_id: int
    lease_token: str
    endpoint_id: int
    url: str
    msg_id: str
    body: bytes
    key: bytes


@dataclass(frozen=True)
class Outcome:
    """What one attempt gave: the receiver's status code, or our words for what went wrong."""

    delivery_id: int
    lease_token: str
    endpoint_id: int
    at: datetime
    status_code: int | None
    error: str | None
    duration_ms: int

    @property
    def delivered(self) -> bool:
        """Tell whether the receiver accepted the message (any 2xx)."""
        return self.status_code is not None and 200 <= self.status_code < 300

    @property
    def gone(self) -> bool:
        """Tell whether the receiver asked us to stop (410 Gone)."""
        return self.status_code == 410


class Sender:
    """A pool of threads, each with its own kept-alive connections, that POSTs webhooks."""

    def __init__(self, *, private_ok: bool, timeout: float, threads: int):
        self.private_ok = private_ok
        self.timeout = timeout
        self.threads = threads
        self._local = threading.local()
        self._pool = ThreadPoolExecutor(max_workers=threads, thread_name_prefix="webhook-send")

    @property
    def connect_timeout(self) -> float:
        """Seconds to wait for a connection."""
        return min(CONNECT_TIMEOUT, self.timeout)

    @property
    def worst_attempt_seconds(self) -> float:
        """The longest one attempt can take: the connection, the answer's status (one read
        timeout), and its body read until connect + read timeout have passed since the start,
        which one more read can overrun by a read timeout."""
        return self.connect_timeout + 2 * self.timeout

    def _session(self) -> requests.Session:
        """This thread's session (private targets allowed)."""
        session = getattr(self._local, "session", None)
        if session is None:
            session = requests.Session()
            session.trust_env = False  # no proxies or .netrc credentials from the environment
            adapter = HTTPAdapter(pool_connections=16, pool_maxsize=4, max_retries=0)
            session.mount("http://", adapter)
            session.mount("https://", adapter)
            self._local.session = session
        return session

    def _manager(self) -> urllib3.PoolManager:
        """This thread's pool manager (production: connections to checked addresses only)."""
        manager = getattr(self._local, "manager", None)
        if manager is None:
            # urllib3 reads no proxy settings from the environment; retries are off per request.
            manager = self._local.manager = urllib3.PoolManager(num_pools=16, maxsize=4)
        return manager

    def send_all(self, items: list[Outgoing]) -> list[Outcome]:
        """Send every item at once (up to the pool's size in flight); return the outcomes."""
        return list(self._pool.map(self.send, items))

    def send(self, item: Outgoing) -> Outcome:
        """POST one signed message; never raises."""
        at = utcnow()
        started = time.monotonic()
        status, error = None, None
        try:
            addresses = [] if self.private_ok else check_url(item.url, private_ok=False)
            timestamp = int(time.time())
            headers = {
                "content-type": "application/json",
                "user-agent": USER_AGENT,
                "webhook-id": item.msg_id,
                "webhook-timestamp": str(timestamp),
                "webhook-signature": signing.sign(item.key, item.msg_id, timestamp, item.body),
            }
            # A receiver that trickles its answer is cut off here (each read has its own
            # timeout, so only a deadline bounds the whole answer).
            deadline = started + self.connect_timeout + self.timeout
            if self.private_ok:
                status = self._post_with_session(item, headers, deadline)
            else:
                status = self._post_to_checked_address(item, headers, addresses[0], deadline)
            if not 200 <= status < 300:
                error = _answer_error(status)
        except TargetRefused as exc:
            error = f"Không gửi: {exc}"
        except NewConnectionError:  # a subclass of urllib3's timeout, but a refusal or no route
            error = "Không kết nối được tới máy nhận."
        except (requests.Timeout, Urllib3Timeout):
            error = f"Hết thời gian chờ ({self.timeout:g} giây)."
        except (requests.exceptions.SSLError, Urllib3SSLError):
            error = "Lỗi chứng chỉ TLS của máy nhận."
        except (requests.ConnectionError, Urllib3Error, OSError):
            error = "Không kết nối được tới máy nhận."
        except Exception:  # anything else is still one failed attempt, never a dead worker
            error = "Lỗi khi gửi."
        duration = int((time.monotonic() - started) * 1000)
        return Outcome(
            delivery_id=item.delivery_id,
            lease_token=item.lease_token,
            endpoint_id=item.endpoint_id,
            at=at,
            status_code=status,
            error=error,
            duration_ms=duration,
        )

    def _post_with_session(self, item: Outgoing, headers: dict[str, str], deadline: float) -> int:
        """POST through this thread's requests session; return the status code."""
        response = self._session().post(
            item.url,
            data=item.body,
            headers=headers,
            timeout=(self.connect_timeout, self.timeout),
            allow_redirects=False,
            stream=True,
        )
        with response:
            _drain(response.raw, deadline)
            return response.status_code

    def _post_to_checked_address(
        self, item: Outgoing, headers: dict[str, str], ip: str, deadline: float
    ) -> int:
        """POST to `ip`, an address check_url resolved and checked; return the status code."""
        parts = urlsplit(item.url)
        scheme, host, port = parts.scheme, parts.hostname, parts.port
        host = host.encode("idna").decode("ascii")  # the name as it goes on the wire
        default_port = 443 if scheme == "https" else 80
        shown = f"[{host}]" if ":" in host else host
        headers = {**headers, "host": shown if port is None else f"{shown}:{port}"}
        pool = self._manager().connection_from_host(
            ip,
            port or default_port,
            scheme,
            pool_kwargs={"server_hostname": host, "assert_hostname": host}
            if scheme == "https"
            else None,
        )
        response = pool.urlopen(
            "POST",
            parse_url(item.url).request_uri,
            body=item.body,
            headers=headers,
            redirect=False,
            retries=False,
            timeout=urllib3.Timeout(connect=self.connect_timeout, read=self.timeout),
            preload_content=False,
        )
        finished = False
        try:
            finished = _drain(response, deadline)
            return response.status
        finally:
            if not finished:
                response.close()  # an answer cut short: this connection cannot be reused
            response.release_conn()

    def close(self) -> None:
        """Stop the threads."""
        self._pool.shutdown(wait=True)


def _drain(response: urllib3.BaseHTTPResponse, deadline: float) -> bool:
    """Read the answer's body so its connection can be reused; return whether it was read
    whole. Stop past ANSWER_READ_LIMIT bytes or the deadline: `read1` returns what has come
    (each wait within the read timeout), so a trickled body cannot hold the thread."""
    read = 0
    while True:
        chunk = response.read1(8192, decode_content=False)
        if not chunk:
            return True
        read += len(chunk)
        if read > ANSWER_READ_LIMIT or time.monotonic() > deadline:
            return False


def _answer_error(status: int) -> str:
    if 300 <= status < 400:
        return f"Máy nhận trả lời {status} (chuyển hướng không được theo)."
    return f"Máy nhận trả lời {status}."
