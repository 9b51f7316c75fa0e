"""Provider webhooks under `/hooks/<token>/...`: one module per provider adds routes to `bp`.

The token is checked once for every route of `bp` (before the body is read), and removed from
the view arguments, so a view is just `@bp.post("/at/delivery") def delivery(): ...`.
Every module in this package is imported when the blueprint is registered, so a new provider
module only has to exist. A provider that needs its own blueprint calls
`service.hooks.tokens.require_token(settings(), token)` first thing instead.

The room's rule: one module per provider; an SMS view decodes the provider's request into
an envelope, hands it to `workers` to store and enqueue, and answers; it never parses a
command or writes a reply inline. The USSD view answers each screen from `schemas.ussd` and
saves through `workers`. May import Flask, `service.web`, `workers` and `schemas`; no other
`service` package.
"""

from __future__ import annotations

import importlib
import pkgutil

from flask import Blueprint, g

from service.hooks.body import enforce_body_limit
from service.hooks.tokens import require_token
from service.web import settings

bp = Blueprint("hooks", __name__, url_prefix="/hooks/<token>")


@bp.url_value_preprocessor
def _pop_token(_endpoint: str | None, values: dict | None) -> None:
    g.hook_token = (values or {}).pop("token", None)


@bp.url_defaults
def _add_token(_endpoint: str, values: dict) -> None:
    values.setdefault("token", settings().webhook_token)


@bp.before_request
def _check_token() -> None:
    require_token(settings(), g.get("hook_token"))
    enforce_body_limit()


def load_routes() -> Blueprint:
    """Import every provider module of this package (each adds its routes to `bp`)."""
    for module in pkgutil.iter_modules(__path__):
        if module.name not in ("tokens", "body", "refusals"):
            importlib.import_module(f"{__name__}.{module.name}")
    return bp
