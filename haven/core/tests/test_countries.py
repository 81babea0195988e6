"""Country names and choices in the viewer's language."""

from __future__ import annotations

from django.utils import translation

from haven.core.countries import COUNTRIES, address_separator, country_choices, country_name


def test_names_in_english_and_chinese() -> None:
    assert country_name("CN", "en") == "China"
    assert country_name("cn", "zh-hans") == "中国"
    assert country_name("AD", "en") == "Andorra"
    assert country_name("XK", "en") == "Kosovo"


def test_everywhere_else_is_translated() -> None:
    assert country_name("*", "en") == "Everywhere else"
    assert country_name("*", "zh-hans") != "Everywhere else"


def test_unknown_code_comes_back_as_it_is() -> None:
    assert country_name("ZZ", "en") == "ZZ"


def test_default_language_is_the_active_one() -> None:
    with translation.override("zh-hans"):
        assert country_name("US") == "美国"
    with translation.override("en"):
        assert country_name("US") == "United States"


def test_choices_cover_every_code_sorted_by_name() -> None:
    en = country_choices("en")
    assert {code for code, _ in en} == COUNTRIES
    assert en[0] == ("AF", "Afghanistan")
    assert [c for c, _ in en].index("AX") < [c for c, _ in en].index("AL")  # Åland sorts with A
    zh = country_choices("zh-hans")
    assert {code for code, _ in zh} == COUNTRIES
    assert zh[0][1].startswith("阿")  # pinyin order: a...
    assert all(name != code for code, name in zh)


def test_address_separator() -> None:
    assert address_separator("en") == ", "
    assert address_separator("zh-hans") == "，"
