"""The Africa's Talking SDK's SMS service, at AT_API_BASE, on one kept-alive pool per process."""

from __future__ import annotations

import json
import os
import threading
from typing import Any
from urllib.parse import urlencode, urlsplit

import certifi
import requests
import urllib3
from africastalking.Service import DEFAULT_TIMEOUT_S, AfricasTalkingException
from africastalking.SMS import SMSService

Timeout = float | tuple[float, float]


def base_url(raw: str | None) -> str | None:
    """AT_API_BASE as the SDK expects it: scheme and host, then `/version1`, no trailing slash."""
    if not raw:
        return None
    base = raw.strip().rstrip("/")
    if not base.startswith(("http://", "https://")):
        raise ValueError(f"AT_API_BASE must start with http:// or https://, got {raw!r}")
    return base


class SMS(SMSService):
    """The SDK's SMS service, optionally pointed at another base URL (AT_API_BASE), its
    requests carried by one shared pool of kept-alive connections.

    The SDK builds its URLs in `_init_service` from hard-coded domains; overriding that one
    hook on our own instance moves every SMS URL without touching the SDK's module-level
    singletons (`africastalking.initialize` replaces globals shared by the whole process).
    The SDK still builds every request (URL, form, headers, its number check) and reads the
    answer as it does; only the transport is ours (`_make_request`).
    """

    def __init__(self, username: str, api_key: str, base_url: str | None, connections: int) -> None:
        self._override_base = base_url
        super().__init__(username, api_key)
        self._http = _pool_manager(self._baseUrl, connections)

    def _init_service(self) -> None:
        super()._init_service()
        if self._override_base:
            self._baseUrl = self._override_base
            self._contentUrl = self._override_base

    def _make_request(
        self,
        url: str,
        method: str,
        headers: dict[str, str],
        data: dict[str, Any] | None,
        params: dict[str, Any] | None,
        callback: Any = None,
        timeout: Timeout = DEFAULT_TIMEOUT_S,
    ) -> Any:
        """The SDK's request over the shared pool; its answer handling (2xx: JSON dict or
        text; else AfricasTalkingException with the body) kept as is. Never retried here: a
        POST that may have reached the provider is not sent again behind the caller's back."""
        if callback is not None:  # the SDK's thread-per-call mode: never used here
            return super()._make_request(url, method, headers, data, params, callback, timeout)
        if params:
            url = f"{url}?{urlencode(params)}"
        response = self._http.request(
            method.upper(),
            url,
            body=urlencode(data) if data is not None else None,
            headers=headers,
            timeout=_timeout(timeout),
            retries=False,
        )
        body = response.data
        if 200 <= response.status < 300:
            if response.headers.get("content-type") == "application/json":
                return json.loads(body)
            return body.decode("utf-8", "replace")
        raise AfricasTalkingException(body.decode("utf-8", "replace"))


_pools: dict[tuple[int, str | None, int], urllib3.PoolManager] = {}
_pools_lock = threading.Lock()


def _pool_manager(url: str, connections: int) -> urllib3.PoolManager:
    """This process's connections to the API, kept alive between sends (a send is one round
    trip, not a TCP and TLS handshake first) and between jobs (every gateway made in the
    process shares them), used by every sending thread (urllib3's pools are thread-safe; a
    thread waits for a free connection rather than open more than `connections`), through
    the environment's proxy for the API (HTTPS_PROXY, NO_PROXY), read when a gateway is made,
    not per call: requests, the SDK's client, re-read it and ~/.netrc on every call and cost
    twice the CPU per send.
    Keyed by process id: a forked child never shares its parent's sockets."""
    proxy = requests.utils.get_environ_proxies(url).get(urlsplit(url).scheme)
    key = (os.getpid(), proxy, max(1, connections))
    with _pools_lock:
        pool = _pools.get(key)
        if pool is None:
            options: dict[str, Any] = {
                "maxsize": key[2],
                "block": True,
                "ca_certs": certifi.where(),  # the bundle requests (the SDK's client) uses
            }
            pool = (
                urllib3.ProxyManager(proxy, **options) if proxy else urllib3.PoolManager(**options)
            )
            _pools[key] = pool
        return pool


def _timeout(timeout: Timeout) -> urllib3.Timeout:
    if isinstance(timeout, tuple):
        return urllib3.Timeout(connect=timeout[0], read=timeout[1])
    return urllib3.Timeout(connect=timeout, read=timeout)
