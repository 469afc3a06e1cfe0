"""School records API: the public course lookup by course code (課程代碼)."""

from __future__ import annotations

from ninja import Router, Schema
from ninja.errors import HttpError

from licheng.curriculum.queries import published_courses
from licheng.lib import course_code

router = Router(tags=["courses"])


class CourseOut(Schema):
    code: str
    name: str
    school_code: str
    school_name: str
    academic_year: int
    semester: int
    credits: int
    category: str
    category_label: str
    grade: int
    syllabus: str


@router.get(
    "/courses/{code}",
    response=list[CourseOut],
    auth=None,
    url_name="course_by_code",
    summary="以課程代碼查詢課程（公開）",
)
def course_by_code(request, code: str):
    """Every published course with this code (one per semester it ran); 400 for a malformed code
    with the reason, 404 when no course has it."""
    try:
        canonical = course_code.canonical(code)
    except course_code.CourseCodeError as exc:
        raise HttpError(400, str(exc)) from None
    courses = list(published_courses(canonical))
    if not courses:
        raise HttpError(404, f"查無課程代碼 {canonical}")
    return [
        {
            "code": c.code,
            "name": c.name,
            "school_code": c.school.code,
            "school_name": c.school.name,
            "academic_year": c.academic_year,
            "semester": c.semester,
            "credits": c.credits,
            "category": c.category,
            "category_label": c.get_category_display(),
            "grade": c.grade,
            "syllabus": getattr(getattr(c, "plan", None), "syllabus", "") or "",
        }
        for c in courses
    ]
