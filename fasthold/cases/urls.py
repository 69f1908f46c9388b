from django.urls import path

from fasthold.cases import reassign_views, transfer_views, views

app_name = "cases"
urlpatterns = [
    path("", views.case_list, name="list"),
    path("new/", views.case_create, name="create"),
    path("export.csv", transfer_views.case_export, name="export"),
    path("import/", transfer_views.import_upload, name="import"),
    path("import/confirm/", transfer_views.import_confirm, name="import_confirm"),
    path("import/template.csv", transfer_views.import_template, name="import_template"),
    path("<uuid:public_id>/", views.case_detail, name="detail"),
    path("<uuid:public_id>/edit/", views.case_edit, name="edit"),
    path("<uuid:public_id>/close/", views.case_close, name="close"),
    path("<uuid:public_id>/reopen/", views.case_reopen, name="reopen"),
    path("<uuid:public_id>/health/", views.health_detail, name="health"),
    path("<uuid:public_id>/health/edit/", views.health_edit, name="health_edit"),
    path("<uuid:public_id>/cpr/", views.cpr_reveal, name="cpr"),
    path("<uuid:public_id>/participants/new/", views.participant_add, name="participant_add"),
    path(
        "<uuid:public_id>/participants/<uuid:participant_id>/remove/",
        views.participant_remove,
        name="participant_remove",
    ),
    path("<uuid:public_id>/reassign/", reassign_views.case_reassign, name="reassign"),
    # One route per kind, so each item id has its own type (a fixed kind in the path, not a free parameter).
    *(
        path(
            f"<uuid:public_id>/in-error/{kind}/<{conv}:item_id>/",
            views.mark_in_error,
            {"kind": kind},
            name="mark_in_error",
        )
        for kind, conv in (
            ("note", "int"),
            ("contact", "uuid"),
            ("measurement", "int"),
            ("minutes", "uuid"),
            ("agreement", "uuid"),
        )
    ),
]
