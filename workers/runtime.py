"""The settings a job runs with when its caller did not pass them (RQ workers)."""

from __future__ import annotations

from functools import lru_cache

from workers.settings import Settings, load_settings


@lru_cache(maxsize=1)
def current_settings() -> Settings:
    """`load_settings()` once per process; a preloaded worker reads the environment once."""
    return load_settings()


def reset_settings() -> None:
    """Forget the cached settings (tests that change the environment)."""
    current_settings.cache_clear()
