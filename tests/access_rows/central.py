"""Access rows of the central area: selection, submissions, receipts, the central repository.

The intake API authenticates with a school key, not a session: for the matrix's session-based
cast every request is refused (401), which is right; tests/central/test_intake.py covers the keys.
"""

from tests.access import Row

NOBODY: frozenset[str] = frozenset()

ROWS = [
    Row("api:submit_package", NOBODY, method="post"),
    Row("api:get_receipt", NOBODY, kwargs=lambda cast: {"package_id": "0" * 64}),
]
