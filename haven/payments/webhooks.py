"""Provider webhooks: verify the raw body with its provider, then apply the event exactly once.

`receive` is the one way an event enters Haven: the HTTP endpoint (views.webhook) and the sandbox's
delivery task both call it, so what a test drives through the sandbox is what production runs.
"""

from __future__ import annotations

import logging
from collections.abc import Mapping

from django.utils.translation import gettext as _

from haven.core.errors import NotFound, TooLarge
from haven.payments import services
from haven.payments.providers import get_provider

logger = logging.getLogger(__name__)

#: The largest webhook body read (Stripe's events are a few KB).
MAX_BODY_BYTES = 64 * 1024


def receive(provider_name: str, body: bytes, headers: Mapping[str, str]) -> str:
    """Verify and apply one webhook delivery; return the outcome of services.payment_apply_event.

    "ignored" for an event type Haven does not act on. Raises NotFound for an unknown provider,
    TooLarge past MAX_BODY_BYTES and InvalidInput ("invalid_signature", "invalid_event") for a body
    that does not verify.
    """
    try:
        provider = get_provider(provider_name)
    except KeyError:
        raise NotFound(_("Unknown payment provider."), code="unknown_provider") from None
    if len(body) > MAX_BODY_BYTES:
        raise TooLarge(_("The webhook body is too large."), code="webhook_too_large")
    lowered = {str(k).lower(): str(v) for k, v in headers.items()}
    event = provider.parse_webhook(body, lowered)
    if event is None:
        return "ignored"
    outcome = services.payment_apply_event(provider=provider_name, event=event)
    logger.info("webhook %s %s %s: %s", provider_name, event.event_id, event.type, outcome)
    return outcome
