from django.urls import path

from fasthold.plans import views

app_name = "plans"
case = "case/<uuid:public_id>/"
urlpatterns = [
    path(case, views.plan_page, name="plan"),
    path(case + "v/<int:number>/", views.plan_page, name="version"),
    path(case + "step/", views.step_place, name="step"),
    path(case + "new/", views.plan_create, name="create"),
    path(case + "revise/", views.plan_revise, name="revise"),
    path(case + "v/<int:number>/goal/", views.goal_edit, name="goal_edit"),
    path(case + "v/<int:number>/sub-goals/new/", views.subgoal_add, name="subgoal_add"),
    path(case + "v/<int:number>/activities/new/", views.activity_add, name="activity_add"),
    path(case + "v/<int:number>/publish/", views.plan_publish, name="publish"),
    path(case + "v/<int:number>/agree/", views.plan_agree, name="agree"),
    path(case + "v/<int:number>/comment/", views.plan_comment, name="comment"),
    path(case + "sub-goals/<uuid:item_id>/edit/", views.subgoal_edit, name="subgoal_edit"),
    path(case + "activities/<uuid:item_id>/edit/", views.activity_edit, name="activity_edit"),
    path(case + "<str:kind>/<uuid:item_id>/remove/", views.item_remove, name="item_remove"),
    path(case + "proposals/new/", views.proposal_create, name="propose"),
    path(case + "proposals/<uuid:proposal_id>/decide/", views.proposal_decide, name="decide"),
    path(case + "scores/", views.scores, name="scores"),
    path(case + "retention-plan.pdf", views.plan_pdf, name="pdf"),
    path("tools/", views.tools_list, name="tools"),
    path("tools/<slug:key>/edit/", views.tool_edit, name="tool_edit"),
]
