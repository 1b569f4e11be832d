"""The candidate pool per roster version: built once per process for a version (and day), and
reused until `roster_version` moves on.

The pool holds every active, not-erased expert (vetted or not): the hard rules exclude the others
(`not_vetted`), and every score is the expert's own, so ranking it gives exactly what ranking the
vetted ones gives, and `explain=excluded` reads the same pool.

The version is read before the facts: a pool may hold changes newer than its version (harmless:
the next version rebuilds it), never older ones.
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from datetime import date

from sqlmodel import Session

from roster.requests import roster_version
from roster.requests.candidate_facts import CandidatePool
from roster.requests.pool_loader import load_pool

KEEP = 2  # pools kept per process (a new day or version replaces the oldest)

_lock = threading.Lock()
_pools: OrderedDict[tuple[str, str, date], CandidatePool] = OrderedDict()


def candidate_pool(session: Session, *, today: date) -> CandidatePool:
    """The pool of every active, not-erased expert as of `today`, from the cache when the
    roster has not changed since it was built."""
    token = None if roster_version.pending_change(session) else roster_version.current(session)
    if token is None:  # the transaction's own changes, or no version row: nothing to trust
        return build(session, today=today)
    key = (session.get_bind().engine.url.render_as_string(hide_password=True), token, today)
    with _lock:
        found = _pools.get(key)
        if found is not None:
            _pools.move_to_end(key)
            return found
    pool = build(session, today=today)
    with _lock:
        _pools[key] = pool
        while len(_pools) > KEEP:
            _pools.popitem(last=False)
    return pool


def build(session: Session, *, today: date) -> CandidatePool:
    """Load the pool as columns (`pool_loader`)."""
    return load_pool(session, today=today)


def clear() -> None:
    """Forget every pool (tests and benchmarks that need a cold start)."""
    with _lock:
        _pools.clear()
