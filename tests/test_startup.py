"""config.startup: what a server process does before its first request."""

import gc
import sys

from config.startup import freeze_startup_objects


def test_freezing_imports_every_view_and_leaves_startup_objects_to_the_collector_no_more():
    before = gc.get_freeze_count()
    try:
        freeze_startup_objects()
        assert "config.urls" in sys.modules  # the URLconf, so every API and view module, is imported
        assert gc.get_freeze_count() > max(before, 10_000)
        made_later = [[i] for i in range(1000)]  # objects made after startup are still tracked
        assert gc.is_tracked(made_later[0])
    finally:
        gc.unfreeze()
