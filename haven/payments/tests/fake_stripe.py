"""An in-process stand-in for Stripe's API (127.0.0.1, random port) answering the documented shapes
of the calls Haven makes, recording each request, and a signer of Stripe-style webhook events."""

from __future__ import annotations

import hashlib
import hmac
import json
import threading
import time
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qs


@dataclass
class Recorded:
    method: str
    path: str
    headers: dict[str, str]
    params: dict[str, list[str]]


@dataclass
class FakeStripe:
    requests: list[Recorded] = field(default_factory=list)
    refund_status: str = "succeeded"
    fail_next: int = 0  # answer this many requests with a 500 first

    def start(self) -> str:
        fake = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args: Any) -> None:
                return

            def do_POST(self) -> None:
                length = int(self.headers.get("Content-Length") or 0)
                params = parse_qs(self.rfile.read(length).decode())
                fake.requests.append(
                    Recorded("POST", self.path, {k.lower(): v for k, v in self.headers.items()}, params)
                )
                if fake.fail_next:
                    fake.fail_next -= 1
                    return self._send(500, {"error": {"type": "api_error", "message": "boom"}})
                status, body = fake.answer(self.path, params)
                self._send(status, body)

            def _send(self, status: int, body: dict[str, Any]) -> None:
                raw = json.dumps(body).encode()
                self.send_response(status)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(raw)))
                self.send_header("Request-Id", "req_fake")
                self.end_headers()
                self.wfile.write(raw)

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        threading.Thread(target=self.server.serve_forever, daemon=True).start()
        return f"http://127.0.0.1:{self.server.server_address[1]}"

    def stop(self) -> None:
        self.server.shutdown()
        self.server.server_close()

    def answer(self, path: str, params: dict[str, list[str]]) -> tuple[int, dict[str, Any]]:
        one = {k: v[0] for k, v in params.items()}
        if path == "/v1/payment_intents":
            pid = f"pi_fake{len(self.requests)}"
            return 200, {
                "id": pid,
                "object": "payment_intent",
                "amount": int(one["amount"]),
                "currency": one["currency"],
                "client_secret": f"{pid}_secret_abc",
                "status": "requires_payment_method",
                "metadata": {"haven_payment_id": one.get("metadata[haven_payment_id]")},
                "livemode": False,
            }
        if path.startswith("/v1/payment_intents/") and path.endswith("/cancel"):
            pid = path.split("/")[3]
            return 200, {"id": pid, "object": "payment_intent", "status": "canceled"}
        if path == "/v1/refunds":
            return 200, {
                "id": f"re_fake{len(self.requests)}",
                "object": "refund",
                "amount": int(one["amount"]),
                "payment_intent": one["payment_intent"],
                "status": self.refund_status,
            }
        return 404, {"error": {"type": "invalid_request_error", "message": f"no route {path}"}}


def signed(event: dict[str, Any], secret: str, *, timestamp: int | None = None) -> tuple[bytes, str]:
    """The body and Stripe-Signature header Stripe would send for `event`."""
    body = json.dumps(event).encode()
    t = int(time.time()) if timestamp is None else timestamp
    mac = hmac.new(secret.encode(), f"{t}.".encode() + body, hashlib.sha256).hexdigest()
    return body, f"t={t},v1={mac}"


def intent_event(
    event_id: str,
    type_: str,
    intent_id: str,
    *,
    created: int | None = None,
    card: tuple[str, str] | None = None,
) -> dict[str, Any]:
    obj: dict[str, Any] = {"id": intent_id, "object": "payment_intent", "latest_charge": "ch_1"}
    if card:
        obj["latest_charge"] = {
            "id": "ch_1",
            "object": "charge",
            "payment_method_details": {"type": "card", "card": {"brand": card[0], "last4": card[1]}},
        }
    if type_ == "payment_intent.payment_failed":
        obj["last_payment_error"] = {"code": "card_declined", "decline_code": "insufficient_funds"}
    return {
        "id": event_id,
        "object": "event",
        "api_version": "2025-01-27.acacia",
        "created": int(time.time()) if created is None else created,
        "type": type_,
        "livemode": False,
        "data": {"object": obj},
    }
