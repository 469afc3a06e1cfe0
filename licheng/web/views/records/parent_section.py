"""What a parent sees of their child's school records (R33): course records by semester with
credits earned (R5–R6), cadre posts (R2), attendance and rewards (R3). Read only.

Counselling records (R7) are not shown: the rule names the student, the counsellor and the
school's administrators as their only readers.
"""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext_lazy as _

from licheng.curriculum.queries import (
    prior_records_by_term,
    records_by_term,
    school_term_records,
)
from licheng.schools.models import Student

from ..parents.sections import Section, register


@register(15)
def school_records(student: Student, viewer: Any) -> Section:
    terms = records_by_term(student)
    return Section(
        _("修課紀錄與在校表現"),
        "web/records/parent_section.html",
        {
            "terms": terms,
            "total_earned": sum(t["credits_earned"] for t in terms),
            "prior_terms": prior_records_by_term(student),
            **school_term_records(student),
        },
    )
