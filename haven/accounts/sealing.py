"""Reversible encryption of small secrets Haven must read back (TOTP secrets, session keys).

Fernet (AES-128-CBC + HMAC-SHA256, from `cryptography`) with a key derived from SECRET_KEY, so a
copy of the database alone reveals nothing. SECRET_KEY_FALLBACKS still open what older keys sealed.
"""

from __future__ import annotations

import base64
import hashlib

from cryptography.fernet import Fernet, InvalidToken, MultiFernet
from django.conf import settings

_PURPOSE = b"haven.accounts.sealing.v1:"


def _fernet(secret: str) -> Fernet:
    digest = hashlib.sha256(_PURPOSE + secret.encode()).digest()
    return Fernet(base64.urlsafe_b64encode(digest))


def _box() -> MultiFernet:
    keys = [settings.SECRET_KEY, *getattr(settings, "SECRET_KEY_FALLBACKS", [])]
    return MultiFernet([_fernet(k) for k in keys])


def seal(text: str) -> str:
    """The encrypted form of `text` (ASCII, about 1.4 x len + 100 characters)."""
    return _box().encrypt(text.encode()).decode("ascii")


def unseal(token: str) -> str | None:
    """The text `seal` was given, or None when it cannot be opened (tampered, or the key is gone)."""
    try:
        return _box().decrypt(token.encode("ascii")).decode()
    except (InvalidToken, UnicodeError, ValueError):
        return None
