"""Demo data (示範資料): every feature can be seen in the demo.

Each step is a module with ``load(ctx: DemoContext) -> None``; steps run in order, each
idempotent (a second run changes nothing). A feature adds its module to ``STEPS``.
"""

from __future__ import annotations

import importlib
from dataclasses import dataclass, field
from typing import Any

STEPS = [
    "licheng.devtools.demo.foundation",
    "licheng.devtools.demo.records",
    "licheng.devtools.demo.evidence",
    "licheng.devtools.demo.parents",
    "licheng.devtools.demo.central",
    "licheng.devtools.demo.transfers",
    "licheng.devtools.demo.admissions",
    # Last: it backs up what the steps above made.
    "licheng.devtools.demo.ops",
]


@dataclass
class DemoContext:
    """What earlier steps made, for later steps to build on."""

    objects: dict[str, Any] = field(default_factory=dict)
    logins: list[tuple[str, str, str, str]] = field(
        default_factory=list
    )  # role, school, account, password

    def login(self, role: str, school: str, account: str, password: str) -> None:
        self.logins.append((role, school, account, password))


def load_all() -> DemoContext:
    from django.db import transaction

    ctx = DemoContext()
    for name in STEPS:
        module = importlib.import_module(name)
        with transaction.atomic():
            module.load(ctx)
    return ctx
