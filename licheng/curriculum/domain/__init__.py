"""Curriculum state changes: one function per change, each in a transaction and audited."""
