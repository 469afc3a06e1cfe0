"""CPU seconds used by process trees (Linux /proc), to say where a benchmark's time went.

A throughput ratio alone does not tell whether the server waited or worked; the CPU each part
used per request does (the server's workers, PostgreSQL's backends, the load generator).
"""

from __future__ import annotations

import os
from pathlib import Path

TICKS = os.sysconf("SC_CLK_TCK")


def _children() -> dict[int, list[int]]:
    tree: dict[int, list[int]] = {}
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            fields = (entry / "stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue  # ended while we looked
        tree.setdefault(int(fields[1]), []).append(int(entry.name))
    return tree


def process_cpu(pid: int) -> float:
    """User + system seconds of ``pid``, plus its children that have ended and been waited for."""
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return 0.0
    return sum(int(v) for v in fields[11:15]) / TICKS


def tree_cpu(root: int) -> dict[int, float]:
    """CPU seconds of ``root`` and every process under it, by pid."""
    tree, found, todo = _children(), {}, [root]
    while todo:
        pid = todo.pop()
        found[pid] = process_cpu(pid)
        todo.extend(tree.get(pid, []))
    return found


def used_between(before: dict[int, float], after: dict[int, float]) -> float:
    """CPU seconds a tree used between two ``tree_cpu`` snapshots (processes that came and went
    in between count from zero)."""
    return sum(seconds - before.get(pid, 0.0) for pid, seconds in after.items())


def postmaster_pid(data_dir: Path) -> int:
    return int((data_dir / "postmaster.pid").read_text().split()[0])
