"""Settings for the test suite: the real settings, with a temporary data folder and inline tasks."""

import os
import tempfile

os.environ.setdefault("HAVEN_TASKS_BACKEND", "immediate")
# Classifier scoring of every note and comment is off in unrelated tests (their fixtures are not meant
# as abuse or spam); haven/moderation/tests turn it on where it is under test.
os.environ.setdefault("HAVEN_MODERATION_SCORING", "false")
# The process that creates the data folder owns it (pytest-xdist workers inherit it) and removes it.
TEST_DATA_DIR_OWNER_PID = 0
if not os.environ.get("HAVEN_DATA_DIR"):
    os.environ["HAVEN_DATA_DIR"] = tempfile.mkdtemp(prefix="haven-test-")
    TEST_DATA_DIR_OWNER_PID = os.getpid()
os.environ.setdefault("HAVEN_SECRET_KEY", "test-secret-key-" + "x" * 50)
# Parallel workers (pytest-xdist) get their own Redis database so cache.clear() stays local.
if os.environ.get("HAVEN_REDIS_URL") and os.environ.get("PYTEST_XDIST_WORKER"):
    _worker = int(os.environ["PYTEST_XDIST_WORKER"].removeprefix("gw") or 0)
    _base, _, _db = os.environ["HAVEN_REDIS_URL"].rpartition("/")
    if _db.isdigit():
        os.environ["HAVEN_REDIS_URL"] = f"{_base}/{int(_db) + 1 + _worker}"

from config.settings import *  # noqa: E402, F403

# Factory-made members have accepted no policy; privacy's tests switch the re-ask middleware on.
PRIVACY_POLICY_GATE = False

# A file (not in-memory) SQLite test database, so concurrent writers in tests behave as in production.
if DATABASES["default"]["ENGINE"].endswith("sqlite3"):  # noqa: F405
    DATABASES["default"]["TEST"] = {"NAME": str(DATA_DIR / "test.sqlite3")}  # noqa: F405

os.makedirs(STATIC_ROOT, exist_ok=True)  # noqa: F405 (WhiteNoise expects it to exist)
