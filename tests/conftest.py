"""Shared fixtures: the fixed cast of people every permission test uses.

The cast: a student and their homeroom/course teacher and school administrator at school A, a
student and a teacher at school B, a parent, a central administrator, a reviewer, anonymous.
Later features extend what each of them holds; the names stay.
"""

from __future__ import annotations

import os

import pytest
from django.test import Client

from licheng.accounts.enums import Role

from .factories import (
    PASSWORD,
    SchoolClassFactory,
    SchoolFactory,
    make_student,
    staff,
)

os.environ.setdefault("LICHENG_FAST_HASHER", "1")

# Log hygiene: the whole run's log lines are searched for national IDs at the end (ops, R-logs).
pytest_plugins = ["tests.loghygiene"]


@pytest.fixture(autouse=True)
def _isolated_files(settings, tmp_path):
    """Every test writes files and mail into its own directory."""
    settings.MEDIA_ROOT = tmp_path / "files"
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {
            "BACKEND": "licheng.evidence.storage.AtomicFileSystemStorage",
            "OPTIONS": {"location": str(tmp_path / "files")},
        },
    }
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    settings.BACKUP_DIR = tmp_path / "backups"
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    settings.AXES_ENABLED = True


@pytest.fixture
def school_a(db):
    return SchoolFactory(code="310301", name="臺北市立甲高級中學")


@pytest.fixture
def school_b(db):
    return SchoolFactory(code="520402", name="臺中市立乙高級工業職業學校")


@pytest.fixture
def teacher(school_a):
    """Course teacher and homeroom teacher of ``student`` at school A."""
    user = staff(Role.TEACHER, school_a, full_name="王老師")
    from .factories import with_role

    return with_role(user, Role.HOMEROOM, school_a)


@pytest.fixture
def homeroom_class(school_a, teacher):
    return SchoolClassFactory(school=school_a, grade=1, name="101", homeroom_teacher=teacher)


@pytest.fixture
def student(school_a, homeroom_class):
    return make_student(school_a, school_class=homeroom_class, name="陳小明")


@pytest.fixture
def other_student(school_b):
    cls = SchoolClassFactory(school=school_b, grade=1, name="機一甲")
    return make_student(school_b, school_class=cls, name="林小華")


@pytest.fixture
def other_teacher(school_b):
    return staff(Role.TEACHER, school_b, full_name="李老師")


@pytest.fixture
def school_admin(school_a):
    return staff(Role.SCHOOL_ADMIN, school_a, full_name="註冊組張組長")


@pytest.fixture
def other_school_admin(school_b):
    return staff(Role.SCHOOL_ADMIN, school_b, full_name="乙校註冊組長")


@pytest.fixture
def parent(db):
    return staff(Role.PARENT, None, full_name="陳爸爸")


@pytest.fixture
def central_admin(db):
    return staff(Role.CENTRAL_ADMIN, None, full_name="國教署管理者")


@pytest.fixture
def reviewer(db):
    return staff(Role.REVIEWER, None, full_name="審查委員")


@pytest.fixture
def committee(db):
    """Admission committee staff (招生委員會承辦人): sets up the review, never scores."""
    return staff(Role.COMMITTEE, None, full_name="甄選會承辦人")


@pytest.fixture
def cast(
    student,
    other_student,
    teacher,
    other_teacher,
    school_admin,
    parent,
    central_admin,
    reviewer,
    committee,
):
    """Everyone, by name, for access-matrix tests. ``anonymous`` is None."""
    return {
        "anonymous": None,
        "student": student.user,
        "other_student": other_student.user,
        "teacher": teacher,
        "other_teacher": other_teacher,
        "parent": parent,
        "school_admin": school_admin,
        "central_admin": central_admin,
        "reviewer": reviewer,
        "committee": committee,
    }


def client_for(user) -> Client:
    client = Client()
    if user is not None:
        client.force_login(user, backend="licheng.accounts.backends.AccountBackend")
    return client


@pytest.fixture
def login():
    return client_for


__all__ = ["PASSWORD", "client_for"]
