from django.urls import path

from fasthold.notifications import views

app_name = "notifications"
urlpatterns = [
    path("", views.notification_list, name="list"),
    path("read-all/", views.mark_all_read, name="read_all"),
    path("<uuid:public_id>/read/", views.mark_read, name="read"),
    path("settings/", views.notification_settings, name="settings"),
]
