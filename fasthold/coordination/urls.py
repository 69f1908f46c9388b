from django.urls import path

from fasthold.coordination import views

app_name = "coordination"
urlpatterns = [
    path("case/<uuid:public_id>/contacts/", views.contacts, name="contacts"),
    path("case/<uuid:public_id>/contacts/agreement/", views.agreement_set, name="agreement"),
    path("case/<uuid:public_id>/contacts/log/", views.contact_add, name="log"),
    path("case/<uuid:public_id>/statements/", views.statements, name="statements"),
    path("case/<uuid:public_id>/statements/new/", views.statement_request, name="statement_request"),
    path("case/<uuid:public_id>/statements/<uuid:statement_id>/part1/", views.statement_part1, name="statement_part1"),
    path("case/<uuid:public_id>/statements/<uuid:statement_id>/dates/", views.statement_dates, name="statement_dates"),
    path(
        "case/<uuid:public_id>/statements/<uuid:statement_id>/doctor/",
        views.statement_assessment,
        name="statement_assessment",
    ),
    path(
        "case/<uuid:public_id>/statements/<uuid:statement_id>/agreement/",
        views.statement_agreement,
        name="statement_agreement",
    ),
    path("case/<uuid:public_id>/statements/<uuid:statement_id>/share/", views.statement_share, name="statement_share"),
]
