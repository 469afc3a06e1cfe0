"""Access rows of the central area: selection, submissions, receipts, the central repository.

The intake API authenticates with a school key, not a session: for the matrix's session-based
cast every request is refused (401), which is right; tests/central/test_intake.py covers the keys.
"""

from tests.access import Row

NOBODY: frozenset[str] = frozenset()
STUDENT = frozenset({"student"})
STUDENTS = frozenset({"student", "other_student"})
SCHOOL = frozenset({"school_admin"})
CENTRAL = frozenset({"central_admin"})


def _ack(cast):
    """A pending receipt of ``student``'s record, received from school A."""
    from tests.central.records import make_record

    return {"pk": make_record(cast["student"].student).ack.pk}


def _reported(cast):
    from licheng.central.domain.receipts import report_problem
    from tests.central.records import make_record

    ack = make_record(cast["student"].student).ack
    if ack.status == "pending":  # kwargs are built once per visitor
        report_problem(ack, message="少了一件成果", actor=cast["student"])
    return {"pk": ack.pk}


def _central_student(cast):
    from tests.central.records import make_record

    return {"pk": make_record(cast["student"].student).student_id}


def _credential(cast):
    from licheng.central.domain.credentials import issue_credential

    school = cast["school_admin"].role_assignments[0].school
    return {"pk": issue_credential(school, actor=cast["central_admin"])[0].pk}


def _job(cast):
    from licheng.lib.roc import Term
    from licheng.selection.models import SubmissionJob

    school = cast["school_admin"].role_assignments[0].school
    term = Term.current()
    job, _ = SubmissionJob.objects.get_or_create(
        school=school, kind="semester", academic_year=term.academic_year, semester=term.semester
    )
    return {"pk": job.pk}


def _transfer_job(cast):
    from licheng.selection.models import TransferInJob

    school = cast["school_admin"].role_assignments[0].school
    return {"pk": TransferInJob.objects.create(school=school, central_record_id=1, label="x").pk}


def _this_term():
    from licheng.lib.roc import Term

    return Term.current().code


def _incoming(cast):
    """``other_student`` of school B transferring to school A (the cast's school_admin)."""
    from tests.central.records import make_transfer

    school_a = cast["school_admin"].role_assignments[0].school
    return {"pk": make_transfer(cast["other_student"].student, school_a).pk}


POSTED = frozenset({302})

ROWS = [
    Row("api:submit_package", NOBODY, method="post"),
    Row("api:get_receipt", NOBODY, kwargs=lambda cast: {"package_id": "0" * 64}),
    Row("web:my_receipts", STUDENTS),  # each sees their own
    Row("web:selection", STUDENTS),
    Row("web:selection", STUDENTS, method="post", ok=frozenset({302, 400})),
    Row("web:portfolio_zip", STUDENTS),
    Row("web:answer_receipt", STUDENT, kwargs=_ack, method="post", ok=POSTED),
    Row("web:submissions", SCHOOL),
    Row(
        "web:submissions", SCHOOL, method="post", ok=POSTED, note="starts a job or explains why not"
    ),
    Row("web:submission_job", SCHOOL, kwargs=_job),
    Row("web:submission_roster", SCHOOL, query=f"term={_this_term()}"),
    Row("web:school_reports", SCHOOL),
    Row("web:transfers", SCHOOL),
    Row("web:transfer_start", SCHOOL, method="post", ok=POSTED),
    Row("web:transfer_package", SCHOOL, kwargs=_incoming),
    Row("web:transfer_register", SCHOOL, kwargs=_incoming, method="post", ok=POSTED),
    Row("web:transfer_upload", SCHOOL, method="post", ok=POSTED),
    Row("web:transfer_job", SCHOOL, kwargs=_transfer_job),
    Row("web:resolve_report", SCHOOL, kwargs=_reported, method="post", ok=POSTED),
    Row("web:central_status", CENTRAL),
    Row("web:central_school", CENTRAL, kwargs=lambda cast: {"code": "310301"}),
    Row("web:central_caps", CENTRAL),
    Row("web:central_keys", CENTRAL),
    Row("web:central_key_revoke", CENTRAL, kwargs=_credential, method="post", ok=POSTED),
    Row("web:central_students", CENTRAL, query="q=A123456789"),
    Row("web:central_student", CENTRAL, kwargs=_central_student),
]
