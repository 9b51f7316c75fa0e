"""docker-compose.yml and .env.example name every service and every variable the app reads
(Docker does not run here, so the files are checked as data)."""

from __future__ import annotations

import re
from pathlib import Path

import yaml

from workers.settings import _ENV_NAMES

ROOT = Path(__file__).resolve().parent.parent
COMPOSE = yaml.safe_load((ROOT / "docker-compose.yml").read_text())
ENV_EXAMPLE = {
    line.split("=", 1)[0].strip()
    for line in (ROOT / ".env.example").read_text().splitlines()
    if "=" in line and not line.lstrip().startswith("#")
}
_READS = re.compile(r"""(?:environ(?:\.get)?\s*[\[(]|getenv\s*\()\s*["']([A-Z][A-Z0-9_]+)["']""")


def _variables_read_by_code() -> set[str]:
    names = set(_ENV_NAMES.values())
    for folder in ("schemas", "workers", "service"):
        for path in (ROOT / folder).rglob("*.py"):
            names |= set(_READS.findall(path.read_text(encoding="utf-8")))
    names |= set(_READS.findall((ROOT / "gunicorn.conf.py").read_text()))
    return names


def test_every_service_is_there() -> None:
    assert {"web", "worker", "postgres", "redis"} <= set(COMPOSE["services"])


def test_web_runs_gunicorn_and_worker_runs_ashshash_worker() -> None:
    assert "gunicorn" in str(COMPOSE["services"]["web"]["command"])
    assert "service.wsgi:app" in str(COMPOSE["services"]["web"]["command"])
    assert "ashshash worker" in str(COMPOSE["services"]["worker"]["command"])


def test_app_services_share_one_block() -> None:
    # YAML merge keys are resolved by the loader: equal environments mean one shared block.
    web, worker = COMPOSE["services"]["web"], COMPOSE["services"]["worker"]
    assert web["environment"] == worker["environment"] == COMPOSE["x-app"]["environment"]
    assert web["image"] == worker["image"]
    text = (ROOT / "docker-compose.yml").read_text()
    assert text.count("<<: *app") >= 2


def test_redis_keeps_jobs() -> None:
    command = " ".join(COMPOSE["services"]["redis"]["command"])
    assert "--appendonly yes" in command
    assert "--maxmemory-policy noeviction" in command


def test_every_service_has_a_healthcheck() -> None:
    assert {"web", "worker", "postgres", "redis"} <= set(COMPOSE["services"])
    for name, service in COMPOSE["services"].items():
        assert "healthcheck" in service, name


def test_compose_names_every_variable_the_app_reads() -> None:
    environment = COMPOSE["x-app"]["environment"]
    missing = sorted(_variables_read_by_code() - set(environment))
    assert not missing, f"docker-compose.yml does not set {missing}"


def test_env_example_lists_every_variable_the_app_reads() -> None:
    missing = sorted(_variables_read_by_code() - ENV_EXAMPLE)
    assert not missing, f".env.example does not list {missing}"


def test_compose_database_and_queue_point_at_their_services() -> None:
    environment = COMPOSE["x-app"]["environment"]
    assert environment["DATABASE_URL"].startswith("postgresql+psycopg://")
    assert "@postgres:5432/" in environment["DATABASE_URL"]
    assert environment["REDIS_URL"].startswith("redis://redis:6379")
