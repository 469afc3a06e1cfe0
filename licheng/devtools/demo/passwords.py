"""Fast demo password hashes that the platform upgrades at first login.

Argon2 at Django's cost takes ~0.1 s a hash; hashing 720 students' first passwords would make
``make demo`` crawl. These hashes use the same algorithm at a lower cost: Django verifies them and,
because their parameters differ from the configured ones, re-hashes at full cost on first login.
"""

from django.contrib.auth.hashers import Argon2PasswordHasher


class _CheapArgon2(Argon2PasswordHasher):
    time_cost = 1
    memory_cost = 1024
    parallelism = 1


_hasher = _CheapArgon2()


def demo_hash(password: str) -> str:
    return _hasher.encode(password, _hasher.salt())
