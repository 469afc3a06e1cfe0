"""Parent–child bindings (親子綁定) and notifications for the demo.

The demo parent (parent@example.tw) is bound to two children at the two schools (one parent,
several children); a grandmother's application waits in teacher1's queue at 313301; the parent
and teacher1 have a few notifications so the bell shows a count.
"""

from __future__ import annotations

from django.urls import reverse
from django.utils import timezone

from licheng.accounts.enums import BindingStatus, Relation, SchoolLevel
from licheng.accounts.models import ParentBinding, User
from licheng.lib import events, national_id
from licheng.lib.roc import Term
from licheng.notifications.domain.notify import notify
from licheng.schools.models import SchoolClass, Student

from . import DemoContext

DEMO_PARENT = "parent@example.tw"
PARENT_NID = national_id.make("F", 1, "9345678")
GRANDMA = "grandma@example.tw"


def _bind(student: Student, *, email: str, name: str, relation: Relation, status: str, parent=None):
    binding, _ = ParentBinding.objects.get_or_create(
        student=student,
        email=email,
        defaults={
            "parent": parent,
            "relation": relation,
            "school_level": SchoolLevel.VOCATIONAL
            if student.school.type == "technical"
            else SchoolLevel.SENIOR_HIGH,
            "parent_name": name,
            "parent_national_id": PARENT_NID,
            "phone": "0912345678",
            "signature": name,
            "statement_accepted_at": timezone.now(),
            "status": status,
            "decided_at": timezone.now() if status == BindingStatus.APPROVED else None,
        },
    )
    return binding


def load(ctx: DemoContext) -> None:
    parent = User.objects.get(username=DEMO_PARENT)
    children = [
        Student.objects.filter(school__code=code).order_by("student_number").first()
        for code in ("313301", "440301")
    ]
    for child in children:
        if child is not None:
            _bind(
                child,
                email=DEMO_PARENT,
                name=parent.full_name,
                relation=Relation.FATHER,
                status=BindingStatus.APPROVED,
                parent=parent,
            )
    # A pending application for a first-year student of teacher1's class at 313301.
    year = Term.current().academic_year
    first_class = SchoolClass.objects.filter(
        school__code="313301", academic_year=year, homeroom_teacher__username="313301:teacher1"
    ).first()
    if first_class is not None:
        enrolment = first_class.enrolments.select_related("student").order_by("seat_number").first()
        if enrolment is not None:
            binding = _bind(
                enrolment.student,
                email=GRANDMA,
                name="林阿嬤",
                relation=Relation.GRANDMOTHER,
                status=BindingStatus.PENDING,
            )
            notify(
                events.BINDING_WAITING,
                f"binding:{binding.pk}",
                first_class.homeroom_teacher,
                title=f"親子綁定待審核：{enrolment.student.name} 的祖母 林阿嬤",
                url=reverse("web:binding_queue"),
            )
    for child in children:
        if child is not None:
            notify(
                events.BINDING_DECIDED,
                f"demo-binding:{child.pk}",
                parent,
                title=f"親子綁定已通過：{child.name}",
                url=reverse("web:parent_child", args=[child.pk]),
            )
