"""School records in a real browser: the keyboard-friendly grade grid (R5–R6), the public course
lookup and the student's own records, each page checked with axe."""

from __future__ import annotations

import pytest

from licheng.curriculum.domain.grades import enrol
from licheng.curriculum.domain.plans import create_plan, publish_plan, submit_plan
from licheng.curriculum.models import CourseEnrolment
from tests.factories import PASSWORD, make_student

pytestmark = pytest.mark.browser


@pytest.fixture
def course(school_a, school_admin, central_admin, teacher, student, homeroom_class):
    plan = create_plan(
        school_a, actor=school_admin, teachers=[teacher], syllabus="文選與寫作",
        academic_year=113, semester=1, name="國語文", credits=4,
        category="national_required", grade=1, department=None,
    )  # fmt: skip
    submit_plan(plan, actor=school_admin)
    course = publish_plan(plan, actor=central_admin).course
    others = [make_student(school_a, school_class=homeroom_class) for _ in range(2)]
    enrol(course, actor=school_admin, students=[student, *others])
    return course


def _login(page, school, user, password=PASSWORD):
    page.goto("/login/")
    page.get_by_label("學校").select_option(school.code)
    page.get_by_label("帳號").fill(user.username.split(":", 1)[1])
    page.get_by_label("密碼").fill(password)
    with page.expect_navigation():
        page.get_by_role("button", name="登入").click()


def test_r5_grade_grid_enter_moves_down_and_a_pasted_column_fills_down(
    page, school_a, teacher, course
):
    _login(page, school_a, teacher)
    page.goto(f"/teaching/courses/{course.pk}/grades/")
    cells = page.locator("input.grade-cell[data-col='0']")
    cells.nth(0).fill("88")
    cells.nth(0).press("Enter")
    assert page.evaluate("document.activeElement.id") == cells.nth(1).get_attribute("id")
    # Paste a column of two grades from a spreadsheet into the second row.
    page.evaluate(
        """(id) => {
            const el = document.getElementById(id);
            const data = new DataTransfer();
            data.setData('text/plain', '70\\r\\n65\\r\\n');
            el.dispatchEvent(new ClipboardEvent('paste', {clipboardData: data, bubbles: true, cancelable: true}));
        }""",
        cells.nth(1).get_attribute("id"),
    )
    assert [cells.nth(i).input_value() for i in range(3)] == ["88", "70", "65"]
    with page.expect_navigation():
        page.get_by_role("button", name="儲存成績").click()
    assert "3 位學生的成績有變更" in page.content()
    grades = sorted(
        CourseEnrolment.objects.filter(course=course).values_list("original_grade", flat=True)
    )
    assert grades == [65, 70, 88]


def test_public_course_lookup_and_student_records_are_accessible(page, school_a, student, course):
    page.goto(f"/courses/lookup/?code={course.code}")
    assert "國語文" in page.get_by_role("heading", level=2).inner_text()
    page.goto("/courses/lookup/?code=nonsense")
    assert "課程代碼" in page.get_by_role("alert").inner_text()
    _login(page, school_a, student.user)
    page.goto("/my/records/")
    assert course.code in page.content()
    page.goto("/my/basic-data/")
    page.get_by_label("正確的資料").fill("陳曉明")
    with page.expect_navigation():
        page.get_by_role("button", name="送出申請").click()
    assert "已送出更正申請" in page.content()


def test_staff_record_pages_are_accessible(
    page, school_a, school_admin, central_admin, student, course
):
    """Every school-records page an administrator uses passes axe; an import shows its report."""
    _login(page, school_a, school_admin)
    for url in (
        "/school/plans/",
        "/school/students/",
        f"/school/students/{student.pk}/",
        "/school/imports/",
    ):
        page.goto(url)
    page.goto(f"/school/students/{student.pk}/")
    page.locator("#id_student-name").fill("陳曉明")
    with page.expect_navigation():
        page.locator("form:has(#id_student-name)").get_by_role("button", name="儲存").click()
    assert "已儲存" in page.content()
    page.goto("/school/imports/")
    page.get_by_label("資料種類").select_option("records")
    page.get_by_label("檔案（CSV：UTF-8 或 Big5；或 XLSX）").set_input_files(
        files=[
            {
                "name": "g.csv",
                "mimeType": "text/csv",
                "buffer": f"學年度,學期,課程代碼,學號,原始成績\n113,1,{course.code},{student.student_number},101\n".encode(),
            }
        ]
    )
    with page.expect_navigation():
        page.get_by_role("button", name="上傳並檢查").click()
    assert "超出 0–100" in page.content()
    page.goto(f"/teaching/courses/{course.pk}/grades/")


def test_central_plan_queue_is_accessible(page, central_admin, school_a, school_admin):
    create = {
        "academic_year": 114,
        "semester": 1,
        "credits": 2,
        "category": "multiple_elective",
        "grade": 1,
        "department": None,
    }
    submit_plan(
        create_plan(school_a, actor=school_admin, name="在地文化", **create), actor=school_admin
    )
    page.goto("/login/")
    page.get_by_label("帳號").fill(central_admin.username)
    page.get_by_label("密碼").fill(PASSWORD)
    with page.expect_navigation():
        page.get_by_role("button", name="登入").click()
    page.goto("/central/plans/")
    with page.expect_navigation():
        page.get_by_role("button", name="公告並產生課程代碼").click()
    assert "已公告，課程代碼" in page.content()


def test_counselling_and_plan_pages_are_accessible(
    page, school_a, school_admin, homeroom_class, student
):
    """R7 pages and a course plan draft under axe; a counsellor writes a record."""
    from licheng.accounts.enums import Role
    from licheng.curriculum.domain.counselling import assign_counsellor
    from tests.factories import staff

    counsellor = staff(Role.COUNSELOR, school_a, full_name="諮詢老師")
    assign_counsellor(homeroom_class, actor=school_admin, counsellor=counsellor)
    plan = create_plan(
        school_a, actor=school_admin, academic_year=114, semester=1, name="在地文化",
        credits=2, category="multiple_elective", grade=1, department=None,
    )  # fmt: skip
    _login(page, school_a, school_admin)
    page.goto("/school/counsellors/")
    page.goto(f"/school/plans/{plan.pk}/")
    page.context.clear_cookies()
    _login(page, school_a, counsellor)
    page.goto("/counselling/")
    page.get_by_label("學生").select_option(str(student.pk))
    page.get_by_label("紀錄說明（100 字以內）").fill("討論選課")
    with page.expect_navigation():
        page.get_by_role("button", name="儲存").click()
    assert "已新增課程諮詢紀錄" in page.content()


def test_staff_fill_every_form_of_a_student(page, school_a, school_admin, student, homeroom_class):
    """R1–R3 through the forms as a registrar uses them (labels, selects, date inputs)."""
    from tests.factories import DepartmentFactory

    DepartmentFactory(school=school_a, code="101", name="普通科")
    _login(page, school_a, school_admin)
    page.goto(f"/school/students/{student.pk}/")

    def submit(kind):
        with page.expect_navigation():
            page.locator(f"form:has(input[name=form][value={kind}])").get_by_role(
                "button", name="儲存"
            ).click()
        assert "已儲存" in page.content(), kind

    page.locator("#id_student-department").select_option(label="普通科")
    submit("student")
    page.locator("#id_cadre-academic_year").fill("113")
    page.locator("#id_cadre-semester").select_option("1")
    page.locator("#id_cadre-level").select_option(label="班級")
    page.locator("#id_cadre-unit").fill("101")
    page.locator("#id_cadre-position").fill("班長")
    submit("cadre")
    page.locator("#id_attendance-academic_year").fill("113")
    page.locator("#id_attendance-sick_leave").fill("2")
    submit("attendance")
    page.locator("#id_reward-kind").select_option(label="嘉獎")
    page.locator("#id_reward-reason").fill("熱心服務")
    page.locator("#id_reward-given_on").fill("2024-10-01")
    submit("reward")
    page.locator("#id_placement-school_class").select_option(label=str(homeroom_class))
    page.locator("#id_placement-seat").fill("30")
    submit("placement")
    student.refresh_from_db()
    assert student.department.name == "普通科"
    assert (
        student.cadre_records.count(),
        student.attendance.get().sick_leave,
        student.rewards.count(),
    ) == (1, 2, 1)
    assert student.class_enrolments.get().seat_number == 30


def test_school_admin_files_a_plan_with_teachers(page, school_a, school_admin, teacher):
    _login(page, school_a, school_admin)
    page.goto("/school/plans/")
    page.get_by_label("科目名稱").fill("數學")
    page.get_by_label("學分數").fill("4")
    page.get_by_label("任課教師").select_option(label=str(teacher))
    page.get_by_label("教學大綱", exact=True).fill("函數與圖形")
    with page.expect_navigation():
        page.get_by_role("button", name="儲存草稿").click()
    assert "已新增課程計畫草稿" in page.content()
    with page.expect_navigation():
        page.get_by_role("button", name="送交中央審查").click()
    assert "已送交中央審查公告" in page.content()
