"""A raw HTTP/1.1 load client over asyncio, loopback only, bounded by a deadline."""

from __future__ import annotations

import asyncio
import time
import urllib.parse


def request_bytes(port: int, path: str, form: dict[str, str] | None) -> bytes:
    """GET when `form` is None, else a form POST; `Connection: close` for both alike."""
    if form is None:
        head = f"GET {path} HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\nConnection: close\r\n\r\n"
        return head.encode()
    body = urllib.parse.urlencode(form).encode()
    head = (
        f"POST {path} HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\nConnection: close\r\n"
        "Content-Type: application/x-www-form-urlencoded\r\n"
        f"Content-Length: {len(body)}\r\n\r\n"
    )
    return head.encode() + body


async def send_all(
    port: int, payloads: list[bytes], concurrency: int, deadline: float
) -> tuple[list[float], int]:
    """Send every payload over `concurrency` lanes; (latencies in s, count of non-200s)."""
    latencies: list[float] = []
    errors = 0
    queue = iter(payloads)

    async def lane() -> None:
        nonlocal errors
        for payload in queue:
            if time.monotonic() > deadline:
                return
            start = time.perf_counter()
            try:
                reader, writer = await asyncio.open_connection("127.0.0.1", port)
                writer.write(payload)
                data = await reader.read()
                writer.close()
                ok = data[9:12] == b"200"
            except OSError:
                ok = False
            latencies.append(time.perf_counter() - start)
            errors += 0 if ok else 1

    await asyncio.gather(*(lane() for _ in range(concurrency)))
    return latencies, errors
