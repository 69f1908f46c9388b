from django.urls import path

from fasthold.api import views

app_name = "api-admin"
urlpatterns = [
    path("", views.client_list, name="clients"),
    path("<uuid:public_id>/rotate/", views.client_rotate, name="rotate"),
    path("<uuid:public_id>/revoke/", views.client_revoke, name="revoke"),
    path("<uuid:public_id>/tokens/revoke/", views.token_revoke, name="token_revoke"),
]
