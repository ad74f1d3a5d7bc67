"""What mentees and mentors have in common, for a block of mentees against every mentor or
for listed pairs: the products behind the scores (see ``features`` for the arrays).

The values (TF-IDF cosine plus the Ochiai overlap of exact phrases), the share of wanted skills
offered, the shared 15-minute slots a week, and whether a language is shared: each one a
sparse-times-dense product over all mentors.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, NamedTuple

import numpy as np
import numpy.typing as npt
from scipy import sparse

if TYPE_CHECKING:
    from matching_engine.features import Features, SideFeatures

DENSE_BYTES = 256 << 20  # a mentor-side matrix up to this size is kept dense for products

Index = npt.NDArray[np.int64]
F32 = npt.NDArray[np.float32]
Bools = npt.NDArray[np.bool_]
Sparse = Any  # scipy.sparse.csr_array (scipy ships no type stubs)


class Measures(NamedTuple):
    """What mentees and mentors have in common: matrices for a block of mentees against every
    mentor, or vectors for listed pairs. Each is 0 where a side gave nothing to compare."""

    values: F32  # (TF-IDF cosine + Ochiai overlap of the exact values and interests) / 2
    skills: F32  # the share of the mentee's wanted skills that the mentor offers
    hours: F32  # shared 15-minute slots a week (whole numbers)
    languages: Bools  # a language in common

    def take(self, flat: Index) -> Measures:
        """The measures at some flat positions of a block."""
        return Measures(
            self.values.reshape(-1)[flat],
            self.skills.reshape(-1)[flat],
            self.hours.reshape(-1)[flat],
            self.languages.reshape(-1)[flat],
        )


class Measurer:
    """Computes :class:`Measures`; each one is a sparse-times-dense product over all mentors.

    The Ochiai overlap ``|A & B| / sqrt(|A| |B|)`` of two phrase sets is the cosine of their
    0/1 rows, so it joins the TF-IDF cosine in one product: the mentee side is
    ``[text / 2 | phrases / (2 sqrt |A|)]``, the mentor side ``[text | phrases / sqrt |B|]``.
    """

    def __init__(self, features: Features) -> None:
        e, m = features.mentees, features.mentors
        self.values = _Product(_values_rows(e, 0.5), _values_rows(m, 1.0))
        wanted = np.diff(e.skills_wanted.indptr)
        self.skills = _Product(_scale_rows(e.skills_wanted, 1 / np.maximum(wanted, 1)), m.skills_offered)
        self.hours = _Hours(e.availability, m.availability)
        self.languages = _Languages(e.languages, m.languages)

    def block(self, start: int, stop: int) -> Measures:
        """Mentees ``start..stop`` against every mentor: (stop - start, mentors) matrices."""
        return Measures(
            self.values.block(start, stop),
            self.skills.block(start, stop),
            self.hours.block(start, stop),
            self.languages.block(start, stop),
        )

    def pairs(self, rows: Index, cols: Index) -> Measures:
        """Mentee ``rows[p]`` with mentor ``cols[p]``, for each ``p``."""
        return Measures(
            self.values.pairs(rows, cols),
            self.skills.pairs(rows, cols),
            self.hours.pairs(rows, cols),
            self.languages.pairs(rows, cols),
        )

    def grid(self, rows: Index, cols: Index) -> Measures:
        """Mentees ``rows`` against mentors ``cols``: (rows, cols) matrices.

        The same arithmetic as :meth:`block` (each entry is one row's product with one
        column, whatever else is computed alongside), so the same float32 values.
        """
        return Measures(
            self.values.grid(rows, cols),
            self.skills.grid(rows, cols),
            self.hours.grid(rows, cols),
            self.languages.grid(rows, cols),
        )


def _scale_rows(matrix: Sparse, factors: npt.NDArray[np.floating[Any]]) -> Sparse:
    scaled = sparse.csr_array(matrix, dtype=np.float32, copy=True)
    scaled.data *= np.repeat(factors, np.diff(scaled.indptr)).astype(np.float32)
    return scaled


def _values_rows(side: SideFeatures, scale: float) -> Sparse:
    counts = np.diff(side.phrases.indptr)
    phrases = _scale_rows(side.phrases, scale / np.sqrt(np.maximum(counts, 1)))
    return sparse.hstack([_scale_rows(side.text, np.full(len(side), scale)), phrases], format="csr")


class _Product:
    """Dot products of mentee rows with mentor rows, for a block of mentees or pair by pair."""

    def __init__(self, left: Sparse, right: Sparse) -> None:
        self.left, self.right = sparse.csr_array(left), sparse.csr_array(right)
        fits = right.shape[0] * right.shape[1] * 4 <= DENSE_BYTES
        self.right_t: F32 | None = np.ascontiguousarray(right.T.toarray()) if fits else None

    def block(self, start: int, stop: int) -> F32:
        part = self.left[start:stop]
        if self.right_t is not None:
            return np.asarray(part @ self.right_t, np.float32)
        return np.ascontiguousarray((self.right @ part.T.toarray()).T, np.float32)

    def grid(self, rows: Index, cols: Index) -> F32:
        part = self.left[rows]
        if self.right_t is not None:
            return np.asarray(part @ np.ascontiguousarray(self.right_t[:, cols]), np.float32)
        return np.ascontiguousarray((self.right[cols] @ part.T.toarray()).T, np.float32)

    def pairs(self, rows: Index, cols: Index) -> F32:
        product = self.left[rows].multiply(self.right[cols])
        sums: F32 = np.asarray(product.sum(axis=1), np.float32)
        return sums.reshape(-1)


class _Hours:
    """Shared 15-minute slots, exactly: mentee availability times mentor availability.

    ``a . b == diff(a) . suffix_sums(b)``: the mentee side is reduced to its few run starts
    (+1) and ends (-1), so the product costs a handful of multiply-adds a pair, not 672.
    """

    def __init__(self, mentees: npt.NDArray[np.uint8], mentors: npt.NDArray[np.uint8]) -> None:
        edges = np.diff(mentees.astype(np.int8), axis=1, prepend=np.int8(0))
        rows, cols = np.nonzero(edges)
        data = edges[rows, cols].astype(np.float32)
        self.edges = sparse.csr_array((data, (rows, cols)), shape=mentees.shape)
        suffix = np.cumsum(mentors[:, ::-1], axis=1, dtype=np.float32)[:, ::-1]
        self.suffix_t = np.ascontiguousarray(suffix.T)
        self.bits = (np.packbits(mentees, axis=1), np.packbits(mentors, axis=1))

    def block(self, start: int, stop: int) -> F32:
        return np.asarray(self.edges[start:stop] @ self.suffix_t, np.float32)

    def grid(self, rows: Index, cols: Index) -> F32:
        return np.asarray(self.edges[rows] @ np.ascontiguousarray(self.suffix_t[:, cols]), np.float32)

    def pairs(self, rows: Index, cols: Index) -> F32:
        both = self.bits[0][rows] & self.bits[1][cols]
        counts: npt.NDArray[np.int32] = np.bitwise_count(both).sum(axis=1, dtype=np.int32)
        return counts.astype(np.float32)


class _Languages:
    """Whether two people share a language: their language rows have a common 1."""

    def __init__(self, mentees: npt.NDArray[np.uint64], mentors: npt.NDArray[np.uint64]) -> None:
        self.product = _Product(_unpack(mentees), _unpack(mentors))

    def block(self, start: int, stop: int) -> Bools:
        return self.product.block(start, stop) > 0

    def grid(self, rows: Index, cols: Index) -> Bools:
        return self.product.grid(rows, cols) > 0

    def pairs(self, rows: Index, cols: Index) -> Bools:
        return self.product.pairs(rows, cols) > 0


def _unpack(bits: npt.NDArray[np.uint64]) -> Sparse:
    """A bit matrix as a sparse 0/1 float32 matrix, one column per bit."""
    little = bits.astype("<u8").view(np.uint8)
    return sparse.csr_array(np.unpackbits(little, axis=1, bitorder="little").astype(np.float32))
