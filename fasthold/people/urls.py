from django.urls import path

from fasthold.people import views

app_name = "people"
urlpatterns = [
    # The invitee (not logged in yet: login_not_required on the views).
    path("invitation/accept/", views.invitation_accept, name="accept"),
    path("invitation/accept/sso/<slug:slug>/", views.invitation_accept_sso, name="accept_sso"),
    path("invitation/renew/", views.invitation_renew, name="renew"),
    path("invitation/<str:token>/", views.invitation_open, name="invitation"),
    # Those who invite.
    path("invitations/<uuid:public_id>/resend/", views.invitation_resend, name="resend"),
    path("invitations/<uuid:public_id>/revoke/", views.invitation_revoke, name="revoke"),
    path("cases/<uuid:public_id>/invite/", views.case_invite, name="case_invite"),
    path("staff/", views.staff_list, name="staff"),
    path("staff/<int:user_id>/", views.staff_member, name="staff_member"),
    path("staff/<int:user_id>/hand-over/", views.staff_hand_over, name="staff_hand_over"),
    path("staff/<int:user_id>/<slug:action>/", views.staff_action, name="staff_action"),
    path("staff/reassign/", views.reassign, name="reassign"),
    path("employers/<uuid:public_id>/", views.employer_detail, name="employer"),
    path("employers/<uuid:public_id>/edit/", views.employer_edit, name="employer_edit"),
    path("employers/<uuid:public_id>/invite/", views.employer_invite, name="employer_invite"),
]
