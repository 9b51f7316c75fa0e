"""Outreach: the reminder rules, their schedule, broadcasts, pacing and the monthly budget.

May import `workers` (db, queue, outbound, settings) and `schemas`; never Flask or `service`.
Every message it makes is an outbound row (stored first) sent by `workers.outreach.sending`
on the `outreach` queue, after replies.
"""
