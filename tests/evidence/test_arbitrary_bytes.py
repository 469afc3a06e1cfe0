"""Property: any bytes under any accepted name end as a clear refusal or a verified file, never
an unexpected error (R10, R16)."""

from __future__ import annotations

import io

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from licheng.devtools import samples
from licheng.evidence import rules
from licheng.evidence.domain.validation import EvidenceRejected, Inspection, inspect_upload

NAMES = ["a.pdf", "a.jpg", "a.jpeg", "a.png", "a.mp3", "a.mp4", "a.exe", "a", "a.PDF"]
VALID = [
    ("a.pdf", samples.pdf_bytes(pages=2)),
    ("a.png", samples.png_bytes()),
    ("a.jpg", samples.jpg_bytes()),
    ("a.mp3", samples.mp3_bytes()),
    ("a.mp4", samples.mp4_bytes()),
]


def outcome(name: str, data: bytes):
    try:
        return inspect_upload(io.BytesIO(data), name, len(data), rules.PROOF)
    except EvidenceRejected as exc:
        assert exc.message and not exc.message.startswith("Traceback")
        return exc


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(name=st.sampled_from(NAMES), data=st.binary(max_size=4096))
def test_arbitrary_bytes_are_refused_clearly_or_accepted(name, data):
    result = outcome(name, data)
    assert isinstance(result, EvidenceRejected | Inspection)


@st.composite
def mutated(draw):
    """A real file with a few bytes changed, a piece cut out, or garbage appended."""
    name, data = draw(st.sampled_from(VALID))
    buf = bytearray(data)
    for _ in range(draw(st.integers(0, 8))):
        buf[draw(st.integers(0, len(buf) - 1))] = draw(st.integers(0, 255))
    if draw(st.booleans()):
        cut = draw(st.integers(0, len(buf)))
        buf = buf[:cut] + buf[cut + draw(st.integers(0, 64)) :]
    buf += draw(st.binary(max_size=32))
    return name, bytes(buf)


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(case=mutated())
def test_damaged_real_files_are_refused_clearly_or_accepted(case):
    name, data = case
    result = outcome(name, data)
    if isinstance(result, Inspection):
        assert result.size == len(data)


@settings(
    max_examples=25,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
)
@given(case=mutated())
def test_page_never_answers_500_to_damaged_uploads(case, student, login, windows_open):
    """Through the performance page: a refusal (400) or an accepted upload (302), never a 500."""
    from django.core.files.uploadedfile import SimpleUploadedFile
    from django.utils import timezone

    name, data = case
    response = login(student.user).post(
        "/performances/",
        {
            "category": "other",
            "title": "測試",
            "activity_date": timezone.localdate().isoformat(),
            "files": SimpleUploadedFile(name, data),
        },
    )
    assert response.status_code in (302, 400)


def test_verified_file_matches_what_was_accepted(student):
    """An accepted file is stored byte for byte: verify_evidence finds nothing wrong."""
    from django.core.files.uploadedfile import SimpleUploadedFile

    from licheng.evidence.domain.files import store_upload
    from licheng.evidence.domain.verify import problems

    for name, data in VALID:
        store_upload(
            SimpleUploadedFile(name, data), rules.PROOF, owner=student, uploaded_by=student.user
        )
    assert list(problems()) == []
