from django.urls import path

from fasthold.guidance import views

app_name = "guidance"
urlpatterns = [
    path("", views.index, name="index"),
    path("phases/<slug:slug>/", views.phase_detail, name="phase"),
    path("business-case/", views.business_case_page, name="business_case"),
    path("continuum/", views.continuum, name="continuum"),
    path("case/<uuid:public_id>/", views.case_guidance, name="case"),
    path("case/<uuid:public_id>/first-contact/", views.first_contact, name="first_contact"),
    path("policy/", views.policy, name="policy"),
    path("policy/print/", views.policy_print, name="policy_print"),
    path("professions/", views.profession_list, name="professions"),
    path("professions/<slug:category>/", views.profession_detail, name="profession"),
    path("professions/<slug:category>/edit/", views.profession_edit, name="profession_edit"),
]
