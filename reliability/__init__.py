"""Degrade, never fail: what keeps the site answering when a part it shares stops.

- `errors`: a database that cannot be reached answers a calm 503 with Retry-After.
- `logs`: a failure repeated on every request is logged at most once a minute.
- `sessions`: sessions read through the cache, which may be unreachable.
- `once`: a form sent again (after a 503, or twice at once) is saved once.
- `workers`: each background worker's heartbeat, and the sweep that fails the work of a
  worker that died; `task_results`: finished work keeps no address, link or token.
"""
