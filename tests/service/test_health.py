"""Health probes answer without a login."""


def test_healthz_is_ok(client) -> None:
    assert client.get("/healthz").get_json() == {"status": "ok"}


def test_readyz_reports_database_and_queue(client) -> None:
    body = client.get("/readyz").get_json()
    assert body["checks"]["database"] == "ok"
    assert body["status"] == "ready"
