"""Outbound: what leaves the system, stored first, then sent.

The room's rule: `guard` and `throttle` decide whether a reply may go (floods, loops, the
hourly limit); `send` stores replies and sends them (concurrently through `pool`, at most
once per message id, retried with backoff) and applies delivery reports; `gateways/` holds
one module per provider behind the `Gateway` protocol. Imports `schemas` and `workers`
modules (settings, db, queue), never Flask or `service`.
"""
