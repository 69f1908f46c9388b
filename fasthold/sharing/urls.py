from django.urls import path

from fasthold.sharing import views

app_name = "sharing"
case = "case/<uuid:public_id>/"
urlpatterns = [
    path(case + "consents/", views.consents, name="consents"),
    path(case + "consents/give/", views.consent_give, name="give"),
    path(case + "consents/<uuid:consent_id>/withdraw/", views.consent_withdraw, name="withdraw"),
    path(case + "colleagues/", views.colleagues, name="colleagues"),
    path(case + "colleagues/draft/", views.colleague_draft, name="colleague_draft"),
    path(case + "colleagues/edit/", views.colleague_edit, name="colleague_edit"),
    path(case + "colleagues/approve/", views.colleague_approve, name="colleague_approve"),
    path(case + "colleagues/withdraw/", views.colleague_withdraw, name="colleague_withdraw"),
    path(case + "colleagues/share/", views.colleague_share, name="colleague_share"),
]
