from django.urls import path

from fasthold.deadlines import views

app_name = "deadlines"
urlpatterns = [
    path("", views.dashboard, name="dashboard"),
    path("case/<uuid:public_id>/", views.case_calendar, name="case"),
    path("case/<uuid:public_id>/deadlines/<slug:key>/done/", views.deadline_done, name="done"),
    path("case/<uuid:public_id>/deadlines/<slug:key>/undo/", views.deadline_undo, name="undo"),
    path("case/<uuid:public_id>/events/", views.event_record, name="event_record"),
    path("case/<uuid:public_id>/events/<str:key>/remove/", views.event_remove, name="event_remove"),
    path("feed/", views.feed_settings, name="feed_settings"),
    path("feed/<str:token>.ics", views.feed, name="feed"),
    path("settings/", views.calendar_settings, name="settings"),
    path("packs/<slug:pack_id>/", views.pack_detail, name="pack"),
]
