from django.urls import path

from fasthold.privacy import views

app_name = "privacy"

urlpatterns = [
    path("me/export/", views.my_export, name="my_export"),
    path("retention/", views.retention_home, name="retention_home"),
    path("retention/<uuid:public_id>/", views.retention, name="retention"),
]
