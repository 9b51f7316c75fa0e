"""gunicorn's default size: the whole host without Redis, half of it beside a worker."""

from __future__ import annotations

import multiprocessing
import runpy
from pathlib import Path

import pytest

from service.serving import web_processes, web_threads

CONF = Path(__file__).resolve().parents[2] / "gunicorn.conf.py"


@pytest.mark.parametrize(
    ("cores", "queued", "processes"),
    [(2, True, 1), (2, False, 2), (8, True, 4), (1, True, 1), (0, False, 1)],
)
def test_the_web_leaves_half_the_cores_to_the_worker(
    cores: int, queued: bool, processes: int
) -> None:
    assert web_processes(cores, queued) == processes


def test_half_the_processes_get_twice_the_threads() -> None:
    assert web_threads(queued=True) == 2 * web_threads(queued=False)


def _conf(monkeypatch: pytest.MonkeyPatch, tmp_path: Path, **env: str) -> dict:
    monkeypatch.chdir(tmp_path)  # no stray .env of the developer's
    for name in ("REDIS_URL", "WEB_CONCURRENCY", "WEB_THREADS"):
        monkeypatch.delenv(name, raising=False)
    for name, value in env.items():
        monkeypatch.setenv(name, value)
    monkeypatch.setattr(multiprocessing, "cpu_count", lambda: 4)
    return runpy.run_path(str(CONF))


def test_gunicorn_conf_sizes_itself_by_redis(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    alone = _conf(monkeypatch, tmp_path)
    assert (alone["workers"], alone["threads"]) == (4, 8)
    beside = _conf(monkeypatch, tmp_path, REDIS_URL="redis://127.0.0.1:6379/0")
    assert (beside["workers"], beside["threads"]) == (2, 16)
    (tmp_path / ".env").write_text("REDIS_URL=redis://127.0.0.1:6379/0\n")
    from_file = _conf(monkeypatch, tmp_path)
    assert from_file["workers"] == 2  # REDIS_URL in .env counts as the app reads it there
    chosen = _conf(
        monkeypatch, tmp_path, REDIS_URL="redis://x", WEB_CONCURRENCY="3", WEB_THREADS="5"
    )
    assert (chosen["workers"], chosen["threads"]) == (3, 5)
