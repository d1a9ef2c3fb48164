"""The process's near-duplicate index, rebuilt from the database and kept in step with it.

The index (``doingoai.textproc.dedupe.NearDuplicateIndex``) lives in memory. It is built
lazily from the signatures stored on ``Item`` rows, then *synced* before each batch: rows
with a primary key above the last one read are added, so items stored by other workers are
seen too. Items this process stores are added as soon as their savepoint (or transaction)
has succeeded, so the items of one batch find each other; if the batch's transaction is then
rolled back, they are removed again (``near_index_remove``).
A cluster that no longer exists (deleted in the back office) is never matched: the caller
checks the cluster row before joining it.
"""

from __future__ import annotations

import threading

from doingoai.textproc.dedupe import NearDuplicateIndex, NearMatch

from .models import Item

_lock = threading.RLock()
_index: NearDuplicateIndex | None = None
_watermark = 0


def near_index_reset() -> None:
    """Forget the index (tests, or after bulk changes); the next use rebuilds it."""
    global _index, _watermark
    with _lock:
        _index = None
        _watermark = 0


def near_index_sync() -> NearDuplicateIndex:
    """The index, with every stored signature above the watermark added."""
    global _index, _watermark
    with _lock:
        if _index is None:
            _index = NearDuplicateIndex()
            _watermark = 0
        rows = (
            Item.objects.filter(pk__gt=_watermark, signature__isnull=False, cluster__isnull=False)
            .order_by("pk")
            .values_list("pk", "cluster_id", "signature")
        )
        last = _watermark
        for pk, cluster_id, data in rows.iterator(chunk_size=2000):
            _index.rebuild([(pk, cluster_id, data)])
            last = pk
        _watermark = last
        return _index


def near_index_find(minhash) -> NearMatch | None:
    with _lock:
        index = _index if _index is not None else near_index_sync()
        return index.find(minhash)


def near_index_add(key: int, minhash, group: int) -> bool:
    """Index a stored item; False when it was indexed already."""
    with _lock:
        index = _index if _index is not None else near_index_sync()
        return index.add(key, minhash, group)


def near_index_remove(keys) -> None:
    """Forget items indexed by a batch whose transaction was rolled back."""
    with _lock:
        if _index is not None:
            for key in keys:
                _index.remove(key)
