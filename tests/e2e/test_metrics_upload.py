"""Uploading a CSV file in a real browser: preview, map a column, import, see the result."""

import pytest
from django.conf import settings
from django.test import Client
from django.urls import reverse
from playwright.sync_api import expect

from engage.roles import Role
from metrics.models import SurveyResponse
from tests.engage.factories import MembershipFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

ANSWERS = (
    "Customer ID;Survey;Rating;Submitted;Region\n"
    "c1;nps;10;2026-03-01T09:30:00Z;north\n"
    "c2;nps;3;2026-03-02;<b>south</b>\n"
    "c3;csat;5;2026-03-03;north\n"
)


def test_a_facilitator_uploads_maps_a_column_and_imports(
    browser, live_server, tmp_path, artifact_path
):
    lead = MembershipFactory(role=Role.FACILITATOR, user__name="Fay Facilitator")
    client = Client()
    client.force_login(lead.user)
    context = browser.new_context(base_url=live_server.url, viewport={"width": 1440, "height": 900})
    context.add_cookies(
        [
            {
                "name": settings.SESSION_COOKIE_NAME,
                "value": client.cookies[settings.SESSION_COOKIE_NAME].value,
                "url": live_server.url,
            }
        ]
    )
    errors = []
    page = context.new_page()
    page.on("pageerror", lambda error: errors.append(str(error)))
    page.on("console", lambda msg: errors.append(msg.text) if msg.type == "error" else None)
    page.goto(reverse("metrics:imports", args=[lead.workspace.slug]))
    expect(page.get_by_role("heading", level=1)).to_have_text("Import data")

    answers = tmp_path / "answers.csv"
    answers.write_text(ANSWERS)
    page.get_by_label("What the file holds").select_option(label="Survey answers")
    page.get_by_label("CSV file").set_input_files(answers)
    page.get_by_role("button", name="Preview").click()

    expect(page.get_by_role("heading", name="Preview: answers.csv")).to_be_visible()
    expect(page.locator(".import-table tbody tr")).to_have_count(3)
    expect(page.locator(".import-table tbody")).to_contain_text("<b>south</b>")
    expect(page.get_by_label("Column “Customer ID” holds")).to_have_value("customer_id")
    expect(page.get_by_label("Column “Rating” holds")).to_have_value("score")
    submitted = page.get_by_label("Column “Submitted” holds")
    expect(submitted).to_have_value("")  # not a name it knows: ignored until mapped
    submitted.select_option("answered_at")
    page.screenshot(path=artifact_path("metrics-upload-preview.png"), full_page=True)
    page.get_by_role("button", name="Import the file").click()

    expect(page.get_by_role("status")).to_contain_text("3 new, 0 already there")
    expect(page.get_by_role("table")).to_contain_text("Fay Facilitator")
    page.screenshot(path=artifact_path("metrics-upload-result.png"), full_page=True)
    assert SurveyResponse.objects.filter(workspace=lead.workspace).count() == 3

    # A file with wrong rows is refused whole, its rows and reasons listed.
    answers.write_text(
        "customer_id,kind,score,answered_at\n"
        + "".join(f"d{n},nps,{20 + n},2026-03-01\n" for n in range(12))
    )
    page.get_by_label("CSV file").set_input_files(answers)
    page.get_by_role("button", name="Preview").click()
    page.get_by_role("button", name="Import the file").click()
    alert = page.get_by_role("alert")
    expect(alert).to_contain_text("The file was refused; nothing was stored.")
    expect(alert).to_contain_text("row 2: nps score 20 is outside 0–10")
    page.get_by_text("and 2 more").click()
    expect(alert).to_contain_text("row 13: nps score 31 is outside 0–10")
    page.screenshot(path=artifact_path("metrics-upload-refused.png"), full_page=True)
    assert SurveyResponse.objects.filter(workspace=lead.workspace).count() == 3
    context.close()
    assert not errors, f"JavaScript errors in the browser: {errors}"
