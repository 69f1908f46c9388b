"""The REST API, version 1 (django-ninja; OpenAPI 3.1 at /api/v1/openapi.json, its page at /api/v1/docs).

A client acts as staff of its organisation (the same cases the organisation's staff see, nothing more),
limited by its scopes; health data only with the health scope, each such read logged like a page's.
Errors are RFC 9457 problem documents. Updates name the version they start from in If-Match (the
ETag of the read), as the forms do: a stale write is 412, a missing If-Match 428.
"""

import base64
import binascii
import datetime as dt
import json
import logging
from typing import Literal
from uuid import UUID

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.db.models import Q
from django.http import Http404, HttpRequest, HttpResponse
from django.utils import timezone
from ninja import Header, NinjaAPI, Query, Schema, Status
from ninja.errors import AuthenticationError, AuthorizationError, HttpError, ValidationError
from ninja.security import HttpBearer
from pydantic import Field

from fasthold.api import services
from fasthold.api.docs import ReferencePage
from fasthold.api.models import ApiToken, Scope
from fasthold.api.problems import Problem, problem_response
from fasthold.audit.models import AuditAction
from fasthold.audit.readlog import log_read
from fasthold.audit.services import audit_record
from fasthold.cases import selectors as case_selectors
from fasthold.cases import services as case_services
from fasthold.cases.choices import (
    AbsenceExtent,
    CaseStatus,
    CauseCategory,
    CauseGroup,
    EmployerPays,
    EmploymentStatus,
    Outcome,
    ProfessionCategory,
    ReferralSource,
    WorkInjury,
)
from fasthold.cases.forms import CaseForm, CloseForm, EmploymentForm, PersonForm
from fasthold.cases.models import Case, HealthRecord
from fasthold.deadlines.models import Deadline
from fasthold.kernel import ConflictError
from fasthold.meetings.models import Meeting
from fasthold.organisations.models import CASE_OWNER_KINDS, Organisation, OrganisationKind
from fasthold.plans.models import PlanVersion, VersionStatus
from fasthold.plans.selectors import version_content

logger = logging.getLogger(__name__)

ERRORS = frozenset({401, 403, 404, 422, 429})
# A body that is not JSON at all is 400; one that does not match the schema 422.
CREATE_ERRORS = frozenset({400, 401, 403, 404, 422, 429})
WRITE_ERRORS = frozenset({400, 401, 403, 404, 412, 422, 428, 429})
NO_NUL = r"^[^\x00]*$"
LAST_USED_GRAIN = dt.timedelta(minutes=1)  # how finely a token's last use is kept


# ---- Schemas -------------------------------------------------------------------------------------


class FieldError(Schema):
    field: str
    message: str


class ProblemOut(Schema):
    type: str
    title: str
    status: int
    detail: str
    errors: list[FieldError] | None = None


class Ref(Schema):
    id: UUID
    name: str


class CoordinatorOut(Schema):
    id: int
    name: str


class HealthOut(Schema):
    diagnosis: str
    symptoms: str
    treatment: str


class CaseOut(Schema):
    id: UUID
    version: int
    person_name: str
    cpr_masked: str
    status: str
    first_sick_day: dt.date
    closed_on: dt.date | None
    outcome: str
    cause_category: str | None = Field(
        None,
        description="A health category: only with the health:read scope (null without); each read is logged.",
    )
    absence_extent: str
    absence_hours_per_week: float | None
    expected_weeks: int | None
    referral_source: str
    employer: Ref | None
    job_title: str
    coordinator: CoordinatorOut | None
    health: HealthOut | None = Field(None, description="Only with the health:read scope; each read is logged.")


class CasePage(Schema):
    items: list[CaseOut]
    next_cursor: str | None


class PersonIn(Schema):
    name: str = Field(min_length=1, max_length=200, pattern=NO_NUL)
    cpr: str = Field("", max_length=11, pattern=NO_NUL)
    phone: str = Field("", max_length=40, pattern=NO_NUL)
    email: str = Field("", max_length=254, pattern=NO_NUL)
    preferred_language: Literal["da", "en"] = "da"


class EmploymentIn(Schema):
    employer: UUID | None = None
    job_title: str = Field("", max_length=200, pattern=NO_NUL)
    profession_category: Literal[tuple(ProfessionCategory.values)] = ProfessionCategory.OTHER.value  # type: ignore[valid-type]
    weekly_hours: float | None = Field(None, ge=0, le=80)
    status: Literal[tuple(EmploymentStatus.values)] = EmploymentStatus.EMPLOYED.value  # type: ignore[valid-type]


class CaseFieldsIn(Schema):
    first_sick_day: dt.date
    cause_category: Literal[tuple(CauseCategory.values)]  # type: ignore[valid-type]
    referral_source: Literal[tuple(ReferralSource.values)]  # type: ignore[valid-type]
    absence_extent: Literal[tuple(AbsenceExtent.values)] = AbsenceExtent.FULL.value  # type: ignore[valid-type]
    absence_hours_per_week: float | None = Field(None, ge=0, le=168)
    expected_weeks: int | None = Field(None, ge=0, le=520)
    work_injury: Literal[tuple(WorkInjury.values)] = WorkInjury.NONE.value  # type: ignore[valid-type]
    employer_pays: Literal[tuple(["", *EmployerPays.values])] = ""  # type: ignore[valid-type]


class CaseCreateIn(Schema):
    person: PersonIn
    employment: EmploymentIn = EmploymentIn()
    case: CaseFieldsIn


class CasePatchIn(Schema):
    expected_weeks: int | None = Field(None, ge=0, le=520)
    absence_extent: Literal[tuple(AbsenceExtent.values)] | None = None  # type: ignore[valid-type]
    absence_hours_per_week: float | None = Field(None, gt=0, le=168)


class ClosureIn(Schema):
    closed_on: dt.date
    outcome: Literal[tuple(Outcome.values)]  # type: ignore[valid-type]


class DeadlineOut(Schema):
    key: str
    title: str
    due: dt.date | None
    responsible: str
    applicable: bool
    done_on: dt.date | None


class SubGoalOut(Schema):
    text: str
    target_date: dt.date
    area: str
    work_related: bool


class ActivityOut(Schema):
    what: str
    kind: str
    starts_on: dt.date | None
    ends_on: dt.date | None


class PlanOut(Schema):
    number: int
    goal: str
    goal_target_date: dt.date
    evaluation_date: dt.date | None
    published_at: dt.datetime | None
    agreed_at: dt.datetime | None
    sub_goals: list[SubGoalOut]
    activities: list[ActivityOut]


class ActualWeekOut(Schema):
    week_start: dt.date
    hours: float


class ScheduleOut(Schema):
    mode: str
    start_date: dt.date
    end_date: dt.date | None
    normal_week_hours: float
    workdays: str
    actual_weeks: list[ActualWeekOut]


class MeetingOut(Schema):
    id: UUID
    kind: str
    status: str
    starts_at: dt.datetime
    duration_minutes: int
    place: str
    purpose: str


# ---- The API: authentication, rate limit, problems ----------------------------------------------


class Api(NinjaAPI):
    def get_openapi_schema(self, *args, **kwargs):
        """Error responses are declared as application/problem+json, as they are sent."""
        schema = super().get_openapi_schema(*args, **kwargs)
        for operations in schema.get("paths", {}).values():
            for operation in operations.values():
                for code, response in operation.get("responses", {}).items():
                    content = response.get("content") or {}
                    if int(code) >= 400 and "application/json" in content:
                        response["content"] = {"application/problem+json": content["application/json"]}
        return schema


class TokenAuth(HttpBearer):
    def authenticate(self, request: HttpRequest, token: str):
        found = services.authenticate(token)
        if found is None:
            return None
        request.api_client = found.client
        request.api_token = found
        # The client's account acts: its reads go through the read log's per-request collection
        # (fasthold.audit.readlog), written in one insert once the response is a success.
        request.user = found.client.service_user
        _rate_limit(found)
        now = timezone.now()
        if found.last_used_at is None or found.last_used_at < now - LAST_USED_GRAIN:
            # A write at most once a minute per token, not one per call.
            ApiToken.objects.filter(pk=found.pk).update(last_used_at=now)
        return found.client


def _rate_limit(token: ApiToken) -> None:
    limit = getattr(settings, "FASTHOLD_API_RATE_PER_MINUTE", 120)
    now = int(timezone.now().timestamp())
    window = now // 60
    count = services.count_call(token.client_id, window)
    if count > limit:
        raise Problem(
            429,
            f"At most {limit} requests a minute per client.",
            headers={"Retry-After": str(60 - now % 60)},
        )


api = Api(
    title="Fasthold API",
    version="1",
    description=__doc__,
    auth=TokenAuth(),
    urls_namespace="api-v1",
    docs_url="/docs",
    docs=ReferencePage(),  # our reference page, not Swagger UI (whose markup fails axe)
    openapi_url="/openapi.json",
)


@api.exception_handler(Problem)
def _problem(request, exc: Problem):
    return problem_response(exc.status, exc.detail, errors=exc.errors, headers=exc.headers)


@api.exception_handler(ValidationError)
def _invalid(request, exc: ValidationError):
    # The field and pydantic's message, never the value sent (it may be a CPR number).
    errors = [
        {"field": ".".join(str(part) for part in e.get("loc", ())), "message": str(e.get("msg", ""))}
        for e in exc.errors
    ]
    return problem_response(422, "The request does not match the schema.", errors=errors)


@api.exception_handler(AuthenticationError)
def _unauthenticated(request, exc):
    return problem_response(
        401, "A valid, unexpired and unrevoked bearer token is required.", headers={"WWW-Authenticate": "Bearer"}
    )


@api.exception_handler(AuthorizationError)
def _forbidden(request, exc):
    return problem_response(403)


@api.exception_handler(PermissionDenied)
def _permission(request, exc):
    return problem_response(403)


@api.exception_handler(Http404)
def _not_found(request, exc):
    return problem_response(404)


@api.exception_handler(Exception)
def _server_error(request, exc: Exception):
    # Logged with its traceback for the operators; the client gets a problem document without details.
    logger.exception("API error on %s %s", request.method, getattr(request.resolver_match, "route", ""))
    return problem_response(500)


@api.exception_handler(HttpError)
def _http_error(request, exc: HttpError):
    return problem_response(exc.status_code, str(exc))


WRITE_SCOPES = {Scope.CASES_WRITE, Scope.OUTCOMES_WRITE, Scope.IMPORT}


def _require(request, scope: Scope, *, query: frozenset[str] = frozenset()) -> None:
    """The client's scope (403 without it), and no query parameter the operation does not know (422): a
    misspelt filter would otherwise be ignored and the client would take every case for the filtered ones."""
    if not request.auth.has_scope(scope):
        raise Problem(403, f"This client lacks the scope {scope.value}.")
    unknown = sorted(set(request.GET) - query)
    if unknown:
        raise Problem(
            422,
            "Unknown query parameters.",
            errors=[{"field": f"query.{name}"[:100], "message": "unknown parameter"} for name in unknown[:20]],
        )
    if scope in WRITE_SCOPES and request.auth.organisation.kind not in CASE_OWNER_KINDS:
        # Only a jobcentre or a clinic owns cases (the administrator's page makes clients only for them).
        raise Problem(403, "This client's organisation does not own cases.")


def _case(request, public_id: UUID) -> Case:
    """The case if the client's organisation owns it; 404 otherwise, whether it exists or not (the page
    policy for staff: fasthold.cases.access)."""
    case = (
        Case.objects.select_related("person", "employment__employer", "coordinator", "organisation")
        .filter(public_id=public_id, organisation=request.auth.organisation)
        .first()
    )
    if case is None:
        raise Problem(404)
    request.api_case = case
    return case


def _actor(request):
    return request.auth.service_user


def _may_read_cause(request) -> bool:
    """The cause is a health category (the CSV export treats it so): only with the health scope."""
    return request.auth.has_scope(Scope.HEALTH_READ)


def _case_out(request, case: Case, *, health: HealthRecord | None = None, cause_logged: bool = False) -> dict:
    """The case as the API sends it. With the health scope the cause is in it, and that read is logged
    here unless the caller logged it already (cause_logged)."""
    cause = _may_read_cause(request)
    if cause and not cause_logged:
        log_read(request, case, fields=["cause_category"])
    employer = case.employment.employer if case.employment_id and case.employment.employer_id else None
    return {
        "id": case.public_id,
        "version": case.version,
        "person_name": case.person.name,
        "cpr_masked": case.person.cpr_masked,
        "status": case.status,
        "first_sick_day": case.first_sick_day,
        "closed_on": case.closed_on,
        "outcome": case.outcome,
        "cause_category": case.cause_category if cause else None,
        "absence_extent": case.absence_extent,
        "absence_hours_per_week": (
            float(case.absence_hours_per_week) if case.absence_hours_per_week is not None else None
        ),
        "expected_weeks": case.expected_weeks,
        "referral_source": case.referral_source,
        "employer": {"id": employer.public_id, "name": employer.name} if employer else None,
        "job_title": case.employment.job_title if case.employment_id else "",
        "coordinator": (
            {"id": case.coordinator_id, "name": case.coordinator.display_name} if case.coordinator_id else None
        ),
        "health": (
            {"diagnosis": health.diagnosis, "symptoms": health.symptoms, "treatment": health.treatment}
            if health is not None
            else None
        ),
    }


def _etag(response: HttpResponse, version: int) -> None:
    response["ETag"] = f'"{version}"'


def _if_match(value: str | None, current: int) -> int:
    """The version the client started from, as the forms' hidden version field."""
    if not value:
        raise Problem(428, 'Send If-Match with the ETag of the object you read, e.g. If-Match: "3".')
    text = value.strip()
    if text.startswith("W/"):
        text = text[2:]
    text = text.strip('"')
    if not text.isdigit() or int(text) != current:
        raise Problem(412, "The object changed since you read it. Read it again and retry with its new ETag.")
    return current


def _cursor_decode(cursor: str) -> tuple[dt.date, int]:
    try:
        day, pk = json.loads(base64.urlsafe_b64decode(cursor.encode() + b"=" * (-len(cursor) % 4)))
        return dt.date.fromisoformat(day), int(pk)
    except (ValueError, TypeError, binascii.Error, UnicodeError):
        raise Problem(
            422, "The cursor is not one this API gave.", errors=[{"field": "cursor", "message": "invalid"}]
        ) from None


def _cursor_encode(case: Case) -> str:
    raw = json.dumps([case.first_sick_day.isoformat(), case.pk]).encode()
    return base64.urlsafe_b64encode(raw).decode().rstrip("=")


# ---- Cases --------------------------------------------------------------------------------------

StatusFilter = Literal[tuple([*CaseStatus.values, "all"])]  # type: ignore[valid-type]
CauseFilter = Literal[tuple([*CauseGroup.values, *CauseCategory.values])]  # type: ignore[valid-type]


LIST_QUERY = frozenset({"status", "q", "cause", "employer", "coordinator", "weeks_min", "weeks_max", "cursor", "limit"})


@api.get("/cases", response={200: CasePage, ERRORS: ProblemOut}, tags=["cases"])
def case_list(
    request,
    status: StatusFilter | None = Query(None, description="Empty: every case not closed (as the case list)."),  # noqa: B008
    q: str | None = Query(None, max_length=100, pattern=NO_NUL, description="Part of the person's name."),
    cause: CauseFilter | None = Query(  # noqa: B008
        None, description="A health category: needs the health:read scope (403 without)."
    ),
    employer: UUID | None = None,
    coordinator: int | None = Query(None, ge=1, le=2**31 - 1),
    weeks_min: int | None = Query(None, ge=0, le=520),
    weeks_max: int | None = Query(None, ge=0, le=520),
    cursor: str | None = Query(None, max_length=200, pattern=NO_NUL),
    limit: int = Query(25, ge=1, le=100),
):
    """The organisation's cases, newest first sick day first, with the case list's filters; follow
    next_cursor for the next page (stable while cases are added)."""
    _require(request, Scope.CASES_READ, query=LIST_QUERY)
    if cause and not _may_read_cause(request):
        # Which cases have a cause is health information, as the cause itself.
        raise Problem(403, f"Filtering by cause needs the scope {Scope.HEALTH_READ.value}.")
    today = timezone.localdate()
    cases = Case.objects.filter(organisation=request.auth.organisation).select_related(
        "person", "employment__employer", "coordinator"
    )
    if employer:
        cases = cases.filter(employment__employer__public_id=employer)  # the API names employers by public id
    filters = {
        "status": status,
        "q": q,
        "cause": cause,
        "coordinator": coordinator,
        "weeks_min": weeks_min,
        "weeks_max": weeks_max,
    }
    cases = case_selectors.filter_cases(cases, filters, today)
    if cursor:
        day, pk = _cursor_decode(cursor)
        cases = cases.filter(Q(first_sick_day__lt=day) | Q(first_sick_day=day, pk__lt=pk))
    page = list(cases.order_by("-first_sick_day", "-pk")[: limit + 1])
    more = len(page) > limit
    page = page[:limit]
    return {
        "items": [_case_out(request, case) for case in page],
        "next_cursor": _cursor_encode(page[-1]) if more and page else None,
    }


@api.get("/cases/{uuid:public_id}", response={200: CaseOut, ERRORS: ProblemOut}, tags=["cases"])
def case_detail(request, public_id: UUID, response: HttpResponse):
    """One case. With the health:read scope it carries the health part, and the read is logged."""
    _require(request, Scope.CASES_READ)
    case = _case(request, public_id)
    case_services.case_view_log(actor=_actor(request), case=case)
    health = None
    if request.auth.has_scope(Scope.HEALTH_READ):
        health = case_services.health_read(actor=_actor(request), case=case)
        log_read(request, case, fields=["health", "cause_category"])
    _etag(response, case.version)
    return _case_out(request, case, health=health, cause_logged=True)


@api.post("/cases", response={201: CaseOut, CREATE_ERRORS: ProblemOut}, tags=["cases"])
def case_create(request, payload: CaseCreateIn, response: HttpResponse):
    """Open a case, checked as the case form checks it."""
    _require(request, Scope.CASES_WRITE)
    organisation = request.auth.organisation
    employer_pk = None
    if payload.employment.employer is not None:
        employer_pk = (
            Organisation.objects.filter(public_id=payload.employment.employer, kind=OrganisationKind.EMPLOYER)
            .values_list("pk", flat=True)
            .first()
        )
        if employer_pk is None:
            raise Problem(
                422, "No such employer.", errors=[{"field": "employment.employer", "message": "No such employer."}]
            )
    person = PersonForm(payload.person.dict())
    employment_data = payload.employment.dict()
    employment_data["employer"] = employer_pk
    employment = EmploymentForm({k: v for k, v in employment_data.items() if v is not None})
    case_data = {k: v for k, v in payload.case.dict().items() if v is not None}
    case_form = CaseForm(case_data, organisation=organisation)
    forms = {"person": person, "employment": employment, "case": case_form}
    errors = [
        {"field": f"{prefix}.{name}", "message": str(message)}
        for prefix, form in forms.items()
        if not form.is_valid()
        for name, messages in form.errors.items()
        for message in messages
    ]
    if errors:
        raise Problem(422, "The case was not opened.", errors=errors)
    case = case_services.case_open(
        actor=_actor(request),
        organisation=organisation,
        person=person.cleaned_data,
        employment=employment.cleaned_data,
        case=case_form.cleaned_data,
    )
    request.api_case = case
    case = Case.objects.select_related("person", "employment__employer", "coordinator").get(pk=case.pk)
    _etag(response, case.version)
    response["Location"] = f"/api/v1/cases/{case.public_id}"
    return Status(201, _case_out(request, case))


@api.patch("/cases/{uuid:public_id}", response={200: CaseOut, WRITE_ERRORS: ProblemOut}, tags=["cases"])
def case_patch(
    request,
    public_id: UUID,
    payload: CasePatchIn,
    response: HttpResponse,
    if_match: str | None = Header(None, alias="If-Match", max_length=100),
):
    """Change the expected weeks or the extent of absence. If-Match: the ETag you read."""
    _require(request, Scope.CASES_WRITE)
    case = _case(request, public_id)
    expected = _if_match(if_match, case.version)
    data = payload.dict(exclude_unset=True)
    extent = data.get("absence_extent") or case.absence_extent
    if extent == AbsenceExtent.PARTIAL:
        hours = data.get("absence_hours_per_week", case.absence_hours_per_week)
        if not hours:
            raise Problem(
                422,
                "A partial absence needs its hours per week.",
                errors=[{"field": "absence_hours_per_week", "message": "required for a partial absence"}],
            )
        data["absence_hours_per_week"] = hours
    else:
        data["absence_hours_per_week"] = None
    if "absence_extent" in data and data["absence_extent"] is None:
        data.pop("absence_extent")
    try:
        case_services.case_update(actor=_actor(request), case=case, expected_version=expected, case_data=data)
    except ConflictError:
        raise Problem(412, "The case changed since you read it.") from None
    case.refresh_from_db()
    _etag(response, case.version)
    return _case_out(request, case)


@api.post("/cases/{uuid:public_id}/closure", response={200: CaseOut, WRITE_ERRORS: ProblemOut}, tags=["outcomes"])
def case_closure(
    request,
    public_id: UUID,
    payload: ClosureIn,
    response: HttpResponse,
    if_match: str | None = Header(None, alias="If-Match", max_length=100),
):
    """Close the case with its outcome (as "Close case" on its page). If-Match: the case's ETag."""
    _require(request, Scope.OUTCOMES_WRITE)
    case = _case(request, public_id)
    expected = _if_match(if_match, case.version)
    if case.is_closed:
        raise Problem(422, "The case is already closed.", errors=[{"field": "status", "message": "closed"}])
    form = CloseForm(
        {"closed_on": payload.closed_on.isoformat(), "outcome": payload.outcome, "version": expected}, case=case
    )
    if not form.is_valid():
        errors = [{"field": n, "message": str(m)} for n, ms in form.errors.items() for m in ms]
        raise Problem(422, "The case was not closed.", errors=errors)
    try:
        case_services.case_close(
            actor=_actor(request),
            case=case,
            expected_version=expected,
            closed_on=form.cleaned_data["closed_on"],
            outcome=form.cleaned_data["outcome"],
        )
    except ConflictError:
        raise Problem(412, "The case changed since you read it.") from None
    case.refresh_from_db()
    _etag(response, case.version)
    return _case_out(request, case)


# ---- The parts of a case ------------------------------------------------------------------------


@api.get("/cases/{uuid:public_id}/deadlines", response={200: list[DeadlineOut], ERRORS: ProblemOut}, tags=["deadlines"])
def case_deadlines(request, public_id: UUID):
    """The case calendar's deadlines, by due date."""
    _require(request, Scope.DEADLINES_READ)
    case = _case(request, public_id)
    audit_record(actor=_actor(request), action=AuditAction.CASE_VIEWED, case=case, fields=["deadlines"])
    language = "en" if request.headers.get("Accept-Language", "").lower().startswith("en") else "da"
    return [
        {
            "key": d.key,
            "title": d.title(language),
            "due": d.due,
            "responsible": d.responsible,
            "applicable": d.applicable,
            "done_on": d.done_on,
        }
        for d in Deadline.objects.filter(case=case).order_by("due", "id")
    ]


def _current_version(case: Case) -> PlanVersion:
    version = PlanVersion.objects.filter(plan__case=case, status=VersionStatus.CURRENT).first()
    if version is None:
        raise Problem(404, "The case has no current plan.")
    return version


@api.get("/cases/{uuid:public_id}/plan", response={200: PlanOut, ERRORS: ProblemOut}, tags=["plans"])
def case_plan(request, public_id: UUID, response: HttpResponse):
    """The current plan. Sub-goals that are not work-related and treatment activities are health
    information: only with the health:read scope, and that read is logged."""
    _require(request, Scope.PLANS_READ)
    case = _case(request, public_id)
    version = _current_version(case)
    health = request.auth.has_scope(Scope.HEALTH_READ)
    content = version_content(version, employer_view=not health, with_history=False)
    audit_record(actor=_actor(request), action=AuditAction.CASE_VIEWED, case=case, fields=["plan"])
    if content.shows_health:
        log_read(request, case, fields=["plan"])
    _etag(response, version.version)
    return {
        "number": version.number,
        "goal": version.goal,
        "goal_target_date": version.goal_target_date,
        "evaluation_date": version.evaluation_date,
        "published_at": version.published_at,
        "agreed_at": version.agreed_at,
        "sub_goals": [
            {"text": s.text, "target_date": s.target_date, "area": s.area, "work_related": s.work_related}
            for s in content.sub_goals
        ],
        "activities": [
            {"what": a.what, "kind": a.kind, "starts_on": a.starts_on, "ends_on": a.ends_on} for a in content.activities
        ],
    }


@api.get("/cases/{uuid:public_id}/schedule", response={200: ScheduleOut, ERRORS: ProblemOut}, tags=["schedules"])
def case_schedule(request, public_id: UUID):
    """The graded return schedule of the current plan, with the hours actually worked per week."""
    from fasthold.schedules.models import ActualWeek, ReturnSchedule

    _require(request, Scope.SCHEDULES_READ)
    case = _case(request, public_id)
    schedule = ReturnSchedule.objects.filter(
        case=case, plan_version__status=VersionStatus.CURRENT, plan_version__plan__case=case
    ).first()
    if schedule is None:
        raise Problem(404, "The current plan has no schedule.")
    audit_record(actor=_actor(request), action=AuditAction.CASE_VIEWED, case=case, fields=["schedule"])
    return {
        "mode": schedule.mode,
        "start_date": schedule.start_date,
        "end_date": schedule.end_date,
        "normal_week_hours": float(schedule.normal_week_hours),
        "workdays": schedule.workdays,
        "actual_weeks": [
            {"week_start": w.week_start, "hours": float(w.hours)}
            for w in ActualWeek.objects.filter(case=case).order_by("week_start")
        ],
    }


@api.get("/cases/{uuid:public_id}/meetings", response={200: list[MeetingOut], ERRORS: ProblemOut}, tags=["meetings"])
def case_meetings(request, public_id: UUID):
    """The case's meetings, newest first (without the professionals' note)."""
    _require(request, Scope.MEETINGS_READ)
    case = _case(request, public_id)
    audit_record(actor=_actor(request), action=AuditAction.CASE_VIEWED, case=case, fields=["meetings"])
    return [
        {
            "id": m.public_id,
            "kind": m.kind,
            "status": m.status,
            "starts_at": m.starts_at,
            "duration_minutes": m.duration_minutes,
            "place": m.place,
            "purpose": m.purpose,
        }
        for m in Meeting.objects.filter(case=case).order_by("-starts_at", "-id")
    ]


# ---- Bulk import of new sick-listed persons ----------------------------------------------------


class ImportRowIn(Schema):
    cpr: str = Field(max_length=20, pattern=NO_NUL)
    name: str = Field(max_length=300, pattern=NO_NUL)
    first_sick_day: str = Field(max_length=20, pattern=NO_NUL, description="ISO (2026-11-30) or Danish (30-11-2026).")
    employer_cvr: str = Field("", max_length=20, pattern=NO_NUL)
    employer_name: str = Field("", max_length=300, pattern=NO_NUL)
    job_title: str = Field("", max_length=300, pattern=NO_NUL)
    weekly_hours: str = Field("", max_length=20, pattern=NO_NUL)
    phone: str = Field("", max_length=60, pattern=NO_NUL)
    email: str = Field("", max_length=300, pattern=NO_NUL)


class ImportIn(Schema):
    rows: list[ImportRowIn] = Field(min_length=1, max_length=10_000)
    dry_run: bool = Field(True, description="Check only (the default); false imports, all rows or none.")


class ImportErrorOut(Schema):
    row: int = Field(description="As in the CSV: the first data row is 2; 0 for the whole request.")
    column: str
    code: str
    message: str


class ImportOut(Schema):
    dry_run: bool
    ok: bool
    imported: bool
    total: int
    created: int
    skipped: int
    employers_created: int
    errors: list[ImportErrorOut]


@api.post("/imports", response={200: ImportOut, CREATE_ERRORS: ProblemOut}, tags=["imports"])
def import_persons(request, payload: ImportIn):
    """New sick-listed persons, as the bulk import page takes them from a CSV file: every row checked
    (errors in words, never with the CPR number), then with dry_run false all opened or none; rows already
    on file (the same CPR number and first sick day) are skipped, so sending the same rows again opens
    nothing new. The rows' row numbers count as in a CSV file: the first data row is 2."""
    from fasthold.cases import imports
    from fasthold.cases.importing import import_rows

    _require(request, Scope.IMPORT)
    rows = [{imports.HEADERS[key]: value for key, value in row.dict().items()} for row in payload.rows]
    result = import_rows(
        actor=_actor(request), organisation=request.auth.organisation, rows=rows, dry_run=payload.dry_run
    )
    return {
        "dry_run": result.dry_run,
        "ok": result.ok,
        "imported": result.imported,
        "total": result.total,
        "created": result.created,
        "skipped": result.skipped,
        "employers_created": result.employers_created,
        "errors": [
            {"row": e.row, "column": e.column, "code": e.code, "message": str(e.message)} for e in result.errors
        ],
    }
