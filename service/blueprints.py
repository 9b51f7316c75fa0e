"""The one place that lists every blueprint the app serves."""

from __future__ import annotations

from flask import Flask


def register_blueprints(app: Flask) -> None:
    from service.health import bp as health

    app.register_blueprint(health)
    from service.hooks import load_routes as hooks

    app.register_blueprint(hooks())
