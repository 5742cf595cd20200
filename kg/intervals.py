"""Character spans kept sorted, so that the spans overlapping a range (or holding a point) are found
by bisection, not by a scan of them all: a long transcript has thousands of statements."""
from __future__ import annotations

from bisect import bisect_left, bisect_right, insort
from itertools import accumulate
from typing import Generic, Iterable, TypeVar

T = TypeVar("T")


class Intervals(Generic[T]):
    def __init__(self, spans: Iterable[tuple[int, int, T]]):
        self.spans = sorted(spans, key=lambda span: span[0])
        self.starts = [start for start, _, _ in self.spans]
        self.reach = list(accumulate((end for _, end, _ in self.spans), max))  # furthest end so far

    def overlapping(self, start: int, end: int) -> list[T]:
        """The values of the spans that share a character with [start, end), by start, last first."""
        found = []
        j = bisect_left(self.starts, end) - 1
        while j >= 0 and self.reach[j] > start:
            _, span_end, value = self.spans[j]
            if span_end > start:
                found.append(value)
            j -= 1
        return found

    def holding(self, point: int) -> list[T]:
        """The values of the spans that hold the character at `point`."""
        return self.overlapping(point, point + 1)


class TakenSpans:
    """The content spans given to statements so far, kept sorted by start, so that the test of
    whether one holds a range looks only at the spans that start within reach of it."""
    def __init__(self):
        self.spans: list[tuple[int, int]] = []
        self.longest = 0

    def add(self, start: int, end: int) -> None:
        insort(self.spans, (start, end))
        self.longest = max(self.longest, end - start)

    def holds(self, start: int, end: int) -> bool:
        """True when a span taken so far holds [start, end)."""
        first = bisect_left(self.spans, (start - self.longest, -1))  # none before can reach `start`
        last = bisect_right(self.spans, (start, float("inf")))
        return any(span_end >= end for _, span_end in self.spans[first:last])
