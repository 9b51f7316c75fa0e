"""The one place that lists every blueprint the app serves."""

from __future__ import annotations

from flask import Flask


def register_blueprints(app: Flask) -> None:
    from service.health import bp as health

    app.register_blueprint(health)
    from service.dashboard import bp as dashboard

    app.register_blueprint(dashboard)
    from service.hooks import load_routes as hooks

    app.register_blueprint(hooks())
    from service.metrics import bp as metrics

    app.register_blueprint(metrics)
    from service.api import load_routes as api

    app.register_blueprint(api())
