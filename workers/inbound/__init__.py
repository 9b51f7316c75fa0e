"""Messages in: accept (every channel), store, process (ONE path: a batch), jobs, sweep.

The room's rule. A message travels one way through it:

    service/hooks (a channel) -> accept.accept(settings, InboundEnvelope)
        -> store (grouped commit; the queue's `store_raw` when the database is down)
        -> jobs.dispatch (wake the RQ drain, or in-process by id)
        -> process.drain_batch -> Batch (facts pre-read once) -> workers.apply -> replies
        -> workers.outbound (send)

Every stored message is processed by `process.Batch`, on SQLite and PostgreSQL, with Redis
or without; a single message is a batch of one (`process.process_one`, for USSD and the
simulator through `accept.accept_now`). There is no other processing entry point.
`decide` holds one message's decision, used only by the batch. May import `schemas`,
`workers.apply`, `workers.outbound` and the workers' plumbing (settings, db, queue);
never Flask or `service`. Nothing is re-exported here: import the module that holds a name.
"""
