from django.urls import path

from fasthold.organisations import views

app_name = "organisations"
urlpatterns = [
    path("employers/", views.employer_list, name="employers"),
    path("employers/new/", views.employer_create, name="employer_create"),
]
