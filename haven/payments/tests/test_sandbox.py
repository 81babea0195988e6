"""The sandbox's hosted page end to end through Django's test client: every test card number, the
3-D Secure-like confirmation, retries after a failure, the processing poll and who may open it."""

from __future__ import annotations

import pytest
from django.test import Client

from haven.notes.tests.factories import UserFactory
from haven.payments import services, states
from haven.payments.models import Payment, PaymentTransition, WebhookEvent
from haven.payments.providers import sandbox
from haven.payments.tests.support import card, make_payment, open_page
from haven.payments.views import MAX_POLLS

pytestmark = pytest.mark.django_db


@pytest.fixture
def payer():
    return UserFactory()


@pytest.fixture
def payer_client(client, payer):
    client.force_login(payer)
    return client


def pay(client: Client, page: str, number: str, capture, **overrides: str):
    with capture(execute=True):
        response = client.post(page, card(number, **overrides))
    return response


def path(payment: Payment) -> list[tuple[str, str]]:
    return list(PaymentTransition.objects.filter(payment=payment).values_list("src", "dst"))


def test_page_shows_amount_form_and_test_mode(payer_client, payer) -> None:
    payment = make_payment(payer, amount=12800, currency="CNY")
    page = open_page(payer_client, payment)
    html = payer_client.get(page).content.decode()
    assert "¥128.00" in html and "CNY" in html
    assert "Test mode" in html and "4000 0025 0000 3155" in html
    for name in ("number", "expiry", "cvc", "name"):
        assert f'name="{name}"' in html
    assert 'autocomplete="cc-number"' in html and 'name="viewport"' in html
    assert "payments/pay.js" in html


def test_4242_succeeds_and_returns(payer_client, payer, django_capture_on_commit_callbacks) -> None:
    services.register_return_url("returning:", lambda p: f"/orders/for-{p.pk}/")
    payment = make_payment(payer, prefix="returning:")
    page = open_page(payer_client, payment)
    response = pay(payer_client, page, "4242 4242 4242 4242", django_capture_on_commit_callbacks)
    assert response.status_code == 302 and "?attempt=" in response["Location"]
    payment.refresh_from_db()
    assert payment.status == states.SUCCEEDED
    assert (payment.card_brand, payment.card_last4) == ("visa", "4242")
    assert path(payment) == [("requires_payment", "processing"), ("processing", "succeeded")]
    status = payer_client.get(page + "status/?" + response["Location"].split("?", 1)[1])
    assert status.status_code == 204 and status["HX-Redirect"] == f"/orders/for-{payment.pk}/"
    assert payer_client.get(response["Location"])["Location"] == f"/orders/for-{payment.pk}/"
    done = payer_client.get(page).content.decode()
    assert "This payment is complete." in done and 'name="number"' not in done


@pytest.mark.parametrize(
    ("number", "code"),
    [("4000 0000 0000 0002", "card_declined"), ("4000000000009995", "insufficient_funds")],
)
def test_declines_then_retry_with_another_card(
    payer_client, payer, django_capture_on_commit_callbacks, number, code
) -> None:
    payment = make_payment(payer)
    page = open_page(payer_client, payment)
    response = pay(payer_client, page, number, django_capture_on_commit_callbacks)
    payment.refresh_from_db()
    assert (payment.status, payment.failure_code, payment.card_last4) == ("failed", code, number[-4:])
    status = payer_client.get(page + "status/?" + response["Location"].split("?", 1)[1])
    assert status["HX-Redirect"] == page  # back to the form, which says why
    html = payer_client.get(page).content.decode()
    assert 'role="alert" data-state="failed"' in html and 'name="number"' in html
    pay(payer_client, page, "5555 5555 5555 4444", django_capture_on_commit_callbacks)
    payment.refresh_from_db()
    assert (payment.status, payment.failure_code) == ("succeeded", "")
    assert (payment.card_brand, payment.card_last4) == ("mastercard", "4444")
    assert path(payment)[-2:] == [("failed", "processing"), ("processing", "succeeded")]


@pytest.mark.parametrize(("decision", "final"), [("approve", "succeeded"), ("fail", "failed")])
def test_3155_requires_confirmation(
    payer_client, payer, django_capture_on_commit_callbacks, decision, final
) -> None:
    payment = make_payment(payer)
    page = open_page(payer_client, payment)
    response = pay(payer_client, page, "4000 0025 0000 3155", django_capture_on_commit_callbacks)
    payment.refresh_from_db()
    assert payment.status == states.REQUIRES_ACTION
    status = payer_client.get(page + "status/?" + response["Location"].split("?", 1)[1])
    assert status["HX-Redirect"] == page + "confirm/"
    assert payer_client.get(page)["Location"] == page + "confirm/"
    html = payer_client.get(page + "confirm/").content.decode()
    assert "Confirm this payment" in html and 'value="approve"' in html and 'value="fail"' in html
    with django_capture_on_commit_callbacks(execute=True):
        answered = payer_client.post(page + "confirm/", {"decision": decision})
    assert answered.status_code == 302
    payment.refresh_from_db()
    assert payment.status == final
    if final == "failed":
        assert payment.failure_code == "payment_intent_authentication_failure"


@pytest.mark.parametrize(
    ("fields", "code"),
    [
        (card("4242 4242 4242 4241"), "invalid_number"),
        (card("1234"), "invalid_number"),
        (card("4242424242424242", expiry="01 / 20"), "expired_card"),
        (card("4242424242424242", expiry="13/40"), "invalid_expiry"),
        (card("4242424242424242", cvc="12"), "invalid_cvc"),
        (card("4242424242424242", name=""), "invalid_name"),
    ],
)
def test_bad_cards_are_refused_on_the_page(
    payer_client, payer, django_capture_on_commit_callbacks, fields, code
) -> None:
    payment = make_payment(payer)
    page = open_page(payer_client, payment)
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        response = payer_client.post(page, fields)
    assert response.status_code == 400 and f'data-code="{code}"' in response.content.decode()
    assert not callbacks
    payment.refresh_from_db()
    assert payment.status == states.REQUIRES_PAYMENT and not payment.card_last4


def test_other_luhn_numbers_succeed(payer_client, payer, django_capture_on_commit_callbacks) -> None:
    payment = make_payment(payer)
    page = open_page(payer_client, payment)
    pay(payer_client, page, "3782 822463 10005", django_capture_on_commit_callbacks)
    payment.refresh_from_db()
    assert (payment.status, payment.card_brand, payment.card_last4) == ("succeeded", "amex", "0005")


def test_processing_page_polls_until_settled_and_is_bounded(
    payer_client, payer, django_capture_on_commit_callbacks
) -> None:
    payment = make_payment(payer)
    page = open_page(payer_client, payment)
    with django_capture_on_commit_callbacks(execute=False) as callbacks:  # the worker has not run yet
        response = payer_client.post(page, card("4242424242424242"))
    assert len(callbacks) == 1
    waiting = payer_client.get(response["Location"]).content.decode()
    assert (
        'data-state="processing"' in waiting
        and "hx-get=" in waiting
        and 'hx-trigger="load delay:1500ms"' in waiting
    )
    query = response["Location"].split("?", 1)[1]
    poll = payer_client.get(f"{page}status/?{query}&n=3")
    assert poll.status_code == 200 and "n=4" in poll.content.decode()
    last = payer_client.get(f"{page}status/?{query}&n={MAX_POLLS}").content.decode()
    assert "hx-get=" not in last and "longer than usual" in last
    with django_capture_on_commit_callbacks(execute=True):
        callbacks[0]()
    payment.refresh_from_db()
    assert payment.status == states.SUCCEEDED
    assert payer_client.get(f"{page}status/?{query}&n=5")["HX-Redirect"] == "/"


def test_only_brand_and_last4_travel(payer_client, payer, django_capture_on_commit_callbacks) -> None:
    payment = make_payment(payer)
    page = open_page(payer_client, payment)
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        payer_client.post(page, card("4242 4242 4242 4242"))
    kwargs = callbacks[0].keywords  # functools.partial(task.enqueue, **kwargs)
    assert "424242424242" not in repr(kwargs) and kwargs["last4"] == "4242"
    assert "cvc" not in kwargs and "expiry" not in kwargs


def test_someone_elses_payment_is_404(client, payer) -> None:
    payment = services.payment_start(payment=make_payment(payer))
    client.force_login(UserFactory())
    page = f"/pay/{payment.client_secret}/"
    assert client.get(f"/pay/start/{payment.pk}/").status_code == 404
    assert client.get(page).status_code == 404
    assert client.post(page, card("4242424242424242")).status_code == 404
    assert client.get(page + "status/").status_code == 404
    assert client.get(page + "confirm/").status_code == 404
    assert client.get("/pay/pi_sbx_nothing_secret_x/").status_code == 404
    anonymous = Client()
    assert anonymous.get(page).status_code == 302  # to the login page


def test_return_url_stays_on_site(payer) -> None:
    from haven.payments import selectors

    services.register_return_url("offsite:", lambda p: "//evil.example/")
    assert selectors.return_url(make_payment(payer, prefix="offsite:")) == "/"
    assert selectors.return_url(make_payment(payer, prefix="nobody-registered:")) == "/"


def test_settled_payments_show_their_state(payer_client, payer, django_capture_on_commit_callbacks) -> None:
    payment = make_payment(payer)
    page = open_page(payer_client, payment)
    assert services.payment_cancel(payment=payment, reason="order expired")
    html = payer_client.get(page).content.decode()
    assert "This payment was cancelled." in html and 'name="number"' not in html
    response = pay(payer_client, page, "4242424242424242", django_capture_on_commit_callbacks)
    assert response.status_code == 409 and 'data-code="payment_closed"' in response.content.decode()
    payment.refresh_from_db()
    assert payment.status == states.CANCELLED
    assert payer_client.get(f"/pay/start/{payment.pk}/")["Location"] == page


def test_delivery_task_is_idempotent(payer, django_capture_on_commit_callbacks) -> None:
    from haven.payments import sandbox_flow

    payment = services.payment_start(payment=make_payment(payer))
    for _ in range(2):
        sandbox_flow.deliver(
            payment_id=payment.pk, attempt="ab" * 8, step=sandbox.SUCCEED, brand="visa", last4="4242"
        )
    payment.refresh_from_db()
    assert payment.status == states.SUCCEEDED and payment.transitions.count() == 2
    assert WebhookEvent.objects.filter(payment=payment).count() == 2


def test_the_page_says_what_is_paid_through_the_summary_registry(payer_client, payer, monkeypatch) -> None:
    from haven.payments import selectors

    monkeypatch.setattr(services, "_summaries", {})
    plain = make_payment(payer, prefix="summary-none:")
    assert "data-pay-summary" not in payer_client.get(open_page(payer_client, plain)).content.decode()
    services.register_payment_summary(
        "summary:", lambda p: {"title": "Tea <b>House</b>", "lines": ["2 items", "Oolong × 2", *["x"] * 20]}
    )
    payment = make_payment(payer, prefix="summary:")
    html = payer_client.get(open_page(payer_client, payment)).content.decode()
    assert "Tea &lt;b&gt;House&lt;/b&gt;" in html and "<li>Oolong × 2</li>" in html  # escaped, listed
    found = selectors.payment_summary(payment)
    assert found is not None and len(found["lines"]) == selectors.SUMMARY_LINES_MAX  # bounded
    services.register_payment_summary("summary:", lambda p: None)
    assert selectors.payment_summary(payment) is None
