"""Exact and near-duplicate detection (doingoai.textproc.dedupe)."""

import unicodedata

import numpy as np
from datasketch import MinHash

from doingoai.text.vietnamese import tokenize
from doingoai.textproc import dedupe
from doingoai.textproc.dedupe import NearDuplicateIndex, content_hash, signature

from .site import A1_BODY, A2_BODY, A3_BODY, A4_BODY

A1, A2, A3, A4 = (" ".join(body) for body in (A1_BODY, A2_BODY, A3_BODY, A4_BODY))


def test_words_are_the_project_tokenizer_words():
    samples = [A1, unicodedata.normalize("NFD", A3), "Lào Cai–Hà Khẩu, 2024! 老街 ລາວກາຍ x_y"]
    for text in samples:
        assert dedupe.normalised_words(text) == tokenize(text)


def test_content_hash_ignores_case_spacing_punctuation_and_diacritics():
    assert content_hash("Lào Cai đón  khách!") == content_hash("LAO CAI don khach")
    assert content_hash(A1) == content_hash(unicodedata.normalize("NFD", A1.upper()))
    assert content_hash(A1) != content_hash(A2)
    assert content_hash("") == content_hash("  ... ") == ""


def test_short_texts_get_no_signature():
    assert signature("Sa Pa hôm nay có tuyết") is None
    assert signature(A4) is not None


def test_vectorised_minhash_is_datasketch_affine32():
    rng = np.random.default_rng(7)
    hashes = rng.integers(0, 2**32, size=500, dtype=np.uint64).astype(np.uint32)
    reference = MinHash(num_perm=dedupe.NUM_PERM, seed=dedupe.SEED, scheme="affine32", hashfunc=int)
    reference.update_batch([int(h) for h in hashes])
    assert np.array_equal(dedupe.minhash_values(hashes), reference.hashvalues)


def test_signature_round_trips_through_bytes():
    minhash = signature(A1)
    data = dedupe.signature_to_bytes(minhash)
    assert len(data) == dedupe.NUM_PERM * 4
    assert dedupe.signature_from_bytes(data).jaccard(minhash) == 1.0


def test_a_republished_story_is_found_and_a_different_one_is_not():
    index = NearDuplicateIndex()
    index.add(1, signature(A1), "story-1")
    index.add(3, signature(A3), "story-3")
    match = index.find(signature(A2))
    assert match is not None
    assert (match.key, match.group) == (1, "story-1")
    assert match.similarity >= 0.8
    assert index.find(signature(A4)) is None


def test_near_duplicates_survive_folding_and_headline_changes():
    index = NearDuplicateIndex()
    index.add("a1", signature(A1), "c1")
    stripped = "".join(
        c for c in unicodedata.normalize("NFD", A1) if not unicodedata.combining(c)
    ).replace("đ", "d")
    assert index.find(signature("TIN MỚI: " + stripped)).group == "c1"


def test_one_story_on_many_sites_is_one_cluster():
    """Twenty republications with small edits each join the first one's cluster."""
    index = NearDuplicateIndex()
    clusters = {}
    sentences = A1_BODY
    for site in range(20):
        edited = list(sentences)
        edited[site % len(edited)] = edited[site % len(edited)].replace("tỉnh", f"tỉnh ({site})", 1)
        text = f"Báo số {site} đưa tin. " + " ".join(edited)
        minhash = signature(text)
        match = index.find(minhash)
        group = match.group if match else f"cluster-{site}"
        clusters.setdefault(group, []).append(site)
        index.add(site, minhash, group)
    index.add("other", signature(A3), "cluster-a3")
    assert list(clusters) == ["cluster-0"]
    assert len(clusters["cluster-0"]) == 20


def test_index_rebuilds_from_stored_rows():
    rows = [
        (1, 10, dedupe.signature_to_bytes(signature(A1))),
        (3, 30, dedupe.signature_to_bytes(signature(A3))),
    ]
    index = NearDuplicateIndex()
    assert index.rebuild(rows) == 2
    assert index.rebuild(rows) == 0  # already there
    assert len(index) == 2
    assert index.find(signature(A2)).group == 10
    index.remove(1)
    assert index.find(signature(A2)) is None


def test_compact_buckets_behave_like_sets():
    buckets = dedupe.CompactBuckets()
    buckets.insert(7, "a")
    buckets.insert(7, "a")
    assert buckets.get(7) == ("a",)
    buckets.insert(7, "b", "c")
    assert sorted(buckets.get(7)) == ["a", "b", "c"]
    buckets.remove_val(7, "b")
    buckets.remove_val(7, "c")
    assert buckets.get(7) == ("a",) and buckets.itemcounts() == {7: 1}
    buckets.remove_val(7, "a")
    assert buckets.get(7) == () and not buckets.has_key(7) and buckets.size() == 0


def test_index_grows_past_its_first_block():
    index = NearDuplicateIndex()
    base = signature(A1)
    for n in range(2500):  # the signature matrix starts at 1,024 rows
        index.add(n, base, n)
    assert len(index) == 2500 and index.group_of(2499) == 2499
    assert index.find(base).similarity == 1.0
