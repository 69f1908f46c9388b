from django.urls import path

from fasthold.meetings import views

app_name = "meetings"
case = "case/<uuid:public_id>/"
meeting = "<uuid:meeting_id>/"
agreement = meeting + "agreements/<uuid:agreement_id>/"
urlpatterns = [
    path(case, views.case_meetings, name="list"),
    path(case + "new/", views.plan, name="plan"),
    path(meeting, views.detail, name="detail"),
    path(meeting + "edit/", views.edit, name="edit"),
    path(meeting + "cancel/", views.cancel, name="cancel"),
    path(meeting + "close/", views.close, name="close"),
    path(meeting + "agenda/", views.agenda, name="agenda"),
    path(meeting + "minutes/", views.minutes, name="minutes"),
    path(meeting + "agreements/new/", views.agreement_add, name="agreement_add"),
    path(agreement + "edit/", views.agreement_edit, name="agreement_edit"),
    path(agreement + "remove/", views.agreement_remove, name="agreement_remove"),
    path(agreement + "carry-out/", views.agreement_carry_out, name="agreement_carry_out"),
    path(agreement + "done/", views.task_done, name="task_done"),
    path(meeting + "confirm/", views.confirm, name="confirm"),
    path(meeting + "prepare/", views.prepare, name="prepare"),
    path(meeting + "meeting.ics", views.calendar_file, name="ics"),
]
