"""Sending webhooks: many at once, over kept-alive connections, outside any transaction.

The worker hands a batch of claimed deliveries to `Sender.send_all`, which POSTs them from a
thread pool (one requests.Session per thread, so connections to a receiver are reused) and
returns what happened to each; the worker records the outcomes afterwards. Redirects are never
followed (a 3xx is a failed attempt). When private targets are not allowed, each URL is checked
again before sending and every new connection's peer address must be global.
"""

from __future__ import annotations

import threading
import time
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from datetime import datetime

import requests
from requests.adapters import HTTPAdapter
from urllib3.connection import HTTPConnection, HTTPSConnection
from urllib3.connectionpool import HTTPConnectionPool, HTTPSConnectionPool

from app.database import utcnow
from integrations.webhooks import signing
from integrations.webhooks.targets import TargetRefused, check_url, is_public_address

USER_AGENT = "PhuongXaSo-Webhooks/1"
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


class PrivatePeer(Exception):
    """A connection reached an address that is not global (not an OSError: never retried)."""


class _GuardedHTTPConnection(HTTPConnection):
    def _new_conn(self):
        sock = super()._new_conn()
        peer = sock.getpeername()[0]
        if not is_public_address(peer):
            sock.close()
            raise PrivatePeer(peer)
        return sock


class _GuardedHTTPSConnection(HTTPSConnection):
    def _new_conn(self):
        sock = super()._new_conn()
        peer = sock.getpeername()[0]
        if not is_public_address(peer):
            sock.close()
            raise PrivatePeer(peer)
        return sock


class _GuardedHTTPPool(HTTPConnectionPool):
    ConnectionCls = _GuardedHTTPConnection


class _GuardedHTTPSPool(HTTPSConnectionPool):
    ConnectionCls = _GuardedHTTPSConnection


class _GuardedAdapter(HTTPAdapter):
    """An adapter whose connections refuse peers that are not global addresses."""

    def init_poolmanager(self, *args, **kwargs):
        super().init_poolmanager(*args, **kwargs)
        self.poolmanager.pool_classes_by_scheme = {
            "http": _GuardedHTTPPool,
            "https": _GuardedHTTPSPool,
        }


class Sender:
    """A pool of threads, each with its own kept-alive session, that POSTs webhooks."""

    def __init__(self, *, private_ok: bool, timeout: float, threads: int):
        self.private_ok = private_ok
        self.timeout = timeout
        self.threads = threads
        self._local = threading.local()
        self._pool = ThreadPoolExecutor(max_workers=threads, thread_name_prefix="webhook-send")

    def _session(self) -> requests.Session:
        session = getattr(self._local, "session", None)
        if session is None:
            session = requests.Session()
            session.trust_env = False  # no proxies or .netrc credentials from the environment
            adapter = (HTTPAdapter if self.private_ok else _GuardedAdapter)(
                pool_connections=16, pool_maxsize=4, max_retries=0
            )
            session.mount("http://", adapter)
            session.mount("https://", adapter)
            self._local.session = session
        return session

    def send_all(self, items: list[Outgoing]) -> list[Outcome]:
        """Send every item at once (up to the pool's size in flight); return the outcomes."""
        return list(self._pool.map(self.send, items))

    def send(self, item: Outgoing) -> Outcome:
        """POST one signed message; never raises."""
        at = utcnow()
        started = time.monotonic()
        status, error = None, None
        try:
            if not self.private_ok:
                check_url(item.url, private_ok=False)
            timestamp = int(time.time())
            headers = {
                "content-type": "application/json",
                "user-agent": USER_AGENT,
                "webhook-id": item.msg_id,
                "webhook-timestamp": str(timestamp),
                "webhook-signature": signing.sign(item.key, item.msg_id, timestamp, item.body),
            }
            response = self._session().post(
                item.url,
                data=item.body,
                headers=headers,
                timeout=(min(5.0, self.timeout), self.timeout),
                allow_redirects=False,
                stream=True,
            )
            with response:
                status = response.status_code
                read = 0
                for chunk in response.iter_content(8192):
                    read += len(chunk)
                    if read > ANSWER_READ_LIMIT:
                        break
            if not 200 <= status < 300:
                error = _answer_error(status)
        except TargetRefused as exc:
            error = f"Không gửi: {exc}"
        except PrivatePeer:
            error = "Không gửi: máy chủ trỏ tới địa chỉ nội bộ (bị chặn)."
        except requests.Timeout:
            error = f"Hết thời gian chờ ({self.timeout:g} giây)."
        except requests.exceptions.SSLError:
            error = "Lỗi chứng chỉ TLS của máy nhận."
        except requests.ConnectionError as exc:
            error = (
                "Không gửi: máy chủ trỏ tới địa chỉ nội bộ (bị chặn)."
                if _caused_by(exc, PrivatePeer)
                else "Không kết nối được tới máy nhận."
            )
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

    def close(self) -> None:
        """Stop the threads."""
        self._pool.shutdown(wait=True)


def _answer_error(status: int) -> str:
    if 300 <= status < 400:
        return f"Máy nhận trả lời {status} (chuyển hướng không được theo)."
    return f"Máy nhận trả lời {status}."


def _caused_by(exc: BaseException, kind: type) -> bool:
    seen = 0
    while exc is not None and seen < 10:
        if isinstance(exc, kind):
            return True
        exc = exc.__cause__ or exc.__context__
        seen += 1
    return False
