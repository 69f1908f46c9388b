from django.urls import path

from fasthold.evaluation import views

app_name = "evaluation"
urlpatterns = [
    path("", views.overview, name="overview"),
    path("programs/<uuid:public_id>/", views.program, name="program"),
    path("programs/<uuid:public_id>/dataset.csv", views.dataset_csv, name="dataset"),
    path("programs/<uuid:public_id>/codebook.csv", views.codebook_csv, name="codebook"),
    path("register/", views.register_upload, name="register"),
    path("register/import/", views.register_confirm, name="register_confirm"),
    path("cases/<uuid:public_id>/", views.case_outcome, name="case"),
]
