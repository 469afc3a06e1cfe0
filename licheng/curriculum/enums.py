from django.db import models


class CourseCategory(models.TextChoices):
    """Course category (課程類別) in the 108 curriculum."""

    NATIONAL_REQUIRED = "national_required", "部定必修"
    SCHOOL_REQUIRED = "school_required", "校訂必修"
    SCHOOL_ELECTIVE = "school_elective", "校訂選修"
    MULTIPLE_ELECTIVE = "multiple_elective", "多元選修"
    PROJECT_PRACTICE = "project_practice", "專題實作及實習"
    FLEXIBLE = "flexible", "彈性學習"
