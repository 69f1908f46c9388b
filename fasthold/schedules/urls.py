import datetime as dt

from django.urls import path, register_converter

from fasthold.schedules import views


class IsoDateConverter:
    regex = r"\d{4}-\d{2}-\d{2}"

    def to_python(self, value: str) -> dt.date:
        return dt.date.fromisoformat(value)  # ValueError -> 404

    def to_url(self, value: dt.date) -> str:
        return value.isoformat() if hasattr(value, "isoformat") else str(value)


register_converter(IsoDateConverter, "isodate")

app_name = "schedules"
case = "case/<uuid:public_id>/"
urlpatterns = [
    path(case, views.schedule_page, name="schedule"),
    path(case + "edit/", views.schedule_edit, name="edit"),
    path(case + "day/<isodate:day>/", views.day_edit, name="day"),
    path(case + "actual/<isodate:week>/", views.actual_record, name="actual"),
    path(case + "mixer/new/", views.mixer_edit, name="mixer_add"),
    path(case + "mixer/<int:setting_id>/", views.mixer_edit, name="mixer_edit"),
    path(case + "mixer/<int:setting_id>/remove/", views.mixer_remove, name="mixer_remove"),
    path(case + "checklist/", views.checklist_edit, name="checklist"),
    path(case + "tasks/", views.tasks, name="tasks"),
    path(case + "tasks/<int:task_id>/", views.task_change, name="task_change"),
    path(case + "tasks/examples/", views.tasks_examples, name="tasks_examples"),
    path(case + "schedule.ics", views.schedule_ical, name="ical"),
    path(case + "schedule.pdf", views.schedule_pdf, name="pdf"),
    path("task-examples/", views.examples_index, name="examples"),
    path("task-examples/<slug:profession>/edit/", views.examples_edit, name="examples_edit"),
]
