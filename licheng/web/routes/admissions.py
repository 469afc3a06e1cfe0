"""Admissions (招生): committee set-up, applications, review (書面審查), packages.

Routes, menu entries and dashboard panels of this area; `web/urls.py`, `web/menu.py` and
`web/panels.py` collect them, so areas do not edit each other's lists.
"""

from __future__ import annotations

from typing import Any

from django.urls import path
from django.utils.translation import gettext_lazy as _

from licheng.accounts.enums import Role

from ..menu import MenuEntry
from ..views.admissions import committee, panels, reviewer, student

urlpatterns: list[Any] = [
    # Committee set-up (招生委員會)
    path("admissions/", committee.years, name="adm_years"),
    path("admissions/years/<int:year>/", committee.year_detail, name="adm_year"),
    path("admissions/channels/<int:pk>/", committee.channel_edit, name="adm_channel"),
    path(
        "admissions/channels/<int:pk>/departments/new/",
        committee.department_new,
        name="adm_department_new",
    ),
    path("admissions/channels/<int:pk>/import/", committee.department_import, name="adm_import"),
    path("admissions/departments/<int:pk>/", committee.department_edit, name="adm_department"),
    path("admissions/departments/<int:pk>/rubric/", committee.rubric, name="adm_rubric"),
    path("admissions/departments/<int:pk>/weights/", committee.weights, name="adm_weights"),
    path("admissions/departments/<int:pk>/reviewers/", committee.reviewers, name="adm_reviewers"),
    path(
        "admissions/reviewers/<int:pk>/remove/",
        committee.reviewer_remove,
        name="adm_reviewer_remove",
    ),
    # The student (考生)
    path("apply/", student.home, name="apply_home"),
    path("apply/channels/<int:pk>/register/", student.register, name="apply_register"),
    path("apply/registrations/<int:pk>/start/", student.start, name="apply_start"),
    path("apply/applications/<int:pk>/", student.edit, name="apply_edit"),
    path("apply/applications/<int:pk>/preview/", student.preview, name="apply_preview"),
    path("apply/applications/<int:pk>/submit/", student.submit, name="apply_submit"),
    path("apply/applications/<int:pk>/files/<int:index>/", student.item_file, name="apply_file"),
    path("apply/items/<int:pk>/remove/", student.remove_item, name="apply_remove_item"),
    # Department review (校系審查)
    path("review/", reviewer.home, name="review_home"),
    path("review/departments/<int:pk>/", reviewer.department, name="review_department"),
    path("review/departments/<int:pk>/ranking/", reviewer.ranking, name="review_ranking"),
    path(
        "review/departments/<int:pk>/ranking.<str:fmt>/",
        reviewer.ranking_export,
        name="review_export",
    ),
    path("review/departments/<int:pk>/packages.zip", reviewer.department_zip, name="review_zip"),
    path("review/applications/<int:pk>/", reviewer.application, name="review_application"),
    path("review/applications/<int:pk>/package.pdf", reviewer.package_pdf, name="review_pdf"),
    path("review/applications/<int:pk>/files/<int:index>/", reviewer.item_file, name="review_file"),
    path("review/applications/<int:pk>/resolve/", reviewer.resolve, name="review_resolve"),
]
MENU: list[Any] = [
    MenuEntry(_("招生設定"), "web:adm_years", frozenset({Role.COMMITTEE})),
    MenuEntry(_("升學申請"), "web:apply_home", frozenset({Role.STUDENT})),
    MenuEntry(_("書面審查"), "web:review_home", frozenset({Role.REVIEWER})),
]
PANELS: list[Any] = [panels.committee_panel, panels.reviewer_panel, panels.student_panel]
