from celery import shared_task

from engage import services
from engage.models import Invitation


@shared_task(autoretry_for=(OSError,), retry_backoff=True, max_retries=5)
def send_invitation_email(invitation_id: int, accept_url: str) -> None:
    invitation = Invitation.objects.select_related("workspace").filter(pk=invitation_id).first()
    if invitation is None or not invitation.is_usable:
        return
    services.invitation_send_email(invitation=invitation, accept_url=accept_url)
