"""Benchmarks: ``make bench`` (or ``make bench BENCH=name``) runs them and rewrites BENCHMARKS.md.

A benchmark is a module in this package with ``run() -> dict`` (figure name → value) and,
optionally, ``TITLE`` and ``COMMAND`` (how to reproduce it by hand; default
``make bench BENCH=<module>``). Each runs in its own process, because most set up Django with
their own throwaway database. Modules whose name starts with ``_`` are helpers, not benchmarks.
"""
