"""Optimal assignment of mentees to mentors over the candidate pairs, and two baselines.

``solve_optimal`` is an exact min-cost flow (OR-Tools): source -> mentee (capacity 1)
-> mentor (one arc per candidate pair, cost ``-round(score * SCALE)``) -> sink (capacity
= the mentor's capacity). ``solve_greedy`` and ``solve_scipy`` are the baselines the
benchmark and the tests compare it with.

Scores are rounded to ``1 / SCALE`` for the solver, so "optimal" means optimal for the
rounded scores; totals are always the sums of the unrounded scores.
"""

from __future__ import annotations

import math
from collections.abc import Iterable
from dataclasses import dataclass, replace

import numpy as np
import numpy.typing as npt
from ortools.graph.python import min_cost_flow

from matching_engine.problem import Assignment, Candidates, Objective

SCALE = 1_000_000  # scores are in 0..1; a million keeps float32's precision
LEVELS = 200  # steps of the pruning bound's ladder (it may overstate a pair by 1/LEVELS)
_SOURCE, _SINK = 0, 1

Pair = tuple[int, int]  # (mentee index, mentor index)
IntArray = npt.NDArray[np.int64]
Int32Array = npt.NDArray[np.int32]
FloatArray = npt.NDArray[np.float32]


@dataclass
class _Network:
    """Arc arrays of a flow network; the first ``len(pairs)`` arcs are the candidate pairs."""

    tails: list[IntArray]
    heads: list[IntArray]
    caps: list[IntArray]
    costs: list[IntArray]
    nodes: int

    def add(
        self, tails: IntArray, heads: IntArray, caps: IntArray | np.int64, costs: IntArray | np.int64
    ) -> None:
        self.tails.append(tails)
        self.heads.append(heads)
        self.caps.append(np.broadcast_to(caps, tails.shape))
        self.costs.append(np.broadcast_to(costs, tails.shape))


# --- public API -------------------------------------------------------------------------


def solve_optimal(
    c: Candidates,
    *,
    objective: Objective = Objective.SCORE,
    locked: Iterable[Pair] = (),
    excluded: Iterable[Pair] = (),
    mentor_cutoff: FloatArray | None = None,
) -> Assignment:
    """The assignment with the highest total score over the candidate pairs (min-cost flow).

    With ``Objective.COVERAGE`` it first matches as many mentees as possible, then
    maximises the score among those assignments (OR-Tools' max flow with min cost, so no
    large bonus weights are needed). ``locked`` pairs ``(mentee, mentor)`` are kept as they
    are and the rest is solved around them; ``excluded`` pairs are never used. A locked
    pair must be a candidate pair and locks must fit the mentors' capacities
    (``ValueError`` otherwise).

    ``upper_bound`` is the optimum itself when ``c.complete`` (gap 0, proven); otherwise
    the bound of :func:`pruning_bound` (``mentor_cutoff`` as there). Both refer to the
    problem with the locks and exclusions applied.
    """
    rest, fixed = _without_locked(c, pair_index(c, *_as_arrays(locked)), _as_arrays(excluded))
    mentor_of, bound = _solve_with_bound(rest, objective, mentor_cutoff)
    mentor_of[c.mentee[fixed]] = c.mentor[fixed]
    total = pairs_total(c, mentor_of)
    upper = total if bound is None else max(total, bound + _sum(c.score[fixed]))
    return Assignment(mentor_of=mentor_of, total=total, upper_bound=upper)


def pruning_bound(
    c: Candidates, objective: Objective = Objective.SCORE, mentor_cutoff: FloatArray | None = None
) -> float:
    """An upper bound on the optimum over ALL allowed pairs, from pruned candidates.

    An allowed pair ``(m, r)`` left out of the candidates scores at most ``cutoff[m]``,
    and at most ``mentor_cutoff[r]`` when that is given (see :func:`mentor_cutoffs`; a
    negative entry: nothing of mentor ``r`` was left out). The bound is the optimum of a
    relaxation in which every mentee may also reach every mentor through a ladder of
    score levels, scoring ``min(cutoff[m], mentor_cutoff[r])``, within the same
    capacities: a mentee enters the ladder at its cutoff, climbs for free, pays to step
    down, and leaves to a mentor at the mentor's level. Every assignment of the full
    problem is feasible in the relaxation (a left-out pair goes through the ladder) and
    scores there at least as much, so the relaxation's optimum bounds the true optimum.
    (Without ``mentor_cutoff`` the ladder is one node, and the bound is the LP dual bound
    under the extra constraints ``u[m] + min(v) >= cutoff[m]``.) When the relaxation's
    optimum uses no ladder, it is feasible for the full problem, hence optimal: proven.

    For ``Objective.COVERAGE`` it bounds the score of every assignment that matches as
    many mentees as the candidates allow, when the relaxation cannot match more; when it
    can, left-out pairs might match more mentees, nothing is proven and it is infinite.
    """
    relaxed = _solve(c, objective, _Ladder.of(c, objective, mentor_cutoff))
    if objective is Objective.COVERAGE and relaxed.matched > _solve(c, objective, None).matched:
        return math.inf
    return relaxed.value


def mentor_cutoffs(c: Candidates, k: int) -> FloatArray:
    """Each mentor's ``k``-th best candidate score, or -1 with fewer than ``k`` candidates.

    Valid as ``mentor_cutoff`` only when the candidates hold each mentor's ``k`` best
    allowed mentees (``Problem.candidates(k=k)`` does): then the ``k``-th best among them
    is the mentor's ``k``-th best overall, and every pair left out scores at most that;
    a mentor with fewer than ``k`` candidates has every allowed pair among them.
    """
    # One sort of an exact 64-bit key: the mentor, then the score's bits (best first).
    counts = np.bincount(c.mentor, minlength=len(c.capacity))
    cutoff = np.full(len(c.capacity), -1.0, np.float32)
    full = counts >= k
    if not full.any():
        return cutoff
    key = c.mentor.astype(np.int64) << 32 | ((1 << 31) - _ordered_bits(c.score))
    order = np.argsort(key)
    first = np.concatenate([[0], np.cumsum(counts)[:-1]])
    cutoff[full] = c.score[order[first[full] + k - 1]]
    return cutoff


def _ordered_bits(score: FloatArray) -> IntArray:
    """float32 values as int64s in the same order (-2**31 < value < 2**31)."""
    bits = np.ascontiguousarray(score, np.float32).view(np.int32).astype(np.int64)
    return np.where(bits < 0, -(bits & 0x7FFFFFFF), bits)


def solve_greedy(c: Candidates) -> Assignment:
    """The baseline: each mentee in index order takes its best-scoring mentor with room.

    ``upper_bound`` is the trivial bound (each mentee's best pair, capacities ignored).
    """
    order = preference_order(c.mentee, c.score, c.mentor)
    starts = np.searchsorted(c.mentee[order], np.arange(c.n_mentees + 1)).tolist()
    mentors = c.mentor[order].tolist()
    room = c.capacity.tolist()
    mentor_of = np.full(c.n_mentees, -1, np.int32)
    for m in range(c.n_mentees):
        for r in mentors[starts[m] : starts[m + 1]]:
            if room[r]:
                room[r] -= 1
                mentor_of[m] = r
                break
    return Assignment(mentor_of=mentor_of, total=pairs_total(c, mentor_of), upper_bound=trivial_bound(c))


def solve_scipy(c: Candidates, *, objective: Objective = Objective.SCORE) -> Assignment:
    """The check and the benchmark's baseline: SciPy's ``linear_sum_assignment`` on the
    capacity-expanded dense matrix (one column per mentor seat).

    Forbidden and left-out pairs weigh 0, which plays the dummy columns' part: a mentee
    "matched" on a 0 entry is unmatched, and every optimal partial matching extends to a
    full assignment of the rectangular matrix through 0 entries without changing its
    weight. ``COVERAGE`` adds a bonus larger than any score total to each candidate entry.
    """
    from scipy.optimize import linear_sum_assignment

    weights = _expanded(c, objective)
    rows, cols = linear_sum_assignment(weights, maximize=True)
    mentors = np.repeat(np.arange(len(c.capacity), dtype=np.int32), c.capacity)[cols]
    real = pair_index(c, rows.astype(np.int32), mentors) >= 0
    mentor_of = np.full(c.n_mentees, -1, np.int32)
    mentor_of[rows[real]] = mentors[real]
    total = pairs_total(c, mentor_of)
    return Assignment(mentor_of=mentor_of, total=total, upper_bound=total if c.complete else trivial_bound(c))


# --- helpers shared with stable.py and report.py --------------------------------------------


def pair_index(c: Candidates, mentee: npt.ArrayLike, mentor: npt.ArrayLike) -> IntArray:
    """The index of each ``(mentee[i], mentor[i])`` among the candidate pairs, or -1."""
    keys = _keys(c, c.mentee, c.mentor)
    wanted = _keys(c, np.asarray(mentee), np.asarray(mentor))
    if not len(keys):
        return np.full(wanted.shape, -1, np.int64)
    if bool(np.all(keys[1:] > keys[:-1])):  # in (mentee, mentor) order, as Problem.candidates gives
        at = np.minimum(np.searchsorted(keys, wanted), len(keys) - 1)
        return np.where(keys[at] == wanted, at, -1).astype(np.int64)
    order = np.argsort(keys, kind="stable")
    slot = np.minimum(np.searchsorted(keys, wanted, sorter=order), len(keys) - 1)
    found = order[slot]
    return np.where(keys[found] == wanted, found, -1).astype(np.int64)


def assigned_pairs(c: Candidates, mentor_of: Int32Array) -> IntArray:
    """The candidate-pair index of each matched mentee's pair (``ValueError`` if one is not
    a candidate pair), in mentee order."""
    matched = np.flatnonzero(mentor_of >= 0)
    index = pair_index(c, matched, mentor_of[matched])
    if (index < 0).any():
        m = int(matched[index < 0][0])
        raise ValueError(f"mentee {m} is matched with mentor {mentor_of[m]}, which is not a candidate pair")
    return index


def preference_order(group: Int32Array, score: FloatArray, other: Int32Array) -> npt.NDArray[np.intp]:
    """Pair indices by ``group``, best ``score`` first, then lower ``other`` index.

    The same order as ``np.lexsort((other, -score, group))``, about twice as fast: one
    sort of a 64-bit key (score bits, then ``other``) and a stable radix sort by group.
    """
    if not len(other):
        return np.zeros(0, np.intp)
    if int(other.max()) >= 1 << 22 or int(other.min()) < 0 or int(group.min()) < 0:
        return np.lexsort((other, -score, group))
    ordered = (1 << 31) - _ordered_bits(score)  # best first, in 1 .. 2**32 - 1
    other_bits, group_bits = int(other.max()).bit_length(), int(group.max()).bit_length()
    if group_bits + 32 + other_bits <= 64:  # one sort of one key: group, score, other
        one = (
            group.astype(np.uint64) << np.uint64(32 + other_bits)
            | ordered.astype(np.uint64) << np.uint64(other_bits)
            | other.astype(np.uint64)
        )
        order = np.argsort(one)
        if not bool(np.any(one[order[1:]] == one[order[:-1]])):  # no ties: the order is the one
            return order
    key = ordered << 22 | other.astype(np.int64)
    by_score = np.argsort(key)
    return by_score[np.argsort(group[by_score], kind="stable")]


def pairs_total(c: Candidates, mentor_of: Int32Array) -> float:
    """The sum of the matched pairs' scores."""
    return _sum(c.score[assigned_pairs(c, mentor_of)])


def trivial_bound(c: Candidates) -> float:
    """A bound that ignores capacities: each mentee's best pair (candidate or cutoff)."""
    best = np.zeros(c.n_mentees, np.float64)
    np.maximum.at(best, c.mentee, c.score.astype(np.float64))
    if not c.complete and len(c.cutoff):
        best = np.maximum(best, c.cutoff)
    return _sum(best)


# --- the network ------------------------------------------------------------------------


@dataclass(frozen=True)
class _Solved:
    mentor_of: Int32Array
    value: float  # the optimal objective's score part, in rounded units / SCALE
    matched: int
    laddered: int  # mentees the relaxation sent up its ladder


@dataclass(frozen=True)
class _Ladder:
    """The relaxation's ladder: ``LEVELS + 1`` score levels ``0, 1/LEVELS, .., 1``.

    A mentee joins at the level just below its cutoff, gaining the cutoff itself; a mentor
    is reached from the level just above its own cutoff (the top without one). A path's
    score is then at least ``min(cutoff[m], mentor_cutoff[r])`` (it can only overstate it,
    by less than a level), so the relaxation stays a relaxation.
    """

    gain: IntArray  # each mentee's cutoff in rounded units, -1 = no entry
    entry: IntArray  # each mentee's level
    exit: IntArray  # each mentor's level, -1 = none (nothing of it left out)

    @classmethod
    def of(cls, c: Candidates, objective: Objective, mentor_cutoff: FloatArray | None) -> _Ladder:
        cutoff = c.cutoff if len(c.cutoff) else np.zeros(c.n_mentees, np.float32)
        gain = _cost(cutoff)
        if objective is Objective.SCORE:  # a pair scoring 0 cannot raise the total
            gain[gain == 0] = -1
        if mentor_cutoff is None:  # no mentor-side limit: one node, the top (a hub)
            top = np.int64(LEVELS)
            return cls(gain, np.full(c.n_mentees, top), np.full(len(c.capacity), top))
        exit = np.where(mentor_cutoff >= 0, np.ceil(np.maximum(mentor_cutoff, 0) * LEVELS), -1)
        entry = np.floor(cutoff.astype(np.float64) * LEVELS)
        return cls(
            gain, np.clip(entry, 0, LEVELS).astype(np.int64), np.minimum(exit, LEVELS).astype(np.int64)
        )

    def add_to(self, net: _Network, mentee_node: IntArray, mentor_node: IntArray, caps: IntArray) -> int:
        """Add the ladder's arcs; return the index of the first mentee -> ladder arc."""
        level = net.nodes + np.arange(LEVELS + 1, dtype=np.int64)
        net.nodes += LEVELS + 1
        first = sum(len(t) for t in net.tails)
        big, step = np.int64(len(mentee_node)), np.int64(SCALE // LEVELS)
        enters, leaves = self.gain >= 0, self.exit >= 0
        net.add(mentee_node[enters], level[self.entry[enters]], np.int64(1), -self.gain[enters])
        net.add(level[:-1], level[1:], big, np.int64(0))  # climb: free
        net.add(level[1:], level[:-1], big, step)  # step down: pay the difference
        net.add(level[self.exit[leaves]], mentor_node[leaves], caps[leaves], np.int64(0))
        return first


def _solve_with_bound(
    c: Candidates, objective: Objective, mentor_cutoff: FloatArray | None
) -> tuple[Int32Array, float | None]:
    """The optimal assignment over the candidates and a bound (None: proven optimal).

    The relaxation of :func:`pruning_bound` is solved first: when it leaves its ladder
    unused, its solution is the answer, with a single solve.
    """
    if c.complete:
        return _solve(c, objective, None).mentor_of, None
    relaxed = _solve(c, objective, _Ladder.of(c, objective, mentor_cutoff))
    if not relaxed.laddered:
        return relaxed.mentor_of, None
    exact = _solve(c, objective, None)
    if objective is Objective.COVERAGE and relaxed.matched > exact.matched:
        return exact.mentor_of, math.inf  # left-out pairs might match more mentees
    return exact.mentor_of, relaxed.value


def _solve(c: Candidates, objective: Objective, ladder: _Ladder | None) -> _Solved:
    """Build the network (source 0, sink 1, mentees, mentors, the ladder) and solve it."""
    n, r = c.n_mentees, len(c.capacity)
    mentee_node = 2 + np.arange(n, dtype=np.int64)
    mentor_node = 2 + n + np.arange(r, dtype=np.int64)
    caps = c.capacity.astype(np.int64)
    net = _Network([], [], [], [], nodes=2 + n + r)
    net.add(mentee_node[c.mentee], mentor_node[c.mentor], np.int64(1), -_cost(c.score))
    net.add(np.zeros(n, np.int64), mentee_node, np.int64(1), np.int64(0))
    net.add(mentor_node, np.ones(r, np.int64), caps, np.int64(0))
    first = ladder.add_to(net, mentee_node, mentor_node, caps) if ladder else 0
    flows, cost = _run(net, objective)
    chosen = np.flatnonzero(flows[: len(c.mentee)] > 0)
    mentor_of = np.full(n, -1, np.int32)
    mentor_of[c.mentee[chosen]] = c.mentor[chosen]
    laddered = int(flows[first : first + int((ladder.gain >= 0).sum())].sum()) if ladder else 0
    return _Solved(mentor_of, -cost / SCALE, len(chosen) + laddered, laddered)


def _run(net: _Network, objective: Objective) -> tuple[npt.NDArray[np.int64], int]:
    """Solve; return the flow on each arc of ``net`` and the optimal cost."""
    flow = min_cost_flow.SimpleMinCostFlow()
    supply = len(net.tails[1])  # one unit per mentee
    arcs = flow.add_arcs_with_capacity_and_unit_cost(
        *(np.concatenate(parts).astype(dtype) for parts, dtype in _columns(net))
    )
    if objective is Objective.SCORE:  # the bypass: nobody has to be matched
        flow.add_arc_with_capacity_and_unit_cost(_SOURCE, _SINK, supply, 0)
    flow.set_node_supply(_SOURCE, supply)
    flow.set_node_supply(_SINK, -supply)
    status = flow.solve() if objective is Objective.SCORE else flow.solve_max_flow_with_min_cost()
    if status != flow.OPTIMAL:
        raise RuntimeError(f"min-cost flow failed: {status}")
    return flow.flows(arcs), int(flow.optimal_cost())


def _columns(net: _Network) -> list[tuple[list[IntArray], type]]:
    return [(net.tails, np.int32), (net.heads, np.int32), (net.caps, np.int64), (net.costs, np.int64)]


# --- locks and exclusions -------------------------------------------------------------------


def _without_locked(
    c: Candidates, locked: IntArray, excluded: tuple[Int32Array, Int32Array]
) -> tuple[Candidates, IntArray]:
    """The candidates left once locked mentees and excluded pairs are taken out, with the
    locked mentors' capacities reduced; and the locked pairs' indices."""
    if not len(locked) and not len(excluded[0]):
        return c, locked
    if (locked < 0).any():
        raise ValueError("a locked pair is not a candidate pair (forbidden or pruned)")
    fixed_mentee = c.mentee[locked]
    if len(np.unique(fixed_mentee)) < len(locked):
        raise ValueError("a mentee is locked to two mentors")
    capacity = c.capacity - np.bincount(c.mentor[locked], minlength=len(c.capacity)).astype(np.int32)
    if (capacity < 0).any():
        raise ValueError(f"locked pairs exceed mentor {int(np.argmin(capacity))}'s capacity")
    gone = pair_index(c, *excluded)
    keep = ~np.isin(c.mentee, fixed_mentee)
    keep[gone[gone >= 0]] = False
    cutoff = c.cutoff.copy() if len(c.cutoff) else c.cutoff
    if len(cutoff):
        cutoff[fixed_mentee] = 0.0
    rest = replace(
        c,
        mentee=c.mentee[keep],
        mentor=c.mentor[keep],
        score=c.score[keep],
        components=c.components[keep],
        capacity=capacity,
        cutoff=cutoff,
    )
    return rest, locked


def _as_arrays(pairs: Iterable[Pair]) -> tuple[Int32Array, Int32Array]:
    array = np.array(list(pairs), dtype=np.int32).reshape(-1, 2)
    return array[:, 0], array[:, 1]


# --- small pieces -----------------------------------------------------------------------------


def _expanded(c: Candidates, objective: Objective) -> npt.NDArray[np.float64]:
    seats = c.capacity.astype(np.int64)
    first = np.concatenate([[0], np.cumsum(seats)[:-1]])
    per_pair = seats[c.mentor]
    rows = np.repeat(c.mentee, per_pair)
    offsets = np.arange(per_pair.sum()) - np.repeat(np.cumsum(per_pair) - per_pair, per_pair)
    cols = np.repeat(first[c.mentor], per_pair) + offsets
    bonus = c.n_mentees + 1.0 if objective is Objective.COVERAGE else 0.0
    weights = np.zeros((c.n_mentees, int(seats.sum())), np.float64)
    weights[rows, cols] = np.repeat(c.score.astype(np.float64) + bonus, per_pair)
    return weights


def _keys(c: Candidates, mentee: npt.NDArray[np.integer], mentor: npt.NDArray[np.integer]) -> IntArray:
    return mentee.astype(np.int64) * max(len(c.capacity), 1) + mentor.astype(np.int64)


def _cost(score: FloatArray) -> IntArray:
    return np.rint(score.astype(np.float64) * SCALE).astype(np.int64)


def _sum(values: npt.NDArray[np.floating]) -> float:
    return math.fsum(values.astype(np.float64).tolist())
