"""The experts a ranking leaves out and the hard rules each fails, kept as two columns and
spelled out only for the entries read (one page of 100,000 costs one page).

Pure: no Flask, no database.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from typing import overload

import numpy as np

EXCLUSION_CODES: tuple[str, ...] = (
    "not_vetted",
    "clearance_too_low",
    "clearance_expires",
    "unavailable",
    "at_capacity",
    "double_booked",
)

# Each set of failed rules as one integer (bit n: EXCLUSION_CODES[n]), spelled out once.
SPELLED = tuple(
    tuple(code for bit, code in enumerate(EXCLUSION_CODES) if pattern >> bit & 1)
    for pattern in range(1 << len(EXCLUSION_CODES))
)


@dataclass(frozen=True, slots=True)
class Excluded:
    """An expert left out, with every hard rule they fail (codes from `EXCLUSION_CODES`)."""

    expert_id: int
    reasons: tuple[str, ...]


class ExcludedList(Sequence[Excluded]):
    """Experts left out, by expert id: `ids`, and `bits` (the rules each fails, as in
    `SPELLED`). Equal to any sequence of the same `Excluded`."""

    def __init__(self, ids: np.ndarray, bits: np.ndarray) -> None:
        self.ids, self.bits = ids, bits

    @classmethod
    def merged(cls, *parts: Sequence[Excluded]) -> ExcludedList:
        """One list of the experts in all of `parts`, by expert id."""
        lists = [p if isinstance(p, ExcludedList) else cls.of(p) for p in parts]
        ids = np.concatenate([p.ids for p in lists] + [np.zeros(0, np.int64)])
        bits = np.concatenate([p.bits for p in lists] + [np.zeros(0, np.int64)])
        order = np.argsort(ids, kind="stable")
        return cls(ids[order], bits[order])

    @classmethod
    def of(cls, excluded: Sequence[Excluded]) -> ExcludedList:
        bit = {code: 1 << n for n, code in enumerate(EXCLUSION_CODES)}
        return cls(
            np.array([e.expert_id for e in excluded], dtype=np.int64),
            np.array([sum(bit[c] for c in e.reasons) for e in excluded], dtype=np.int64),
        )

    def __len__(self) -> int:
        return int(self.ids.size)

    @overload
    def __getitem__(self, index: int) -> Excluded: ...
    @overload
    def __getitem__(self, index: slice) -> list[Excluded]: ...
    def __getitem__(self, index: int | slice) -> Excluded | list[Excluded]:
        if isinstance(index, slice):
            ids, bits = self.ids[index].tolist(), self.bits[index].tolist()
            return [Excluded(i, SPELLED[b]) for i, b in zip(ids, bits, strict=True)]
        return Excluded(int(self.ids[index]), SPELLED[int(self.bits[index])])

    def __iter__(self) -> Iterator[Excluded]:
        return iter(self[:])

    def __eq__(self, other: object) -> bool:
        if isinstance(other, ExcludedList):
            return np.array_equal(self.ids, other.ids) and np.array_equal(self.bits, other.bits)
        return isinstance(other, Sequence) and list(self) == list(other)

    __hash__ = None  # type: ignore[assignment]

    def __repr__(self) -> str:
        return f"ExcludedList({list(self)!r})"

    def counts(self) -> dict[str, int]:
        """Reason code -> how many of these experts fail that rule (one expert counts under
        each rule they fail)."""
        return {
            code: int(np.count_nonzero(self.bits >> bit & 1))
            for bit, code in enumerate(EXCLUSION_CODES)
        }
