"""R40: the student downloads the whole portfolio as one zip with a readable index.html."""

from __future__ import annotations

import hashlib
import io
import zipfile

from .conftest import make_outcome, make_performance


def test_r40_zip_has_every_item_and_file_and_an_index(
    student, chemistry, teacher, last_year, login
):
    outcome = make_outcome(student, chemistry, "滴定實驗", certified_by=teacher)
    make_outcome(student, chemistry, "尚在認證中的成果")
    make_performance(student, last_year, "圖書館志工")
    response = login(student.user).get("/me/portfolio.zip")
    assert response.status_code == 200
    archive = zipfile.ZipFile(io.BytesIO(b"".join(response.streaming_content)))
    index = archive.read("index.html").decode()
    for title in ("滴定實驗", "尚在認證中的成果", "圖書館志工", student.name):
        assert title in index
    files = [n for n in archive.namelist() if n.startswith("files/")]
    assert len(files) == 3
    document = f"files/outcome-{outcome.pk}-1.pdf"
    assert hashlib.sha256(archive.read(document)).hexdigest() == outcome.document.sha256
    assert outcome.document.sha256 in index and f'href="{document}"' in index


def test_r40_only_the_student_downloads_their_own(student, parent, teacher, login):
    assert login(teacher).get("/me/portfolio.zip").status_code == 403
    assert login(parent).get("/me/portfolio.zip").status_code == 403
