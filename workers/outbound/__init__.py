"""Outbound: what leaves the system, stored first, then sent.

The room's rule: `guard` and `throttle` decide whether a reply may go (floods, loops, the
hourly limit); `send` stores replies and makes send attempts (at most once per message id,
retried with backoff), its provider calls many at once on `pool`'s process-wide threads;
`sender` is the worker's: send jobs hand their ids to its lanes, so the RQ loop keeps
draining while the provider answers; `delivery` applies delivery reports; `gateways/` holds
one module per provider behind the `Gateway` protocol. Imports `schemas` and `workers`
modules (settings, db, queue), never Flask or `service`.
"""
