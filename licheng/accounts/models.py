from __future__ import annotations

from collections.abc import Iterable

from django.contrib.auth.models import AbstractBaseUser, PermissionsMixin, UserManager
from django.contrib.sessions.base_session import AbstractBaseSession
from django.db import models
from django.db.models import Q
from django.utils.functional import cached_property

from .enums import SCHOOL_ROLES, BindingStatus, Relation, RelationKind, Role, SchoolLevel

# Sorted, so the constraint (and its migration) is the same on every run.
SCHOOL_ROLE_VALUES = sorted(r.value for r in SCHOOL_ROLES)


class AccountManager(UserManager):
    def create_user(self, username, email=None, password=None, **extra):
        user = self.model(username=username, email=email or "", **extra)
        user.set_password(password)
        user.save(using=self._db)
        return user


class User(AbstractBaseUser, PermissionsMixin):
    """A person who logs in (使用者帳號). Roles come from ``RoleAssignment``.

    ``username`` is unique platform-wide: ``<school code>:<student number or account>`` for school
    accounts, the e-mail for parents, the account name for everyone else.
    """

    username = models.CharField("帳號", max_length=150, unique=True)
    full_name = models.CharField("姓名", max_length=100)
    email = models.EmailField("電子郵件", blank=True)
    email_verified_at = models.DateTimeField("電子郵件驗證時間", null=True, blank=True)
    must_change_password = models.BooleanField("首次登入須變更密碼", default=False)
    is_active = models.BooleanField("啟用", default=True)
    is_staff = models.BooleanField(
        default=False
    )  # Django admin is not used; kept for the contrib API
    date_joined = models.DateTimeField(auto_now_add=True)
    preferred_language = models.CharField(max_length=10, blank=True)

    USERNAME_FIELD = "username"
    EMAIL_FIELD = "email"
    REQUIRED_FIELDS = ["full_name"]

    objects = AccountManager()

    class Meta:
        ordering = ["username"]

    def __str__(self) -> str:
        return self.full_name or self.username

    @cached_property
    def role_assignments(self) -> list[RoleAssignment]:
        return list(self.roles.select_related("school"))

    def has_role(self, role: Role, school_id: int | None = None) -> bool:
        return any(
            a.role == role and (school_id is None or a.school_id == school_id)
            for a in self.role_assignments
        )

    def school_ids_for(self, role: Role) -> set[int]:
        return {a.school_id for a in self.role_assignments if a.role == role and a.school_id}

    @property
    def role_set(self) -> set[str]:
        return {a.role for a in self.role_assignments}

    def has_any_role(self, roles: Iterable[Role]) -> bool:
        wanted = set(roles)
        return any(a.role in wanted for a in self.role_assignments)

    @property
    def needs_email_verification(self) -> bool:
        return self.email_verified_at is None


class RoleAssignment(models.Model):
    """A role a person holds (角色指派); school roles name the school they hold it in."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="roles")
    role = models.CharField("角色", max_length=20, choices=Role.choices)
    school = models.ForeignKey(
        "schools.School",
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="staff_roles",
    )

    class Meta:
        ordering = ["user", "role"]
        constraints = [
            models.UniqueConstraint(fields=["user", "role", "school"], name="role_once_per_school"),
            models.UniqueConstraint(
                fields=["user", "role"], condition=Q(school=None), name="role_once_without_school"
            ),
            models.CheckConstraint(
                condition=Q(role__in=SCHOOL_ROLE_VALUES, school__isnull=False)
                | (~Q(role__in=SCHOOL_ROLE_VALUES) & Q(school__isnull=True)),
                name="school_roles_need_school",
            ),
        ]

    def __str__(self) -> str:
        where = f" @ {self.school}" if self.school_id else ""
        return f"{self.get_role_display()}{where}"


class BindingCode(models.Model):
    """A verification code (驗證碼) e-mailed to a parent who starts a binding (R33).

    Only a keyed hash of the code is stored; it is valid for one hour and for one use.
    """

    email = models.EmailField("電子郵件")
    code_hash = models.CharField(max_length=64)
    requested_from = models.GenericIPAddressField("申請來源位址", null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    expires_at = models.DateTimeField("有效期限")
    used_at = models.DateTimeField("使用時間", null=True, blank=True)
    failed_attempts = models.PositiveSmallIntegerField(default=0)

    class Meta:
        indexes = [
            models.Index(fields=["email", "created_at"]),
            models.Index(fields=["requested_from", "created_at"]),
        ]

    def __str__(self) -> str:
        return f"驗證碼 {self.email} {self.created_at:%Y-%m-%d %H:%M}"


class ParentBinding(models.Model):
    """A parent–child binding (親子綁定, R33): the application and, once approved, the link."""

    student = models.ForeignKey(
        "schools.Student", on_delete=models.CASCADE, related_name="parent_bindings"
    )
    # Set when the homeroom teacher approves (or at once if the e-mail already has an account).
    parent = models.ForeignKey(
        User, null=True, blank=True, on_delete=models.CASCADE, related_name="child_bindings"
    )
    relation = models.CharField("與學生關係", max_length=30, choices=Relation.choices)
    school_level = models.CharField("學層", max_length=20, choices=SchoolLevel.choices)
    parent_name = models.CharField("家長姓名", max_length=50)
    parent_national_id = models.CharField("家長身分證統一編號", max_length=10)
    email = models.EmailField("電子郵件")
    phone = models.CharField("行動電話/市話", max_length=20)
    signature = models.CharField("電子簽名", max_length=50)
    statement_accepted_at = models.DateTimeField("同意個資使用聲明時間")
    status = models.CharField(
        "狀態", max_length=20, choices=BindingStatus.choices, default=BindingStatus.PENDING
    )
    submitted_at = models.DateTimeField("申請時間", auto_now_add=True)
    decided_at = models.DateTimeField("審核時間", null=True, blank=True)
    decided_by = models.ForeignKey(
        User, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    refusal_reason = models.CharField("未通過原因", max_length=200, blank=True)

    class Meta:
        ordering = ["-submitted_at"]
        constraints = [
            # One live application or binding per e-mail and child; refused/cancelled ones stay
            # as history and a new application may follow them.
            models.UniqueConstraint(
                fields=["student", "email"],
                condition=Q(status__in=["pending", "approved"]),
                name="binding_once_per_parent_and_child",
            ),
        ]
        indexes = [models.Index(fields=["parent", "status"]), models.Index(fields=["email"])]

    def __str__(self) -> str:
        return f"{self.parent_name} → {self.student.name}（{self.get_relation_display()}）"

    @property
    def relation_kind(self) -> RelationKind:
        return Relation(self.relation).kind


class Session(AbstractBaseSession):
    """A signed-in browser's session (登入工作階段) with the id of the person it belongs to, so
    that each request reads both in one statement (signed_in.py). Deleting a person's rows here
    signs them out everywhere."""

    user = models.ForeignKey(
        User, null=True, blank=True, on_delete=models.CASCADE, related_name="+", db_index=True
    )

    @classmethod
    def get_session_store_class(cls):
        from .sessions import SessionStore

        return SessionStore
