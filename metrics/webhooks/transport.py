"""The HTTP POST of one webhook attempt, which never reaches inside the network.

The receiver's host is resolved here, every address it resolves to is checked, and the
connection goes to those very addresses: the name is not looked up again, so a DNS answer
that changes between the check and the connection (DNS rebinding) reaches nothing
internal. Built on http.client rather than requests because it lets the checked
address be the one connected to (TLS still verifies the host name), and it never follows
a redirect, which could lead anywhere.
"""

import http.client
import ipaddress
import socket
import ssl
from dataclasses import dataclass
from urllib.parse import SplitResult, urlsplit

EXCERPT = 500  # characters of the response body kept


class AddressRefused(ValueError):
    """The URL is not http(s), or its host is (or resolves to) a non-public address."""


class Unreachable(Exception):
    """No HTTP answer: the host is unknown, refused the connection, or timed out."""


@dataclass(frozen=True)
class Answer:
    status: int
    retry_after: str | None
    location: str | None
    excerpt: str


def split_url(url: str) -> SplitResult:
    """The URL's parts, if Engage may post to it at all (before looking at its address)."""
    parts = urlsplit(url.strip())
    if parts.scheme not in ("http", "https"):
        raise AddressRefused("Only http:// and https:// addresses can receive webhooks.")
    if not parts.hostname:
        raise AddressRefused("The address has no host name.")
    if parts.username is not None or parts.password is not None:
        raise AddressRefused("Leave credentials out of the address; verify the signature.")
    try:
        parts.port  # noqa: B018 - raises on a port that is not a number in range
    except ValueError:
        raise AddressRefused("The address's port is not valid.") from None
    return parts


def _port(parts: SplitResult) -> int:
    return parts.port or (443 if parts.scheme == "https" else 80)


def address_problem(ip: ipaddress.IPv4Address | ipaddress.IPv6Address) -> str | None:
    """Why this address is off limits, or None for a public one."""
    ip = getattr(ip, "ipv4_mapped", None) or getattr(ip, "sixtofour", None) or ip
    for kind, flag in (
        ("loopback", ip.is_loopback),
        ("link-local", ip.is_link_local),
        ("private", ip.is_private),
        ("multicast", ip.is_multicast),
        ("reserved", ip.is_reserved or ip.is_unspecified or not ip.is_global),
    ):
        if flag:
            return kind
    return None


def resolve(parts: SplitResult, *, allow_private: bool) -> list[tuple]:
    """getaddrinfo's entries for the URL's host, refused if any of them is not public."""
    try:
        found = socket.getaddrinfo(parts.hostname, _port(parts), type=socket.SOCK_STREAM)
    except socket.gaierror:
        raise Unreachable(f"Host {parts.hostname} not found.") from None
    if not allow_private:
        for *_, sockaddr in found:
            ip = ipaddress.ip_address(sockaddr[0].split("%")[0])
            problem = address_problem(ip)
            if problem:
                raise AddressRefused(
                    f"{parts.hostname} is a {problem} address ({ip}): "
                    "webhooks only go to public addresses."
                )
    return found


def check_url(url: str, *, allow_private: bool) -> None:
    """Refuse, with a message for the person entering it, a URL Engage would not post to."""
    parts = split_url(url)
    if not allow_private:
        try:
            resolve(parts, allow_private=False)
        except Unreachable as error:
            raise AddressRefused(str(error)) from None


def _connect_to(found: list[tuple], timeout: float) -> socket.socket:
    """A connection to the first of the checked addresses that answers."""
    error: OSError = OSError("no address")
    for family, kind, proto, _name, sockaddr in found:
        sock = socket.socket(family, kind, proto)
        try:
            sock.settimeout(timeout)
            sock.connect(sockaddr)
            return sock
        except OSError as failed:
            sock.close()
            error = failed
    raise error


def _describe(error: OSError | http.client.HTTPException, timeout: float) -> str:
    if isinstance(error, TimeoutError):
        return f"No answer within {timeout:g} s."
    if isinstance(error, ConnectionRefusedError):
        return "Connection refused."
    if isinstance(error, ssl.SSLCertVerificationError):
        return f"TLS certificate refused: {error.verify_message}."
    return f"{type(error).__name__}: {error}"[:200]


def post(
    url: str, body: bytes, headers: dict[str, str], *, timeout: float, allow_private: bool
) -> Answer:
    """POST the body; the answer, whatever its status. AddressRefused for a URL that must
    not be reached, Unreachable when no HTTP answer came."""
    parts = split_url(url)
    found = resolve(parts, allow_private=allow_private)
    if parts.scheme == "https":
        connection = http.client.HTTPSConnection(
            parts.hostname, _port(parts), timeout=timeout, context=ssl.create_default_context()
        )
    else:
        connection = http.client.HTTPConnection(parts.hostname, _port(parts), timeout=timeout)
    # http.client opens its socket through this attribute; TLS then wraps it for the host name.
    connection._create_connection = lambda *_args, **_kwargs: _connect_to(found, timeout)
    target = parts.path or "/"
    if parts.query:
        target += f"?{parts.query}"
    try:
        connection.request("POST", target, body=body, headers=headers)
        response = connection.getresponse()
        excerpt = response.read(EXCERPT * 4).decode("utf-8", "replace")[:EXCERPT]
        return Answer(
            status=response.status,
            retry_after=response.getheader("Retry-After"),
            location=response.getheader("Location"),
            excerpt=excerpt,
        )
    except (OSError, http.client.HTTPException) as error:
        raise Unreachable(_describe(error, timeout)) from error
    finally:
        connection.close()
