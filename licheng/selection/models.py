from django.conf import settings
from django.db import models
from django.db.models import Q


class NationalCaps(models.Model):
    """National selection caps (全國勾選上限) of one academic year, set by the central administrator.

    R22: the caps are data per year, never constants in code. They live here, beside the selection
    they bound, because the school platform reads them and a data app imports only the apps below
    it; the central administrator edits them through the central repository's pages.
    """

    academic_year = models.PositiveSmallIntegerField("學年度", unique=True)
    max_outcomes = models.PositiveSmallIntegerField("課程學習成果勾選上限")
    max_performances = models.PositiveSmallIntegerField("多元表現勾選上限")
    updated_at = models.DateTimeField(auto_now=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["-academic_year"]
        constraints = [
            models.CheckConstraint(
                condition=Q(max_outcomes__lte=50, max_performances__lte=50),
                name="national_caps_sane",
                violation_error_message="勾選上限不可超過 50",
            )
        ]

    def __str__(self) -> str:
        return f"{self.academic_year}學年度 勾選上限 {self.max_outcomes}/{self.max_performances}"
