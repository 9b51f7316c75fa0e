"""Raw messages queued by the release before the move still find their job function."""

from rq.utils import import_attribute

from workers.inbound.jobs import store_raw


def test_a_store_raw_job_queued_under_the_old_path_runs_the_same_function() -> None:
    # RQ resolves a job's function from its stored dotted path exactly like this.
    assert import_attribute("workers.ingest.store_raw") is store_raw
