from django.urls import path

from fasthold.screening import views

app_name = "screening"
urlpatterns = [
    path("programs/", views.program_list, name="programs"),
    path("programs/examples/", views.program_install_examples, name="install_examples"),
    path("programs/<uuid:program_id>/", views.program_detail, name="program"),
    path("instruments/", views.instruments, name="instruments"),
    path("case/<uuid:public_id>/programs/", views.case_programs, name="case_programs"),
    path("case/<uuid:public_id>/visit/<uuid:program_id>/", views.visit, name="visit"),
    path("case/<uuid:public_id>/profile/", views.profile, name="profile"),
    path("case/<uuid:public_id>/profile/edit/", views.profile_edit, name="profile_edit"),
    path("case/<uuid:public_id>/questionnaires/", views.questionnaires, name="questionnaires"),
    path(
        "case/<uuid:public_id>/questionnaires/<slug:instrument_id>/",
        views.questionnaire_fill,
        name="questionnaire_fill",
    ),
]
