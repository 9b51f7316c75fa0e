"""The settings a job runs with when its caller did not pass them (RQ workers)."""

from __future__ import annotations

from functools import lru_cache

from workers.settings import Settings, load_settings

_override: Settings | None = None


def current_settings() -> Settings:
    """The settings set by `use_settings`, else `load_settings()` once per process."""
    return _override or _loaded()


@lru_cache(maxsize=1)
def _loaded() -> Settings:
    return load_settings()


def reset_settings() -> None:
    """Forget the cached settings (tests that change the environment)."""
    _loaded.cache_clear()


def use_settings(settings: Settings | None) -> None:
    """Make `current_settings()` return these (the worker's own, or a test's); None resets."""
    global _override
    _override = settings
