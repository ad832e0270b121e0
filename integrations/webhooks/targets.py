"""Which URLs a webhook may target: http(s), no credentials, and in production only public hosts.

In production (`WEBHOOK_ALLOW_PRIVATE` false, the default when APP_ENV=production) a URL must
be https and its host must resolve only to global addresses: otherwise anyone allowed to
register an endpoint could make the service POST into its own network (SSRF), e.g. to the
cloud metadata address 169.254.169.254. The check runs when the endpoint is registered and
again before each delivery (the name may resolve elsewhere by then). `check_url` returns the
addresses it checked, and the sender connects to one of those and never resolves the name
again, so a name that changes between the check and the connection (DNS rebinding) cannot
send it inside.
"""

from __future__ import annotations

import ipaddress
import socket
from urllib.parse import urlsplit

from flask import current_app

from integrations.webhooks.models import URL_MAX

# Special-purpose ranges (IANA's registries) never to be sent to, whatever this Python's
# `is_global` says of them: Python 3.11 takes 192.0.0.0/24 for global, and later versions
# change their lists. Within them, the few globally reachable ones stay allowed.
DENIED_NETWORKS = tuple(
    ipaddress.ip_network(n)
    for n in (
        "0.0.0.0/8",
        "100.64.0.0/10",  # shared address space (carrier-grade NAT)
        "192.0.0.0/24",  # IETF protocol assignments
        "192.0.2.0/24",
        "192.88.99.0/24",  # the former 6to4 relay anycast
        "198.18.0.0/15",  # benchmarking
        "198.51.100.0/24",
        "203.0.113.0/24",
        "240.0.0.0/4",
        "64:ff9b:1::/48",  # local-use IPv4/IPv6 translation
        "100::/64",
        "2001::/23",  # IETF protocol assignments
        "2001:db8::/32",
        "2002::/16",  # 6to4 (its IPv4 address is checked first)
        "fc00::/7",
        "fe80::/10",
    )
)
ALLOWED_NETWORKS = tuple(
    ipaddress.ip_network(n)
    for n in (
        "192.0.0.9/32",  # Port Control Protocol anycast
        "192.0.0.10/32",  # TURN anycast
        "2001:1::1/128",
        "2001:1::2/128",
        "2001:3::/32",  # AMT
        "2001:4:112::/48",  # AS112
        "2001:20::/28",  # ORCHIDv2
        "2001:30::/28",  # DRIP
    )
)


class TargetRefused(Exception):
    """The URL may not be a webhook target; the message says why, in Vietnamese."""


def allow_private(app=None) -> bool:
    """Tell whether private, loopback and plain-http targets are allowed (not in production)."""
    return bool((app or current_app).config["WEBHOOK_ALLOW_PRIVATE"])


def is_public_address(address: str) -> bool:
    """Tell whether an IP address is a global unicast one (not private, loopback, link-local…)."""
    try:
        ip = ipaddress.ip_address(address.split("%", 1)[0])
    except ValueError:
        return False
    if isinstance(ip, ipaddress.IPv6Address):
        # An IPv4 address carried in IPv6 reaches that IPv4 address.
        embedded = ip.ipv4_mapped or ip.sixtofour or (ip.teredo[1] if ip.teredo else None)
        if embedded is not None:
            return is_public_address(str(embedded))
    if any(ip in net for net in DENIED_NETWORKS) and not any(ip in n for n in ALLOWED_NETWORKS):
        return False
    return ip.is_global and not (
        ip.is_private
        or ip.is_loopback
        or ip.is_link_local
        or ip.is_multicast
        or ip.is_reserved
        or ip.is_unspecified
    )


def check_url(url: str, *, private_ok: bool) -> list[str]:
    """Raise TargetRefused unless the URL may receive webhooks under these settings.

    Return the addresses the host resolved to, in the resolver's order, all of them checked
    public (an empty list when private targets are allowed: then nothing is resolved).
    """
    if len(url) > URL_MAX:
        raise TargetRefused(f"Địa chỉ dài quá {URL_MAX} ký tự.")
    try:
        parts = urlsplit(url)
        port = parts.port
    except ValueError:
        raise TargetRefused("Địa chỉ không hợp lệ.") from None
    if parts.scheme not in ("http", "https"):
        raise TargetRefused("Địa chỉ phải bắt đầu bằng https://.")
    if not private_ok and parts.scheme != "https":
        raise TargetRefused("Địa chỉ phải dùng https:// (không chấp nhận http://).")
    if parts.username is not None or parts.password is not None:
        raise TargetRefused("Địa chỉ không được chứa tên đăng nhập hay mật khẩu.")
    host = parts.hostname
    if not host:
        raise TargetRefused("Địa chỉ thiếu tên máy chủ.")
    if any(ch.isspace() for ch in url):
        raise TargetRefused("Địa chỉ không được chứa khoảng trắng.")
    if parts.fragment:
        raise TargetRefused("Địa chỉ không được chứa phần # (fragment).")
    if private_ok:
        return []
    try:
        found = socket.getaddrinfo(host, port or 443, type=socket.SOCK_STREAM)
    except (socket.gaierror, UnicodeError, OSError):
        raise TargetRefused(f"Không tìm thấy máy chủ {host}.") from None
    addresses = list(dict.fromkeys(info[4][0] for info in found))
    if not addresses or not all(is_public_address(a) for a in addresses):
        raise TargetRefused(
            f"Máy chủ {host} trỏ tới địa chỉ nội bộ hoặc đặc biệt; "
            "chỉ nhận địa chỉ công khai trên Internet."
        )
    return addresses
