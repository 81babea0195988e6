"""The public transparency report: monthly figures, the page in both languages, CSV and JSON downloads."""

from __future__ import annotations

import csv
import io
import json
import re
from datetime import UTC, datetime, timedelta
from html.parser import HTMLParser

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from lxml import etree

from haven.accounts.tests.factories import UserFactory
from haven.engagement.services import comment_create
from haven.moderation import services, transparency
from haven.moderation.models import Appeal, Case, Report, ReportReason, Sanction, StaffRole
from haven.notes.tests.factories import NoteFactory

pytestmark = [pytest.mark.django_db, pytest.mark.urls("haven.moderation.tests.transparency_test_urls")]


def moderator(languages: list[str]):
    user = UserFactory()
    StaffRole.objects.create(user=user, role="moderator", languages=languages)
    return user


def this_month() -> str:
    return transparency.month_key(timezone.now())


def shift(month: str, by: int) -> str:
    """The month `by` months after `month` (negative: before)."""
    year, number = transparency.parse_month(month) or (0, 0)
    index = year * 12 + number - 1 + by
    return f"{index // 12:04d}-{index % 12 + 1:02d}"


@pytest.fixture
def month_of_work():
    """One month (the current one) of moderation, every target by its own author:

    reports: spam x2 (note a), harassment (note b), harassment (a Chinese comment), scam (note f) = 5;
    cases: 4 from reports, 1 classifier hold still waiting, 1 image flag;
    decisions: a removed (human, 1 h), b dismissed (human, 2 h), zh comment labelled (human, 3 h),
    image case removed by a rule (automated, 4 h), f suspended 3 days (human, 10 h);
    appeals: a overturned, zh comment upheld; suspensions: 1.
    """
    en, zh, reviewer = moderator(["en"]), moderator(["zh"]), moderator(["en", "zh"])
    r1, r2 = UserFactory(), UserFactory()
    notes = {key: NoteFactory(author=UserFactory(), language="en") for key in "abdef"}
    host = NoteFactory(author=UserFactory(), language="en")
    zh_author = UserFactory()
    comment = comment_create(author=zh_author, note_id=host.pk, body="你们这些外国人都是垃圾，滚回去")

    a = services.report_create(reporter=r1, kind="note", target_id=notes["a"].pk, reason="spam").case
    services.report_create(reporter=r2, kind="note", target_id=notes["a"].pk, reason="spam")
    b = services.report_create(reporter=r1, kind="note", target_id=notes["b"].pk, reason="harassment").case
    c = services.report_create(reporter=r2, kind="comment", target_id=comment.pk, reason="harassment").case
    f = services.report_create(reporter=r1, kind="note", target_id=notes["f"].pk, reason="scam").case
    held = services.case_flag(
        kind="note",
        target_id=notes["d"].pk,
        source="classifier",
        reason="spam",
        hold=True,
        scores={"spam": 0.97},
    )
    image = services.case_flag(kind="note", target_id=notes["e"].pk, source="image", reason="sexual")
    assert held is not None and image is not None and held.held

    services.case_decide(moderator=en, case_id=a.pk, action="remove", reason="spam")
    services.case_decide(moderator=en, case_id=b.pk, action="dismiss")
    services.case_decide(moderator=zh, case_id=c.pk, action="label", reason="harassment")
    services.case_decide(moderator=en, case_id=image.pk, action="remove", reason="sexual")
    Case.objects.filter(pk=image.pk).update(decided_by=None, automated=True)  # as a rule would decide

    services.appeal_create(member=notes["a"].author, case_id=a.pk, text="It was not spam.")
    services.appeal_create(member=zh_author, case_id=c.pk, text="这是引用。")
    services.appeal_decide(moderator=reviewer, case_id=a.pk, outcome="overturned")
    services.appeal_decide(moderator=reviewer, case_id=c.pk, outcome="upheld")
    services.case_decide(moderator=en, case_id=f.pk, action="suspend", reason="scam", suspend_days=3)

    # Exact times inside this month (UTC) so the durations are known.
    start, _end = transparency.month_bounds(this_month())
    opened = start + timedelta(hours=1)
    for case, hours in ((a, 1), (b, 2), (c, 3), (image, 4), (f, 10)):
        Case.objects.filter(pk=case.pk).update(opened_at=opened, decided_at=opened + timedelta(hours=hours))
    Case.objects.filter(pk=held.pk).update(opened_at=opened)
    return {"a": a, "b": b, "c": c, "f": f, "held": held, "image": image}


# ----------------------------------------------------------------------------------------------
# Figures


def test_percentile_interpolates_between_ranks():
    assert transparency.percentile([], 50) is None
    assert transparency.percentile([5.0], 90) == 5.0
    assert transparency.percentile([3.0, 1.0], 50) == 2.0
    assert transparency.percentile([1.0, 2.0, 3.0, 4.0, 10.0], 50) == 3.0
    assert transparency.percentile([1.0, 2.0, 3.0, 4.0, 10.0], 90) == pytest.approx(7.6)


def test_month_report_counts_reports_cases_decisions_appeals_and_suspensions(month_of_work):
    report = transparency.month_report(this_month())
    assert report["month"] == this_month() and report["complete"] is False

    reports = report["reports"]
    assert reports["total"] == 5 == Report.objects.count()
    assert reports["by_reason"][:2] == [
        {"code": "spam", "label_en": "Spam", "label_zh": "垃圾信息", "count": 2},
        {"code": "harassment", "label_en": "Harassment or hate", "label_zh": "骚扰或仇恨言论", "count": 2},
    ]
    assert reports["by_reason"][2]["code"] == "scam" and reports["by_reason"][2]["count"] == 1
    assert reports["by_language"] == [{"code": "en", "count": 4}, {"code": "zh", "count": 1}]

    cases = report["cases"]
    assert cases["opened"] == 6
    assert cases["by_source"] == [
        {"key": "report", "count": 4},
        {"key": "classifier", "count": 1},
        {"key": "surge", "count": 0},
        {"key": "image", "count": 1},
    ]
    assert cases["held_awaiting_review"] == 1

    decisions = report["decisions"]
    assert decisions["total"] == 5 and decisions["actions"] == 4
    assert {r["key"]: r["count"] for r in decisions["by_action"]} == {
        "remove": 2,
        "limit": 0,
        "label": 1,
        "suspend": 1,
        "dismiss": 1,
    }
    assert (decisions["automated"], decisions["human"], decisions["automated_share"]) == (1, 4, 0.2)
    assert decisions["held_awaiting_review"] == 1

    assert report["time_to_action_hours"] == {"decided": 5, "median": 3.0, "p90": 7.6}
    assert report["appeals"] == {"filed": 2, "decided": 2, "upheld": 1, "overturned": 1, "reversal_rate": 0.5}
    assert report["suspensions"] == {"total": 1, "members": 1}
    assert Sanction.objects.filter(kind="suspend").count() == 1


def test_events_count_in_the_month_they_happened(month_of_work):
    """A decision next month of a case opened this month counts next month; so does its appeal."""
    current, start = this_month(), transparency.month_bounds(this_month())[0]
    later = start - timedelta(days=10)  # in the month before the current one
    previous = transparency.month_key(later)
    Case.objects.filter(pk=month_of_work["b"].pk).update(
        opened_at=later, decided_at=later + timedelta(hours=6)
    )
    Appeal.objects.filter(case=month_of_work["a"]).update(created_at=later, decided_at=later)
    Report.objects.filter(case=month_of_work["f"]).update(created_at=later)

    old = transparency.month_report(previous)
    assert old["complete"] is True
    assert old["reports"]["total"] == 1 and old["reports"]["by_reason"][0]["code"] == "scam"
    assert old["cases"]["opened"] == 1 and old["decisions"]["by_action"][-1] == {"key": "dismiss", "count": 1}
    assert old["time_to_action_hours"] == {"decided": 1, "median": 6.0, "p90": 6.0}
    assert old["appeals"] == {"filed": 1, "decided": 1, "upheld": 0, "overturned": 1, "reversal_rate": 1.0}

    now = transparency.month_report(current)
    assert now["reports"]["total"] == 4
    assert now["decisions"]["total"] == 4 and now["time_to_action_hours"]["median"] == 3.5
    assert now["appeals"] == {"filed": 1, "decided": 1, "upheld": 1, "overturned": 0, "reversal_rate": 0.0}
    assert transparency.months_available() == [current, previous]


def test_an_empty_month_is_an_empty_report(django_assert_num_queries):
    with django_assert_num_queries(7):
        report = transparency.month_report("2024-02")
    assert report["period_start"] == "2024-02-01T00:00:00+00:00"
    assert report["period_end"] == "2024-03-01T00:00:00+00:00"
    assert report["reports"] == {"total": 0, "by_reason": [], "by_language": []}
    assert report["decisions"]["total"] == 0 and report["decisions"]["automated_share"] is None
    assert report["time_to_action_hours"] == {"decided": 0, "median": None, "p90": None}
    assert report["appeals"]["reversal_rate"] is None
    json.dumps(report)  # plain data


def test_month_report_is_a_handful_of_queries(month_of_work, django_assert_num_queries):
    with django_assert_num_queries(7):
        transparency.month_report(this_month())


def test_months_run_from_the_first_case_to_now_at_most_36():
    current = this_month()
    assert transparency.months_available() == [current]  # no case yet: the current month alone
    assert transparency.month_is_available(current)
    assert not transparency.month_is_available(shift(current, -1))
    author = UserFactory()
    case = services.case_flag(
        kind="note", target_id=NoteFactory(author=author).pk, source="classifier", reason="spam"
    )
    assert case is not None
    start = transparency.month_bounds(current)[0]
    Case.objects.filter(pk=case.pk).update(opened_at=start - timedelta(days=45))
    assert transparency.months_available() == [current, shift(current, -1), shift(current, -2)]
    assert transparency.month_is_available(shift(current, -2))
    assert not transparency.month_is_available(shift(current, -3))
    assert not transparency.month_is_available(shift(current, 1))
    Case.objects.filter(pk=case.pk).update(opened_at=datetime(2001, 1, 1, tzinfo=UTC))
    months = transparency.months_available()
    assert len(months) == 36 and months[0] == current and months[-1] == shift(current, -35)
    assert transparency.month_is_available("2001-01") and not transparency.month_is_available("2000-12")


@pytest.mark.parametrize("bad", ["2026-13", "2026-00", "0000-01", "2026-1", "26-01", "", "2026-01x"])
def test_malformed_months_are_refused(bad):
    assert transparency.parse_month(bad) is None
    assert not transparency.month_is_available(bad)
    with pytest.raises(ValueError):
        transparency.month_bounds(bad)


# ----------------------------------------------------------------------------------------------
# Pages and downloads


class _Balance(HTMLParser):
    """Checks that every element the page opens is closed in order (void elements aside)."""

    VOID = {
        "area",
        "base",
        "br",
        "col",
        "embed",
        "hr",
        "img",
        "input",
        "link",
        "meta",
        "source",
        "track",
        "wbr",
    }
    SVG_EMPTY = {"rect", "use", "path", "circle", "line"}

    def __init__(self) -> None:
        super().__init__()
        self.stack: list[str] = []
        self.errors: list[str] = []
        self.ids: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.ids += [v or "" for k, v in attrs if k == "id"]
        if tag not in self.VOID:
            self.stack.append(tag)

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.ids += [v or "" for k, v in attrs if k == "id"]

    def handle_endtag(self, tag: str) -> None:
        if not self.stack or self.stack[-1] != tag:
            self.errors.append(f"</{tag}> closes <{self.stack[-1] if self.stack else ''}>")
        else:
            self.stack.pop()


def _check_markup(html: str) -> None:
    checker = _Balance()
    checker.feed(html)
    assert not checker.errors and not checker.stack, (checker.errors, checker.stack)
    assert len(checker.ids) == len(set(checker.ids)), "duplicate ids"
    svgs = re.findall(r"<svg class=\"tp-svg\".*?</svg>", html, flags=re.S)
    for svg in svgs:
        root = etree.fromstring(svg.encode())  # well-formed XML
        assert root.get("viewBox", "").startswith("0 0 320 ") and root.get("width") == "100%"
        assert root.get("role") == "img" and root.get("aria-labelledby")
        assert root.find("{http://www.w3.org/2000/svg}title") is not None
    return None


def test_the_page_is_public_and_shows_the_figures_in_english(month_of_work):
    response = Client().get(reverse("transparency"), HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 200
    html = response.content.decode()
    _check_markup(html)
    assert 'lang="en"' in html and "moderation/transparency.css" in html
    assert "Transparency report" in html
    assert html.count('<svg class="tp-svg"') == 5  # reasons, languages, sources, actions, deciders
    assert "Spam" in html and "Harassment or hate" in html and "中文" in html
    assert re.search(r'data-figure="reports".*?<dd class="tp-value">5</dd>', html, re.S)
    assert re.search(r'data-figure="automated".*?<dd class="tp-value">20.0%</dd>', html, re.S)
    assert re.search(r'data-figure="median".*?<dd class="tp-value">3.0 h</dd>', html, re.S)
    assert re.search(r'data-figure="reversal".*?<dd class="tp-value">50.0%</dd>', html, re.S)
    assert f'href="/transparency/{this_month()}.csv"' in html
    assert f'href="/transparency/{this_month()}.json"' in html
    assert "private" in response["Cache-Control"] and "max-age=600" in response["Cache-Control"]
    month = Client().get(reverse("transparency_month", args=[this_month()]), HTTP_ACCEPT_LANGUAGE="en")
    assert month.status_code == 200 and 'aria-current="page"' in month.content.decode()


def test_the_page_in_chinese_labels_reasons_in_chinese(month_of_work):
    response = Client().get(reverse("transparency"), HTTP_ACCEPT_LANGUAGE="zh-CN,zh;q=0.9")
    assert response.status_code == 200
    html = response.content.decode()
    _check_markup(html)
    assert 'lang="zh-Hans"' in html
    assert "垃圾信息" in html and "骚扰或仇恨言论" in html
    assert ">Spam<" not in html


def test_a_signed_in_member_sees_it_too(month_of_work):
    client = Client()
    client.force_login(UserFactory())
    assert client.get(reverse("transparency")).status_code == 200


def test_empty_months_render_and_months_out_of_range_are_404():
    current = this_month()
    case = services.case_flag(
        kind="note", target_id=NoteFactory(author=UserFactory()).pk, source="image", reason="sexual"
    )
    assert case is not None
    start = transparency.month_bounds(current)[0]
    Case.objects.filter(pk=case.pk).update(opened_at=start - timedelta(days=45))
    client = Client()
    empty = shift(current, -1)
    response = client.get(f"/transparency/{empty}/", HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 200
    html = response.content.decode()
    _check_markup(html)
    assert "Nothing this month." in html and "tp-svg" not in html
    assert re.search(r'data-figure="median".*?<dd class="tp-value">—</dd>', html, re.S)
    assert json.loads(client.get(f"/transparency/{empty}.json").content)["reports"]["total"] == 0
    for bad in (shift(current, -3), shift(current, 1), "2026-13", "1969-12"):
        for suffix in ("/", ".csv", ".json"):
            assert client.get(f"/transparency/{bad}{suffix}").status_code == 404, (bad, suffix)
    assert client.get("/transparency/2026-1/").status_code == 404
    assert client.post(f"/transparency/{current}/").status_code in (403, 405)


def test_csv_download_has_a_bom_and_one_row_per_figure(month_of_work):
    response = Client().get(reverse("transparency_csv", args=[this_month()]), HTTP_ACCEPT_LANGUAGE="zh-hans")
    assert response.status_code == 200
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response["Content-Disposition"] == f'attachment; filename="transparency-{this_month()}.csv"'
    assert "public" in response["Cache-Control"] and "max-age=600" in response["Cache-Control"]
    assert response.content.startswith(b"\xef\xbb\xbf")
    vary = {v.strip().lower() for v in response["Vary"].split(",")}
    assert {"accept-language", "cookie"} <= vary  # labels follow the reader's language
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert rows[0] == ["section", "key", "label", "value"]
    assert all(len(row) == 4 for row in rows)
    values = {(row[0], row[1]): row for row in rows[1:]}
    assert values[("period", "month")][3] == this_month()
    assert values[("reports", "total")][3] == "5"
    assert values[("reports_by_reason", "spam")][2:] == ["垃圾信息", "2"]
    assert values[("reports_by_language", "zh")][2:] == ["中文", "1"]
    assert values[("decisions", "automated_share")][3] == "0.2"
    assert values[("time_to_action", "median_hours")][3] == "3.0"
    assert values[("time_to_action", "p90_hours")][3] == "7.6"
    assert values[("appeals", "reversal_rate")][3] == "0.5"
    assert values[("suspensions", "total")][3] == "1"


def test_csv_labels_cannot_run_as_formulas(month_of_work):
    ReportReason.objects.filter(code="spam").update(label_en="=HYPERLINK(1)")
    rows = list(
        csv.reader(
            io.StringIO(
                Client()
                .get(f"/transparency/{this_month()}.csv", HTTP_ACCEPT_LANGUAGE="en")
                .content.decode("utf-8-sig")
            )
        )
    )
    assert ["reports_by_reason", "spam", "'=HYPERLINK(1)", "2"] in rows


def test_json_download_is_the_report_and_is_cached(month_of_work, django_assert_max_num_queries):
    client = Client()
    response = client.get(reverse("transparency_json", args=[this_month()]))
    assert response.status_code == 200 and response["Content-Type"].startswith("application/json")
    assert "public" in response["Cache-Control"] and "max-age=600" in response["Cache-Control"]
    data = json.loads(response.content)
    fresh = transparency.month_report(this_month())
    assert {k: v for k, v in data.items() if k != "generated_at"} == {
        k: v for k, v in fresh.items() if k != "generated_at"
    }
    assert "垃圾信息" in response.content.decode()  # UTF-8, not \u escapes
    # Within 10 minutes the figures come from the cache: no report query runs again.
    with django_assert_max_num_queries(2):
        again = client.get(reverse("transparency_json", args=[this_month()]))
    assert json.loads(again.content) == data
