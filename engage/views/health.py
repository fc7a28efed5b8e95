from django.db import connection
from django.http import JsonResponse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from engage.broker import broker_status


def _database_status() -> str:
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
    except Exception as error:
        return f"down: {error.__class__.__name__}"
    return "ok"


@never_cache
@require_GET
def healthz(request):
    status = {"database": _database_status(), "broker": broker_status()}
    healthy = all(value.startswith("ok") for value in status.values())
    return JsonResponse(
        {"status": "ok" if healthy else "down", **status}, status=200 if healthy else 503
    )
