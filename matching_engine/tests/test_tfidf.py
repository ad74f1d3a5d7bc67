"""TF-IDF on scipy.sparse: a hand-computed example and the properties the scorer relies on."""

from __future__ import annotations

import math

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st
from scipy import sparse

from matching_engine.tfidf import STOP_WORDS, tokens, weigh


def weighed(documents: list[str]) -> tuple[list[str], np.ndarray]:
    terms = sorted({t for d in documents for t in tokens(d)})
    at = {t: i for i, t in enumerate(terms)}
    rows = [[at[t] for t in tokens(d)] for d in documents]
    counts = sparse.csr_array(
        (
            np.ones(sum(map(len, rows)), np.float32),
            [c for r in rows for c in r],
            np.cumsum([0, *map(len, rows)]),
        ),
        shape=(len(documents), len(terms)),
    )
    return terms, weigh(counts).toarray()


def test_it_tokenises_as_the_scorer_wants():
    assert tokens("The Cat's café, a naïve Über-cat; 42 x") == ["cat", "café", "naïve", "über", "cat", "42"]
    assert tokens("and of the") == []
    assert {"the", "and", "of", "with"} <= STOP_WORDS


def test_it_weighs_a_small_corpus_by_hand():
    terms, matrix = weighed(["cat cat dog", "dog", "the"])
    assert terms == ["cat", "dog"]
    # n = 3 documents; idf = ln((1 + n) / (1 + df)) + 1; tf = 1 + ln(count); rows of unit length
    idf_cat, idf_dog = math.log(4 / 2) + 1, math.log(4 / 3) + 1
    cat, dog = (1 + math.log(2)) * idf_cat, idf_dog
    norm = math.hypot(cat, dog)
    assert np.allclose(matrix[0], [cat / norm, dog / norm])
    assert np.allclose(matrix[1], [0, 1])
    assert matrix[2].tolist() == [0, 0]
    assert matrix.dtype == np.float32


WORDS = st.sampled_from(["river", "stone", "garden", "music", "code", "chess", "the", "of", "a"])


@settings(max_examples=60, deadline=None)
@given(st.lists(st.lists(WORDS, max_size=8).map(" ".join), min_size=1, max_size=12))
def test_its_rows_are_unit_length_or_empty_and_never_negative(documents: list[str]):
    terms, matrix = weighed(documents)
    norms = np.linalg.norm(matrix, axis=1)
    for document, row_norm in zip(documents, norms, strict=True):
        assert math.isclose(row_norm, 1 if tokens(document) else 0, abs_tol=1e-5)
    assert (matrix >= 0).all()
    assert matrix.shape == (len(documents), len(terms))


@settings(max_examples=60, deadline=None)
@given(st.integers(1, 20), st.integers(1, 5))
def test_a_rarer_word_and_a_repeated_word_weigh_more(repeats: int, others: int):
    # "rare" once in the first document only; "common" once in every document.
    documents = [f"{'rare ' * repeats} common", *["common"] * others]
    terms, matrix = weighed(documents)
    rare, common = matrix[0, terms.index("rare")], matrix[0, terms.index("common")]
    assert rare > common
    idf_rare, idf_common = math.log((2 + others) / 2) + 1, 1.0
    assert math.isclose(rare / common, (1 + math.log(repeats)) * idf_rare / idf_common, rel_tol=1e-5)
