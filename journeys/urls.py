from django.urls import path

from engage.views.sections import section_index
from journeys.views import digital

app_name = "journeys"

urlpatterns = [
    path("", section_index, {"template": "journeys/index.html"}, name="index"),
    path("<int:journey>/digital/", digital.digital_mix, name="digital_mix"),
    path("<int:journey>/digital/pdf/", digital.digital_mix_pdf, name="digital_mix_pdf"),
]
