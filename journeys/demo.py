"""Demo journeys for seed_demo: a Digital First onboarding lifecycle and a Hybrid purchase."""

from canvases import services as canvas_services
from engage.models import Job, Persona
from journeys import services
from journeys.models import JobState, Journey
from journeys.statemachine.services import state_map_stage

P, A, D = "profile", "activity", "derived"

# stage: (emotion, time, {row: notes}, [(touchpoint, channel, owner, value, pains, data)])
PRIYA = {
    "Onboard": (
        -1,
        "2 weeks",
        {
            "doing": ["Connects the identity provider", "Imports the first 40 starters"],
            "thinking": ["Will SSO break on day one?"],
            "feeling": ["Nervous: the start date is fixed"],
            "opportunities": ["A dry run of day one before the real one"],
        },
        [
            (
                "Welcome email with setup checklist",
                "email",
                "customer_success",
                "Knows the next three steps",
                "",
                [(P, "Admin email", "CRM contact"), (D, "Setup progress", "Product analytics")],
            ),
            (
                "SSO setup wizard",
                "in_app",
                "product",
                "Connects the IdP in minutes",
                "Error messages name no field",
                [(A, "Failed SSO attempts", "Auth logs")],
            ),
            ("Kick-off call", "phone", "customer_success", "A named person to call", "", []),
        ],
    ),
    "Adopt": (
        1,
        "first month",
        {
            "doing": ["Hands provisioning over to HR", "Reads the weekly adoption digest"],
            "thinking": ["Can HR really do this without me?"],
            "feeling": ["Relieved after the first clean Monday"],
            "opportunities": ["Tell her when a starter is stuck before the manager does"],
        },
        [
            (
                "Adoption digest",
                "email",
                "customer_success",
                "Sees which sites lag",
                "",
                [(A, "Logins per site", "Product analytics")],
            ),
            ("In-app provisioning checklist", "in_app", "product", "Nothing forgotten", "", []),
            (
                "Help centre article",
                "web",
                "support",
                "Answers without a ticket",
                "Search misses admin terms",
                [],
            ),
        ],
    ),
    "Expand": (
        0,
        "quarter 2",
        {
            "doing": ["Adds the devices module for laptops"],
            "thinking": ["Is it worth another integration?"],
            "feeling": ["Curious but busy"],
            "opportunities": ["Show the time saved so far before asking for more"],
        },
        [
            (
                "Usage-based upgrade prompt",
                "in_app",
                "product",
                "Offer at the right moment",
                "",
                [(D, "Likely next module", "Propensity model")],
            ),
            ("Partner reseller visit", "partner", "partner", "", "Repeats the sales pitch", []),
        ],
    ),
    "Renew": (
        1,
        "month 11",
        {
            "doing": ["Sends the usage report to Dana"],
            "thinking": ["Numbers will make the case for me"],
            "feeling": ["Confident"],
            "opportunities": ["A ready-made renewal report"],
        },
        [
            (
                "Renewal report in the admin console",
                "web",
                "customer_success",
                "One page for the board",
                "",
                [(A, "Time to first login", "Product analytics")],
            )
        ],
    ),
    "Advocate": (
        2,
        "year 2",
        {
            "doing": ["Answers peers in the admin community"],
            "thinking": ["Glad I pushed for this"],
            "feeling": ["Proud"],
            "opportunities": ["Invite her to the customer advisory board"],
        },
        [("Admin community forum", "social", "marketing", "Recognition from peers", "", [])],
    ),
}

MARCO = {
    "Discover": (
        -1,
        "2 months",
        {
            "doing": ["Lists why the audit finding happened"],
            "thinking": ["Our tools can't show who is certified"],
            "feeling": ["Under pressure after the audit"],
            "opportunities": ["Speak to the audit finding, not to features"],
        },
        [
            ("Healthcare HR webinar", "event", "marketing", "Peers with the same problem", "", []),
            (
                "Compliance guide download",
                "web",
                "marketing",
                "Language for the business case",
                "",
                [(P, "Organisation size", "Form fill")],
            ),
        ],
    ),
    "Evaluate": (
        0,
        "6 weeks",
        {
            "doing": ["Runs demos with three vendors", "Asks nurses to try the e-learning"],
            "thinking": ["Will it work on the ward PCs?"],
            "feeling": ["Sceptical of demos"],
            "opportunities": ["A trial on a real ward PC"],
        },
        [
            ("Discovery call", "sales_rep", "sales", "Understands the three hospitals", "", []),
            ("Product demo", "in_person", "sales", "", "Shows features he doesn't need", []),
            (
                "Self-guided trial",
                "web",
                "product",
                "Tries it his own way",
                "Trial data is fake",
                [(A, "Trial actions", "Product analytics")],
            ),
        ],
    ),
    "Buy": (
        -2,
        "1 month",
        {
            "doing": ["Gets procurement and IT security to sign"],
            "thinking": ["Why does security need a 200-question form?"],
            "feeling": ["Frustrated by the paperwork"],
            "opportunities": ["A pre-filled security questionnaire"],
        },
        [
            ("Security questionnaire", "email", "sales", "", "Sent as a spreadsheet", []),
            ("Contract negotiation", "sales_rep", "finance", "Clear price per site", "", []),
        ],
    ),
    "Access": (
        0,
        "3 weeks",
        {
            "doing": ["Loads the staff list", "Books the training slots"],
            "thinking": ["Will the certificates import?"],
            "feeling": ["Hopeful"],
            "opportunities": ["Import the old certificates for him"],
        },
        [
            (
                "Implementation workshop",
                "in_person",
                "customer_success",
                "A plan per hospital",
                "",
                [(P, "Sites and wards", "Contract")],
            ),
            (
                "Data import tool",
                "in_app",
                "product",
                "Certificates carried over",
                "",
                [(A, "Import errors", "Import log")],
            ),
        ],
    ),
    "Use": (
        1,
        "ongoing",
        {
            "doing": ["Checks who is cleared before each rota"],
            "thinking": ["Finally one view"],
            "feeling": ["In control"],
            "opportunities": ["Warn him of certificates expiring next month"],
        },
        [
            (
                "Expiry alerts",
                "email",
                "product",
                "No uncertified nurse on a ward",
                "",
                [(D, "Certificates expiring in 30 days", "Compliance module")],
            )
        ],
    ),
    "Get support": (
        -1,
        "when needed",
        {
            "doing": ["Phones support when an import fails"],
            "thinking": ["Will they understand hospitals?"],
            "feeling": ["Anxious on audit week"],
            "opportunities": ["A named healthcare specialist on the phone"],
        },
        [
            ("Support hotline", "phone", "support", "A human on audit week", "Long hold times", []),
            ("Support chat", "chat", "support", "Quick answers", "", []),
        ],
    ),
}


def _journey(workspace, owner, persona, job, scenario, preset, target, stages) -> None:
    journey = services.journey_create(
        workspace=workspace,
        persona=persona,
        job=job,
        scenario=scenario,
        preset=preset,
        target_type=target,
        actor=owner,
    )
    canvas = journey.canvas
    for stage in journey.stages.current():
        emotion, time, notes, touchpoints = stages[stage.name]
        services.stage_set_emotion(stage=stage, emotion=emotion, actor=owner, facilitating=True)
        stage.refresh_from_db()
        services.stage_change(
            stage=stage,
            actor=owner,
            facilitating=True,
            expected_version=stage.version,
            name=stage.name,
            goals=notes["thinking"][0],
            expected_duration=time,
        )
        for row, texts in notes.items():
            for text in texts:
                canvas_services.note_create(
                    canvas=canvas, area=stage.area(row), text=text, author=owner
                )
        for name, channel, owner_function, value, pains, data in touchpoints:
            touchpoint = services.touchpoint_add(
                stage=stage,
                actor=owner,
                facilitating=True,
                name=name,
                channel=channel,
                owner=owner_function,
                value=value,
                pains=pains,
            )
            for kind, item, source in data:
                services.data_need_add(
                    touchpoint=touchpoint, kind=kind, item=item, source=source, actor=owner
                )


def seed_journeys(workspace, owner) -> None:
    if Journey.objects.filter(workspace=workspace).exists():
        return
    personas = {persona.name: persona for persona in Persona.objects.filter(workspace=workspace)}
    jobs = {job.verb: job for job in Job.objects.filter(workspace=workspace)}
    _journey(
        workspace, owner, personas.get("Priya Nair"), jobs.get("Onboard"),
        "Rolling Brightwave out to the first cohort of new hires", "lifecycle",
        "digital_first", PRIYA,
    )  # fmt: skip
    _journey(
        workspace, owner, personas.get("Marco Rossi"), jobs.get("Complete"),
        "Choosing a compliance-ready HR platform for three hospitals", "purchase",
        "digital_hybrid", MARCO,
    )  # fmt: skip


# The onboarding job's states, placed on Priya's journey (its first stages).
STATE_STAGES = {
    "Contract signed": "Onboard",
    "Accounts provisioned": "Onboard",
    "First login": "Onboard",
    "Learning the basics": "Adopt",
    "First payroll run": "Adopt",
    "Productive": "Expand",
}


def map_states_to_stages(workspace, owner) -> None:
    """Runs after the state machine's demo step: events can then place customers on both."""
    journey = Journey.objects.filter(workspace=workspace, canvas__job__verb="Onboard").first()
    if journey is None:
        return
    stages = {stage.name: stage for stage in journey.stages.current()}
    states = JobState.objects.filter(job=journey.canvas.job, stage=None)
    for state in states:
        if state.name in STATE_STAGES and STATE_STAGES[state.name] in stages:
            state_map_stage(state=state, stage=stages[STATE_STAGES[state.name]])
