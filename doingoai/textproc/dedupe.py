"""Exact and near-duplicate detection over diacritic-folded text.

- ``content_hash(text)``: SHA-256 of the folded words of the text, so two copies that differ
  only in case, spacing, punctuation or diacritics (a site that strips accents) hash alike.
- ``signature(text)``: a 128-permutation MinHash (datasketch, ``affine32`` scheme) of the
  3-word shingles of the folded words, or ``None`` for texts too short to compare. It is 512
  bytes (``signature_to_bytes``) and is stored with each item, so the index can be rebuilt
  from the database without refetching or re-reading any text.
- ``NearDuplicateIndex``: a ``datasketch.MinHashLSH`` (threshold 0.8) plus, per key, its group
  (the story cluster) and its signature. ``find`` asks the LSH for candidates and checks each
  by the estimated Jaccard similarity, so a false candidate of the banding is not accepted.
  Adding one item touches one bucket per band: the cost per item does not grow with the
  number of items indexed.

Shingle hashing uses CRC-32 of each word (cached per distinct token) and mixes three word
hashes arithmetically, which is deterministic across processes (Python's ``hash`` is not)
and avoids building shingle strings; the MinHash itself is datasketch's ``affine32`` scheme
computed for all shingles at once with numpy (``minhash_values``).
"""

from __future__ import annotations

import hashlib
import threading
from collections.abc import Hashable, Iterable
from dataclasses import dataclass
from itertools import chain
from operator import itemgetter

import numpy as np
from datasketch import LeanMinHash, MinHash, MinHashLSH
from datasketch.storage import UnorderedStorage

from .words import Analysed, analyse, normalised_words

__all__ = [
    "MIN_WORDS",
    "NUM_PERM",
    "THRESHOLD",
    "NearDuplicateIndex",
    "NearMatch",
    "content_hash",
    "minhash_values",
    "normalised_words",
    "signature",
    "signature_from_bytes",
    "signature_to_bytes",
    "words_and_signature",
]

NUM_PERM = 128
THRESHOLD = 0.8
SHINGLE_WORDS = 3
MIN_WORDS = 12  # shorter texts (a comment, a title) are matched by content hash only
MAX_WORDS = 4000  # bounds the cost of one item; the start of a story is what repeats
LSH_WEIGHTS = (0.1, 0.9)  # (false positives, false negatives)
SEED = 1
SCHEME = "affine32"
# The permutations of datasketch's affine32 scheme for this seed (a public attribute).
_PERM_A, _PERM_B = (
    np.asarray(p, dtype=np.uint32)
    for p in MinHash(num_perm=NUM_PERM, seed=SEED, scheme=SCHEME).permutations
)
# MurmurHash3's 32-bit finalizer, which datasketch applies before the permutations.
_FMIX32 = (
    np.uint32(16),
    np.uint32(0x85EBCA6B),
    np.uint32(13),
    np.uint32(0xC2B2AE35),
    np.uint32(16),
)
_MIX_A = np.uint32(0x9E3779B1)
_MIX_B = np.uint32(0x85EBCA77)


def _tokens(text: str) -> list[tuple[tuple[str, ...], tuple[int, ...]]]:
    return analyse(text).tokens


def content_hash(text: str, *, words: list[str] | None = None) -> str:
    """SHA-256 hex digest of the folded words, or ``""`` for a text without words."""
    words = normalised_words(text) if words is None else words
    if not words:
        return ""
    return hashlib.sha256(" ".join(words).encode()).hexdigest()


def _shingle_hashes(word_hashes: np.ndarray) -> np.ndarray:
    """One 32-bit hash per run of ``SHINGLE_WORDS`` consecutive words (mixed arithmetically)."""
    if len(word_hashes) < SHINGLE_WORDS:
        return word_hashes
    count = len(word_hashes) - SHINGLE_WORDS + 1
    mixed = word_hashes[:count].copy()
    for offset in range(1, SHINGLE_WORDS):
        mixed = mixed * _MIX_A + word_hashes[offset : offset + count] * _MIX_B + np.uint32(offset)
    return mixed


_scratch = threading.local()
_second = itemgetter(1)  # (words, hashes) of a token → its hashes


def _products(rows: int) -> np.ndarray:
    """A scratch array of ``rows × NUM_PERM`` for this thread, allocated once: a new array
    of that size per item (≈ 380 KB) costs fresh pages from the system every time, about
    as long as the arithmetic itself."""
    buffer = getattr(_scratch, "products", None)
    if buffer is None or len(buffer) < rows:
        buffer = _scratch.products = np.empty((max(rows, MAX_WORDS), NUM_PERM), np.uint32)
    return buffer[:rows]


def minhash_values(hashes: np.ndarray) -> np.ndarray:
    """datasketch's affine32 MinHash of 32-bit input hashes, vectorised.

    Equal to ``MinHash(scheme="affine32", seed=SEED).update_batch(hashes)`` with an identity
    hash function (``tests/monitoring/test_textproc_dedupe.py`` checks it), without a Python
    call per input.
    """
    s1, m1, s2, m2, s3 = _FMIX32
    hv = hashes.astype(np.uint32, copy=True)
    hv ^= hv >> s1
    hv *= m1
    hv ^= hv >> s2
    hv *= m2
    hv ^= hv >> s3
    products = _products(len(hv))
    np.multiply(hv[:, None], _PERM_A, out=products)
    products += _PERM_B
    return products.min(axis=0)


def signature(text: str) -> LeanMinHash | None:
    """The MinHash of the 3-word shingles of ``text``; ``None`` below ``MIN_WORDS`` words."""
    return words_and_signature(text)[1]


def words_and_signature(
    text: str, *, analysed: Analysed | None = None
) -> tuple[list[str], LeanMinHash | None]:
    """Both at once, tokenizing the text once (what the pipeline stores for each item);
    ``analysed`` is ``words.analyse(text)`` when the caller has it already."""
    analysed = analysed if analysed is not None else analyse(text)
    tokens, words = analysed.tokens, analysed.words
    if len(words) < MIN_WORDS:
        return words, None
    hashes = np.fromiter(
        chain.from_iterable(map(_second, tokens)), dtype=np.uint32, count=len(words)
    )
    values = minhash_values(_shingle_hashes(hashes[:MAX_WORDS]))
    return words, LeanMinHash(seed=SEED, hashvalues=values, scheme=SCHEME)


def signature_to_bytes(minhash: LeanMinHash) -> bytes:
    return np.asarray(minhash.hashvalues, dtype="<u4").tobytes()


def signature_from_bytes(data: bytes) -> LeanMinHash:
    values = np.frombuffer(bytes(data), dtype="<u4")
    if len(values) != NUM_PERM:
        raise ValueError(f"a signature has {NUM_PERM} values, this one has {len(values)}")
    return LeanMinHash(seed=SEED, hashvalues=values, scheme=SCHEME)


def _band_key(data: bytes) -> int:
    # A 64-bit int per band instead of the band's bytes: smaller bucket keys.
    return int.from_bytes(hashlib.blake2b(data, digest_size=8).digest(), "little")


_MISSING = object()


class CompactBuckets(UnorderedStorage):
    """The buckets of one LSH band: ``band key → item key``, or a list when several items
    share the bucket. A ``datasketch`` storage like its ``DictSetStorage``, without a ``set``
    object per bucket (about 200 bytes each, 14 per item), which is most of the index's
    memory at a million items."""

    def __init__(self, config=None) -> None:
        self._dict: dict = {}

    def keys(self):
        return self._dict.keys()

    def get(self, key):
        value = self._dict.get(key, _MISSING)
        if value is _MISSING:
            return ()
        return tuple(value) if isinstance(value, list) else (value,)

    def insert(self, key, *vals, **kwargs) -> None:
        for val in vals:
            value = self._dict.get(key, _MISSING)
            if value is _MISSING:
                self._dict[key] = val
            elif isinstance(value, list):
                if val not in value:
                    value.append(val)
            elif value != val:
                self._dict[key] = [value, val]

    def remove(self, *keys, **kwargs) -> None:
        for key in keys:
            self._dict.pop(key, None)

    def remove_val(self, key, val, **kwargs) -> None:
        value = self._dict.get(key, _MISSING)
        if isinstance(value, list):
            if val in value:
                value.remove(val)
            if len(value) == 1:
                self._dict[key] = value[0]
        elif value is not _MISSING and value == val:
            del self._dict[key]

    def size(self) -> int:
        return len(self._dict)

    def itemcounts(self, **kwargs) -> dict:
        return {k: len(v) if isinstance(v, list) else 1 for k, v in self._dict.items()}

    def has_key(self, key) -> bool:
        return key in self._dict


@dataclass(frozen=True)
class NearMatch:
    key: Hashable
    group: Hashable
    similarity: float


class NearDuplicateIndex:
    """In-memory MinHash LSH of the items seen so far, each with the group it belongs to.

    The banding (how many bands of how many rows for the threshold and ``LSH_WEIGHTS``) is
    datasketch's ``MinHashLSH``'s; the buckets are ours: one ``CompactBuckets`` per band,
    keyed by a 64-bit hash of the band's values. Each signature's band keys are computed once
    (``find`` then ``add`` of the same signature, as the pipeline does, reuse them) and are
    not stored: a removal recomputes them from the signature. Signatures are kept as rows of
    one growing ``uint32`` matrix (512 bytes per item, no object per item) for the
    similarity check.
    """

    def __init__(self, *, threshold: float = THRESHOLD, num_perm: int = NUM_PERM) -> None:
        self.threshold = threshold
        # Weights favour recall (14 bands of 9 rows at 0.8): a story at Jaccard 0.85 is a
        # candidate 97% of the time instead of 69%; the false candidates this lets in are
        # dropped by the similarity check in ``candidates``.
        banding = MinHashLSH(threshold=threshold, num_perm=num_perm, weights=LSH_WEIGHTS)
        self.bands, self.rows_per_band = banding.b, banding.r
        self._buckets = [CompactBuckets() for _ in range(self.bands)]
        self.num_perm = num_perm
        self._rows: dict[Hashable, int] = {}
        self._groups: list[Hashable] = []
        self._matrix = np.empty((1024, num_perm), dtype=np.uint32)
        self._last: tuple[object, list[int]] | None = None

    def __len__(self) -> int:
        return len(self._rows)

    def __contains__(self, key: Hashable) -> bool:
        return key in self._rows

    def group_of(self, key: Hashable) -> Hashable | None:
        row = self._rows.get(key)
        return None if row is None else self._groups[row]

    def _band_keys(self, values: np.ndarray) -> list[int]:
        data = np.asarray(values, dtype="<u4").tobytes()
        width = 4 * self.rows_per_band
        return [
            _band_key(data[start : start + width]) for start in range(0, width * self.bands, width)
        ]

    def _keys_of(self, minhash: LeanMinHash) -> list[int]:
        last = self._last
        if last is not None and last[0] is minhash:
            return last[1]
        keys = self._band_keys(minhash.hashvalues)
        self._last = (minhash, keys)
        return keys

    def add(self, key: Hashable, minhash: LeanMinHash, group: Hashable) -> bool:
        """Index ``key``; returns False (and changes nothing) when it is already there."""
        if key in self._rows:
            return False
        for bucket, band_key in zip(self._buckets, self._keys_of(minhash), strict=True):
            bucket.insert(band_key, key)
        row = len(self._groups)
        if row == len(self._matrix):  # grow by doubling: amortised constant cost per item
            self._matrix = np.concatenate([self._matrix, np.empty_like(self._matrix)])
        self._matrix[row] = minhash.hashvalues
        self._rows[key] = row
        self._groups.append(group)
        return True

    def remove(self, key: Hashable) -> None:
        row = self._rows.pop(key, None)
        if row is None:
            return
        # Its matrix row is left unused; its band keys are those of the signature kept there.
        for bucket, band_key in zip(self._buckets, self._band_keys(self._matrix[row]), strict=True):
            bucket.remove_val(band_key, key)

    def candidates(self, minhash: LeanMinHash) -> list[NearMatch]:
        """Indexed keys whose estimated similarity reaches the threshold, best first."""
        found_keys: set = set()
        for bucket, band_key in zip(self._buckets, self._keys_of(minhash), strict=True):
            found_keys.update(bucket.get(band_key))
        keys = [key for key in found_keys if key in self._rows]
        if not keys:
            return []
        rows = [self._rows[key] for key in keys]
        values = np.asarray(minhash.hashvalues, dtype=np.uint32)
        similarities = (self._matrix[rows] == values).mean(axis=1)
        found = [
            NearMatch(key=key, group=self._groups[row], similarity=float(similarity))
            for key, row, similarity in zip(keys, rows, similarities, strict=True)
            if similarity >= self.threshold
        ]
        found.sort(key=lambda match: (-match.similarity, str(match.key)))
        return found

    def find(self, minhash: LeanMinHash) -> NearMatch | None:
        """The most similar indexed key at or above the threshold, if any."""
        found = self.candidates(minhash)
        return found[0] if found else None

    def rebuild(self, rows: Iterable[tuple[Hashable, Hashable, bytes]]) -> int:
        """Index ``(key, group, signature bytes)`` rows (e.g. read from the database)."""
        added = 0
        for key, group, data in rows:
            if data and self.add(key, signature_from_bytes(data), group):
                added += 1
        return added
