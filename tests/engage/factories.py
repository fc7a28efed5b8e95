import factory
from factory.django import DjangoModelFactory

from engage.models import Invitation, Job, Membership, Persona, Segment, User, Workspace
from engage.roles import Role

PASSWORD = "correct-horse-battery-staple"


class UserFactory(DjangoModelFactory):
    class Meta:
        model = User
        skip_postgeneration_save = True

    email = factory.Sequence(lambda n: f"person{n}@example.com")
    username = factory.SelfAttribute("email")
    name = factory.Faker("name")
    password = factory.PostGenerationMethodCall("set_password", PASSWORD)

    @factory.post_generation
    def saved(obj, create, extracted, **kwargs):
        if create:
            obj.save()


class WorkspaceFactory(DjangoModelFactory):
    class Meta:
        model = Workspace

    name = factory.Sequence(lambda n: f"Engagement {n}")
    slug = factory.Sequence(lambda n: f"engagement-{n}")
    customer_organisation = factory.Faker("company")
    created_by = factory.SubFactory(UserFactory)


class MembershipFactory(DjangoModelFactory):
    class Meta:
        model = Membership

    workspace = factory.SubFactory(WorkspaceFactory)
    user = factory.SubFactory(UserFactory)
    role = Role.PARTICIPANT


class InvitationFactory(DjangoModelFactory):
    class Meta:
        model = Invitation

    workspace = factory.SubFactory(WorkspaceFactory)
    role = Role.PARTICIPANT
    created_by = factory.SelfAttribute("workspace.created_by")


class SegmentFactory(DjangoModelFactory):
    class Meta:
        model = Segment

    workspace = factory.SubFactory(WorkspaceFactory)
    name = factory.Sequence(lambda n: f"Segment {n}")
    industry = factory.Faker("bs")
    region = "EMEA"


class PersonaFactory(DjangoModelFactory):
    class Meta:
        model = Persona

    workspace = factory.SubFactory(WorkspaceFactory)
    name = factory.Faker("name")
    short_description = factory.Faker("sentence")
    segment = factory.SubFactory(SegmentFactory, workspace=factory.SelfAttribute("..workspace"))


class JobFactory(DjangoModelFactory):
    class Meta:
        model = Job
        skip_postgeneration_save = True

    workspace = factory.SubFactory(WorkspaceFactory)
    verb = "Onboard"
    object = factory.Sequence(lambda n: f"new hires group {n}")
    context = "in their first week"

    @factory.post_generation
    def personas(obj, create, extracted, **kwargs):
        if create and extracted:
            obj.personas.set(extracted)
