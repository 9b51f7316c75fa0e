"""`ashshash dhis2 push` against a fake DHIS2 over real HTTP: every answer DHIS2 gives, audited."""

from __future__ import annotations

import json
import logging
from datetime import date

import pytest
from click.testing import CliRunner
from sqlalchemy import select

import service.cli.dhis2  # noqa: F401 - adds the commands to the group
from schemas.tables import AuditEntry
from service.cli import AppContext, cli
from tests.fakes.dhis2_server import FakeDhis2, Reply, period_locked, server_error, web_message
from tests.service.dhis2_setup import (  # noqa: F401 - fixtures
    MAPPING,
    MARCH_VALUES,
    TOKEN,
    add_school_session,
    fake_dhis2,
    quick,
    write_mapping,
)
from workers.db import session_scope


@pytest.fixture
def local(settings, fake_dhis2: FakeDhis2, session):  # type: ignore[no-untyped-def]  # noqa: F811
    add_school_session(session)
    add_school_session(session, total=12, m=2, f=10, day=date(2021, 3, 20))
    configured = settings.with_(dhis2_url=fake_dhis2.url, dhis2_token=TOKEN, redis_url=None)
    write_mapping(configured)
    return configured


def run(settings, *args: str):  # type: ignore[no-untyped-def]
    context = AppContext()
    context._settings = settings
    return CliRunner().invoke(cli, list(args), obj=context)


def pushes(settings) -> list[AuditEntry]:  # type: ignore[no-untyped-def]
    with session_scope(settings) as s:
        rows = list(
            s.scalars(
                select(AuditEntry).where(AuditEntry.action == "dhis2_push").order_by(AuditEntry.id)
            )
        )
        s.expunge_all()
    return rows


def test_a_push_sends_the_values_and_shows_the_summary(local, fake_dhis2) -> None:  # type: ignore[no-untyped-def]  # noqa: F811
    result = run(local, "dhis2", "push", "--period", "2021-03")
    assert result.exit_code == 0, result.output
    assert f"imported {MARCH_VALUES}, updated 0, ignored 0, deleted 0, conflicts 0" in result.output
    [seen] = fake_dhis2.seen
    assert seen.path == "/api/dataValueSets"
    assert seen.params == {
        "dryRun": "false",
        "importStrategy": "CREATE_AND_UPDATE",
        "idScheme": "CODE",
        "async": "false",
    }
    assert seen.headers["Authorization"] == f"ApiToken {TOKEN}"
    assert seen.body["dataSet"] == "ASHSHASH_CTIP_MONTHLY"
    got = {
        (v["dataElement"], v["orgUnit"], v.get("categoryOptionCombo"), v["value"])
        for v in seen.body["dataValues"]
    }
    assert got == {
        ("SCH_PART", "OU_ANULIA", "MALE", "12"),
        ("SCH_PART", "OU_ANULIA", "FEMALE", "30"),
        ("SCH_PART", "OU_ANULIA", "OTHER", "0"),
        ("SCH_PART", "OU_ANULIA", "NOT_GIVEN", "10"),
        ("SCH_COUNT", "OU_ANULIA", None, "2"),
    }
    [audit] = pushes(local)
    assert audit.actor.startswith("cli:") and audit.entity == "dhis2"
    assert audit.detail["period"] == "2021-03" and audit.detail["periods"] == ["202103"]
    assert audit.detail["counts"] == {"imported": 5, "updated": 0, "ignored": 0, "deleted": 0}
    assert audit.detail["ok"] is True and audit.detail["dry_run"] is False


def test_a_second_push_of_the_same_period_is_ignored(local, fake_dhis2) -> None:  # type: ignore[no-untyped-def]  # noqa: F811
    assert run(local, "dhis2", "push", "--period", "2021-03").exit_code == 0
    stored = dict(fake_dhis2.stored)
    again = run(local, "dhis2", "push", "--period", "2021-03")
    assert again.exit_code == 0, again.output
    assert f"imported 0, updated 0, ignored {MARCH_VALUES}" in again.output
    assert fake_dhis2.stored == stored  # nothing doubled
    assert [a.detail["counts"]["ignored"] for a in pushes(local)] == [0, MARCH_VALUES]


def test_a_changed_value_is_updated(local, fake_dhis2, session) -> None:  # type: ignore[no-untyped-def]  # noqa: F811
    assert run(local, "dhis2", "push", "--period", "2021-03").exit_code == 0
    add_school_session(session, total=5, m=5, f=0)
    result = run(local, "dhis2", "push", "--period", "2021-03")
    # MALE and the count changed; FEMALE, OTHER and NOT_GIVEN did not.
    assert "imported 0, updated 2, ignored 3" in result.output


def test_a_dry_run_saves_nothing(local, fake_dhis2) -> None:  # type: ignore[no-untyped-def]  # noqa: F811
    result = run(local, "dhis2", "push", "--period", "2021-03", "--dry-run")
    assert result.exit_code == 0, result.output
    assert "dry run: imported 5" in result.output
    assert fake_dhis2.seen[0].params["dryRun"] == "true" and fake_dhis2.stored == {}
    assert pushes(local)[0].detail["dry_run"] is True


def test_conflicts_are_named_by_data_element_and_org_unit(local, fake_dhis2) -> None:  # type: ignore[no-untyped-def]  # noqa: F811
    fake_dhis2.data_elements = {"SCH_PART"}  # SCH_COUNT is unknown to this server
    result = run(local, "dhis2", "push", "--period", "2021-03")
    assert result.exit_code == 1
    assert "DHIS2 reported WARNING (HTTP 409): imported 4, updated 0, ignored 1" in result.output
    assert (
        "conflict: data element SCH_COUNT, org unit OU_ANULIA, period 202103: Data element"
        " not found or not accessible: `SCH_COUNT` [E7610]"
    ) in result.output
    assert len(fake_dhis2.seen) == 1  # a 409 is never retried
    [audit] = pushes(local)
    assert audit.detail["conflict_count"] == 1
    assert audit.detail["conflicts"][0] | {} == {
        "data_element": "SCH_COUNT",
        "org_unit": "OU_ANULIA",
        "period": "202103",
        "message": "Data element not found or not accessible: `SCH_COUNT`",
        "code": "E7610",
    }


def test_an_org_unit_conflict_names_the_org_unit(local, fake_dhis2) -> None:  # type: ignore[no-untyped-def]  # noqa: F811
    fake_dhis2.org_units = {"OU_SAT"}
    result = run(local, "dhis2", "push", "--period", "2021-03")
    assert result.output.count("org unit OU_ANULIA") == MARCH_VALUES
    assert "ignored 5" in result.output


def test_a_refused_token_says_so_and_is_not_retried(local, fake_dhis2, caplog) -> None:  # type: ignore[no-untyped-def]  # noqa: F811
    caplog.set_level(logging.DEBUG)
    wrong = local.with_(dhis2_token="d2pat_wrong")
    result = run(wrong, "dhis2", "push", "--period", "2021-03")
    assert result.exit_code == 1
    assert "DHIS2 refused the token (401): check that DHIS2_TOKEN" in result.output
    assert len(fake_dhis2.seen) == 1
    assert "d2pat_wrong" not in result.output and "d2pat_wrong" not in caplog.text
    assert pushes(local)[0].detail["http_status"] == 401


def test_a_forbidden_answer_explains_the_rights(local, fake_dhis2) -> None:  # type: ignore[no-untyped-def]  # noqa: F811
    fake_dhis2.script(Reply(403, web_message(403, "Access denied")))
    result = run(local, "dhis2", "push", "--period", "2021-03")
    assert "(403): ask the DHIS2 administrator for data entry rights" in result.output
    assert len(fake_dhis2.seen) == 1


def test_a_409_refusal_is_shown_and_not_retried(local, fake_dhis2) -> None:  # type: ignore[no-untyped-def]  # noqa: F811
    fake_dhis2.script(period_locked("202103"))
    result = run(local, "dhis2", "push", "--period", "2021-03")
    assert result.exit_code == 1
    assert "DHIS2 reported ERROR (HTTP 409)" in result.output
    assert "conflict: period 202103: Period: `202103` is after latest open" in result.output
    assert len(fake_dhis2.seen) == 1


def test_a_server_error_is_retried_then_succeeds(local, fake_dhis2, quick) -> None:  # type: ignore[no-untyped-def]  # noqa: F811
    fake_dhis2.script(server_error())
    result = run(local, "dhis2", "push", "--period", "2021-03")
    assert result.exit_code == 0, result.output
    assert "imported 5" in result.output
    assert len(fake_dhis2.seen) == 2
    assert pushes(local)[0].detail["attempts"] == 2


def test_a_slow_answer_times_out_and_is_retried(local, fake_dhis2, quick) -> None:  # type: ignore[no-untyped-def]  # noqa: F811
    fake_dhis2.script(Reply(delay=1.0))
    result = run(local, "dhis2", "push", "--period", "2021-03")
    assert result.exit_code == 0, result.output
    assert len(fake_dhis2.seen) == 2 and pushes(local)[0].detail["attempts"] == 2


def test_a_server_that_never_answers_in_time_gives_up(local, fake_dhis2, quick) -> None:  # type: ignore[no-untyped-def]  # noqa: F811
    fake_dhis2.script(Reply(delay=1.0), Reply(delay=1.0), Reply(delay=1.0))
    result = run(local, "dhis2", "push", "--period", "2021-03")
    assert result.exit_code == 1
    assert "DHIS2 did not answer within 0.4 s; gave up after 3 attempts" in result.output
    assert len(fake_dhis2.seen) == 3
    assert pushes(local)[0].detail["ok"] is False


def test_the_token_is_never_logged_nor_audited(local, fake_dhis2, caplog) -> None:  # type: ignore[no-untyped-def]  # noqa: F811
    caplog.set_level(logging.DEBUG)
    result = run(local, "dhis2", "push", "--period", "2021-03")
    assert TOKEN not in result.output and TOKEN not in caplog.text
    assert TOKEN not in json.dumps(pushes(local)[0].detail) and TOKEN not in repr(local)


@pytest.mark.parametrize(
    ("text", "words"),
    [
        (
            MAPPING.replace('"Assasuni/Anulia" = "OU_ANULIA"\n', ""),
            "Assasuni/Anulia has data for events.SCH.participants in 202103 but no org unit",
        ),
        (
            MAPPING.replace('indicator = "events.SCH.count"', 'indicator = "survivors.certified"'),
            "survivor indicators go no lower than upazila level",
        ),
        (
            MAPPING.replace('indicator = "events.SCH.count"', 'indicator = "events.SCH.counts"'),
            "unknown indicator path 'events.SCH.counts'",
        ),
        (MAPPING.replace('M = "MALE"', 'Y = "YOUTHS"'), "has no 'Y' tag"),
    ],
)
def test_nothing_is_sent_when_the_mapping_has_a_problem(
    local,
    fake_dhis2,
    text: str,  # type: ignore[no-untyped-def]  # noqa: F811
    words: str,
) -> None:
    write_mapping(local, text)
    result = run(local, "dhis2", "push", "--period", "2021-03")
    assert result.exit_code == 1
    [line] = [x for x in result.output.splitlines() if not x.startswith("warning:")]
    assert line.startswith("Error: nothing was sent: ") and words in line
    assert fake_dhis2.seen == [] and pushes(local) == []
    check = run(local, "dhis2", "check")
    assert check.exit_code == 1 and words.replace("202103", "2021") in check.output


def test_check_passes_a_good_mapping(local) -> None:  # type: ignore[no-untyped-def]
    result = run(local, "dhis2", "check", "--period", "2021-03")
    assert result.exit_code == 0, result.output
    assert "mapping OK: 2 indicators, 5 data values for 202103" in result.output


@pytest.mark.parametrize(
    ("args", "words"),
    [
        (("push", "--period", "2021-13"), "unknown period '2021-13'"),
        (("push", "--period", "2021-Q1x"), "unknown period"),
        (("export", "--period", "2021-03", "--format", "xml"), "Invalid value for '--format'"),
    ],
)
def test_bad_input_gets_one_line(local, args: tuple[str, ...], words: str) -> None:  # type: ignore[no-untyped-def]
    result = run(local, "dhis2", *args)
    assert result.exit_code != 0 and "Traceback" not in result.output
    assert words in result.output


def test_a_missing_mapping_file_says_where_it_belongs(local, tmp_path) -> None:  # type: ignore[no-untyped-def]
    result = run(local.with_(instance_path=str(tmp_path / "empty")), "dhis2", "check")
    assert result.exit_code == 1
    assert "no DHIS2 mapping at" in result.output and "dhis2.example.toml" in result.output


def test_a_missing_token_sends_nothing(local, fake_dhis2) -> None:  # type: ignore[no-untyped-def]  # noqa: F811
    result = run(local.with_(dhis2_token=None), "dhis2", "push", "--period", "2021-03")
    assert result.exit_code == 1 and "DHIS2_TOKEN is not set" in result.output
    assert fake_dhis2.seen == []


def test_dhis2_mapping_names_another_mapping_file(local, fake_dhis2, tmp_path) -> None:  # type: ignore[no-untyped-def]  # noqa: F811
    other = tmp_path / "yearly.toml"
    other.write_text(MAPPING.replace('"Monthly"', '"Yearly"'), encoding="utf-8")
    result = run(local.with_(dhis2_mapping=str(other)), "dhis2", "push", "--period", "2021")
    assert result.exit_code == 0, result.output
    assert {v["period"] for v in fake_dhis2.seen[0].body["dataValues"]} == {"2021"}
