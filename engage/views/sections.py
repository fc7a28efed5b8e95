from django.template.response import TemplateResponse
from django.views.decorators.http import require_http_methods

from engage.access import workspace_access
from engage.roles import Capability


@require_http_methods(["GET"])
@workspace_access(get=Capability.VIEW)
def section_index(request, template: str):
    """The landing page of an app whose features are still to come: an explained empty state."""
    return TemplateResponse(request, template, {})
