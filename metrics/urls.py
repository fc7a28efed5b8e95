from django.urls import path

from engage.views.sections import section_index

app_name = "metrics"

urlpatterns = [
    path("", section_index, {"template": "metrics/index.html"}, name="index"),
]
