"""Password hashing: Argon2id with parameters sized for the machine (HAVEN_ARGON2_* settings).

Django's Argon2PasswordHasher uses 100 MiB and 8 lanes: about 0.25-0.6 s of CPU and 100 MiB per
sign-up or password login on a small server, so hashing alone caps sign-ups near one per second per
core. This hasher keeps Django's algorithm name ("argon2", so every stored hash still verifies) and
takes its cost from settings; the defaults follow the OWASP password-storage guidance (19 MiB,
2 passes, 1 lane). A stored hash made with other parameters (Django's defaults included) is re-hashed
with these at the member's next successful login, by Django's must_update() check.
"""

from __future__ import annotations

from django.conf import settings
from django.contrib.auth.hashers import Argon2PasswordHasher

# The OWASP recommendation, also the defaults of HAVEN_ARGON2_* in config/env.py.
DEFAULT_MEMORY_KIB = 19 * 1024
DEFAULT_TIME_COST = 2
DEFAULT_PARALLELISM = 1


class HavenArgon2PasswordHasher(Argon2PasswordHasher):
    """Argon2id with memory, passes and lanes from settings (ARGON2_MEMORY_KIB, _TIME_COST, _PARALLELISM)."""

    @property
    def memory_cost(self) -> int:  # type: ignore[override]
        return int(getattr(settings, "ARGON2_MEMORY_KIB", DEFAULT_MEMORY_KIB))

    @property
    def time_cost(self) -> int:  # type: ignore[override]
        return int(getattr(settings, "ARGON2_TIME_COST", DEFAULT_TIME_COST))

    @property
    def parallelism(self) -> int:  # type: ignore[override]
        return int(getattr(settings, "ARGON2_PARALLELISM", DEFAULT_PARALLELISM))
