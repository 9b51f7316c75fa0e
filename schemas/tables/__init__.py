"""SQLAlchemy 2 declarative tables: declarations only, no sessions and no queries.

One module per group of tables; every table is re-exported here, so `from schemas.tables
import Record` is the one way to name a table, and importing this package registers every
table on `Base.metadata` (what Alembic's autogenerate and the tests compare against).
May import SQLAlchemy and `schemas` only: no Flask, Redis, RQ, requests, clock or environment.
"""

from schemas.tables.access import DashboardSession, LoginFailure
from schemas.tables.base import Base
from schemas.tables.messages import InboundMessage, OutboundMessage, UssdEvent
from schemas.tables.outreach import Broadcast, OutreachSend
from schemas.tables.people import AuditEntry, Reporter, ReporterImport, User
from schemas.tables.records import Record, Referral, Survivor

__all__ = [
    "Base",
    "AuditEntry",
    "Broadcast",
    "DashboardSession",
    "InboundMessage",
    "LoginFailure",
    "OutboundMessage",
    "OutreachSend",
    "Record",
    "Referral",
    "Reporter",
    "ReporterImport",
    "Survivor",
    "User",
    "UssdEvent",
]
