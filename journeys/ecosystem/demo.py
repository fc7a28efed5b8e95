"""The demo's ecosystem map: who surrounds Marco, the HR operations lead, at his hospitals."""

from canvases.services import canvas_create, field_set
from engage.models import Persona

from . import services

PERSONA = "Marco Rossi"
TITLE = "Ecosystem map: Marco Rossi, HR operations"
SUBJECT = "Marco Rossi, HR operations lead"
PARTIES = {  # dimension → [(name, ring, note)]
    "Work & colleagues": [
        ("Site managers", "essential", "Phone him every Friday about start dates."),
        ("Ward nurses", "valued", "The new hires he onboards."),
        ("COO", "desirable", ""),
    ],
    "Vendors & partners": [
        ("Brightwave CSM", "essential", "His first call when onboarding stalls."),
        ("E-learning provider", "valued", "Hosts mandatory training."),
    ],
    "Tools & platforms": [
        ("Brightwave Core HR", "essential", ""),
        ("Audit tool", "valued", "Tracks expiring certificates."),
        ("Excel tracker", "desirable", "His private backup; wants to retire it."),
    ],
    "Money & finance": [("Payroll bureau", "valued", "")],
    "Community & peers": [
        ("HR ops peers", "desirable", "A monthly call with other hospital groups."),
    ],
    "Regulators": [
        ("Care quality auditors", "essential", "The last finding was about training records."),
        ("Nursing council", "valued", ""),
    ],
}


def seed_ecosystem(workspace, owner) -> None:
    """One map for the demo's customer persona, with parties on every ring; made once."""
    persona = Persona.objects.filter(workspace=workspace, name=PERSONA).first()
    if persona is None or workspace.canvases.filter(type=services.TYPE_SLUG).exists():
        return
    canvas = canvas_create(
        workspace=workspace,
        type_slug=services.TYPE_SLUG,
        persona=persona,
        created_by=owner,
        title=TITLE,
    )
    field_set(canvas=canvas, field="subject", value=SUBJECT, actor=owner, facilitating=True)
    dimensions = {d.name: d for d in canvas.dimensions.all()}
    for dimension, parties in PARTIES.items():
        for name, ring, note in parties:
            services.party_add(
                canvas=canvas,
                name=name,
                ring=ring,
                dimension=dimensions[dimension],
                note=note,
                actor=owner,
                facilitating=True,
            )
