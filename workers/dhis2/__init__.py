"""DHIS2 I/O: the mapping file of the instance folder, the HTTP push, and its audit row.

May import `schemas` and the standard library, requests and SQLAlchemy; never Flask or `service`.
"""
