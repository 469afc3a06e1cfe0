"""Admissions pages: committee set-up, the student's applications, department review.

The scene: a department with an open review period where ``reviewer`` is the chair, a released
application of ``student`` and a draft one. Committee staff set up but are refused every review
page (they cannot score); ``other_student`` cannot reach ``student``'s applications.
"""

from __future__ import annotations

import io

from licheng.admissions.domain import applications
from licheng.admissions.enums import ItemKind
from tests.access import Row
from tests.admissions.fixtures import PDF_BYTES, department, seat, submitted_application

COMMITTEE = frozenset({"committee"})
STUDENTS = frozenset({"student", "other_student"})
STUDENT = frozenset({"student"})
REVIEWER = frozenset({"reviewer"})
POSTED = frozenset({302})


def scene(cast: dict) -> dict:
    if "_admissions" not in cast:
        dept = department(code="A001")
        seat(dept, cast["reviewer"], chair=True)
        released = submitted_application(cast["student"].student, dept)
        other = department(code="A002", name="電機工程學系")
        spare_seat = seat(other)
        draft = applications.start_application(released.registration, other, actor=None)
        cast["_admissions"] = {
            "dept": dept,
            "released": released,
            "draft": draft,
            "other": other,
            "spare": spare_seat,
        }
    return cast["_admissions"]


def _upload(cast: dict) -> dict:
    # A fresh upload for each visitor: only the student's own removal may succeed.
    draft = scene(cast)["draft"]
    draft.items.filter(kind=ItemKind.OTHER_DOCUMENT).delete()
    item = applications.add_upload(
        draft, ItemKind.OTHER_DOCUMENT, io.BytesIO(PDF_BYTES), name="x.pdf", title="x", actor=None
    )
    return {"pk": item.pk}


def _seat_to_remove(cast: dict) -> dict:
    other = scene(cast)["other"]
    return {"pk": other.reviewers.first().pk}


def dept(cast):
    return {"pk": scene(cast)["dept"].pk}


def channel(cast):
    return {"pk": scene(cast)["dept"].channel_id}


def released(cast):
    return {"pk": scene(cast)["released"].pk}


ROWS = [
    Row("web:adm_years", COMMITTEE),
    Row("web:adm_year", COMMITTEE, kwargs=lambda c: {"year": scene(c)["dept"].channel.year.year}),
    Row("web:adm_channel", COMMITTEE, kwargs=channel),
    Row("web:adm_department_new", COMMITTEE, kwargs=channel),
    Row("web:adm_import", COMMITTEE, kwargs=channel, method="post", ok=POSTED),
    Row("web:adm_department", COMMITTEE, kwargs=dept),
    Row("web:adm_rubric", COMMITTEE, kwargs=dept),
    Row("web:adm_weights", COMMITTEE, kwargs=dept),
    Row("web:adm_reviewers", COMMITTEE, kwargs=dept),
    Row("web:adm_reviewer_remove", COMMITTEE, kwargs=_seat_to_remove, method="post", ok=POSTED),
    Row("web:apply_home", STUDENTS),
    Row("web:apply_register", STUDENTS, kwargs=channel, method="post", ok=POSTED),
    Row(
        "web:apply_start",
        STUDENT,
        kwargs=lambda c: {"pk": scene(c)["released"].registration_id},
        method="post",
        ok=POSTED,
    ),
    Row("web:apply_edit", STUDENT, kwargs=lambda c: {"pk": scene(c)["draft"].pk}),
    Row("web:apply_preview", STUDENT, kwargs=released),
    Row(
        "web:apply_submit",
        STUDENT,
        kwargs=lambda c: {"pk": scene(c)["draft"].pk},
        method="post",
        ok=POSTED,
    ),
    Row("web:apply_file", STUDENT, kwargs=lambda c: released(c) | {"index": 2}),
    Row("web:apply_remove_item", STUDENT, kwargs=_upload, method="post", ok=POSTED),
    Row("web:review_home", REVIEWER),
    Row("web:review_department", REVIEWER, kwargs=dept),
    Row("web:review_ranking", REVIEWER, kwargs=dept, note="chair only"),
    Row("web:review_export", REVIEWER, kwargs=lambda c: dept(c) | {"fmt": "csv"}),
    Row("web:review_zip", REVIEWER, kwargs=dept),
    Row("web:review_application", REVIEWER, kwargs=released),
    Row("web:review_pdf", REVIEWER, kwargs=released),
    Row("web:review_file", REVIEWER, kwargs=lambda c: released(c) | {"index": 2}),
    Row("web:review_resolve", REVIEWER, kwargs=released, method="post", ok=POSTED),
]

ROWS += [
    Row("api:department_applicants", REVIEWER, kwargs=lambda c: {"department_id": dept(c)["pk"]}),
    Row("api:department_ranking", REVIEWER, kwargs=lambda c: {"department_id": dept(c)["pk"]}),
    Row(
        "api:application_package",
        REVIEWER,
        kwargs=lambda c: {"application_id": released(c)["pk"]},
    ),
]
