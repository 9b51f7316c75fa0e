"""Ashshash SMS: the hands. Jobs that turn stored messages into records and replies.

The room's rule (`workers/`): settings, engines and sessions (`settings`, `db`), the queue
(`queue`: RQ on Redis, or in-process), and one package per stage of a message's journey:
`inbound/` (accept, store, process), `apply/` (command -> records, audit), `outbound/`
(send, delivery reports, gateways), `outreach/` (reminders, broadcasts), `dhis2/` (push).
Jobs take ids, open and commit their own sessions and can run twice without harm; data
functions take a `session` and never commit. May import `schemas`, SQLAlchemy, Redis, RQ
and provider SDKs; never Flask or `service` (tests/test_architecture.py checks it).
"""
