from celery import shared_task
from django.conf import settings

from engage import services
from engage.models import Invitation, Transfer
from engage.services import transfers


@shared_task(autoretry_for=(OSError,), retry_backoff=True, max_retries=5)
def send_invitation_email(invitation_id: int, accept_url: str) -> None:
    invitation = Invitation.objects.select_related("workspace").filter(pk=invitation_id).first()
    if invitation is None or not invitation.is_usable:
        return
    services.invitation_send_email(invitation=invitation, accept_url=accept_url)


@shared_task(
    acks_late=True,
    soft_time_limit=settings.WORKSPACE_TRANSFER_TIME_LIMIT - 30,
    time_limit=settings.WORKSPACE_TRANSFER_TIME_LIMIT,
)
def run_transfer(transfer_id: int) -> None:
    """A workspace export or import; one may take long, hence its own time limit."""
    transfer = Transfer.objects.select_related("workspace", "requested_by").filter(pk=transfer_id)
    if transfer := transfer.first():
        transfers.transfer_execute(transfer)
