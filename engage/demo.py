"""The demo workspace: a B2B SaaS onboarding engagement, believable enough to click through.

Later apps add their part (canvases, journeys, data) with `register_demo_step`.
"""

from collections.abc import Callable

from django.db import transaction

from engage import services
from engage.models import Job, User, Workspace
from engage.models.people import AvatarColour, IncomeBand, PersonaRole, Segment

DEMO_SLUG = "brightwave-onboarding"
DEMO_EMAIL = "demo@engage.example"

_steps: list[Callable[[Workspace, User], None]] = []


def register_demo_step(step: Callable[[Workspace, User], None]) -> None:
    if step not in _steps:
        _steps.append(step)


SEGMENTS = [
    {
        "name": "Mid-market tech, EMEA",
        "offering": "Brightwave Core HR",
        "industry": "Software",
        "region": "EMEA",
        "organisation_size": Segment.OrganisationSize.MID_MARKET,
    },
    {
        "name": "Enterprise healthcare, North America",
        "offering": "Brightwave Core HR + Compliance",
        "industry": "Healthcare",
        "region": "North America",
        "organisation_size": Segment.OrganisationSize.ENTERPRISE,
    },
]

PERSONAS = [
    {
        "name": "Dana Okafor",
        "role": PersonaRole.ECONOMIC_BUYER,
        "segment": 0,
        "avatar_colour": AvatarColour.AMBER,
        "short_description": "VP People who signs the contract and answers to the board for time-to-productivity.",
        "age": 46,
        "sex": "Female",
        "income_band": IncomeBand.HIGH,
        "scenario": "Renewal review: deciding whether the onboarding rollout paid off.",
        "expectations": "Looks forward to a board slide showing new hires productive in days. "
        "Dreads another tool her managers ignore.",
        "personal_story": "Dana joined a 600-person scale-up two years ago to professionalise HR. "
        "Mornings are for hiring reviews; she reads dashboards on the train home.",
    },
    {
        "name": "Priya Nair",
        "role": PersonaRole.USER,
        "segment": 0,
        "avatar_colour": AvatarColour.INDIGO,
        "short_description": "IT administrator who sets up SSO, provisioning and laptops for every new hire.",
        "age": 31,
        "sex": "Female",
        "income_band": IncomeBand.MIDDLE,
        "scenario": "First week of the rollout: connecting the identity provider.",
        "expectations": "Wants provisioning that just works. Fears being paged at 7 am because a "
        "new hire cannot log in on day one.",
        "personal_story": "Priya runs a two-person IT team. She scripts everything she can and keeps "
        "a runbook for each start date.",
    },
    {
        "name": "Marco Rossi",
        "role": PersonaRole.CUSTOMER,
        "segment": 1,
        "avatar_colour": AvatarColour.TEAL,
        "short_description": "HR operations lead who chose Brightwave and directs how every hospital uses it.",
        "age": 39,
        "sex": "Male",
        "income_band": IncomeBand.UPPER_MIDDLE,
        "scenario": "Onboarding 40 nurses a month across three hospitals.",
        "expectations": "Expects compliance training to be tracked without spreadsheets. "
        "Dreads an audit finding a nurse on shift without a certificate.",
        "personal_story": "Marco moved from a hospital ward into HR operations. He still thinks in "
        "shifts and checklists, and visits each site once a month.",
    },
]

JOBS = [
    {
        "key": "onboard",
        "verb": "Onboard",
        "object": "new hires",
        "context": "so they are productive in their first week",
        "kind": Job.Kind.FUNCTIONAL,
        "personas": [0, 2],
    },
    {
        "key": "provision",
        "verb": "Provision",
        "object": "accounts and devices",
        "context": "before day one",
        "kind": Job.Kind.FUNCTIONAL,
        "personas": [1],
        "parent": "onboard",
    },
    {
        "key": "comply",
        "verb": "Complete",
        "object": "mandatory compliance training",
        "context": "before the first shift",
        "kind": Job.Kind.FUNCTIONAL,
        "personas": [2],
        "parent": "onboard",
    },
    {
        "key": "welcome",
        "verb": "Make",
        "object": "new hires feel welcome",
        "context": "from the offer letter on",
        "kind": Job.Kind.EMOTIONAL,
        "personas": [0, 2],
        "parent": "onboard",
    },
    {
        "key": "prove",
        "verb": "Prove",
        "object": "onboarding ROI",
        "context": "to the board at renewal",
        "kind": Job.Kind.SOCIAL,
        "personas": [0],
    },
    {
        "key": "calm",
        "verb": "Feel",
        "object": "confident the rollout will not break logins",
        "context": "on start dates",
        "kind": Job.Kind.EMOTIONAL,
        "personas": [1],
    },
]


@transaction.atomic
def seed_demo(password: str) -> tuple[Workspace, User, bool]:
    """Create the demo owner and workspace unless they exist; returns (workspace, owner, created)."""
    existing = Workspace.objects.filter(slug=DEMO_SLUG).first()
    owner = User.objects.filter(email=DEMO_EMAIL).first()
    if existing and owner:
        return existing, owner, False
    if owner is None:
        owner = services.user_sign_up(
            email=DEMO_EMAIL, name="Alex Morgan (demo)", password=password
        )
    workspace = services.workspace_create(
        name="Brightwave onboarding",
        customer_organisation="Brightwave HR",
        description="Redesigning how Brightwave's customers onboard new hires: who decides, "
        "who does the work, and where the first week goes wrong.",
        created_by=owner,
    )
    Workspace.objects.filter(pk=workspace.pk).update(slug=DEMO_SLUG)
    workspace.slug = DEMO_SLUG
    segments = [services.segment_create(workspace=workspace, **values) for values in SEGMENTS]
    personas = [
        services.persona_create(
            workspace=workspace,
            created_by=owner,
            **{**values, "segment": segments[values["segment"]]},
        )
        for values in PERSONAS
    ]
    jobs: dict[str, Job] = {}
    for values in JOBS:
        values = dict(values)
        key, parent = values.pop("key"), values.pop("parent", None)
        jobs[key] = services.job_create(
            workspace=workspace,
            created_by=owner,
            parent=jobs.get(parent),
            personas=[personas[i] for i in values.pop("personas")],
            **values,
        )
    for step in _steps:
        step(workspace, owner)
    return workspace, owner, True
