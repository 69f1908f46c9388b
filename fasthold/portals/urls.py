from django.urls import path

from fasthold.portals import views

app_name = "portals"
urlpatterns = [
    path("employer/", views.employer, name="employer"),
    path("employer/<uuid:public_id>/", views.employer_case, name="employer_case"),
    path("me/", views.employee, name="employee"),
]
