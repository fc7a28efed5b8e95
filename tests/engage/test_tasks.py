import email

import pytest
from django.urls import reverse

from engage.roles import Role
from tests.conftest import wait_for


@pytest.mark.django_db(transaction=True)
def test_invitation_email_is_sent_by_the_celery_worker(client, celery_worker, member):
    """The owner asks for an emailed invite; the real worker (Redis broker) sends it."""
    owner = member(Role.OWNER)
    client.force_login(owner)
    workspace = owner.memberships.get().workspace
    response = client.post(
        reverse("member_list", kwargs={"workspace": workspace.slug}),
        {"role": Role.REVIEWER, "email": "po@customer.example", "valid_for_days": 7},
    )
    assert response.status_code == 302
    mail_dir = celery_worker

    def sent():
        files = list(mail_dir.glob("*.log"))
        return files and "po@customer.example" in files[0].read_text()

    wait_for(sent, timeout=20)
    message = email.message_from_string(next(mail_dir.glob("*.log")).read_text().split("\n---")[0])
    body = message.get_payload(decode=True).decode()
    assert message["Subject"] == f"You're invited to {workspace.name} on Engage"
    assert message["To"] == "po@customer.example"
    assert "as reviewer" in body
    assert "/invite/" in body
