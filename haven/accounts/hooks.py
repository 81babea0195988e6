"""Extension points for higher layers: callbacks run by accounts services at well-defined moments.

accounts sits below graph, so it cannot call graph directly. A higher app registers a callback
from its `AppConfig.ready()` (graph registers `follow_requests_approve_all` for
`on_account_made_public`), and the accounts service calls the registered callbacks explicitly,
inside its own transaction. Callbacks must be idempotent and raise only haven.core errors.
`set_after_signup_url` lets a higher app choose where the sign-up page lands (onboarding).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from haven.accounts.models import User

AccountCallback = Callable[["User"], object]

_made_public: list[AccountCallback] = []
_signed_up: list[AccountCallback] = []
_logged_in: list[AccountCallback] = []
_after_signup: list[str] = []  # the URL name sign-up lands on; empty: Discover (web:home)


def on_account_made_public(callback: AccountCallback) -> None:
    """Register `callback(user)`, run when a private account becomes public (registered once)."""
    if callback not in _made_public:
        _made_public.append(callback)


def account_made_public(user: User) -> None:
    """Run every callback registered for an account that just stopped being private."""
    for callback in list(_made_public):
        callback(user)


def on_user_signed_up(callback: AccountCallback) -> None:
    """Register `callback(user)`, run inside the sign-up transaction (privacy records policy acceptance)."""
    if callback not in _signed_up:
        _signed_up.append(callback)


def user_signed_up(user: User) -> None:
    """Run every callback registered for a member who just signed up."""
    for callback in list(_signed_up):
        callback(user)


def on_user_logged_in(callback: AccountCallback) -> None:
    """Register `callback(user)`, run after every successful sign-in, by any path (privacy cancels a
    scheduled deletion when its member logs in during the grace period)."""
    if callback not in _logged_in:
        _logged_in.append(callback)


def user_logged_in(user: User) -> None:
    """Run every callback registered for a member who just signed in (browser session or API token)."""
    for callback in list(_logged_in):
        callback(user)


def set_after_signup_url(url_name: str) -> None:
    """Make sign-up land on `url_name` (a URL name without arguments) instead of Discover; the last
    registration wins (onboarding registers "onboarding:start")."""
    _after_signup[:] = [url_name]


def after_signup_url() -> str:
    """The URL name a member lands on right after signing up ("web:home" unless an app registered one)."""
    return _after_signup[0] if _after_signup else "web:home"
