from .base import Area, AreaKind, CanvasType, Field, FieldKind, choices

TIMELINE_EVENTS = (
    ("first_thought", "First thought", "The moment they first sense things could be better."),
    ("event_1", "Event 1", "Something happens that makes the problem real."),
    ("event_2", "Event 2", "The trigger that turns looking into choosing."),
    ("purchased", "Purchased", "They commit: buy, sign or switch."),
    ("done", "Done", "They use it and judge whether they made progress."),
)
TIMELINE_PHASES = (
    ("passive_looking", "Passive looking", "They notice options without acting on them."),
    ("active_looking", "Active looking", "They spend time and effort searching."),
    ("deciding", "Deciding", "They compare, trade off and negotiate."),
    ("consuming", "Consume / experience", "They start using it and live with the choice."),
)
TIMELINE_LAYERS = (
    ("experience", "Customer experience", "What the customer does, thinks and feels here."),
    ("capability", "Business capability", "The business capability that serves them here."),
    ("technology", "Technology service", "The technology service behind that capability."),
)


def _timeline_areas():
    areas = [
        Area(f"head_{slug}", title, prompt, kind=AreaKind.LABEL, tone="muted")
        for slug, title, prompt in TIMELINE_LAYERS
    ]
    for index, (event, title, prompt) in enumerate(TIMELINE_EVENTS):
        areas.append(Area(event, title, prompt, kind=AreaKind.LABEL, tone="head"))
        areas.extend(
            Area(f"{event}_{layer}", f"{title}: {layer_title.lower()}", layer_prompt)
            for layer, layer_title, layer_prompt in TIMELINE_LAYERS
        )
        if index < len(TIMELINE_PHASES):
            slug, title, prompt = TIMELINE_PHASES[index]
            areas.append(Area(slug, title, prompt, kind=AreaKind.LABEL, tone="muted"))
    areas.append(
        Area(
            "outcome",
            "Outcome",
            "How did it end for them?",
            kind=AreaKind.FIELDS,
            fields=(
                Field(
                    "outcome",
                    "Outcome",
                    FieldKind.CHOICE,
                    choices("delight", "so_so:So-so", "disappointed"),
                ),
            ),
        )
    )
    return tuple(areas)


def _timeline_grid():
    layers = [slug for slug, _, _ in TIMELINE_LAYERS]
    rows = [". " + " ".join(f"head_{layer}" for layer in layers)]
    for index, (event, _, _) in enumerate(TIMELINE_EVENTS):
        rows.append(f"{event} " + " ".join(f"{event}_{layer}" for layer in layers))
        if index < len(TIMELINE_PHASES):
            rows.append(" ".join([TIMELINE_PHASES[index][0]] * 4))
    rows.append("outcome outcome outcome outcome")
    return tuple(rows)


JTBD_TIMELINE = CanvasType(
    slug="jtbd_timeline",
    title="JTBD timeline",
    summary="The job over time, from first thought to done, with the customer's experience "
    "on top and the business capabilities and technology services that serve each moment.",
    family="jobs",
    columns="9rem 1fr 1fr 1fr",
    grid=_timeline_grid(),
    areas=_timeline_areas(),
)

JTBD_FORCES = CanvasType(
    slug="jtbd_forces",
    title="JTBD forces",
    summary="Why a customer switches, or doesn't: push and pull promote change, habit and "
    "anxiety block it. Give each note a strength from 1 to 5.",
    family="jobs",
    columns="1fr 1fr",
    grid=("push pull", "concept concept", "habit anxiety", "balance balance"),
    areas=(
        Area(
            "push",
            "Push of the situation",
            "What is wrong with today that they want to escape?",
            note_score=(1, 5),
            tone="promote",
        ),
        Area(
            "pull",
            "Pull of the new way",
            "What does the new solution promise that attracts them?",
            note_score=(1, 5),
            tone="promote",
        ),
        Area(
            "concept",
            "Concept of the new way",
            "Describe the new way of getting the job done in a sentence or two.",
            kind=AreaKind.FIELDS,
            fields=(Field("concept", "Concept", FieldKind.LONG_TEXT),),
        ),
        Area(
            "habit",
            "Habit of the present",
            "Which routines and sunk costs keep them where they are?",
            note_score=(1, 5),
            tone="block",
        ),
        Area(
            "anxiety",
            "Anxiety of the new",
            "What doubts and fears make them hesitate?",
            note_score=(1, 5),
            tone="block",
        ),
        Area(
            "balance",
            "Balance of forces",
            "Change is expected when push + pull outweigh habit + anxiety.",
            kind=AreaKind.PANEL,
            panel="forces_balance",
            depends_on=("push", "pull", "habit", "anxiety"),
        ),
    ),
)

JTBD_FILTER = CanvasType(
    slug="jtbd_filter",
    title="JTBD filter",
    summary="Which jobs should we serve? Each job is tagged functional, social or emotional "
    "and scored 1 to 5 on satisfaction, importance, noticeable, valuable and overall priority.",
    family="jobs",
    links=frozenset(),
    columns="1fr",
    grid=("jobs", "criteria"),
    areas=(
        Area(
            "jobs",
            "Jobs",
            "Add the jobs the customer is trying to get done, then score each from 1 to 5.",
            kind=AreaKind.PANEL,
            panel="jtbd_filter",
        ),
        Area(
            "criteria",
            "How to score",
            "Satisfaction: does failing at it hurt? Importance: are problems unsolved? "
            "Noticeable: do they know they need it? Valuable: would they pay, and how many? "
            "1 is the least, 5 the most.",
            kind=AreaKind.LABEL,
            tone="muted",
        ),
    ),
)

JTBD_PRIORITIZATION = CanvasType(
    slug="jtbd_prioritization",
    title="JTBD prioritization",
    summary="Product owners and architects agree priorities: importance and satisfaction of "
    "each desired outcome give its opportunity score and show what is under-served.",
    family="jobs",
    links=frozenset({"job"}),
    columns="1fr",
    grid=("plot", "items"),
    header_fields=(
        Field(
            "source",
            "Scores from",
            FieldKind.CHOICE,
            # The values of models.ScoreSource (models import this module; a test keeps them equal).
            choices=choices(
                "direct:Entered directly",
                "filter:From the JTBD filter",
                "survey:From survey answers",
            ),
            default="direct",
            help="Where importance and satisfaction (0–10) come from.",
        ),
    ),
    areas=(
        Area(
            "plot",
            "Opportunity landscape",
            "Each scored item is a point: importance across, satisfaction up. "
            "Under-served items sit bottom right.",
            kind=AreaKind.PANEL,
            panel="jtbd_plot",
            depends_on=("items", "header"),
        ),
        Area(
            "items",
            "Items and decisions",
            "Add jobs or desired outcomes (direction + metric + object + context, e.g. "
            "“minimise the time to get a new hire a working login”), score them, then decide.",
            kind=AreaKind.PANEL,
            panel="jtbd_items",
            depends_on=("header",),
        ),
    ),
)
