"""HTML views of payments: the hosted payment page (sandbox card form or Stripe Elements mount),
its processing poll, the sandbox's confirmation step, and the providers' webhook endpoint.

The page belongs to the payer only (access.payment_by_secret_or_404: anyone else gets 404). Card
forms post back and redirect; nothing here moves a payment: the sandbox's events arrive through
webhooks.receive, as Stripe's do.
"""

from __future__ import annotations

from typing import Any
from urllib.parse import urlencode

from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from haven.core.errors import HavenError, NotFound, TooLarge
from haven.core.money import format_money
from haven.payments import access, sandbox_flow, selectors, services, states, webhooks
from haven.payments.models import Payment
from haven.payments.providers import sandbox

#: How many times the processing box polls (every 1.5 s: about a minute) before it asks for a reload.
MAX_POLLS = 40

FAILURES = {
    "card_declined": gettext_lazy("Your card was declined. Try another card."),
    "insufficient_funds": gettext_lazy("Your card has insufficient funds. Try another card."),
    sandbox_flow.AUTHENTICATION_FAILED: gettext_lazy(
        "The payment was not confirmed with your bank. Try again or use another card."
    ),
}
SETTLED = (states.SUCCEEDED, states.CANCELLED)


def _page(request: HttpRequest, token: str) -> Payment:
    try:
        return access.payment_by_secret_or_404(client_secret=token, payer=request.user)
    except NotFound:
        raise Http404 from None


def _pay_path(payment: Payment, **query: str) -> str:
    url = reverse("payments:pay", args=[payment.client_secret])
    return f"{url}?{urlencode(query)}" if query else url


def _context(payment: Payment, **extra: Any) -> dict[str, Any]:
    return {
        "payment": payment,
        "amount_display": format_money(payment.amount, payment.currency),
        "return_url": selectors.return_url(payment),
        "summary": selectors.payment_summary(payment),
        "failure": FAILURES.get(payment.failure_code, _("The payment failed. Try another card."))
        if payment.status == states.FAILED
        else "",
        "test_cards": TEST_CARD_ROWS,
        "test_mode": payment.provider == sandbox.NAME,
        **extra,
    }


TEST_CARD_ROWS = [
    ("4242 4242 4242 4242", gettext_lazy("Succeeds")),
    ("4000 0000 0000 0002", gettext_lazy("Declined (card_declined)")),
    ("4000 0000 0000 9995", gettext_lazy("Declined (insufficient_funds)")),
    ("4000 0025 0000 3155", gettext_lazy("Asks you to confirm the payment (like 3-D Secure)")),
]


@login_required
@require_GET
def start(request: HttpRequest, payment_id: int) -> HttpResponse:
    """Prepare the payment at its provider once, then open its hosted page."""
    try:
        payment = access.payment_or_404(payment_id=payment_id, payer=request.user)
    except NotFound:
        raise Http404 from None
    if not payment.client_secret:
        try:
            payment = services.payment_start(payment=payment)
        except HavenError:
            return render(request, "payments/pay.html", _context(payment), status=409)
    return redirect(_pay_path(payment))


@never_cache
@login_required
@require_http_methods(["GET", "POST"])
def pay(request: HttpRequest, token: str) -> HttpResponse:
    payment = _page(request, token)
    if payment.provider != sandbox.NAME:
        return render(
            request,
            "payments/stripe.html",
            _context(payment, publishable_key=settings.HAVEN_STRIPE_PUBLISHABLE_KEY),
        )
    if request.method == "POST":
        return _submit_card(request, payment)
    if payment.status == states.REQUIRES_ACTION:
        return redirect(reverse("payments:confirm", args=[token]))
    attempt = request.GET.get("attempt", "")[:16]
    processing = payment.status == states.PROCESSING or (
        attempt and not sandbox_flow.attempt_settled(payment, attempt)
    )
    if attempt and not processing and payment.status == states.SUCCEEDED:
        return redirect(selectors.return_url(payment))  # just paid: on to what was bought
    return render(request, "payments/pay.html", _context(payment, processing=processing, attempt=attempt))


def _submit_card(request: HttpRequest, payment: Payment) -> HttpResponse:
    form = {key: request.POST.get(key, "")[:100] for key in ("number", "expiry", "cvc", "name")}
    try:
        attempt = sandbox_flow.sandbox_card_submit(payment=payment, **form)
    except HavenError as exc:
        context = _context(payment, error=exc.message, error_code=exc.code, form={"name": form["name"]})
        return render(request, "payments/pay.html", context, status=exc.status)
    return redirect(_pay_path(payment, attempt=attempt))


@never_cache
@login_required
@require_GET
def status(request: HttpRequest, token: str) -> HttpResponse:
    """The processing box, polled by htmx; when the payment settles it sends the browser on."""
    payment = _page(request, token)
    attempt = request.GET.get("attempt", "")[:16]
    polls = min(int(n) if (n := request.GET.get("n", "0")[:3]).isdigit() else 0, MAX_POLLS)
    waiting = payment.status == states.PROCESSING or (
        payment.status in sandbox_flow.PAYABLE and not sandbox_flow.attempt_settled(payment, attempt)
    )
    if not waiting:
        if payment.status == states.SUCCEEDED:
            target = selectors.return_url(payment)
        elif payment.status == states.REQUIRES_ACTION:
            target = reverse("payments:confirm", args=[token])
        else:
            target = _pay_path(payment)
        response = HttpResponse(status=204)
        response["HX-Redirect"] = target
        return response
    context = _context(payment, attempt=attempt, polls=polls + 1, keep_polling=polls + 1 < MAX_POLLS)
    return render(request, "payments/_status.html", context)


@never_cache
@login_required
@require_http_methods(["GET", "POST"])
def confirm(request: HttpRequest, token: str) -> HttpResponse:
    """The sandbox's stand-in for a bank's 3-D Secure page: Approve or Fail."""
    payment = _page(request, token)
    if payment.provider != sandbox.NAME:
        raise Http404
    if request.method == "POST":
        try:
            attempt = sandbox_flow.sandbox_action_confirm(
                payment=payment, approve=request.POST.get("decision") == "approve"
            )
        except HavenError:
            return redirect(_pay_path(payment))
        return redirect(_pay_path(payment, attempt=attempt))
    if payment.status != states.REQUIRES_ACTION:
        return redirect(_pay_path(payment))
    return render(request, "payments/confirm.html", _context(payment))


@csrf_exempt
@require_POST
def webhook(request: HttpRequest, provider: str) -> HttpResponse:
    """POST /pay/webhooks/<provider>/: the provider's signed event, read raw and size-bounded."""
    try:
        length = int(request.META.get("CONTENT_LENGTH") or 0)
    except ValueError:
        length = 0
    try:
        if length > webhooks.MAX_BODY_BYTES:
            raise TooLarge(_("The webhook body is too large."), code="webhook_too_large")
        body = request.read(webhooks.MAX_BODY_BYTES + 1)
        outcome = webhooks.receive(provider[:20], body, request.headers)
    except HavenError as exc:
        return JsonResponse(exc.as_dict(), status=exc.status)
    return JsonResponse({"received": True, "outcome": outcome})
