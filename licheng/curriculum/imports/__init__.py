"""Bulk import and export (批次匯入/匯出) from schools' administrative systems.

``reading`` turns CSV (UTF-8, with or without BOM, or Big5) and XLSX into rows; each kind
(``students``, ``courses``, ``records``, ``cadres``) checks rows and writes them;
``curriculum.domain.imports`` runs a batch: check everything, report, and write only after
the administrator confirms, in one transaction.
"""

from __future__ import annotations

from ..enums import ImportKind
from .base import Importer
from .cadres import CadresImporter
from .courses import CoursesImporter
from .records import RecordsImporter
from .students import StudentsImporter

IMPORTERS: dict[str, type[Importer]] = {
    ImportKind.STUDENTS: StudentsImporter,
    ImportKind.COURSES: CoursesImporter,
    ImportKind.RECORDS: RecordsImporter,
    ImportKind.CADRES: CadresImporter,
}
