"""Measured values on the plan: what customers answered, shown on the touchpoints of a journey map."""

import io

from journeys import services as journey_services
from metrics.services.imports import import_file
from metrics.services.recompute import compute_snapshots
from tests.engage.factories import PersonaFactory


def test_a_touchpoint_shows_what_customers_answered_about_it(client_as, owner, workspace):
    journey = journey_services.journey_create(
        workspace=workspace,
        persona=PersonaFactory(workspace=workspace),
        scenario="Support",
        actor=owner,
    )
    stage = journey.stages.current().last()
    hotline = journey_services.touchpoint_add(
        stage=stage, actor=owner, name="Support hotline", channel="phone"
    )
    quiet = journey_services.touchpoint_add(stage=stage, actor=owner, name="Forum", channel="web")
    answers = f"""customer_id,kind,score,answered_at,touchpoint
c1,csat,5,2026-03-01,{hotline.pk}
c2,csat,2,2026-03-02,Support hotline
c1,nps,10,2026-03-01,{hotline.pk}
c3,csat,4,2026-03-01,"""
    import_file(workspace=workspace, kind="surveys", binary=io.BytesIO(answers.encode()))
    compute_snapshots(workspace)
    content = client_as(owner).get(journey.canvas.get_absolute_url()).content.decode()
    card = content[content.index(f'id="touchpoint-{hotline.pk}"') :]
    card = card[: card.index("</li>")]
    assert "CSAT 50 % (n = 2)" in card and "NPS +100 (n = 1)" in card
    forum = content[content.index(f'id="touchpoint-{quiet.pk}"') :]
    assert "tp-measured" not in forum[: forum.index("</li>")]
