"""Who may read which part of the audit log."""

from django.db.models import QuerySet

from .models import AuditEntry


def entries_for(user) -> QuerySet[AuditEntry]:
    """Central administrators see every entry; a school administrator sees their schools' entries."""
    from licheng.accounts.enums import Role

    if user.has_role(Role.CENTRAL_ADMIN):
        return AuditEntry.objects.select_related("actor", "school")
    schools = user.school_ids_for(Role.SCHOOL_ADMIN)
    return AuditEntry.objects.filter(school_id__in=schools).select_related("actor", "school")
