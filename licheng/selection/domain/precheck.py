"""Pre-check (預檢) findings: what the school must look at before it submits."""

from __future__ import annotations

from dataclasses import dataclass


class SubmissionError(ValueError):
    """The school cannot submit this now; the message says why."""


@dataclass(frozen=True)
class Problem:
    """One finding about one student. A blocking one stops the submission until it is fixed."""

    message: str
    blocking: bool = True


def blocking_count(findings: dict[object, list[Problem]]) -> int:
    return sum(1 for problems in findings.values() for p in problems if p.blocking)
