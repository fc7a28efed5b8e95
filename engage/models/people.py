import uuid

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.urls import reverse

from engage.validators import AVATAR_SUFFIXES, image_format, validate_avatar_image

from .scoping import WorkspaceScopedQuerySet
from .workspaces import Workspace


class Segment(models.Model):
    """A group of customers that one or more personas make concrete."""

    class OrganisationSize(models.TextChoices):
        SMALL = "small", "Small business"
        MID_MARKET = "mid_market", "Mid-market"
        ENTERPRISE = "enterprise", "Enterprise"
        PUBLIC = "public", "Public sector"

    workspace = models.ForeignKey(Workspace, on_delete=models.CASCADE, related_name="segments")
    name = models.CharField(max_length=120)
    offering = models.CharField(max_length=160, blank=True, help_text="Product or service owned.")
    industry = models.CharField(max_length=120, blank=True)
    region = models.CharField(max_length=120, blank=True)
    organisation_size = models.CharField(
        max_length=20, choices=OrganisationSize.choices, blank=True
    )
    created_at = models.DateTimeField(auto_now_add=True)

    objects = WorkspaceScopedQuerySet.as_manager()

    class Meta:
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(fields=["workspace", "name"], name="unique_segment_name")
        ]

    def __str__(self):
        return self.name


class PersonaRole(models.TextChoices):
    """BTABoK's five people roles; a customer is never filed as a stakeholder."""

    CLIENT = "client", "Client"
    CUSTOMER = "customer", "Customer"
    ECONOMIC_BUYER = "economic_buyer", "Economic buyer"
    USER = "user", "User"
    STAKEHOLDER = "stakeholder", "Stakeholder"


PERSONA_ROLE_HELP = {
    PersonaRole.CLIENT: "Employs or pays the architect; never the business's customer.",
    PersonaRole.CUSTOMER: "Decides to buy, use or direct use: the real decision-maker.",
    PersonaRole.ECONOMIC_BUYER: "Pays: a boss, purchasing, a parent.",
    PersonaRole.USER: "Touches the product directly.",
    PersonaRole.STAKEHOLDER: "Anyone in the ecosystem who affects success.",
}


class AvatarColour(models.TextChoices):
    TEAL = "teal", "Teal"
    INDIGO = "indigo", "Indigo"
    AMBER = "amber", "Amber"
    ROSE = "rose", "Rose"
    SAGE = "sage", "Sage"
    SLATE = "slate", "Slate"
    PLUM = "plum", "Plum"
    SKY = "sky", "Sky"


class IncomeBand(models.TextChoices):
    LOW = "low", "Low"
    LOWER_MIDDLE = "lower_middle", "Lower middle"
    MIDDLE = "middle", "Middle"
    UPPER_MIDDLE = "upper_middle", "Upper middle"
    HIGH = "high", "High"


def avatar_upload_path(instance, filename):
    """A random name with the suffix of the image's real format, whatever it was called."""
    suffix = AVATAR_SUFFIXES.get(image_format(instance.avatar_image.file), "")
    return f"avatars/{uuid.uuid4().hex}{suffix}"


class Persona(models.Model):
    """One concrete person standing for a segment; canvases link to it."""

    workspace = models.ForeignKey(Workspace, on_delete=models.CASCADE, related_name="personas")
    name = models.CharField(max_length=120)
    short_description = models.CharField(max_length=240, blank=True)
    role = models.CharField(
        "BTABoK role", max_length=20, choices=PersonaRole.choices, default=PersonaRole.CUSTOMER
    )
    segment = models.ForeignKey(
        Segment, null=True, blank=True, on_delete=models.SET_NULL, related_name="personas"
    )
    avatar_colour = models.CharField(
        max_length=12, choices=AvatarColour.choices, default=AvatarColour.TEAL
    )
    avatar_image = models.ImageField(
        upload_to=avatar_upload_path, blank=True, validators=[validate_avatar_image]
    )
    age = models.PositiveSmallIntegerField(null=True, blank=True)
    sex = models.CharField(max_length=40, blank=True)
    income_band = models.CharField(max_length=20, choices=IncomeBand.choices, blank=True)
    scenario = models.TextField(
        blank=True, help_text="Where we meet them, named like a journey step."
    )
    expectations = models.TextField(blank=True, help_text="What they look forward to and dread.")
    personal_story = models.TextField(
        blank=True, help_text="A day in their life: habits, family, background."
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = WorkspaceScopedQuerySet.as_manager()

    class Meta:
        ordering = ["name"]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse(
            "persona_detail", kwargs={"workspace": self.workspace.slug, "persona": self.pk}
        )

    @property
    def initials(self) -> str:
        words = [word for word in self.name.split() if word[:1].isalnum()]
        return "".join(word[0] for word in words[:2]).upper() or "?"

    def clean(self):
        if self.segment_id and self.segment.workspace_id != self.workspace_id:
            raise ValidationError({"segment": "Pick a segment of this workspace."})


class Job(models.Model):
    """A job to be done: verb + object + context, e.g. 'get | new hires productive | in week one'."""

    class Kind(models.TextChoices):
        FUNCTIONAL = "functional", "Functional"
        SOCIAL = "social", "Social"
        EMOTIONAL = "emotional", "Emotional"

    workspace = models.ForeignKey(Workspace, on_delete=models.CASCADE, related_name="jobs")
    verb = models.CharField(max_length=60, help_text="What the customer does, e.g. “onboard”.")
    object = models.CharField(max_length=160, help_text="What it is done to, e.g. “new hires”.")
    context = models.CharField(
        max_length=200, blank=True, help_text="When or where, e.g. “in their first week”."
    )
    kind = models.CharField(max_length=12, choices=Kind.choices, default=Kind.FUNCTIONAL)
    personas = models.ManyToManyField(Persona, blank=True, related_name="jobs")
    parent = models.ForeignKey(
        "self",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="children",
        help_text="A job is a loop of smaller jobs: the bigger job this one serves.",
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = WorkspaceScopedQuerySet.as_manager()

    class Meta:
        ordering = ["verb", "object"]

    def __str__(self):
        return self.statement

    def get_absolute_url(self):
        return reverse("job_detail", kwargs={"workspace": self.workspace.slug, "job": self.pk})

    @property
    def statement(self) -> str:
        return " ".join(part for part in (self.verb, self.object, self.context) if part)

    def ancestors(self):
        """Walk up the parent chain, stopping at a loop instead of spinning."""
        seen, node = set(), self.parent
        while node is not None and node.pk not in seen:
            seen.add(node.pk)
            yield node
            node = node.parent

    def clean(self):
        if self.parent_id is None:
            return
        if self.parent.workspace_id != self.workspace_id:
            raise ValidationError({"parent": "Pick a job of this workspace."})
        if self.pk and (
            self.parent_id == self.pk or any(a.pk == self.pk for a in self.ancestors())
        ):
            raise ValidationError({"parent": "A job cannot be part of itself."})
