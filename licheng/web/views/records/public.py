"""Public course lookup (課程資訊查詢): anyone, without logging in, looks a course up by its code."""

from __future__ import annotations

from django.shortcuts import render

from licheng.curriculum.queries import published_courses
from licheng.lib import course_code


def course_lookup(request):
    text = request.GET.get("code", "")[:64]
    error, courses, code = None, [], ""
    if text.strip():
        try:
            code = course_code.canonical(text)
        except course_code.CourseCodeError as exc:
            error = str(exc)
        else:
            courses = list(published_courses(code))
    status = 400 if error else (404 if code and not courses else 200)
    return render(
        request,
        "web/records/course_lookup.html",
        {"text": text, "code": code, "error": error, "courses": courses},
        status=status,
    )


def syllabus_pdf(request, pk: int):
    """The syllabus PDF of a published course plan: public, like the lookup page."""
    from django.http import FileResponse, Http404

    from licheng.curriculum.enums import PlanState
    from licheng.curriculum.models import CoursePlan

    plan = CoursePlan.objects.filter(pk=pk, state=PlanState.PUBLISHED).first()
    if plan is None or not plan.syllabus_pdf:
        raise Http404
    return FileResponse(
        plan.syllabus_pdf.open("rb"),
        content_type="application/pdf",
        filename=f"{plan.course.code}.pdf",
    )
