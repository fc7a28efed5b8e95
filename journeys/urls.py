from django.urls import path

from engage.views.sections import section_index
from journeys.views import machines

app_name = "journeys"

urlpatterns = [
    path("", section_index, {"template": "journeys/index.html"}, name="index"),
    path("jobs/<int:job>/machine/", machines.job_machine, name="job_machine"),
    path("jobs/<int:job>/machine/pdf/", machines.job_machine_pdf, name="job_machine_pdf"),
]
