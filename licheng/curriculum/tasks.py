"""Background tasks of the curriculum app (django-tasks; run in-process by default)."""

from __future__ import annotations

from django_tasks import task


@task(queue_name="imports")
def check_import(batch_id: int) -> None:
    from .domain.imports import check_batch
    from .models import ImportBatch

    check_batch(ImportBatch.objects.select_related("school", "created_by").get(pk=batch_id))


@task(queue_name="imports")
def apply_import(batch_id: int, actor_id: int) -> None:
    from licheng.accounts.models import User

    from .domain.imports import apply_batch
    from .models import ImportBatch

    batch = ImportBatch.objects.select_related("school").get(pk=batch_id)
    apply_batch(batch, actor=User.objects.get(pk=actor_id))
