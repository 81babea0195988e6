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

# Object storage (HAVEN_STORAGE_URL=s3://..., as CI's scaled profile sets it with scripts/s3-up): the
# suite at large keeps per-test local folders (many tests read MEDIA_ROOT directly); the tests that
# take haven/media/tests/storage.py's `media_storage` fixture write to the bucket instead, each under
# a prefix of its own inside this process's prefix, which is emptied again when the process exits.
S3_TEST_URL = ""
if os.environ.get("HAVEN_STORAGE_URL", "").startswith("s3://"):
    os.environ.setdefault("HAVEN_TEST_S3_URL", os.environ.pop("HAVEN_STORAGE_URL"))
if os.environ.get("HAVEN_TEST_S3_URL", "").startswith("s3://"):  # pytest-xdist workers come here
    import atexit
    import logging
    import uuid
    from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

    _parts = urlsplit(os.environ["HAVEN_TEST_S3_URL"])
    _query = dict(parse_qsl(_parts.query))
    _run = f"test-{uuid.uuid4().hex[:12]}-{os.environ.get('PYTEST_XDIST_WORKER', 'main')}"
    _query["prefix"] = "/".join(p for p in (_query.get("prefix", "").strip("/"), _run) if p)
    S3_TEST_URL = urlunsplit(_parts._replace(query=urlencode(_query, safe=":/")))

    def _remove_test_prefix() -> None:
        logging.getLogger("botocore").setLevel(logging.WARNING)  # logging's streams are closed by now
        from haven.media.tests.storage import s3_delete_prefix

        s3_delete_prefix(S3_TEST_URL)

    atexit.register(_remove_test_prefix)

from config.settings import *  # noqa: E402, F403

# Factory-made members have accepted no policy; privacy's tests switch the re-ask middleware on.
PRIVACY_POLICY_GATE = False

# A file (not in-memory) SQLite test database, so concurrent writers in tests behave as in production.
if DATABASES["default"]["ENGINE"].endswith("sqlite3"):  # noqa: F405
    DATABASES["default"]["TEST"] = {"NAME": str(DATA_DIR / "test.sqlite3")}  # noqa: F405

os.makedirs(STATIC_ROOT, exist_ok=True)  # noqa: F405 (WhiteNoise expects it to exist)
