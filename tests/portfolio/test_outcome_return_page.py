"""The teacher's return page (退回成果) shows what is being returned: never a blind return (R13)."""

from __future__ import annotations

from licheng.portfolio.domain.outcomes import create_outcome

from .conftest import mp4, pdf


def submitted(student, course, **kwargs):
    return create_outcome(
        student,
        course=course,
        title="滴定實驗報告",
        description="我負責數據分析，學到誤差來源。",
        document=pdf("報告.pdf"),
        media=mp4("實驗.mp4"),
        actor=student.user,
        **kwargs,
    )


def test_r13_return_page_shows_the_student_course_description_and_files(
    student, course, teacher, login
):
    """R13: the teacher sees whose work it is, for which course, what it says and the files
    themselves (through the permission-checked file view, previewed as in the queue)."""
    outcome = submitted(student, course)
    page = login(teacher).get(f"/certification/outcome/{outcome.pk}/return/").content.decode()
    assert student.name in page and student.student_number in page
    assert f"{course.name}（{course.code}）· {course.term.label}" in page
    assert "我負責數據分析，學到誤差來源。" in page
    document, media = f"/files/{outcome.document_id}/", f"/files/{outcome.media_id}/"
    assert f'<iframe src="{document}"' in page and f'href="{document}?download=1"' in page
    assert f'<video controls preload="metadata" src="{media}"' in page
    # The files the page links to are readable by this teacher.
    assert login(teacher).get(document).status_code == 200
    assert login(teacher).get(media, headers={"Range": "bytes=0-99"}).status_code == 206


def test_r13_a_draft_has_no_return_page(student, course, teacher, login):
    """A draft is the student's own until sent: not in the queue, not on a return page."""
    outcome = submitted(student, course, submit=False)
    response = login(teacher).get(f"/certification/outcome/{outcome.pk}/return/")
    assert response.status_code == 404
    assert "我負責數據分析" not in response.content.decode()


def test_r13_teacher_of_another_course_sees_nothing(student, course, school_a, login):
    from licheng.accounts.enums import Role
    from tests.factories import staff

    colleague = staff(Role.TEACHER, school_a, full_name="林老師")
    outcome = submitted(student, course)
    response = login(colleague).get(f"/certification/outcome/{outcome.pk}/return/")
    assert response.status_code == 404 and student.name not in response.content.decode()
