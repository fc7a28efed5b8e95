from django.shortcuts import redirect, resolve_url
from django_htmx.http import HttpResponseClientRedirect


def template_for(request, page: str, partial: str, allowed: frozenset[str]) -> str:
    """Render only a named partial for non-boosted htmx requests; the server picks the name."""
    if partial not in allowed:
        raise ValueError(f"Unknown partial {partial!r} for {page}")
    if request.htmx and not request.htmx.boosted:
        return f"{page}#{partial}"
    return page


def redirect_to(request, to, *args, **kwargs):
    """After a successful POST: a normal redirect, or a full-page one for htmx."""
    if request.htmx:
        return HttpResponseClientRedirect(resolve_url(to, *args, **kwargs))
    return redirect(to, *args, **kwargs)
