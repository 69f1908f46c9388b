from django.urls import path

from fasthold.requests import views

app_name = "requests"
urlpatterns = [
    path("<uuid:public_id>/meeting/", views.ask_for_meeting, name="ask_for_meeting"),
    path("<uuid:public_id>/message/", views.send_message, name="send_message"),
    path("meeting/<uuid:request_id>/withdraw/", views.withdraw, name="withdraw"),
    path("meeting/<uuid:request_id>/plan/", views.plan, name="plan"),
    path("message/<uuid:message_id>/answer/", views.answer, name="answer"),
]
