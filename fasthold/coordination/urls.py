from django.urls import path

from fasthold.coordination import views

app_name = "coordination"
urlpatterns = [
    path("case/<uuid:public_id>/contacts/", views.contacts, name="contacts"),
    path("case/<uuid:public_id>/contacts/agreement/", views.agreement_set, name="agreement"),
    path("case/<uuid:public_id>/contacts/log/", views.contact_add, name="log"),
]
