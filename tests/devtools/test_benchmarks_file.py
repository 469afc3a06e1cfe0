"""BENCHMARKS.md: one well-formed section per benchmark, as ``make bench`` writes it.

Two sections once held two runs each, glued together by a merge (a table without its header,
two "Command:" lines): a reader could not tell which figures were current.
"""

from __future__ import annotations

import re

from licheng.devtools.bench import __main__ as bench

SECTION = re.compile(r"<!-- bench:(\S+) -->\n(.*?)<!-- /bench:\1 -->\n", re.S)


def _problems(name: str, text: str) -> list[str]:
    lines = text.splitlines()
    problems = []
    if lines.count("| figure | value |") != 1:
        problems.append("not exactly one table header")
    commands = [line for line in lines if line.startswith("Command: ")]
    if len(commands) != 1 or f"`make bench BENCH={name}`" not in commands[0]:
        problems.append(f"not exactly one Command line for {name}: {commands}")
    rows = [line for line in lines if line.startswith("|")]
    start = lines.index(rows[0]) if rows else 0
    if lines[start : start + len(rows)] != rows:
        problems.append("the table is broken by other lines")
    return problems


def test_every_benchmark_has_one_well_formed_section():
    text = bench.OUTPUT.read_text()
    sections = {m.group(1): m.group(2) for m in SECTION.finditer(text)}
    assert sorted(sections) == bench.discover()
    found = {name: _problems(name, body) for name, body in sections.items()}
    assert found == {name: [] for name in sections}


def test_a_rendered_section_is_well_formed():
    result = {
        "title": "T",
        "command": "make bench BENCH=x",
        "about": "About.",
        "figures": {"a": 1, "b": "2 / 3"},
    }
    match = SECTION.fullmatch(bench.render("x", result))
    assert match is not None
    assert _problems("x", match.group(2)) == []
