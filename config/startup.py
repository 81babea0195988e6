"""What a server process does once Django is set up, before its first request (config.wsgi, config.asgi)."""

import gc
from importlib import import_module

from django.conf import settings


def freeze_startup_objects() -> None:
    """Import the URLconf (every view and API module), then move every object alive now out of the
    cyclic garbage collector's reach (`gc.freeze`).

    Those ~130,000 objects (modules, functions, classes, settings) live as long as the process, but a
    full collection walks all of them: 80 ms on an idle core, 100-250 ms under load, during which every
    thread of the process waits (bench/load: the tail of Discover at size M; docs/adr/0012). Objects
    made later (a loaded model, caches) are still collected as usual.
    """
    import_module(settings.ROOT_URLCONF)
    gc.collect()
    gc.freeze()
