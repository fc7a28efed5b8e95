"""Demo canvases for seed_demo: a filled persona card, empathy map and stakeholder card."""

from canvases import services
from engage.models import Persona

PERSONA_CARD_NOTES = {
    "job": [
        "Get every new hire productive in their first week",
        "Prove the rollout paid off at renewal",
    ],
    "seeing": [
        "Time-to-productivity dashboard, red for two sites",
        "Competitors advertising “day-one ready” onboarding",
    ],
    "saying": [
        "“I need one number for the board, not ten reports.”",
        "“Why do managers still email IT?”",
    ],
    "doing": ["Reviews hiring pipeline every Monday", "Escalates laptop delays to the COO"],
    "hearing": [
        "Managers: new starters sit idle for two days",
        "Peers: ‘we switched tools and nothing changed’",
    ],
}
EMPATHY_NOTES = {
    "who": ["Marco, HR operations lead across three hospitals"],
    "goal": [
        "Every nurse certified before the first shift",
        "No spreadsheet to chase certificates",
    ],
    "see": [
        "A wall of expiring certificates in the audit tool",
        "Nurses starting on Monday, training booked for Wednesday",
    ],
    "say": ["“I can't put an uncertified nurse on a ward.”"],
    "do": ["Phones site managers every Friday", "Keeps a private tracker in Excel"],
    "hear": [
        "Auditors: the last finding was about training records",
        "Nurses: the e-learning doesn't work on the ward PCs",
    ],
    "think": ["Worries the next audit lands on his desk"],
    "pains": ["Three systems, none shows the whole picture", "Training slots fill up weeks ahead"],
    "gains": ["One view of who is cleared for which shift", "Time back for the people side of HR"],
}
STAKEHOLDER_NOTES = {
    "goal": ["Cut time-to-productivity by 30 % this year"],
    "hear": ["Board: onboarding cost per hire is too high"],
    "influencers": ["The COO", "Two site managers who piloted the tool"],
    "see": ["Quarterly HR dashboard", "Competitor case studies"],
    "say": ["“Show me the numbers after the first cohort.”"],
    "do": ["Sponsors the rollout; delegates the detail to HR ops"],
    "think": ["Her credibility rides on this renewal"],
    "gains": ["A story for the board", "Fewer escalations"],
    "pains": ["Another tool nobody uses"],
}
STAKEHOLDER_FIELDS = {
    "perception": "positive",
    "power": "formal",
    "interest": "decision_maker",
    "initiative": "Onboarding redesign 2027",
    "name": "Dana Okafor",
    "role": "VP People",
    "reports_to": "COO",
    "location": "London",
    "key_metrics": "Time-to-productivity; onboarding cost per hire",
    "decision_style": "analytical",
    "strategy": "collaborate",
    "information_exchange": "4",
    "cadence": "2",
    "format": "3",
}


def _fill(canvas, owner, notes: dict[str, list[str]]) -> None:
    colours = ["yellow", "green", "blue", "pink"]
    for index, (area, texts) in enumerate(notes.items()):
        for text in texts:
            services.note_create(
                canvas=canvas,
                area=area,
                text=text,
                author=owner,
                colour=colours[index % 4],
                facilitating=True,
            )


def seed_canvases(workspace, owner) -> None:
    personas = {persona.name: persona for persona in Persona.objects.filter(workspace=workspace)}
    dana, marco = personas.get("Dana Okafor"), personas.get("Marco Rossi")
    card = services.canvas_create(
        workspace=workspace, type_slug="persona_card", persona=dana, created_by=owner
    )
    _fill(card, owner, PERSONA_CARD_NOTES)
    empathy = services.canvas_create(
        workspace=workspace, type_slug="empathy_map", persona=marco, created_by=owner
    )
    _fill(empathy, owner, EMPATHY_NOTES)
    stakeholder = services.canvas_create(
        workspace=workspace,
        type_slug="stakeholder_engagement_card",
        persona=dana,
        created_by=owner,
        title="Stakeholder card: Dana Okafor, VP People",
    )
    _fill(stakeholder, owner, STAKEHOLDER_NOTES)
    for field, value in STAKEHOLDER_FIELDS.items():
        services.field_set(
            canvas=stakeholder, field=field, value=value, actor=owner, facilitating=True
        )
