"""Review packages: one applicant's PDF (13 items, realistic files) and a department's zip.

A throwaway SQLite database and file store. Each applicant releases 13 items: 3 course outcomes
and 5 performances (PDFs of 2–4 pages with text and a photo), 2 performance photos (JPEG),
forms A and B (PDF) and a D1 image (JPEG), plus D1/D2 text. "Plain merge" is pypdf
concatenating the same applicant's PDF files and nothing else, timed in the same run. The zip
of every package runs in a fresh process, so its peak memory (max RSS) is the zip's own.
"""

from __future__ import annotations

import io
import multiprocessing
import os
import resource
import shutil
import statistics
import tempfile
import time
from pathlib import Path
from typing import Any

TITLE = "Review packages (PDF per applicant, department zip)"
COMMAND = "make bench BENCH=review_packages"
APPLICANTS = int(os.environ.get("LICHENG_BENCH_APPLICANTS", "500"))
TIMED_PDFS = 20


def _environ(root: Path) -> None:
    os.environ.update(
        {
            "DJANGO_SETTINGS_MODULE": "licheng.settings",
            "LICHENG_VAR_DIR": str(root),
            "LICHENG_SQLITE_PATH": str(root / "bench.sqlite3"),
            "LICHENG_MEDIA_ROOT": str(root / "files"),
            "LICHENG_LOG_LEVEL": "ERROR",
        }
    )
    os.environ.pop("LICHENG_DATABASE_URL", None)


def run() -> dict[str, object]:
    root = Path(tempfile.mkdtemp(prefix="licheng-bench-"))
    try:
        return _measure(root)
    finally:
        shutil.rmtree(root, ignore_errors=True)


def _photo(seed: int) -> bytes:
    """A 1600×1200 JPEG with gradients and grain, about the size of a phone photo scaled down."""
    import random

    from PIL import Image, ImageDraw, ImageFilter

    rng = random.Random(seed)
    image = Image.new("RGB", (1600, 1200))
    draw = ImageDraw.Draw(image)
    for y in range(0, 1200, 4):
        draw.rectangle([0, y, 1600, y + 4], fill=(y % 256, (y * 3 + seed * 40) % 256, 120))
    for _ in range(400):
        x, y, r = rng.randrange(1600), rng.randrange(1200), rng.randrange(5, 60)
        draw.ellipse([x, y, x + r, y + r], fill=tuple(rng.randrange(256) for _ in range(3)))
    image = image.filter(ImageFilter.GaussianBlur(1))
    out = io.BytesIO()
    image.save(out, "JPEG", quality=85)
    return out.getvalue()


def _document(title: str, pages: int, photo: bytes) -> bytes:
    """A student's document: a few pages of text and one photo."""
    from fpdf import FPDF

    pdf = FPDF()
    pdf.set_font("helvetica", size=11)
    for page in range(pages):
        pdf.add_page()
        pdf.multi_cell(0, 6, f"{title} - page {page + 1}\n" + "Process, reflection, results. " * 60)
        if page == 0:
            pdf.image(io.BytesIO(photo), w=150)
    return bytes(pdf.output())


def _setup(count: int) -> dict[str, Any]:
    import datetime as dt
    from decimal import Decimal

    from django.core.files.storage import default_storage
    from django.core.management import call_command
    from django.utils import timezone

    from licheng.accounts.enums import Role
    from licheng.accounts.models import RoleAssignment, User
    from licheng.admissions import files
    from licheng.admissions.domain import applications, setup
    from licheng.admissions.enums import ChannelKind, ItemKind
    from licheng.admissions.sources import PortfolioItem
    from licheng.schools.models import School, Student

    call_command("migrate", verbosity=0)
    year = setup.create_year(200, actor=None)
    today = timezone.localdate()
    dept = setup.save_department(
        year.channels.get(kind=ChannelKind.UNIVERSITY_APPLICATION),
        actor=None,
        code="B00001",
        university="國立臺灣大學",
        name="資訊工程學系",
        max_outcomes=3,
        review_opens_on=today,
        review_closes_on=today + dt.timedelta(days=5),
        discrepancy_threshold=Decimal(10),
    )
    setup.set_rubric(
        dept, [setup.CriterionSpec("反思", 100, ("一", "二", "三", "四", "五"))], actor=None
    )
    photos = [_photo(i) for i in range(4)]

    def keep(data: bytes, name: str, kind: str) -> files.StoredUpload:
        allowed = ("application/pdf", "image/jpeg")
        return files.store(
            io.BytesIO(data),
            name=name,
            allowed=allowed,
            max_bytes=10 * 2**20,
            owner=None,
            uploaded_by=None,
        )

    # 13 distinct files per applicant would be 6,500 files; content addressing stores each
    # distinct file once anyway, so a pool of files shared by the cohort is faithful.
    pool: list[tuple[ItemKind, files.StoredUpload]] = []
    for i in range(3):
        pool.append(
            (
                ItemKind.OUTCOME,
                keep(_document(f"Outcome {i}", 2 + i % 3, photos[i]), f"成果{i}.pdf", "pdf"),
            )
        )
    for i in range(5):
        pool.append(
            (
                ItemKind.PERFORMANCE,
                keep(
                    _document(f"Performance {i}", 2 + i % 3, photos[i % 4]), f"表現{i}.pdf", "pdf"
                ),
            )
        )
    for i in range(2):
        pool.append((ItemKind.PERFORMANCE, keep(photos[i + 2], f"照片{i}.jpg", "jpg")))
    available = [
        PortfolioItem(
            ref=f"c{i}",
            kind=kind,
            title=f"{kind.label} {i}",
            description="參與專題，負責程式與測試。",
            file_path=s.path,
            file_name=s.name,
            content_type=s.content_type,
            size=s.size,
            sha256=s.sha256,
        )
        for i, (kind, s) in enumerate(pool)
    ]
    form_a = _document("Form A", 1, photos[0])
    form_b = _document("Form B", 2, photos[1])
    school = School.objects.create(
        code="999999", name="基準測試高中", type="general", city="臺北市"
    )
    for n in range(count):
        user = User.objects.create(username=f"999999:{n}", full_name=f"考生{n}")
        RoleAssignment.objects.create(user=user, role=Role.STUDENT, school=school)
        student = Student.objects.create(
            user=user,
            school=school,
            student_number=str(n),
            national_id=f"A{n:09d}",
            name=f"考生{n}",
            enrolment_date=dt.date(2024, 8, 1),
        )
        registration = applications.register(student, dept.channel, consent=True, actor=None)
        app = applications.start_application(registration, dept, actor=None)
        applications.pick_items(app, [p.ref for p in available], actor=None, available=available)
        applications.save_documents(
            app,
            d1_text="我在高中參加程式競賽與志工服務。" * 20,
            d2_reflection="反思。" * 100,
            d2_motivation="動機。" * 80,
            d2_plan="計畫。" * 80,
            actor=None,
        )
        applications.add_upload(
            app, ItemKind.FORM_A, io.BytesIO(form_a), name="表A.pdf", title="表A", actor=None
        )
        applications.add_upload(
            app, ItemKind.FORM_B, io.BytesIO(form_b), name="表B.pdf", title="表B", actor=None
        )
        applications.add_upload(
            app, ItemKind.D1_IMAGE, io.BytesIO(photos[3]), name="d1.jpg", title="", actor=None
        )
        applications.submit(app, actor=None)
    assert len(available) + 3 == 13
    return {"department": dept.pk, "storage": str(default_storage.location)}


def _plain_merge(application) -> bytes:
    """Just concatenating the applicant's PDF files with pypdf: the floor to compare with."""
    from pypdf import PdfWriter

    from licheng.admissions import files

    writer = PdfWriter()
    for item in application.snapshot["items"]:
        info = item["file"]
        if info and info["content_type"] == "application/pdf":
            with files.open_stored(info["path"]) as fh:
                writer.append(io.BytesIO(fh.read()))
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def _zip_child(root: str, department: int, queue: Any) -> None:
    _environ(Path(root))
    import django

    django.setup()
    from licheng.admissions.domain import packages
    from licheng.admissions.models import Application

    apps = (
        Application.objects.filter(department_id=department)
        .select_related("department")
        .order_by("pk")
    )
    started = time.perf_counter()
    size = 0
    with open(Path(root) / "department.zip", "wb") as out:
        for chunk in packages.stream_zip(apps.iterator(chunk_size=50)):
            out.write(chunk)
            size += len(chunk)
    seconds = time.perf_counter() - started
    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    queue.put({"seconds": seconds, "bytes": size, "peak_mb": peak_mb})


def _measure(root: Path) -> dict[str, object]:
    _environ(root)
    import django

    django.setup()
    from django.conf import settings

    from licheng.admissions.domain import packages
    from licheng.admissions.models import Application
    from licheng.lib import cjk_font

    started = time.perf_counter()
    font_dir = Path(
        os.environ.get(
            "LICHENG_BENCH_FONT_CACHE", Path(settings.BASE_DIR) / "var" / "cache" / "fonts"
        )
    )
    for tier in cjk_font.TIERS:  # the one-time cuts, kept across runs like in production
        cjk_font.cached_font(font_dir, tier)
    (root / "cache").mkdir()
    os.symlink(font_dir, root / "cache" / "fonts")
    font_seconds = time.perf_counter() - started

    started = time.perf_counter()
    info = _setup(APPLICANTS)
    setup_seconds = time.perf_counter() - started

    sample = list(
        Application.objects.filter(department_id=info["department"])
        .select_related("department")
        .order_by("pk")[:TIMED_PDFS]
    )
    packages.package_pdf(sample[0])  # warm imports
    pdf_times, cpu_times, merge_times, pages = [], [], [], 0
    for app in sample:
        t, c = time.perf_counter(), time.process_time()
        data = packages.package_pdf(app)
        pdf_times.append(time.perf_counter() - t)
        cpu_times.append(time.process_time() - c)
        t = time.perf_counter()
        _plain_merge(app)
        merge_times.append(time.perf_counter() - t)
        pages = data.count(b"/Type /Page\n") or pages
    from pypdf import PdfReader

    pages = len(PdfReader(io.BytesIO(packages.package_pdf(sample[0]))).pages)
    pdf_median = statistics.median(pdf_times)
    merge_median = statistics.median(merge_times)

    ctx = multiprocessing.get_context("spawn")
    queue = ctx.Queue()
    child = ctx.Process(target=_zip_child, args=(str(root), info["department"], queue))
    child.start()
    result = queue.get()
    child.join()
    return {
        "applicants": APPLICANTS,
        "items per applicant": 13,
        "pages in one package": pages,
        "one package PDF, median s (target ≤ 1 s)": round(pdf_median, 3),
        "one package PDF, slowest of 20, s": round(max(pdf_times), 3),
        # On a shared machine wall time includes waiting for a core; CPU time is the work itself.
        "one package PDF, median CPU s": round(statistics.median(cpu_times), 3),
        "plain pypdf merge of the same PDFs, median s": round(merge_median, 3),
        "ratio package / plain merge": round(pdf_median / merge_median, 2),
        f"zip of {APPLICANTS} packages, s": round(result["seconds"], 1),
        "zip size, MB": round(result["bytes"] / 2**20, 1),
        "zip process peak memory (max RSS), MB (target ≤ 300)": round(result["peak_mb"], 1),
        "font caches (Big5 subsets of Noto Sans CJK TC; first run only), s": round(font_seconds, 1),
        "setting up the applicants, s": round(setup_seconds, 1),
    }
