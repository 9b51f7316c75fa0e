"""Dashboard reporters: add, edit, deactivate/reactivate, CSV import with progress, activity."""

from __future__ import annotations

import io
import re
from datetime import UTC, datetime
from pathlib import Path

from click.testing import CliRunner
from sqlalchemy import select

from schemas.tables import AuditEntry, InboundMessage, Reporter, ReporterImport, User
from tests.service.test_dashboard import as_role, page_token
from workers import reporter_import

DATA = Path(__file__).resolve().parent.parent / "data"


def _user_id(session, email: str) -> int:  # type: ignore[no-untyped-def]
    return session.scalar(select(User.id).where(User.email == email))


def _post(client, path: str, **data: object):  # type: ignore[no-untyped-def]
    return client.post(path, data={"csrf_token": page_token(client), **data})


def test_coordinator_adds_a_reporter_and_the_audit_names_them(client, session) -> None:  # type: ignore[no-untyped-def]
    email = as_role(client, session, "coordinator")
    assert client.get("/reporters/new").status_code == 200
    answer = _post(
        client,
        "/reporters/new",
        phone="01712 345678",
        name="Rina Akter",
        role="activist",
        union="নলতা",
        language="bn",
    )
    assert answer.status_code == 302
    reporter = session.scalar(select(Reporter).where(Reporter.phone == "+8801712345678"))
    assert (reporter.name, reporter.union, reporter.upazila, reporter.language) == (
        "Rina Akter",
        "Nalta",
        "Kaliganj",
        "bn",
    )
    entry = session.scalar(select(AuditEntry).where(AuditEntry.entity == "reporters"))
    assert entry.action == "create" and entry.actor == f"user:{_user_id(session, email)}"
    assert "Rina Akter" in client.get("/reporters").get_data(as_text=True)


def test_the_form_refuses_with_the_import_message(client, session) -> None:  # type: ignore[no-untyped-def]
    as_role(client, session, "coordinator")
    answer = _post(
        client,
        "/reporters/new",
        phone="01712345678",
        name="X",
        role="activist",
        union="Atlantis",
        language="en",
    )
    assert answer.status_code == 400
    # The same words as `ashshash reporters import` prints for that row.
    assert "union &#39;Atlantis&#39; is not a union of the district" in answer.get_data(
        as_text=True
    )
    assert session.scalar(select(Reporter)) is None
    _post(
        client,
        "/reporters/new",
        phone="01712345678",
        name="A",
        role="activist",
        union="Nalta",
        language="en",
    )
    again = _post(
        client,
        "/reporters/new",
        phone="+8801712345678",
        name="B",
        role="activist",
        union="Nalta",
        language="en",
    )
    assert again.status_code == 400 and "already registered" in again.get_data(as_text=True)


def test_edit_changes_name_role_union_language_and_audits_the_change(client, session) -> None:  # type: ignore[no-untyped-def]
    as_role(client, session, "coordinator")
    _post(
        client,
        "/reporters/new",
        phone="01712345678",
        name="Rina",
        role="activist",
        union="Nalta",
        language="en",
    )
    rid = session.scalar(select(Reporter.id))
    assert "Rina" in client.get(f"/reporters/{rid}/edit").get_data(as_text=True)
    answer = _post(
        client,
        f"/reporters/{rid}/edit",
        name="Rina Begum",
        role="counsellor",
        union="Kulla",
        language="bn",
        phone="+8801999999999",
    )
    assert answer.status_code == 302
    session.expire_all()
    reporter = session.get(Reporter, rid)
    assert (
        reporter.name,
        reporter.role,
        reporter.union,
        reporter.upazila,
        reporter.language,
        reporter.phone,
    ) == ("Rina Begum", "counsellor", "Kulla", "Assasuni", "bn", "+8801712345678")
    update = session.scalar(select(AuditEntry).where(AuditEntry.action == "update"))
    assert update.detail["union"] == "Kulla" and update.entity_id == rid
    assert _post(client, "/reporters/999/edit", name="x").status_code == 404


def test_deactivate_and_reactivate(client, session) -> None:  # type: ignore[no-untyped-def]
    as_role(client, session, "coordinator")
    _post(
        client,
        "/reporters/new",
        phone="01712345678",
        name="Rina",
        role="activist",
        union="Nalta",
        language="en",
    )
    rid = session.scalar(select(Reporter.id))
    assert _post(client, f"/reporters/{rid}/active", active="0").status_code == 302
    session.expire_all()
    assert session.get(Reporter, rid).active is False
    _post(client, f"/reporters/{rid}/active", active="1")
    session.expire_all()
    assert session.get(Reporter, rid).active is True
    actions = session.scalars(select(AuditEntry.action).order_by(AuditEntry.id)).all()
    assert actions == ["create", "deactivate", "reactivate"]


def test_csv_import_reports_the_same_rows_as_the_command_line(
    client, session, settings, monkeypatch
) -> None:  # type: ignore[no-untyped-def]
    from service.cli import _register, cli

    email = as_role(client, session, "coordinator")
    raw = (DATA / "reporters_bad.csv").read_bytes()
    answer = client.post(
        "/reporters/import",
        data={"csrf_token": page_token(client), "file": (io.BytesIO(raw), "team.csv")},
    )
    assert answer.status_code == 303
    body = client.get(answer.headers["Location"]).get_data(as_text=True)
    web_lines = re.findall(
        r"<td data-label=\"Line\">(\d+)</td><td data-label=\"Reason\">([^<]*)<", body
    )
    assert "Imported 2, updated 0, unchanged 0, skipped 8." in body
    # The command line on a fresh database prints exactly these lines.
    session.execute(Reporter.__table__.delete())
    session.commit()
    monkeypatch.setenv("DATABASE_URL", settings.database_url)
    monkeypatch.setenv("INSTANCE_PATH", settings.instance_path)
    _register()
    printed = CliRunner().invoke(cli, ["reporters", "import", str(DATA / "reporters_bad.csv")])
    cli_lines = re.findall(r"^line (\d+): (.*)$", printed.output, re.M)
    assert len(cli_lines) == 8
    unescape = {"&#39;": "'", "&amp;": "&", "&lt;": "<", "&gt;": ">", "&#34;": '"'}
    for key, value in unescape.items():
        web_lines = [(n, why.replace(key, value)) for n, why in web_lines]
    assert web_lines == cli_lines
    actors = set(
        session.scalars(
            select(AuditEntry.actor).where(
                AuditEntry.entity == "reporters", AuditEntry.action.in_(("create", "import"))
            )
        ).all()
    )
    assert f"user:{_user_id(session, email)}" in actors
    job = session.scalar(select(ReporterImport))
    assert job.status == "done" and job.csv_text is None  # the uploaded copy is dropped


def test_a_large_file_is_imported_in_slices_with_a_progress_page(
    client, session, monkeypatch
) -> None:  # type: ignore[no-untyped-def]
    as_role(client, session, "coordinator")
    # One slice of MIN_SLICE_ROWS per page load, so that 120 rows take three loads.
    monkeypatch.setattr(reporter_import, "SLICE_SECONDS", 0.0)
    rows = "".join(f"0171{n:07d},Reporter {n},activist,Nalta,bn\n" for n in range(120))
    text = "phone,name,role,union,language\n" + rows
    answer = client.post(
        "/reporters/import",
        data={"csrf_token": page_token(client), "file": (io.BytesIO(text.encode()), "big.csv")},
    )
    first = client.get(answer.headers["Location"])
    page = first.get_data(as_text=True)
    assert '<progress id="progress" max="120" value="100">' in page
    assert 'http-equiv="refresh"' in page
    last = client.get(answer.headers["Location"]).get_data(as_text=True)
    assert '<progress id="progress" max="120" value="120">' in last
    assert 'http-equiv="refresh"' not in last and "Imported 120" in last
    assert session.scalar(select(Reporter).where(Reporter.name == "Reporter 119")) is not None


def test_import_refuses_an_unusable_file_with_one_line(client, session) -> None:  # type: ignore[no-untyped-def]
    as_role(client, session, "coordinator")
    answer = client.post(
        "/reporters/import",
        data={"csrf_token": page_token(client), "file": (io.BytesIO(b"name;phone\n"), "x.csv")},
    )
    assert answer.status_code == 400
    assert "header lacks column(s) phone" in answer.get_data(as_text=True)
    latin1 = "phone,name,role,union\n01712345678,Ren\xe9,activist,Nalta\n".encode("latin-1")
    answer = client.post(
        "/reporters/import",
        data={"csrf_token": page_token(client), "file": (io.BytesIO(latin1), "x.csv")},
    )
    assert answer.status_code == 400 and "is not UTF-8" in answer.get_data(as_text=True)
    # A path in the upload is only text, never a file the server reads.
    answer = client.post(
        "/reporters/import",
        data={"csrf_token": page_token(client), "file": (io.BytesIO(b"/etc/passwd"), "x.csv")},
    )
    assert answer.status_code == 400 and "header lacks" in answer.get_data(as_text=True)
    assert session.scalar(select(ReporterImport)) is None


def test_an_upload_larger_than_a_webhook_body_is_accepted(client, session, settings) -> None:  # type: ignore[no-untyped-def]
    as_role(client, session, "coordinator")
    filler = "".join(
        f"0171{n:07d},Name {n:05d} {'x' * 40},activist,Nalta,bn\n" for n in range(1500)
    )
    text = "phone,name,role,union,language\n" + filler
    assert len(text) > settings.max_body_bytes
    answer = client.post(
        "/reporters/import",
        data={"csrf_token": page_token(client), "file": (io.BytesIO(text.encode()), "big.csv")},
    )
    assert answer.status_code == 303


def test_another_coordinators_import_is_not_found(client, app, session) -> None:  # type: ignore[no-untyped-def]
    as_role(client, session, "coordinator")
    client.post(
        "/reporters/import",
        data={
            "csrf_token": page_token(client),
            "file": (io.BytesIO(b"phone,name,role,union\n01712345678,A,activist,Nalta\n"), "a.csv"),
        },
    )
    job_id = session.scalar(select(ReporterImport.id))
    other = app.test_client()
    from tests.service.test_dashboard import login, make_user

    make_user(session, "second@example.org", "coordinator")
    login(other, "second@example.org")
    assert other.get(f"/reporters/import/{job_id}").status_code == 404


def test_activity_shows_silence_and_this_months_rejects(client, session) -> None:  # type: ignore[no-untyped-def]
    as_role(client, session, "coordinator")
    now = datetime.now(UTC)
    reporter = Reporter(
        phone="+8801711000001",
        name="Failing Activist",
        role="activist",
        union="Nalta",
        upazila="Kaliganj",
        language="en",
        created_at=now,
    )
    quiet = Reporter(
        phone="+8801711000002",
        name="Quiet One",
        role="activist",
        union="Nalta",
        upazila="Kaliganj",
        language="en",
        created_at=now,
    )
    session.add_all([reporter, quiet])
    session.flush()
    for n, reason in enumerate(["unknown_place:x", "unknown_place:y", "sum_mismatch"]):
        session.add(
            InboundMessage(
                channel="sms",
                provider="at",
                provider_id=f"r{n}",
                sender=reporter.phone,
                text="MEET 1",
                provider_time=now,
                stored_at=now,
                status="rejected",
                reason=reason,
                reporter_id=reporter.id,
            )
        )
    session.commit()
    body = client.get("/reporters").get_data(as_text=True)
    row = body[body.index("Failing Activist") : body.index("Quiet One")]
    assert "place not found" in row  # the most common reason, worded
    assert ">call<" in row
    assert "never sent" in body[body.index("Quiet One") :]
