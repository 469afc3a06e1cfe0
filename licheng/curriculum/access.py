"""Who may read a counselling record's attachment (R7), added to the evidence app's registry.

Evidence does not know what a stored file is attached to; a counselling attachment is readable
by whoever may see the record: the student, the counsellor who wrote it, the school's
administrators (``queries.counselling_visible_to``).
"""

from __future__ import annotations

from typing import Any

from licheng.evidence.access import register_reader
from licheng.evidence.models import StoredFile


@register_reader
def counselling_reader(user: Any, stored: StoredFile) -> bool:
    from .queries import counselling_visible_to

    return counselling_visible_to(user).filter(stored_file=stored).exists()
