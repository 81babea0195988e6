"""Countries: ISO 3166-1 alpha-2 codes and their names in the viewer's language (CLDR data through Babel)."""

from __future__ import annotations

import unicodedata
from functools import lru_cache

from babel import Locale, UnknownLocaleError
from django.utils import translation
from django.utils.translation import gettext as _

#: "Everywhere else": a shop's rate for every country without a rate of its own.
EVERYWHERE_ELSE = "*"

#: Officially assigned ISO 3166-1 alpha-2 codes (249), plus XK (Kosovo, user-assigned but in common use).
COUNTRIES = frozenset(
    """
    AD AE AF AG AI AL AM AO AQ AR AS AT AU AW AX AZ BA BB BD BE BF BG BH BI BJ BL BM BN BO BQ BR BS
    BT BV BW BY BZ CA CC CD CF CG CH CI CK CL CM CN CO CR CU CV CW CX CY CZ DE DJ DK DM DO DZ EC EE
    EG EH ER ES ET FI FJ FK FM FO FR GA GB GD GE GF GG GH GI GL GM GN GP GQ GR GS GT GU GW GY HK HM
    HN HR HT HU ID IE IL IM IN IO IQ IR IS IT JE JM JO JP KE KG KH KI KM KN KP KR KW KY KZ LA LB LC
    LI LK LR LS LT LU LV LY MA MC MD ME MF MG MH MK ML MM MN MO MP MQ MR MS MT MU MV MW MX MY MZ NA
    NC NE NF NG NI NL NO NP NR NU NZ OM PA PE PF PG PH PK PL PM PN PR PS PT PW PY QA RE RO RS RU RW
    SA SB SC SD SE SG SH SI SJ SK SL SM SN SO SR SS ST SV SX SY SZ TC TD TF TG TH TJ TK TL TM TN TO
    TR TT TV TW TZ UA UG UM US UY UZ VA VC VE VG VI VN VU WF WS XK YE YT ZA ZM ZW
    """.split()  # noqa: SIM905  (a compact table reads better than 250 quoted strings)
)


def _language(language: str | None) -> str:
    return (language or translation.get_language() or "en").lower()


@lru_cache(maxsize=16)
def _names(language: str) -> dict[str, str]:
    """Code -> name in `language` (a Django language code: "en", "zh-hans"); English when Babel has none."""
    try:
        locale = Locale.parse(translation.to_locale(language))
    except (UnknownLocaleError, ValueError):
        locale = Locale.parse("en")
    english = Locale.parse("en").territories
    return {code: locale.territories.get(code) or english.get(code) or code for code in COUNTRIES}


def _is_chinese(language: str) -> bool:
    return language.startswith("zh")


def country_name(code: str, language: str | None = None) -> str:
    """The name of `code` in `language` (default: the active one); "*" is "Everywhere else"; an unknown
    code comes back as it is."""
    code = (code or "").strip().upper()
    if code == EVERYWHERE_ELSE:
        with translation.override(_language(language)):
            return _("Everywhere else")
    return _names(_language(language)).get(code, code)


def _sort_key(name: str, chinese: bool) -> str:
    if chinese:
        from pypinyin import lazy_pinyin  # library, not an app: names in pinyin order, as Chinese lists are

        return " ".join(lazy_pinyin(name)).casefold()
    decomposed = unicodedata.normalize("NFKD", name)  # Åland sorts with A, Côte d'Ivoire with C
    return "".join(c for c in decomposed if not unicodedata.combining(c)).casefold()


@lru_cache(maxsize=16)
def _choices(language: str) -> tuple[tuple[str, str], ...]:
    names = _names(language)
    chinese = _is_chinese(language)
    return tuple(sorted(names.items(), key=lambda item: (_sort_key(item[1], chinese), item[0])))


def country_choices(language: str | None = None) -> list[tuple[str, str]]:
    """Every country as (code, name) in `language` (default: the active one), sorted by name (pinyin order
    for Chinese). "Everywhere else" is not among them: callers that offer it put it first themselves."""
    return list(_choices(_language(language)))


def address_separator(language: str | None = None) -> str:
    """What joins the parts of an address on one line: the Chinese comma in a Chinese interface."""
    return "，" if _is_chinese(_language(language)) else ", "
