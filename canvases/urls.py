from django.urls import path

from engage.views.sections import section_index

app_name = "canvases"

urlpatterns = [
    path("", section_index, {"template": "canvases/index.html"}, name="index"),
]
