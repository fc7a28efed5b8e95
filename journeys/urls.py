from django.urls import path

from engage.views.sections import section_index

app_name = "journeys"

urlpatterns = [
    path("", section_index, {"template": "journeys/index.html"}, name="index"),
]
