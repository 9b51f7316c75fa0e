"""The fake Africa's Talking API as a process of its own, for benchmarks (not the GIL of the
load generator): `python bench/provider_sink.py PORT DELAY_SECONDS`; GET /_stats reads it."""

from __future__ import annotations

import json
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


class Sink:
    """Starts the sink answering every send after `delay` seconds; stats() reads it back."""

    def __init__(self, port: int, delay: float) -> None:
        self.port = port
        self.proc = subprocess.Popen([sys.executable, __file__, str(port), str(delay)], cwd=ROOT)
        deadline = time.monotonic() + 20
        while time.monotonic() < deadline:
            try:
                self.stats()
                return
            except OSError:
                time.sleep(0.1)
        raise SystemExit("provider sink did not start")

    @property
    def base_url(self) -> str:
        return f"http://127.0.0.1:{self.port}/version1"

    def stats(self) -> dict:
        with urllib.request.urlopen(f"http://127.0.0.1:{self.port}/_stats", timeout=5) as r:
            return dict(json.loads(r.read()))

    def wait_for(self, recipients: int, timeout: float) -> dict:
        """Until the sink has received `recipients` numbers (or `timeout`); its last stats."""
        deadline = time.monotonic() + timeout
        stats = self.stats()
        while stats["recipients"] < recipients and time.monotonic() < deadline:
            time.sleep(0.2)
            stats = self.stats()
        return stats

    def stop(self) -> None:
        self.proc.terminate()
        self.proc.wait(timeout=10)


def _serve(port: int, delay: float) -> None:
    sys.path.insert(0, str(ROOT))
    from tests.fakes.at_server import FakeAfricasTalking

    fake = FakeAfricasTalking(delay=delay).start(port)
    assert fake._thread is not None
    fake._thread.join()


if __name__ == "__main__":
    _serve(int(sys.argv[1]), float(sys.argv[2]))
