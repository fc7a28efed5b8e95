from engage.roles import CAPABILITIES


def workspace_access(request):
    """`can.edit`, `can.manage`… for the current workspace, so templates hide what a role can't do.

    Hiding is only courtesy: every view checks the capability itself.
    """
    membership = getattr(request, "membership", None)
    capabilities = CAPABILITIES.get(membership.role, frozenset()) if membership else frozenset()
    return {"can": dict.fromkeys(capabilities, True)}
