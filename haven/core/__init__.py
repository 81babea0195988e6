"""Haven's shared kernel: errors, pagination, sanitizing, guarded fetch, text and state helpers."""
