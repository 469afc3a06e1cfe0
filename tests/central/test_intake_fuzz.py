"""Fuzzing the intake endpoint: a malformed package always gets a clear 4xx and stores nothing."""

from __future__ import annotations

import copy
import json

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from licheng.central.models import Blob, CentralRecord, CentralStudent, Submission

from .packages import json_values, manifest, zip_bytes

# Paths into a valid manifest that a mutation replaces with an arbitrary JSON value.
PATHS = [
    ("format_version",),
    ("package_kind",),
    ("school",),
    ("school", "code"),
    ("academic_year",),
    ("semester",),
    ("students",),
    ("students", 0),
    ("students", 0, "national_id"),
    ("students", 0, "items"),
    ("students", 0, "items", 0, "type"),
    ("students", 0, "items", 0, "files"),
    ("students", 0, "items", 0, "files", 0, "sha256"),
    ("students", 0, "items", 0, "files", 0, "size"),
    ("students", 0, "items", 0, "description"),
]


def _mutate(m, path, value):
    target = m
    for key in path[:-1]:
        target = target[key]
    target[path[-1]] = value
    return m


def _assert_refused(response):
    assert 400 <= response.status_code < 500, response.content
    assert response.json()["detail"], "the refusal must say why"
    assert Submission.objects.count() == 0
    assert CentralStudent.objects.count() == 0
    assert CentralRecord.objects.count() == 0
    assert Blob.objects.count() == 0


FUZZ = settings(
    max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)


@pytest.mark.django_db
@FUZZ
@given(path=st.sampled_from(PATHS), value=json_values)
def test_mutated_manifest_is_refused_or_accepted_whole(school_key, post_package, path, value):
    """Any one field replaced by junk: either a valid package (stored whole) or a clear 4xx."""
    _wipe()
    m = _mutate(copy.deepcopy(manifest()), path, value)
    response = post_package(school_key, zip_bytes(m, files=_files_for(m)))
    if response.status_code == 200:
        # The mutation happened to be valid (e.g. another allowed value): stored whole.
        assert Submission.objects.count() == 1
        return
    _assert_refused(response)


def _wipe():
    # Hypothesis runs every example in the same test database: start each from empty.
    from licheng.central.models import CentralFile, CentralItem, ReceiptAck

    for model in (ReceiptAck, CentralFile, CentralItem, CentralRecord, Submission):
        model.objects.all().delete()
    CentralStudent.objects.all().delete()
    Blob.objects.all().delete()


def _files_for(m):
    from .packages import contents_of

    try:
        return contents_of(m)
    except (TypeError, KeyError, AttributeError, IndexError):
        return {}


@pytest.mark.django_db
@FUZZ
@given(raw=st.binary(max_size=300))
def test_garbage_bytes_are_refused(school_key, post_package, raw):
    _assert_refused(post_package(school_key, raw))


@pytest.mark.django_db
@FUZZ
@given(raw=st.binary(max_size=200) | st.text(max_size=200).map(str.encode))
def test_garbage_manifest_is_refused(school_key, post_package, raw):
    _assert_refused(post_package(school_key, zip_bytes({}, files={}, raw_manifest=raw)))


@pytest.mark.django_db
@FUZZ
@given(cut=st.integers(min_value=0, max_value=10_000))
def test_cut_off_package_is_refused(school_key, post_package, cut):
    data = zip_bytes(manifest())
    _assert_refused(post_package(school_key, data[: cut % len(data)]))


def test_json_dump_of_fuzz_paths_is_stable():
    # The mutation targets exist in the valid manifest the fuzzer starts from.
    m = manifest()
    for path in PATHS:
        target = m
        for key in path:
            target = target[key]
        json.dumps(target)
