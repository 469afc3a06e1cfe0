"""Security checks that are part of the suite: check --deploy, response headers."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.test import Client
from django.urls import reverse

ROOT = Path(__file__).resolve().parents[2]


def production_env(tmp_path) -> dict[str, str]:
    # Not the test process's own switches (the browser tests set DJANGO_ALLOW_ASYNC_UNSAFE).
    env = {
        k: v
        for k, v in os.environ.items()
        if not k.startswith("LICHENG_") and k != "DJANGO_ALLOW_ASYNC_UNSAFE"
    }
    env.update(
        LICHENG_SECURE="1",
        LICHENG_SECRET_KEY="x7Qp-2vLm9_Rt4sWz8Kd1Nf6Hj3Bc5Xg0Ya7Ue2Io9Pl4Mn6Qr8St1Uv3Wx5Yz7Ab9",
        LICHENG_ALLOWED_HOSTS="licheng.example.tw",
        LICHENG_MANIFEST_STATIC="1",
        LICHENG_STATIC_FINDERS="0",
        LICHENG_VAR_DIR=str(tmp_path),
    )
    return env


def check_deploy(env: dict[str, str]) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )


@pytest.mark.slow
def test_check_deploy_is_clean_with_production_settings(tmp_path):
    done = check_deploy(production_env(tmp_path))
    assert done.returncode == 0, done.stdout + done.stderr
    assert "System check identified no issues" in done.stdout


@pytest.mark.slow
def test_check_deploy_refuses_the_embedded_default_key(tmp_path):
    env = production_env(tmp_path)
    del env["LICHENG_SECRET_KEY"]
    done = check_deploy(env)
    assert done.returncode != 0
    assert "security.W009" in done.stdout + done.stderr


PAGES = ["web:login", "web:password_reset", "web:healthz", "web:readyz", "api:current_term"]


@pytest.mark.parametrize("name", PAGES)
def test_every_page_sends_the_security_headers(db, name):
    response = Client().get(reverse(name))
    csp = response["Content-Security-Policy"]
    assert "unsafe-inline" not in csp and "unsafe-eval" not in csp
    assert "frame-ancestors 'none'" in csp
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Referrer-Policy"] == "same-origin"
    assert response["X-Frame-Options"] == "DENY"


def test_logged_in_pages_send_the_security_headers(login, central_admin):
    response = login(central_admin).get(reverse("web:ops_backups"))
    assert "unsafe-inline" not in response["Content-Security-Policy"]
    assert response["X-Frame-Options"] == "DENY"


def test_hsts_in_production(db, settings):
    settings.SECURE_HSTS_SECONDS = 31536000
    settings.SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    response = Client().get(reverse("web:login"), secure=True)
    assert response["Strict-Transport-Security"].startswith("max-age=31536000")
