"""The central repository at national scale on PostgreSQL: 600,000 students' records (metadata
only, no file bytes), then a student's whole record and a school's pages answered over HTTP.

A throwaway PostgreSQL 15 cluster is started, migrated and filled with COPY: 400 schools of 1,500
students; per student two semester records (basic data and 8 course records each) and one annual
record of 16 items with one file each, plus its receipt confirmation. Then, through Django's test
client as a central administrator (middleware, view, queries, template), 300 requests each to a
random student's whole record, a random school's overview and the national status page.
"""

from __future__ import annotations

import json
import os
import random
import statistics
import time

TITLE = "Central repository at national scale (PostgreSQL)"
COMMAND = "make bench BENCH=central_national"
STUDENTS = int(os.environ.get("LICHENG_BENCH_NATIONAL_STUDENTS", "600000"))
PER_SCHOOL = 1500
ITEMS = 16
REQUESTS = 300
BATCH = 20_000


def run() -> dict[str, object]:
    from licheng.devtools import pgcluster

    if not pgcluster.available():
        raise RuntimeError("PostgreSQL 15 binaries are needed for this benchmark")
    with pgcluster.start(fsync=False) as cluster:
        os.environ.update(
            {
                "DJANGO_SETTINGS_MODULE": "licheng.settings",
                "LICHENG_DATABASE_URL": cluster.url,
                "LICHENG_LOG_LEVEL": "ERROR",
            }
        )
        import django

        django.setup()
        from django.core.management import call_command

        call_command("migrate", verbosity=0)
        started = time.perf_counter()
        _generate()
        generated = time.perf_counter() - started
        figures = _measure()
        from django.db import connection

        with connection.cursor() as cur:
            cur.execute("SELECT pg_size_pretty(pg_database_size(current_database()))")
            size = cur.fetchone()[0]
            cur.execute("SELECT count(*) FROM central_centralitem")
            items = cur.fetchone()[0]
        connection.close()
    return {
        "students": f"{STUDENTS:,}",
        "rows": f"{items:,} items, {items:,} files, {STUDENTS * 3:,} record versions",
        "time to generate (COPY + ANALYZE)": f"{generated:.0f} s",
        "database size": size,
        **figures,
    }


def _copy(cur, table: str, columns: list[str], rows) -> None:
    with cur.copy(f"COPY {table} ({', '.join(columns)}) FROM STDIN") as copy:
        for row in rows:
            copy.write_row(row)


def _generate() -> None:
    from django.db import connection
    from django.utils import timezone

    from licheng.lib.national_id import make

    now = timezone.now()
    schools = STUDENTS // PER_SCHOOL
    courses = json.dumps(
        [
            {
                "academic_year": 113,
                "semester": 1,
                "code": f"113310301H11A01{k:02d}",
                "name": f"課程{k}",
                "credits": 2,
                "category": "部定必修",
                "original_grade": "78.00",
                "makeup_grade": None,
                "retake_grade": None,
            }
            for k in range(8)
        ],
        ensure_ascii=False,
    )
    basic = json.dumps({"class_name": "301", "enrolment_date": "2022-08-01", "status": "enrolled"})
    raw = connection.connection  # psycopg 3: COPY goes straight through the driver
    with raw.cursor() as cur:
        _copy(
            cur,
            "schools_school",
            ["id", "code", "name", "type", "city"],
            (
                (s + 1, f"{300000 + s}", f"國立第{s}高級中學", "general", "臺北市")
                for s in range(schools)
            ),
        )
        _copy(
            cur,
            "central_submission",
            ["id", "school_id", "kind", "academic_year", "semester", "package_sha256",
             "received_at", "student_count", "item_count", "file_count", "byte_count", "receipt"],
            (
                (s * 3 + k + 1, s + 1, kind, 113, sem, f"{s * 3 + k:064x}", now, PER_SCHOOL,
                 PER_SCHOOL * ITEMS if kind == "annual" else 0, 0, 0, "{}")
                for s in range(schools)
                for k, (kind, sem) in enumerate((("semester", 1), ("semester", 2), ("annual", 0)))
            ),
        )  # fmt: skip
        _copy(
            cur,
            "central_centralstudent",
            ["id", "national_id", "name", "school_id", "student_number"],
            (
                (n + 1, make("ABCDEFGHJK"[n // 10_000_000 % 10], 1 + n // 5_000_000 % 2,
                              f"{n % 10_000_000:07d}"), f"學生{n}", n // PER_SCHOOL + 1, f"{n:07d}")
                for n in range(STUDENTS)
            ),
        )  # fmt: skip
        _copy(
            cur,
            "central_centralrecord",
            ["id", "student_id", "school_id", "submission_id", "kind", "academic_year",
             "semester", "version", "is_current", "content_sha256", "basic", "courses",
             "entry", "received_at"],
            (
                (n * 3 + k + 1, n + 1, n // PER_SCHOOL + 1, (n // PER_SCHOOL) * 3 + k + 1,
                 kind, 113, sem, 1, True, f"{n * 3 + k:064x}",
                 basic if kind == "semester" else None, courses if kind == "semester" else "[]",
                 "{}", now)
                for n in range(STUDENTS)
                for k, (kind, sem) in enumerate((("semester", 1), ("semester", 2), ("annual", 0)))
            ),
        )  # fmt: skip
        _copy(
            cur,
            "central_receiptack",
            ["record_id", "status", "closes_on", "message", "school_note"],
            ((n * 3 + 3, "confirmed", now.date(), "", "") for n in range(STUDENTS)),
        )
        _copy(
            cur,
            "central_blob",
            ["sha256", "size", "content_type", "stored_at"],
            ((f"{i:064x}", 400_000, "application/pdf", now) for i in range(STUDENTS * ITEMS)),
        )
        _copy(
            cur,
            "central_centralitem",
            ["id", "record_id", "student_id", "local_id", "item_type", "academic_year",
             "semester", "title", "description", "course_code", "course_name", "category", "link"],
            (
                (i + 1, i // ITEMS * 3 + 3, i // ITEMS + 1, f"item-{i}",
                 "course_outcome" if i % ITEMS < 6 else "performance", 113,
                 1 if i % ITEMS < 6 else None, f"項目 {i % ITEMS}",
                 "學習成果簡述，說明做了什麼、學到什麼。", "", "", "", "")
                for i in range(STUDENTS * ITEMS)
            ),
        )  # fmt: skip
        _copy(
            cur,
            "central_centralfile",
            ["id", "item_id", "blob_id", "name", "content_type"],
            ((i + 1, i + 1, f"{i:064x}", f"{i % ITEMS}.pdf", "application/pdf")
             for i in range(STUDENTS * ITEMS)),
        )  # fmt: skip
        for table in (
            "schools_school",
            "central_submission",
            "central_centralstudent",
            "central_centralrecord",
            "central_centralitem",
            "central_centralfile",
        ):
            cur.execute(
                f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), (SELECT max(id) FROM {table}))"
            )  # fmt: skip
        cur.execute("ANALYZE")
    raw.commit()


def _percentiles(samples: list[float]) -> str:
    samples.sort()
    p50 = statistics.median(samples)
    p95 = samples[int(len(samples) * 0.95) - 1]
    return f"p50 {p50:.1f} ms · p95 {p95:.1f} ms"


def _measure() -> dict[str, str]:
    from django.test import Client
    from django.utils import timezone

    from licheng.accounts.enums import Role
    from licheng.accounts.models import RoleAssignment, User

    admin = User.objects.create_user(
        username="bench-central",
        full_name="國教署",
        email="bench@example.tw",
        email_verified_at=timezone.now(),
    )
    RoleAssignment.objects.create(user=admin, role=Role.CENTRAL_ADMIN)
    client = Client()
    client.force_login(admin, backend="licheng.accounts.backends.AccountBackend")
    rng = random.Random(600000)
    schools = STUDENTS // PER_SCHOOL
    urls = {
        "a student's whole record (/central/students/<id>/)": lambda: (
            f"/central/students/{rng.randrange(1, STUDENTS + 1)}/"
        ),
        "a school's overview (/central/schools/<code>/)": lambda: (
            f"/central/schools/{300000 + rng.randrange(schools)}/"
        ),
        "national status page, 400 schools (/central/?year=113&semester=0)": lambda: (
            "/central/?year=113&semester=0"
        ),
    }
    figures = {}
    for label, make_url in urls.items():
        client.get(make_url())  # warm the connection and templates
        samples = []
        for _ in range(REQUESTS):
            url = make_url()
            started = time.perf_counter()
            response = client.get(url)
            samples.append((time.perf_counter() - started) * 1000)
            assert response.status_code == 200, (url, response.status_code)
        figures[label] = _percentiles(samples)
    return figures
