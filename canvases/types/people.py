from .base import Area, AreaKind, CanvasType, Field, FieldKind, choices

PERSONA_ROLES = choices(
    "client", "customer", "economic_buyer:Economic buyer", "user", "stakeholder"
)

PERSONA_CARD = CanvasType(
    slug="persona_card",
    title="Persona card",
    summary="The person behind a segment: who they are, their story, their job and what "
    "they see, say, do and hear. The card is the persona record itself.",
    family="people",
    links=frozenset({"persona"}),
    columns="1fr 1fr 1fr",
    grid=(
        "persona scenario expectations",
        "details details job",
        "story story seeing",
        "story story saying",
        "story story doing",
        "story story hearing",
    ),
    areas=(
        Area(
            "persona",
            "Persona",
            "A believable name and face for the segment.",
            kind=AreaKind.FIELDS,
            fields=(Field("name", "Name"), Field("short_description", "In one line")),
        ),
        Area(
            "scenario",
            "Scenario",
            "The situation in which we meet them, named like a step of their journey.",
            kind=AreaKind.FIELDS,
            fields=(Field("scenario", "Scenario", FieldKind.LONG_TEXT),),
        ),
        Area(
            "expectations",
            "Expectations",
            "What they look forward to, and what they dread.",
            kind=AreaKind.FIELDS,
            fields=(Field("expectations", "Expectations", FieldKind.LONG_TEXT),),
        ),
        Area(
            "details",
            "Personal details",
            "The facts that shape their choices.",
            kind=AreaKind.FIELDS,
            fields=(
                Field("age", "Age", FieldKind.NUMBER),
                Field("sex", "Sex"),
                Field(
                    "income_band",
                    "Income band",
                    FieldKind.CHOICE,
                    choices(
                        "low",
                        "lower_middle:Lower middle",
                        "middle",
                        "upper_middle:Upper middle",
                        "high",
                    ),
                ),
                Field("role", "BTABoK role", FieldKind.CHOICE, PERSONA_ROLES),
                Field("segment", "Segment", FieldKind.CHOICE),
            ),
        ),
        Area(
            "story",
            "Personal story",
            "A day in their life: habits, family, background, what they care about.",
            kind=AreaKind.FIELDS,
            fields=(Field("personal_story", "Personal story", FieldKind.LONG_TEXT),),
        ),
        Area("job", "Job to be done", "The progress they are really trying to make."),
        Area("seeing", "Seeing", "What they notice around them and what they read."),
        Area("saying", "Saying", "Words we have actually heard them use."),
        Area("doing", "Doing", "How they behave in this situation today."),
        Area("hearing", "Hearing", "What friends, colleagues and reviews tell them."),
    ),
)

EMPATHY_MAP = CanvasType(
    slug="empathy_map",
    title="Empathy map",
    summary="Step into one person's shoes: what they see, say, do and hear, and what "
    "they think and feel, split into pains and gains. Fill it in the numbered order.",
    family="people",
    links=frozenset({"persona"}),
    columns="1fr 1fr 1fr 1fr",
    grid=(
        "who who goal goal",
        "hear think think see",
        "hear pains gains say",
        "do do do do",
    ),
    areas=(
        Area(
            "who",
            "Who are we empathising with?",
            "The person, their role and the situation they are in.",
            step=1,
        ),
        Area(
            "goal",
            "What do they need to do?",
            "The job they must get done, and how they will know they succeeded.",
            step=2,
        ),
        Area(
            "see",
            "What do they see?",
            "In their surroundings, their market, on their screens.",
            step=3,
        ),
        Area("say", "What do they say?", "Quotes and phrases we have heard them use.", step=4),
        Area(
            "do", "What do they do?", "Behaviour we can observe, today, in this situation.", step=5
        ),
        Area(
            "hear",
            "What do they hear?",
            "From colleagues, friends, bosses, media and rumours.",
            step=6,
        ),
        Area(
            "think",
            "What do they think and feel?",
            "What occupies their mind and what moves them, even if they never say it.",
            step=7,
            tone="head",
        ),
        Area("pains", "Pains", "Fears, frustrations and obstacles.", step=7, tone="block"),
        Area(
            "gains", "Gains", "Wants, needs, hopes and measures of success.", step=7, tone="promote"
        ),
    ),
)

STAKEHOLDER_ENGAGEMENT_CARD = CanvasType(
    slug="stakeholder_engagement_card",
    title="Stakeholder engagement card",
    summary="One stakeholder in the ecosystem: their world, what drives them, how they "
    "decide, and how we will engage them.",
    family="people",
    links=frozenset({"persona"}),
    header_fields=(
        Field(
            "perception",
            "Perception",
            FieldKind.CHOICE,
            choices("positive", "negative", "neutral", "mixed"),
        ),
        Field("power", "Power", FieldKind.CHOICE, choices("formal", "informal")),
        Field(
            "interest",
            "Interest",
            FieldKind.CHOICE,
            choices(
                "gatekeeper",
                "decision_maker:Decision-maker",
                "influencer",
                "participant",
                "stakeholder",
            ),
        ),
        Field("initiative", "Initiative"),
    ),
    columns="1.15fr 1fr 1fr 1fr 1.15fr",
    grid=(
        "profile goal goal goal engage",
        "profile hear think see engage",
        "profile influencers gains say engage",
        "profile influencers pains say style",
        "profile do do do style",
    ),
    areas=(
        Area(
            "profile",
            "Profile",
            "Who they are and where they come from.",
            kind=AreaKind.FIELDS,
            fields=(
                Field("name", "Name"),
                Field("role", "Role"),
                Field("reports_to", "Reports to"),
                Field("origin_story", "Origin story", FieldKind.LONG_TEXT),
                Field("location", "Location"),
                Field("key_metrics", "Key metrics", FieldKind.LONG_TEXT),
                Field("type", "Type"),
            ),
        ),
        Area("goal", "Goal", "What they must achieve, and how they are judged."),
        Area("hear", "Hear", "What reaches them from their boss, peers, team and the market."),
        Area("influencers", "Key influencers", "The people whose opinion moves theirs."),
        Area("see", "See", "What they watch: reports, dashboards, competitors, news."),
        Area("say", "Say", "What they say in meetings and what they say in the corridor."),
        Area("do", "Do", "How they act: sponsor, block, delegate, escalate."),
        Area("think", "Think & feel", "What is on their mind about this initiative.", tone="head"),
        Area("gains", "Gains", "What they stand to win if it succeeds.", tone="promote"),
        Area("pains", "Pains", "What they stand to lose, or fear.", tone="block"),
        Area(
            "style",
            "Decision-making style",
            "How they reach a decision.",
            kind=AreaKind.FIELDS,
            fields=(
                Field(
                    "decision_style",
                    "Style",
                    FieldKind.CHOICE,
                    choices("analytical", "conceptual", "decisive"),
                ),
            ),
        ),
        Area(
            "engage",
            "Engage",
            "Our strategy for this stakeholder and how we will communicate.",
            kind=AreaKind.FIELDS,
            fields=(
                Field(
                    "strategy",
                    "Strategy",
                    FieldKind.CHOICE,
                    choices("ignore", "consult", "negotiate", "involve", "collaborate", "empower"),
                ),
                Field(
                    "information_exchange",
                    "Information exchange",
                    FieldKind.SCALE,
                    scale=(1, 5),
                    ends=("chat", "structured"),
                ),
                Field(
                    "cadence",
                    "Cadence",
                    FieldKind.SCALE,
                    scale=(1, 3),
                    ends=("frequent", "regular", "urgent"),
                ),
                Field(
                    "format", "Format", FieldKind.SCALE, scale=(1, 5), ends=("informal", "formal")
                ),
            ),
        ),
    ),
)
