from .accounts import User
from .people import Job, Persona, Segment
from .transfers import Transfer
from .workspaces import Invitation, Membership, Workspace

__all__ = ["Invitation", "Job", "Membership", "Persona", "Segment", "Transfer", "User", "Workspace"]
