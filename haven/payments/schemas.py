"""Bounded ninja schemas of the payments API."""

from __future__ import annotations

from datetime import datetime

from ninja import Field, Schema


class PaymentOut(Schema):
    id: int
    status: str = Field(
        max_length=20,
        description="requires_payment, requires_action, processing, succeeded, failed or cancelled",
    )
    amount: int = Field(ge=1, description="In minor units of `currency`")
    currency: str = Field(min_length=3, max_length=3, description="ISO 4217")
    amount_display: str = Field(max_length=40)
    refunded_amount: int = Field(ge=0)
    brand: str = Field(max_length=20, description="The card's brand once known (visa, mastercard...)")
    last4: str = Field(max_length=4, description="The card's last four digits once known")
    failure_code: str = Field(max_length=40, description="Why the last attempt failed (card_declined...)")
    pay_url: str = Field(max_length=300, description="Opens the hosted payment page (signed in as the payer)")
    created_at: datetime
    updated_at: datetime
