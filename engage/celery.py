import gc
import os

from celery import Celery, signals

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "engage.settings")

app = Celery("engage")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()


@signals.worker_init.connect
def freeze_imported_objects(**_):
    """Keep the worker's imported modules shared with its forked children.

    The garbage collector writes to every object it scans, so each child would soon
    hold private copies of pages it inherited; frozen objects are never scanned.
    """
    gc.freeze()
