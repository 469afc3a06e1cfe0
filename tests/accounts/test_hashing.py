"""R31: passwords are hashed with argon2id at parameters sized for deadline day."""

from __future__ import annotations

import pytest
from django.contrib.auth.hashers import Argon2PasswordHasher, identify_hasher, make_password
from django.test import Client, override_settings
from django.urls import reverse

from licheng.accounts.hashers import PortfolioArgon2Hasher

PRODUCTION_HASHERS = ["licheng.accounts.hashers.PortfolioArgon2Hasher"]


@override_settings(PASSWORD_HASHERS=PRODUCTION_HASHERS)
def test_r31_new_passwords_are_argon2id_at_owasp_parameters():
    encoded = make_password("Mingde-2026-ok")
    assert encoded.startswith("argon2$argon2id$")
    params = identify_hasher(encoded).decode(encoded)
    assert (params["memory_cost"], params["time_cost"], params["parallelism"]) == (19456, 2, 1)


@pytest.mark.django_db
@override_settings(
    PASSWORD_HASHERS=[*PRODUCTION_HASHERS, "django.contrib.auth.hashers.Argon2PasswordHasher"]
)
def test_r31_a_hash_with_djangos_default_parameters_still_logs_in_and_is_upgraded(teacher):
    """Hashes made before (100 MiB, 8 lanes) verify, and are re-hashed at the next login."""
    teacher.password = Argon2PasswordHasher().encode("Old-Passw0rd", Argon2PasswordHasher().salt())
    teacher.save(update_fields=["password"])
    school = teacher.role_assignments[0].school
    response = Client().post(
        reverse("web:login"),
        {
            "school": school.code,
            "username": teacher.username.split(":")[-1],
            "password": "Old-Passw0rd",
        },
    )
    assert response.status_code == 302
    teacher.refresh_from_db()
    assert PortfolioArgon2Hasher().decode(teacher.password)["memory_cost"] == 19456
