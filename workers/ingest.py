"""The previous release's name for `store_raw`, kept so its queued raw messages still store.

A `store_raw` job is the one job that carries a message instead of an id: the webhook queued
it while the database was down. RQ finds a job's function by its dotted path, and jobs queued
before the move to `workers/inbound/` name `workers.ingest.store_raw`; without this name they
would fail to import after an upgrade and their messages would be lost. Nothing else may
import it; remove it one release after every deployment has drained its queue.
"""

from workers.inbound.jobs import store_raw

__all__ = ["store_raw"]
