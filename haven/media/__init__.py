"""Media: upload -> processing -> ready | failed pipeline, renditions, storage."""
