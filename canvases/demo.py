"""Demo canvases for seed_demo: persona card, empathy map, stakeholder card, JTBD canvases."""

from canvases import services
from engage.models import Job, Persona

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


TIMELINE_NOTES = {
    "first_thought_experience": ["Two new nurses sat idle on day one: no logins"],
    "first_thought_capability": ["Workforce onboarding"],
    "first_thought_technology": ["HR system → directory sync (nightly)"],
    "event_1_experience": ["An audit flags missing training records"],
    "event_1_capability": ["Compliance tracking"],
    "event_1_technology": ["Learning platform exports"],
    "event_2_experience": ["Renewal review: the board asks for one number"],
    "event_2_capability": ["Workforce analytics"],
    "event_2_technology": ["Reporting warehouse"],
    "purchased_experience": ["Signs for the onboarding suite with SSO"],
    "purchased_capability": ["Vendor management"],
    "purchased_technology": ["Single sign-on, provisioning API"],
    "done_experience": ["New hires log in on day one at two of three sites"],
    "done_capability": ["Workforce onboarding"],
    "done_technology": ["Provisioning within an hour of signing"],
}
FORCES_NOTES = {  # area → (text, strength 1–5)
    "push": [
        ("New starters idle for two days cost a week of agency cover", 5),
        ("Audit finding on training records", 4),
    ],
    "pull": [("Day-one logins and a single dashboard for the board", 4)],
    "habit": [("Site managers trust their own spreadsheets", 3)],
    "anxiety": [("Will SSO lock nurses out mid-shift?", 3), ("Another tool to learn", 2)],
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

    onboard = Job.objects.filter(workspace=workspace, verb="Onboard").first()
    timeline = services.canvas_create(
        workspace=workspace, type_slug="jtbd_timeline", persona=dana, job=onboard, created_by=owner
    )
    _fill(timeline, owner, TIMELINE_NOTES)
    services.field_set(
        canvas=timeline, field="outcome", value="so_so", actor=owner, facilitating=True
    )
    forces = services.canvas_create(
        workspace=workspace, type_slug="jtbd_forces", persona=dana, job=onboard, created_by=owner
    )
    for area, entries in FORCES_NOTES.items():
        for text, strength in entries:
            services.note_create(
                canvas=forces, area=area, text=text, author=owner, score=strength, facilitating=True
            )
    services.field_set(
        canvas=forces,
        field="concept",
        value="Accounts, devices and training booked automatically the day an offer is signed.",
        actor=owner,
        facilitating=True,
    )
    seed_decision_canvases(workspace, owner, onboard)


FILTER_SCORES = {  # job verb → (satisfaction, importance, noticeable, valuable, priority)
    "Onboard": (2, 5, 5, 5, 5),
    "Provision": (1, 5, 4, 4, 5),
    "Complete": (2, 4, 4, 3, 4),
    "Make": (3, 3, 2, 3, 3),
    "Prove": (2, 4, 3, 5, 4),
    "Feel": (3, 3, 2, 2, 2),
}
OUTCOMES = [  # (direction, metric, object, context, importance, satisfaction, decision)
    ("Minimise", "the time", "to get a new hire a working login", "on day one", 9, 2, "accept"),
    ("Minimise", "the number of days", "a new starter waits for a laptop", "", 8.5, 1.5, "accept"),
    ("Minimise", "the time", "to book mandatory training", "before the first shift", 8, 3, ""),
    ("Minimise", "the effort", "to prove onboarding ROI", "to the board", 7.5, 4, ""),
    ("Increase", "the likelihood", "that a manager knows the start date", "", 7, 3.5, ""),
    ("Minimise", "the time", "HR spends chasing certificates", "each week", 6, 2, "defer"),
    ("Increase", "the likelihood", "that a new hire feels welcome", "on day one", 6, 5, ""),
    ("Minimise", "the steps", "to reset a password", "", 4, 6, ""),
    ("Minimise", "the time", "to find the canteen", "", 2, 7, ""),
    ("Increase", "the number", "of welcome emails", "in the first week", 3, 8, "reject"),
]
NETWORK = {  # column → [(label, benefit fields)]
    "enablers": ["Single sign-on with automatic provisioning", "Training booking integration"],
    "enabling_changes": [
        "Clean start dates in the HR system",
        "Site managers trained on the checklist",
    ],
    "business_changes": [
        "Accounts created when the offer is signed",
        "Training booked before day one",
    ],
    "benefits": [
        "New hires productive in week one",
        "Fewer audit findings on training",
    ],
    "objectives": ["Cut onboarding cost per hire by 30 %", "Pass every training audit"],
    "drivers": ["Renewal review in Q2", "Regulator's audit schedule"],
}
BENEFIT_FIELDS = {
    "New hires productive in week one": {
        "owner": "Dana Okafor",
        "measure": "Time-to-productivity (days)",
        "stakeholder": "Site managers",
    },
    "Fewer audit findings on training": {
        "owner": "Marco Rossi",
        "measure": "Audit findings per quarter",
        "stakeholder": "Compliance team",
    },
}
NETWORK_LINKS = [
    (0, 2),
    (0, 4),
    (1, 3),
    (1, 5),
    (2, 4),
    (3, 5),
    (4, 6),
    (5, 7),
    (6, 8),
    (7, 9),
    (8, 10),
    (9, 11),
    (6, 9),
]  # fmt: skip  (indexes into the nodes in column order)


def seed_decision_canvases(workspace, owner, onboard) -> None:
    """A scored filter, a prioritization board spanning every region, a benefits network."""
    jobs = {job.verb: job for job in Job.objects.filter(workspace=workspace)}
    filter_canvas = services.canvas_create(
        workspace=workspace,
        type_slug="jtbd_filter",
        created_by=owner,
        title="Which onboarding jobs to serve",
    )
    fields = ("satisfaction", "importance", "noticeable", "valuable", "priority")
    for verb, scores in FILTER_SCORES.items():
        if verb in jobs:
            services.filter_row_add(
                canvas=filter_canvas,
                actor=owner,
                job=jobs[verb],
                scores=dict(zip(fields, scores, strict=True)),
                facilitating=True,
            )
    board = services.canvas_create(
        workspace=workspace,
        type_slug="jtbd_prioritization",
        created_by=owner,
        job=onboard,
        title="Onboarding outcomes, Q1 review",
    )
    for direction, metric, obj, context, importance, satisfaction, decision in OUTCOMES:
        item = services.outcome_item_add(
            canvas=board,
            actor=owner,
            direction=direction,
            metric=metric,
            object=obj,
            context=context,
            facilitating=True,
        )
        item = services.item_score(
            item=item,
            actor=owner,
            expected_version=item.version,
            importance=importance,
            satisfaction=satisfaction,
            facilitating=True,
        )
        if decision:
            services.item_decide(
                item=item,
                actor=owner,
                decision=decision,
                comment="Agreed in the Q1 review.",
                facilitating=True,
            )
    network = services.canvas_create(
        workspace=workspace,
        type_slug="benefits_dependency_network",
        created_by=owner,
        job=onboard,
        title="Onboarding suite: benefits network",
    )
    nodes = []
    for column, labels in NETWORK.items():
        for label in labels:
            extra = BENEFIT_FIELDS.get(label, {})
            job = onboard if label == "New hires productive in week one" else None
            nodes.append(
                services.node_add(
                    canvas=network,
                    column=column,
                    label=label,
                    actor=owner,
                    job=job,
                    facilitating=True,
                    **extra,
                )
            )
    for source, target in NETWORK_LINKS:
        services.link_add(
            canvas=network,
            source=nodes[source],
            target=nodes[target],
            actor=owner,
            facilitating=True,
        )
