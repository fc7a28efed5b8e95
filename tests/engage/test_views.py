import io
from pathlib import Path
from urllib.parse import quote

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse
from PIL import Image

from engage.models import Invitation, Job, Membership, Persona, Segment, Workspace
from engage.roles import Role
from engage.selectors import invitation_signed_token
from engage.services import invitation_send_email
from tests.engage.factories import (
    InvitationFactory,
    JobFactory,
    MembershipFactory,
    PersonaFactory,
    SegmentFactory,
    UserFactory,
    WorkspaceFactory,
)

pytestmark = pytest.mark.django_db

HTMX = {"HTTP_HX_REQUEST": "true"}


def url(name, workspace, **kwargs):
    return reverse(name, kwargs={"workspace": workspace.slug, **kwargs})


def png(width=8, height=8, name="face.png"):
    buffer = io.BytesIO()
    Image.new("RGB", (width, height), "teal").save(buffer, format="PNG")
    return SimpleUploadedFile(name, buffer.getvalue(), content_type="image/png")


def persona_data(**overrides):
    return {"name": "Priya", "role": "customer", "avatar_colour": "teal", **overrides}


def accept_url(invitation):
    return reverse("invitation_accept", kwargs={"token": invitation_signed_token(invitation)})


@pytest.fixture
def editor(member, client_as):
    return client_as(member(Role.FACILITATOR))


@pytest.fixture
def owner_client(owner, client_as):
    return client_as(owner)


# --- Persona quick add ---------------------------------------------------------------


def test_quick_adding_a_persona_redirects_back_to_the_list(workspace, editor):
    response = editor.post(url("persona_list", workspace), {"name": "Priya", "role": "user"})

    assert response.status_code == 302
    assert response.url == url("persona_list", workspace)
    persona = Persona.objects.get(workspace=workspace)
    assert (persona.name, persona.role) == ("Priya", "user")
    assert "Persona “Priya” added." in editor.get(response.url).content.decode()


def test_quick_adding_a_persona_with_htmx_returns_only_the_persona_section(workspace, editor):
    response = editor.post(
        url("persona_list", workspace), {"name": "Priya", "role": "user"}, **HTMX
    )

    html = response.content.decode()
    assert response.status_code == 200
    assert "<html" not in html
    assert html.lstrip().startswith('<div id="persona-section">')
    assert "Priya" in html
    assert Persona.objects.filter(workspace=workspace, name="Priya").exists()


def test_quick_adding_a_persona_without_a_name_shows_the_error(workspace, editor):
    response = editor.post(url("persona_list", workspace), {"name": "", "role": "user"}, **HTMX)

    html = response.content.decode()
    assert "<html" not in html
    assert "is-invalid" in html
    assert "This field is required." in html
    assert not Persona.objects.exists()


# --- Job quick add -----------------------------------------------------------------

JOB = {"verb": "Onboard", "object": "new hires", "context": "in week one", "kind": "functional"}


def test_quick_adding_a_job_redirects_back_to_the_list(workspace, editor):
    response = editor.post(url("job_list", workspace), JOB)

    assert response.status_code == 302
    assert response.url == url("job_list", workspace)
    assert Job.objects.get(workspace=workspace).statement == "Onboard new hires in week one"


def test_quick_adding_a_job_with_htmx_returns_only_the_job_section(workspace, editor):
    response = editor.post(url("job_list", workspace), JOB, **HTMX)

    html = response.content.decode()
    assert response.status_code == 200
    assert "<html" not in html
    assert html.lstrip().startswith('<div id="job-section">')
    assert "new hires" in html
    assert Job.objects.filter(workspace=workspace).count() == 1


def test_quick_adding_a_job_without_a_verb_shows_the_error(workspace, editor):
    response = editor.post(url("job_list", workspace), {**JOB, "verb": ""}, **HTMX)

    html = response.content.decode()
    assert "<html" not in html
    assert "This field is required." in html
    assert not Job.objects.exists()


# --- Persona form and avatars ---------------------------------------------------------


def test_a_persona_created_with_an_avatar_shows_it_to_members_only(
    workspace, editor, member, outsider
):
    upload = png()
    image_bytes = upload.read()
    upload.seek(0)
    response = editor.post(
        url("persona_create", workspace), persona_data(avatar_image=upload, age="34")
    )

    persona = Persona.objects.get(workspace=workspace)
    assert response.status_code == 302
    assert response.url == persona.get_absolute_url()
    assert persona.age == 34
    avatar_url = url("persona_avatar", workspace, persona=persona.pk)
    assert avatar_url in editor.get(response.url).content.decode()

    viewer, stranger = Client(), Client()
    viewer.force_login(member(Role.VIEWER))
    stranger.force_login(outsider)
    served = viewer.get(avatar_url)
    assert served.status_code == 200
    assert served["Content-Type"] == "image/png"
    assert b"".join(served.streaming_content) == image_bytes
    assert stranger.get(avatar_url).status_code == 404


def not_an_image():
    return SimpleUploadedFile("face.png", b"%PDF-1.4 not a picture", content_type="image/png")


@pytest.mark.parametrize(
    "make_upload,message",
    [
        (not_an_image, "Upload a valid image"),
        (lambda: png(4097, 1), "The image is 4097×1 pixels; the limit is 4096×4096."),
    ],
    ids=["not-an-image", "too-many-pixels"],
)
def test_an_unacceptable_avatar_is_refused_with_a_reason(workspace, editor, make_upload, message):
    response = editor.post(
        url("persona_create", workspace), persona_data(avatar_image=make_upload())
    )

    assert response.status_code == 200
    assert message in response.content.decode()
    assert not Persona.objects.exists()


def test_an_avatar_over_the_size_limit_is_refused(workspace, editor, settings):
    settings.AVATAR_MAX_BYTES = 40

    response = editor.post(url("persona_create", workspace), persona_data(avatar_image=png()))

    assert response.status_code == 200
    assert "the limit is 40\xa0bytes" in response.content.decode()
    assert not Persona.objects.exists()


def test_replacing_an_avatar_deletes_the_old_file(workspace, editor):
    editor.post(url("persona_create", workspace), persona_data(avatar_image=png()))
    persona = Persona.objects.get(workspace=workspace)
    old_file = Path(persona.avatar_image.path)
    assert old_file.exists()

    response = editor.post(
        url("persona_edit", workspace, persona=persona.pk),
        persona_data(name="Priya S.", avatar_image=png(16, 16, name="face.png")),
    )

    assert response.status_code == 302
    persona.refresh_from_db()
    assert persona.name == "Priya S."
    assert Path(persona.avatar_image.path).exists()
    assert not old_file.exists()


def test_editing_without_a_new_avatar_keeps_the_old_one(workspace, editor):
    editor.post(url("persona_create", workspace), persona_data(avatar_image=png()))
    persona = Persona.objects.get(workspace=workspace)

    editor.post(url("persona_edit", workspace, persona=persona.pk), persona_data(name="Priya S."))

    persona.refresh_from_db()
    assert persona.name == "Priya S."
    assert Path(persona.avatar_image.path).exists()


def test_clearing_an_avatar_deletes_its_file(workspace, editor):
    editor.post(url("persona_create", workspace), persona_data(avatar_image=png()))
    persona = Persona.objects.get(workspace=workspace)
    old_file = Path(persona.avatar_image.path)

    editor.post(
        url("persona_edit", workspace, persona=persona.pk),
        persona_data(**{"avatar_image-clear": "on"}),
    )

    persona.refresh_from_db()
    assert not persona.avatar_image
    assert not old_file.exists()


# --- Jobs ----------------------------------------------------------------------------


def test_new_job_from_a_bigger_job_starts_with_it_as_parent(workspace, editor):
    bigger = JobFactory(workspace=workspace)
    create_url = url("job_create", workspace) + f"?parent={bigger.pk}"

    form = editor.get(create_url).content.decode()
    response = editor.post(create_url, {**JOB, "parent": bigger.pk})

    assert f'<option value="{bigger.pk}" selected>' in form
    child = Job.objects.exclude(pk=bigger.pk).get(workspace=workspace)
    assert child.parent == bigger
    assert response.url == child.get_absolute_url()
    assert f'href="{bigger.get_absolute_url()}"' in editor.get(response.url).content.decode()


def test_a_job_cannot_pick_a_parent_from_another_workspace(workspace, editor):
    foreign = JobFactory(workspace=WorkspaceFactory())

    response = editor.post(url("job_create", workspace), {**JOB, "parent": foreign.pk})

    assert response.status_code == 200
    assert "Select a valid choice" in response.content.decode()
    assert not Job.objects.filter(workspace=workspace).exists()


# --- Segments ------------------------------------------------------------------------


def test_a_segment_can_be_added_edited_and_deleted(workspace, editor):
    editor.post(url("segment_list", workspace), {"name": "Mid-market SaaS", "region": "EMEA"})
    segment = Segment.objects.get(workspace=workspace)
    persona = PersonaFactory(workspace=workspace, segment=segment)
    assert "Mid-market SaaS" in editor.get(url("segment_list", workspace)).content.decode()

    response = editor.post(
        url("segment_edit", workspace, segment=segment.pk),
        {"name": "Mid-market SaaS", "region": "APAC", "organisation_size": "mid_market"},
    )
    assert response.url == url("segment_list", workspace)
    segment.refresh_from_db()
    assert (segment.region, segment.organisation_size) == ("APAC", "mid_market")

    response = editor.post(url("segment_delete", workspace, segment=segment.pk))
    assert response.url == url("segment_list", workspace)
    assert not Segment.objects.exists()
    persona.refresh_from_db()
    assert persona.segment is None


def test_two_segments_of_a_workspace_cannot_share_a_name(workspace, editor):
    SegmentFactory(workspace=workspace, name="Enterprise")

    response = editor.post(url("segment_list", workspace), {"name": "Enterprise"})

    assert response.status_code == 200
    assert "already has a segment with this name" in response.content.decode()
    assert Segment.objects.filter(workspace=workspace).count() == 1


def test_renaming_a_segment_to_a_taken_name_is_refused(workspace, editor):
    SegmentFactory(workspace=workspace, name="Enterprise")
    segment = SegmentFactory(workspace=workspace, name="Public sector")

    response = editor.post(
        url("segment_edit", workspace, segment=segment.pk), {"name": "Enterprise"}
    )

    assert response.status_code == 200
    assert "already has a segment with this name" in response.content.decode()
    segment.refresh_from_db()
    assert segment.name == "Public sector"


def test_another_workspace_may_use_the_same_segment_name(workspace, editor):
    SegmentFactory(workspace=WorkspaceFactory(), name="Enterprise")

    editor.post(url("segment_list", workspace), {"name": "Enterprise"})

    assert Segment.objects.filter(workspace=workspace, name="Enterprise").exists()


# --- Members ---------------------------------------------------------------------------


def test_an_owner_changes_a_role_with_htmx_and_sees_it_saved(workspace, owner_client, member):
    viewer = Membership.objects.get(user=member(Role.VIEWER))

    response = owner_client.post(
        url("member_role", workspace, membership=viewer.pk), {"role": "facilitator"}, **HTMX
    )

    html = response.content.decode()
    assert response.status_code == 200
    assert "<html" not in html
    assert html.lstrip().startswith(f'<tr id="member-{viewer.pk}">')
    assert "Saved" in html
    viewer.refresh_from_db()
    assert viewer.role == Role.FACILITATOR


def test_demoting_the_last_owner_shows_why_and_keeps_the_role(workspace, owner, owner_client):
    mine = Membership.objects.get(workspace=workspace, user=owner)

    response = owner_client.post(
        url("member_role", workspace, membership=mine.pk), {"role": "viewer"}, **HTMX
    )

    html = response.content.decode()
    assert "A workspace needs at least one owner" in html
    assert "Saved" not in html
    assert '<option value="owner" selected>' in html
    mine.refresh_from_db()
    assert mine.role == Role.OWNER


def test_changing_a_role_without_htmx_redirects_with_a_message(workspace, owner_client, member):
    viewer = Membership.objects.get(user=member(Role.VIEWER))

    response = owner_client.post(
        url("member_role", workspace, membership=viewer.pk), {"role": "reviewer"}, follow=True
    )

    assert response.redirect_chain == [(url("member_list", workspace), 302)]
    assert "is now Reviewer." in response.content.decode()


def test_an_owner_removes_a_member(workspace, owner_client, member):
    leaving = Membership.objects.get(user=member(Role.PARTICIPANT))

    response = owner_client.post(
        url("member_remove", workspace, membership=leaving.pk), follow=True
    )

    assert not Membership.objects.filter(pk=leaving.pk).exists()
    assert "no longer has access to this workspace" in response.content.decode()


def test_the_last_owner_cannot_remove_themselves(workspace, owner, owner_client):
    mine = Membership.objects.get(workspace=workspace, user=owner)

    response = owner_client.post(url("member_remove", workspace, membership=mine.pk), follow=True)

    assert "The last owner cannot be removed" in response.content.decode()
    assert Membership.objects.filter(pk=mine.pk).exists()


# --- Invitations ---------------------------------------------------------------------


def test_an_invitation_with_an_email_is_queued_and_sends_the_link(
    workspace, owner_client, django_capture_on_commit_callbacks, mailoutbox
):
    """Celery runs on a real broker in this suite, so the test runs the task's service itself."""
    with django_capture_on_commit_callbacks(execute=False) as queued:
        response = owner_client.post(
            url("member_list", workspace),
            {"role": "reviewer", "email": "dana@example.com", "valid_for_days": 7},
            follow=True,
        )

    invitation = Invitation.objects.get(workspace=workspace)
    assert (invitation.email, invitation.role, invitation.single_use) == (
        "dana@example.com",
        Role.REVIEWER,
        True,
    )
    assert "emailed to dana@example.com" in response.content.decode()
    assert len(queued) == 1

    link = "http://testserver" + accept_url(invitation)
    invitation_send_email(invitation=invitation, accept_url=link)

    [email] = mailoutbox
    assert email.to == ["dana@example.com"]
    assert workspace.name in email.subject
    assert link in email.body
    assert Client().get(link).status_code == 200


def test_an_invitation_without_an_email_queues_nothing(
    workspace, owner_client, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=False) as queued:
        owner_client.post(url("member_list", workspace), {"role": "viewer", "valid_for_days": 7})

    assert Invitation.objects.get(workspace=workspace).single_use is False
    assert queued == []


def test_a_revoked_invitation_link_says_so(workspace, owner_client):
    invitation = InvitationFactory(workspace=workspace)
    assert Client().get(accept_url(invitation)).status_code == 200

    owner_client.post(url("invitation_revoke", workspace, invitation=invitation.pk))
    response = Client().get(accept_url(invitation))

    assert response.status_code == 410
    assert "This invitation is revoked." in response.content.decode()
    invitation.refresh_from_db()
    assert invitation.revoked_at is not None


def test_an_anonymous_visitor_is_offered_sign_up_and_log_in(workspace, client):
    invitation = InvitationFactory(workspace=workspace, role=Role.REVIEWER)
    link = accept_url(invitation)

    response = client.get(link)

    html = response.content.decode()
    assert response.status_code == 200
    assert workspace.name in html
    assert f'href="{reverse("signup")}?next={quote(link)}"' in html
    assert f'href="{reverse("login")}?next={quote(link)}"' in html


def test_signing_up_from_an_invitation_returns_to_it_and_joins(workspace, client):
    invitation = InvitationFactory(workspace=workspace, role=Role.REVIEWER)
    link = accept_url(invitation)

    response = client.post(
        reverse("signup"),
        {
            "name": "Dana",
            "email": "Dana@Example.com",
            "password": "a-long-unusual-passphrase-42",
            "next": link,
        },
    )
    assert response.status_code == 302
    assert response.url == link

    response = client.post(link)

    assert response.url == workspace.get_absolute_url()
    joined = Membership.objects.get(workspace=workspace, user__email="dana@example.com")
    assert joined.role == Role.REVIEWER


def test_signing_up_ignores_a_next_link_to_another_site(client):
    response = client.post(
        reverse("signup"),
        {
            "name": "Dana",
            "email": "dana@example.com",
            "password": "a-long-unusual-passphrase-42",
            "next": "https://evil.example.net/",
        },
    )

    assert response.url == reverse("workspace_list")


# --- Workspaces --------------------------------------------------------------------


def test_deleting_a_workspace_needs_its_exact_name(workspace, owner_client):
    workspace.name = "Acme onboarding"
    workspace.save()
    delete_url = url("workspace_delete", workspace)

    response = owner_client.post(delete_url, {"confirm_name": "acme onboarding"}, follow=True)

    assert "Type the workspace&#x27;s name exactly" in response.content.decode()
    assert Workspace.objects.filter(pk=workspace.pk).exists()

    response = owner_client.post(delete_url, {"confirm_name": "Acme onboarding"})

    assert response.url == reverse("workspace_list")
    assert not Workspace.objects.filter(pk=workspace.pk).exists()


def test_the_workspace_list_shows_only_my_workspaces(client_as):
    me = UserFactory()
    MembershipFactory(user=me, workspace=WorkspaceFactory(name="Mine as owner"), role=Role.OWNER)
    MembershipFactory(user=me, workspace=WorkspaceFactory(name="Mine to view"), role=Role.VIEWER)
    MembershipFactory(workspace=WorkspaceFactory(name="Somebody else's"), role=Role.OWNER)

    html = client_as(me).get(reverse("workspace_list")).content.decode()

    assert "Mine as owner" in html
    assert "Mine to view" in html
    assert "Somebody else" not in html


def test_creating_a_workspace_opens_it_with_me_as_owner(client_as):
    me = UserFactory()

    response = client_as(me).post(reverse("workspace_list"), {"name": "Acme onboarding"})

    workspace = Workspace.objects.get(name="Acme onboarding")
    assert response.url == workspace.get_absolute_url()
    assert Membership.objects.get(workspace=workspace, user=me).role == Role.OWNER


# --- Escaping ----------------------------------------------------------------------


def test_user_text_is_escaped_on_persona_pages(workspace, editor):
    script = "<script>alert(1)</script>"
    persona = PersonaFactory(workspace=workspace, name=script, short_description=script)

    for page in (url("persona_list", workspace), persona.get_absolute_url()):
        html = editor.get(page).content.decode()
        assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html
        assert script not in html


# --- Query counts: list pages do not grow with their rows ----------------------------


# Each adds `rows` rows with their related objects and returns a text the page must then show.


def add_personas(workspace, rows):
    for n in range(rows):
        persona = PersonaFactory(workspace=workspace, avatar_image=png() if n % 2 else "")
    return persona.segment.name


def add_jobs(workspace, rows):
    parent = None
    for n in range(rows):
        persona = PersonaFactory(workspace=workspace, name=f"Persona {n}")
        parent = JobFactory(
            workspace=workspace, parent=parent if n % 3 else None, personas=[persona]
        )
    return parent.object


def add_segments(workspace, rows):
    for _ in range(rows):
        persona = PersonaFactory(workspace=workspace)  # each in its own new segment
    return persona.segment.name


def add_home_rows(workspace, rows):
    add_personas(workspace, rows)
    add_jobs(workspace, rows)
    return "top-level jobs"


def add_members(workspace, rows):
    for _ in range(rows):
        viewer = MembershipFactory(workspace=workspace, role=Role.VIEWER)
        InvitationFactory(workspace=workspace)
    return viewer.user.email


@pytest.mark.parametrize(
    "page,add_rows,max_queries",
    [
        ("persona_list", add_personas, 4),
        ("job_list", add_jobs, 5),
        ("segment_list", add_segments, 4),
        ("workspace_home", add_home_rows, 9),  # + the journeys panel
        ("member_list", add_members, 5),
    ],
)
def test_list_pages_use_a_fixed_number_of_queries(
    workspace, owner_client, django_assert_max_num_queries, page, add_rows, max_queries
):
    page_url = url(page, workspace)
    for rows in (3, 27):  # 3 rows, then 30
        shown = add_rows(workspace, rows)
        with django_assert_max_num_queries(max_queries):
            response = owner_client.get(page_url)
        assert shown in response.content.decode()
