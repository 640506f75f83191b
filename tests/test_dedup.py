"""Article identity and near-duplicate detection."""

from __future__ import annotations

import pytest
from datasketch import LeanMinHash, MinHash

from detente.dedup import articles as dedup
from detente.dedup._minhash import Signature
from detente.dedup.articles import (
    NearDuplicateIndex,
    article_id,
    content_hash,
    minhash_signature,
    normalize_text,
    signature_from_bytes,
    signature_to_bytes,
)

# Texts written for these tests (about 160 words each): one wire story, syndicated copies of it
# with the kinds of edits outlets make, and a different story on the same topic and actors.
ORIGINAL = (
    "ANKARA — Turkish Foreign Minister Hakan Fidan and his Russian counterpart Sergei Lavrov met "
    "in Ankara on Tuesday to discuss a possible revival of the Black Sea grain corridor, officials "
    "from both sides said. The talks lasted more than three hours and focused on guarantees for "
    "cargo ships leaving Ukrainian ports, according to a statement from the Turkish foreign "
    "ministry. Fidan told reporters after the meeting that Turkey was “ready to host a new round "
    "of negotiations” with the United Nations as early as next month. Lavrov said Moscow would "
    "consider rejoining the deal only if Western sanctions on Russian agricultural exports were "
    "eased. Ukraine was not represented at the meeting, but a spokesman for the Ukrainian foreign "
    "ministry said Kyiv welcomed any effort that kept shipping lanes open. Grain prices in Chicago "
    "rose slightly after the first reports of the talks. The two ministers agreed to meet again "
    "before the end of the year, and Fidan said he expected a “concrete proposal” from Moscow."
)

# One sentence rewritten, straight quotes, an outlet footer.
COPY_CHANGED_SENTENCE = (
    ORIGINAL.replace(
        "Grain prices in Chicago rose slightly after the first reports of the talks.",
        "Analysts in Istanbul called the meeting the most serious attempt so far to restart the "
        "agreement.",
    )
    .replace("“", '"')
    .replace("”", '"')
    + "\n\nThis story was first published by Anadolu Wire. Reporting by Ayse Demir; editing by "
    "John Smith. Follow us for more news from the region."
)

# A new intro line in the outlet's voice and a dateline dropped.
COPY_NEW_INTRO = (
    "Turkey and Russia held talks on reviving the grain deal this week. "
    + ORIGINAL.removeprefix("ANKARA — ")
)

# Cut after the fifth sentence, as short wire versions are, plus a copyright line.
COPY_TRUNCATED = ORIGINAL.split(" Grain prices")[0] + " (c) 2024 Example Media Group."

DIFFERENT_STORY = (
    "ISTANBUL — Ukraine and Turkey signed an agreement on Thursday to expand cargo shipments "
    "through the Black Sea, weeks after Russian Foreign Minister Sergei Lavrov visited Ankara. "
    "Turkish Foreign Minister Hakan Fidan said the deal would allow up to forty ships a month to "
    "carry grain from the port of Odesa under the protection of the Turkish navy. Ukrainian "
    "officials said the arrangement did not depend on Moscow and would go ahead even if Russia "
    "refused to rejoin the grain corridor. The Kremlin called the agreement a provocation and "
    "warned that ships entering the war zone could be treated as military targets. The United "
    "Nations said it had not been consulted. Wheat prices in Chicago fell by two percent after "
    "the announcement, and insurers said they would raise premiums for vessels bound for "
    "Ukrainian ports. Fidan told reporters after the meeting that Turkey was ready to defend the "
    "corridor, and he is expected to travel to Kyiv next week to discuss the next steps."
)

SYNDICATED_COPIES = {
    "changed sentence and footer": COPY_CHANGED_SENTENCE,
    "new intro line": COPY_NEW_INTRO,
    "truncated with copyright": COPY_TRUNCATED,
}


def _jaccard(a: str, b: str) -> float:
    """Exact Jaccard similarity of the two texts' shingle sets."""
    x, y = dedup.shingles(a), dedup.shingles(b)
    return len(x & y) / len(x | y)


def _signature(text: str) -> Signature:
    """Signature of a text long enough to have one."""
    signature = minhash_signature(text)
    assert signature is not None
    return signature


@pytest.mark.parametrize(
    ("a", "b"),
    [
        ("He said “no” — twice.", 'he  said "no" -- twice.'),
        ("He said “no” — twice.", "He said 'no'—twice.".replace("'", '"')),
        ("It’s a pro‑Russian ‘deal’", "It's a pro-Russian 'deal'"),
        ("1990–1995\u00a0period", "1990-1995 period"),
        ("ＦＵＬＬ width", "full width"),
        ("Stra\u00dfe\u200b talks\n\n\tend", "STRASSE talks end"),
        ("Wait…", "wait..."),
    ],
)
def test_normalize_text_ignores_syndication_styles(a: str, b: str) -> None:
    assert normalize_text(a) == normalize_text(b)
    assert article_id(a) == article_id(b)


def test_normalize_text_keeps_words_apart() -> None:
    assert normalize_text("  Ankara  talks ") == "ankara talks"
    assert article_id("Ankara talks") != article_id("Ankara talk")
    # a hyphen inside a word is part of it; a spaced dash is punctuation
    assert normalize_text("pro-Russian") == "pro-russian"
    assert normalize_text("pro - Russian") == normalize_text("pro—Russian") == "pro - russian"


def test_article_id_is_16_hex_digits_and_stable() -> None:
    ident = article_id(ORIGINAL)
    assert len(ident) == 16
    assert int(ident, 16) >= 0
    # pinned: a change here changes every stored article id
    assert article_id("Hello world") == "b94d27b9934d3e08"


def test_content_hash_is_sha256_of_raw_bytes() -> None:
    assert content_hash("") == "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"
    assert content_hash("héllo") == content_hash("héllo".encode())
    assert content_hash("a b") != content_hash("a  b")  # raw, not normalized


def test_short_texts_have_no_signature() -> None:
    assert minhash_signature("") is None
    assert minhash_signature("🙂 🙂 🙂") is None
    assert minhash_signature("Too short to compare by shingles at all.") is None
    assert dedup.shingles("one two") == {"one two"}


def test_signature_round_trips_through_bytes() -> None:
    signature = _signature(ORIGINAL)
    data = signature_to_bytes(signature)
    assert isinstance(data, bytes)
    back = signature_from_bytes(data)
    assert back.jaccard(signature) == 1.0
    assert signature_to_bytes(back) == data
    assert dedup.is_current(back)
    with pytest.raises(ValueError, match="not a MinHash signature"):
        signature_from_bytes(b"\x00\x01")


@pytest.mark.parametrize("name", sorted(SYNDICATED_COPIES))
def test_syndicated_copy_is_above_threshold(name: str) -> None:
    copy = SYNDICATED_COPIES[name]
    assert article_id(copy) != article_id(ORIGINAL)
    assert _jaccard(ORIGINAL, copy) >= dedup.THRESHOLD + 0.1
    index = NearDuplicateIndex.from_signatures([("original", _signature(ORIGINAL))])
    assert index.find(_signature(copy)) == "original"


def test_different_story_on_same_topic_is_not_a_copy() -> None:
    assert _jaccard(ORIGINAL, DIFFERENT_STORY) < 0.1
    index = NearDuplicateIndex.from_signatures([("original", _signature(ORIGINAL))])
    assert index.find(_signature(DIFFERENT_STORY)) is None
    assert index.matches(_signature(DIFFERENT_STORY)) == []


def test_index_prefers_most_similar_then_oldest() -> None:
    index = NearDuplicateIndex()
    index.add("copy", _signature(COPY_CHANGED_SENTENCE))
    index.add("other", _signature(DIFFERENT_STORY))
    index.add("original", _signature(ORIGINAL))
    index.add("original", _signature(DIFFERENT_STORY))  # second add of a key is ignored
    assert len(index) == 3
    assert "original" in index
    found = index.matches(_signature(ORIGINAL))
    assert [key for key, _ in found] == ["original", "copy"]
    assert found[0][1] == 1.0
    # equal similarity: the earlier key wins
    index.add("original again", _signature(ORIGINAL))
    assert index.find(_signature(ORIGINAL)) == "original"


def test_a_long_run_of_spaces_is_normalized_in_one_pass() -> None:
    # found by tests/test_fuzz_extract.py: the dash pattern's leading \s* was tried from every
    # space of a run, so 40,000 spaces took 12 s and a 200 KB run minutes (quadratic)
    from detente.scale.pool import time_limit

    with time_limit(20):
        assert normalize_text("Talks" + " " * 200_000 + "\u2003" * 200_000 + "-- ended") == (
            "talks - ended"
        )
    assert normalize_text("a  --  b \u2014 c - d e-f") == "a - b - c - d e-f"


def test_index_finds_what_datasketch_lsh_finds() -> None:
    # the compact index keeps datasketch's bands: same candidates, same verified matches, also
    # past TAIL_ROWS (the sorted tables) and for copies of rows in the tail
    import random

    from datasketch import MinHashLSH

    rng = random.Random(7)
    words = ORIGINAL.split() + DIFFERENT_STORY.split()
    texts = [" ".join(rng.choices(words, k=60)) for _ in range(dedup.TAIL_ROWS + 300)]
    signatures = [_signature(text) for text in texts]
    index = NearDuplicateIndex()
    reference = MinHashLSH(threshold=dedup.THRESHOLD, num_perm=dedup.NUM_PERM,
                           weights=dedup.LSH_WEIGHTS)  # fmt: skip
    for i, signature in enumerate(signatures):
        index.add(str(i), signature)
        reference.insert(str(i), _datasketch(signature))
    for i in [*range(0, len(texts), 97), len(texts) - 1]:
        words_i = texts[i].split()
        copy = " ".join(words_i[:55] + rng.choices(words, k=5))  # a copy with a new ending
        query = _signature(copy)
        expected = sorted(
            (key, float((signatures[int(key)].hashvalues == query.hashvalues).mean()))
            for key in reference.query(_datasketch(query))
        )
        expected = [(k, s) for k, s in expected if s >= dedup.THRESHOLD]
        assert sorted(index.matches(query)) == expected
        assert index.find(query) is not None


def _datasketch(signature: Signature) -> MinHash:
    return MinHash(seed=signature.seed, hashvalues=signature.hashvalues, scheme="affine32")


@pytest.mark.parametrize("text", [ORIGINAL, DIFFERENT_STORY, COPY_TRUNCATED])
def test_signatures_are_datasketchs_bit_for_bit(text: str) -> None:
    # our numpy MinHash saves datasketch's scipy import (60 MB a process): it must stay its
    # affine32 scheme exactly, so signatures stored by earlier versions still compare
    ours = _signature(text)
    theirs = MinHash(num_perm=dedup.NUM_PERM, seed=dedup.SEED, scheme="affine32")
    theirs.update_batch(gram.encode("utf-8") for gram in dedup.shingles(text))
    assert ours.hashvalues.dtype == theirs.hashvalues.dtype
    assert (ours.hashvalues == theirs.hashvalues).all()
    lean = LeanMinHash(theirs)
    buffer = bytearray(lean.bytesize("<"))
    lean.serialize(buffer, "<")
    assert signature_to_bytes(ours) == bytes(buffer)
    assert (signature_from_bytes(bytes(buffer)).hashvalues == theirs.hashvalues).all()
    other = _signature(DIFFERENT_STORY)
    assert ours.jaccard(other) == pytest.approx(theirs.jaccard(_datasketch(other)))


def test_lsh_bands_are_datasketchs() -> None:
    from datasketch import MinHashLSH

    from detente.dedup._minhash import lsh_bands

    for threshold in (dedup.THRESHOLD, 0.3, 0.8):
        reference = MinHashLSH(threshold=threshold, num_perm=dedup.NUM_PERM,
                               weights=dedup.LSH_WEIGHTS)  # fmt: skip
        assert lsh_bands(threshold, dedup.NUM_PERM, dedup.LSH_WEIGHTS) == (
            reference.b,
            reference.r,
        )


def test_storing_and_extracting_never_import_scipy() -> None:
    # what the own MinHash is for: a worker or a one-process ingest holds no scipy
    import subprocess
    import sys

    code = (
        "import sys, detente.ingest, detente.store.database\n"
        "from detente.dedup.articles import minhash_signature, NearDuplicateIndex\n"
        "NearDuplicateIndex()\n"
        "print(sorted(m for m in sys.modules if m.split('.')[0] in ('scipy', 'datasketch')))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"
