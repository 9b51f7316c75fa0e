"""Ashshash SMS: the dictionary. Every shape of data, and nothing that does I/O.

The room's rule (`schemas/`): the command language as data (`commands.toml`) and its
reading (`parse/`), replies (`replies/`), USSD screens (`ussd/`), outreach texts
(`outreach/`), DHIS2 shapes (`dhis2/`), text, dates, codes, places, periods, and the
SQLAlchemy table declarations (`tables/`). Pure: the received time is passed in. It may
import the standard library, SQLAlchemy (declarations only) and other `schemas` modules;
never Flask, Redis, RQ, requests, `workers` or `service`, and it reads no clock and no
environment (tests/test_architecture.py checks it).
"""
