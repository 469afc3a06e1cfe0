"""Admissions pages (招生): committee set-up, the student's applications, department review."""
