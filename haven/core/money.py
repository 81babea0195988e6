"""Money as integers in minor units with an ISO 4217 currency (rule 14): currency codes and formatting."""

from __future__ import annotations

from decimal import Decimal

from django.utils.formats import number_format
from django.utils.translation import gettext as _

from haven.core.errors import InvalidInput

#: Active ISO 4217 currency codes (2024 list, funds and precious metals left out).
CURRENCIES = frozenset(
    [
        "AED",
        "AFN",
        "ALL",
        "AMD",
        "ANG",
        "AOA",
        "ARS",
        "AUD",
        "AWG",
        "AZN",
        "BAM",
        "BBD",
        "BDT",
        "BGN",
        "BHD",
        "BIF",
        "BMD",
        "BND",
        "BOB",
        "BRL",
        "BSD",
        "BTN",
        "BWP",
        "BYN",
        "BZD",
        "CAD",
        "CDF",
        "CHF",
        "CLP",
        "CNY",
        "COP",
        "CRC",
        "CUP",
        "CVE",
        "CZK",
        "DJF",
        "DKK",
        "DOP",
        "DZD",
        "EGP",
        "ERN",
        "ETB",
        "EUR",
        "FJD",
        "FKP",
        "GBP",
        "GEL",
        "GHS",
        "GIP",
        "GMD",
        "GNF",
        "GTQ",
        "GYD",
        "HKD",
        "HNL",
        "HTG",
        "HUF",
        "IDR",
        "ILS",
        "INR",
        "IQD",
        "IRR",
        "ISK",
        "JMD",
        "JOD",
        "JPY",
        "KES",
        "KGS",
        "KHR",
        "KMF",
        "KPW",
        "KRW",
        "KWD",
        "KYD",
        "KZT",
        "LAK",
        "LBP",
        "LKR",
        "LRD",
        "LSL",
        "LYD",
        "MAD",
        "MDL",
        "MGA",
        "MKD",
        "MMK",
        "MNT",
        "MOP",
        "MRU",
        "MUR",
        "MVR",
        "MWK",
        "MXN",
        "MYR",
        "MZN",
        "NAD",
        "NGN",
        "NIO",
        "NOK",
        "NPR",
        "NZD",
        "OMR",
        "PAB",
        "PEN",
        "PGK",
        "PHP",
        "PKR",
        "PLN",
        "PYG",
        "QAR",
        "RON",
        "RSD",
        "RUB",
        "RWF",
        "SAR",
        "SBD",
        "SCR",
        "SDG",
        "SEK",
        "SGD",
        "SHP",
        "SLE",
        "SOS",
        "SRD",
        "SSP",
        "STN",
        "SVC",
        "SYP",
        "SZL",
        "THB",
        "TJS",
        "TMT",
        "TND",
        "TOP",
        "TRY",
        "TTD",
        "TWD",
        "TZS",
        "UAH",
        "UGX",
        "USD",
        "UYU",
        "UZS",
        "VES",
        "VND",
        "VUV",
        "WST",
        "XAF",
        "XCD",
        "XOF",
        "XPF",
        "YER",
        "ZAR",
        "ZMW",
        "ZWL",
    ]
)
#: Currencies whose minor unit is not 1/100 of the major unit.
_EXPONENTS = {
    **dict.fromkeys(
        [
            "BIF",
            "CLP",
            "DJF",
            "GNF",
            "ISK",
            "JPY",
            "KMF",
            "KRW",
            "PYG",
            "RWF",
            "UGX",
            "VND",
            "VUV",
            "XAF",
            "XOF",
            "XPF",
        ],
        0,
    ),
    **dict.fromkeys(["BHD", "IQD", "JOD", "KWD", "LYD", "OMR", "TND"], 3),
}
#: Symbols shown before the amount for the currencies members meet most; others show their code.
_SYMBOLS = {
    "CNY": "¥",
    "JPY": "¥",
    "USD": "$",
    "EUR": "€",
    "GBP": "£",
    "HKD": "HK$",
    "TWD": "NT$",
    "KRW": "₩",
}
#: The largest amount of one price or order total, in minor units (bounded input, rule 10).
AMOUNT_MAX = 100_000_000_00


def check_currency(code: str) -> str:
    """Return `code` upper-cased when it is an active ISO 4217 currency, else raise InvalidInput."""
    value = (code or "").strip().upper()
    if value not in CURRENCIES:
        raise InvalidInput(
            _("Unknown currency: use an ISO 4217 code such as CNY or USD."), code="invalid_currency"
        )
    return value


def exponent(currency: str) -> int:
    """How many digits of the amount are minor units (2 for CNY and USD, 0 for JPY, 3 for KWD)."""
    return _EXPONENTS.get(currency, 2)


def check_amount(value: int, *, allow_zero: bool = True, field: str = "amount") -> int:
    """An amount in minor units within [0, AMOUNT_MAX]; booleans and floats are refused."""
    if isinstance(value, bool) or not isinstance(value, int):
        raise InvalidInput(
            _("Amounts are whole numbers of minor units."), code="invalid_amount", details={"field": field}
        )
    if value < (0 if allow_zero else 1) or value > AMOUNT_MAX:
        raise InvalidInput(_("This amount is out of range."), code="invalid_amount", details={"field": field})
    return value


def to_major_string(amount: int, currency: str) -> str:
    """The plain decimal string of an amount, e.g. 12345 CNY -> "123.45" (CSV statements, forms)."""
    digits = exponent(currency)
    sign = "-" if amount < 0 else ""
    amount = abs(amount)
    if digits == 0:
        return f"{sign}{amount}"
    return f"{sign}{amount // 10**digits}.{amount % 10**digits:0{digits}d}"


def parse_major(text: str, currency: str) -> int:
    """Parse "123.45" (as typed in a form) into minor units of `currency`; raise InvalidInput on bad input."""
    raw = (text or "").strip().replace(",", "")
    digits = exponent(currency)
    whole, _sep, frac = raw.partition(".")
    if not whole.isdigit() or (frac and not frac.isdigit()) or len(frac) > digits or len(whole) > 12:
        raise InvalidInput(_("Enter a price such as 12.50."), code="invalid_amount")
    value = int(whole) * 10**digits + (int(frac.ljust(digits, "0")) if digits else 0)
    return check_amount(value)


def format_money(amount: int, currency: str) -> str:
    """A localised display string, e.g. ¥128.00 or 128.00 CHF."""
    digits = exponent(currency)
    value = number_format(Decimal(abs(amount)).scaleb(-digits), decimal_pos=digits, force_grouping=True)
    sign = "-" if amount < 0 else ""
    symbol = _SYMBOLS.get(currency)
    return f"{sign}{symbol}{value}" if symbol else f"{sign}{value} {currency}"
