from django.urls import path

from fasthold.worklist import views

app_name = "worklist"
urlpatterns = [
    path("", views.worklist, name="worklist"),
    path("<uuid:public_id>/handled/", views.handled, name="handled"),
]
