"""Taking and doing a task through the API exactly as its page does, so the API obeys the same rules:

- claim: under the process lock, the node's own `can_assign` (its duty, workflows.duties), then
  Viewflow's `activation.assign` — what the assign page (viewflow's wrap_task_view) runs;
- complete: under the process lock, the node's own `can_execute` (owner and duty), then the step's
  page's form (the node's own payload, validated by the page's form) and the page's `perform()` — the
  one service call of the step — then `activation.execute()`, as workflows.views.FlowTaskView does.
  The inspection's inspect step, whose page does more than one call, has its adapter here (InspectStep)
  calling the same services in the same order.

Each refusal is an exception of api.errors: 403 not_your_duty, 409 task_taken / task_closed /
task_unclaimed / task_busy; a payload the form or the service refuses is a 400 with its fields, and
nothing is changed (the lock's transaction is rolled back)."""

from contextlib import contextmanager
from datetime import date, datetime
from decimal import Decimal

from django import forms
from django.core.exceptions import NON_FIELD_ERRORS
from django.db.models import Model
from django.utils.dateparse import parse_date
from django.utils.translation import gettext
from rest_framework.exceptions import ValidationError
from viewflow.workflow.exceptions import FlowLockFailed
from viewflow.workflow.models import Task
from viewflow.workflow.status import STATUS

from org.errors import DomainError
from workflows import engine
from workflows.inspection import crosscheck
from workflows.inspection import services as inspection_services
from workflows.inspection.flows import InspectionFlow
from workflows.inspection.forms import ChecklistForm
from workflows.inspection.models import AnswerType, Evidence

from .errors import NotYourDuty, TaskBusy, TaskClosed, TaskTaken, TaskUnclaimed, field_errors

OPEN = (STATUS.NEW, STATUS.ASSIGNED, STATUS.STARTED)


@contextmanager
def locked(task):
    """The task's activation under its process lock, the task re-read (workflows.engine.activation)."""
    try:
        with engine.activation(task) as activation:
            if activation.task.status not in OPEN:
                raise TaskClosed
            yield activation
    except FlowLockFailed:
        raise TaskBusy from None


def claim(task, user) -> None:
    """Take a task from the office queue (the assign page's rule and transition)."""
    with locked(task) as activation:
        if activation.task.owner_id == user.pk:
            return  # already the caller's: claiming again changes nothing
        if activation.task.owner_id is not None:
            raise TaskTaken
        if not activation.flow_task.can_assign(user, activation.task):
            raise NotYourDuty
        activation.assign(user)


def _may_execute(activation, user) -> None:
    task = activation.task
    if task.owner_id is None:
        raise TaskUnclaimed
    if task.owner_id != user.pk:
        raise TaskTaken
    if not activation.flow_task.can_execute(user, task):
        raise NotYourDuty


def complete(task, request, payload, files) -> None:
    """Do the step with the node's own payload and send the case on (the page's form and perform)."""
    with locked(task) as activation:
        _may_execute(activation, request.user)
        step = step_of(activation.flow_task)
        activation.start(None)
        try:
            step.perform(activation, request, payload, files)
        except DomainError as exc:  # the service refused: 400, and the lock's transaction rolls back
            raise ValidationError(field_errors(exc)) from None
        activation.execute()


def complete_with_request(task, request) -> None:
    """complete() with the request's body: a JSON object, or a form with its files (multipart)."""
    is_form = hasattr(request.data, "lists")
    complete(task, request, request.POST if is_form else request.data, request.FILES if is_form else {})


def case_tasks(process_class, case):
    """The human tasks of a case's processes (a report's, a complaint's), whatever their state."""
    processes = process_class.objects.filter(**{process_class.case_field: case})
    return Task.objects.filter(process__in=processes.values("pk"), flow_task_type="HUMAN")


def complete_case_step(tasks, node, request) -> None:
    """Do a case's open step of `node` (e.g. file the report, triage the complaint) as
    POST /tasks/{id}/complete/ does: its duty, lock, form and service. None open: 409 task_closed."""
    task = tasks.filter(flow_task=node, status__in=OPEN).select_related("process").order_by("pk").first()
    if task is None:
        raise TaskClosed
    task.process = task.process.coerced
    complete_with_request(task, request)


def save_draft(task, request, payload) -> None:
    """The inspect step's answers kept without sending the case on (the page's "save draft")."""
    with locked(task) as activation:
        _may_execute(activation, request.user)
        step = step_of(activation.flow_task)
        if not isinstance(step, InspectStep):
            raise ValidationError({"non_field_errors": [gettext("Only an inspection's inspect step keeps a draft.")]})
        try:
            step.save(activation, request, payload)
        except DomainError as exc:
            raise ValidationError(field_errors(exc)) from None


def add_evidence(task, user, *, upload, item_id: int | None, details: dict | None = None) -> Evidence:
    """A photo (or PDF) for the case's checklist, or a signature, by the person who holds its inspect step,
    through the services the inspect page uses (their checks of type, size, item, stamp and signer).
    `details`: EvidenceUploadSerializer's other fields."""
    details = details or {}
    with locked(task) as activation:
        _may_execute(activation, user)
        if activation.flow_task is not InspectionFlow.inspect:
            raise ValidationError({"file": [gettext("Evidence is added to an inspection's inspect step only.")]})
        inspection = activation.process.case
        if details.get("signer_role"):  # a signature
            return inspection_services.signature_add(
                inspection=inspection, by=user, image=upload, role=details["signer_role"],
                name=details.get("signer_name", ""), title=details.get("signer_title", ""),
            )  # fmt: skip
        return inspection_services.evidence_add(
            inspection=inspection, by=user, upload=upload, item_id=item_id, stamp=_stamp(details)
        )


def _stamp(details: dict) -> inspection_services.Stamp:
    def decimal(name):
        return None if details.get(name) is None else Decimal(str(details[name]))

    accuracy = details.get("accuracy")
    return inspection_services.Stamp(
        taken_at=details.get("taken_at"),
        latitude=decimal("latitude"),
        longitude=decimal("longitude"),
        accuracy_m=None if accuracy is None else round(accuracy),
    )


# --- the payload of each step -------------------------------------------------------------------


def _jsonable(value):
    if isinstance(value, Model):
        return value.pk
    if isinstance(value, datetime | date):
        return value.isoformat()
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, str | int | float | bool) or value is None:
        return value
    return str(value)


def field_schema(field: forms.Field) -> dict:
    """The OpenAPI schema of a form field as the API takes it (dates in ISO 8601)."""
    if isinstance(field, forms.BooleanField):
        schema = {"type": "boolean"}
    elif isinstance(field, forms.ModelChoiceField):
        schema = {"type": "integer", "description": gettext("An id")}
    elif isinstance(field, forms.ChoiceField):
        values = [str(value) for value, _label in field.choices if str(value) != ""]
        schema = {"type": "string", "enum": values} if values else {"type": "string"}
    elif isinstance(field, forms.DateField):
        schema = {"type": "string", "format": "date"}
    elif isinstance(field, forms.DecimalField):
        schema = {"type": "string", "format": "decimal", "description": gettext("A number, e.g. 12.5")}
    elif isinstance(field, forms.IntegerField):
        schema = {"type": "integer"}
    elif isinstance(field, forms.FileField):
        schema = {"type": "string", "format": "binary"}
    else:
        schema = {"type": "string"}
        if getattr(field, "max_length", None):
            schema["maxLength"] = field.max_length
    if field.label:
        schema["title"] = str(field.label)
    return schema


def _documented(schema: dict) -> dict:
    """A field's choices stay the step's own in the document: drf-spectacular names every `enum` in a
    component's properties by the property's name (one "DecisionEnum" for every step's `decision`)."""
    if "enum" not in schema:
        return schema
    title = schema.pop("title", None)
    return {"allOf": [schema], **({"title": title} if title else {})}


def field_description(name: str, field: forms.Field, initial) -> dict:
    """A form field as the task's detail describes it: its kind, whether required, its choices."""
    described = {"name": name, "label": str(field.label or name), "required": field.required, **field_schema(field)}
    described.pop("title", None)
    if isinstance(field, forms.ChoiceField):
        described["choices"] = [
            {"value": _jsonable(getattr(value, "value", value)), "label": str(label)}
            for value, label in field.choices
            if str(value) != ""
        ]
    described["initial"] = _jsonable(initial)
    return described


class FormStep:
    """A step whose page validates one form and calls one service in `perform()` (FlowTaskView)."""

    def __init__(self, node):
        self.node = node
        self.view_class = node.view.view_class

    def page(self, activation, request):
        view = self.view_class()
        view.request, view.args = request, ()
        view.kwargs = {"process_pk": activation.process.pk, "task_pk": activation.task.pk}
        view.activation = activation
        view.load(activation.process)
        return view

    def form(self, view, payload=None, files=None):
        kwargs = view.get_form_kwargs()
        kwargs.pop("data", None), kwargs.pop("files", None)
        if payload is not None:
            kwargs.update(data=payload, files=files or {})
        return view.get_form_class()(**kwargs)

    def fields(self, activation, request) -> list[dict]:
        """What the step's payload takes, as the page's form has it for this case (choices, initials)."""
        form = self.form(self.page(activation, request))
        return [
            field_description(name, field, form.get_initial_for_field(field, name))
            for name, field in form.fields.items()
        ]

    def needs(self, activation) -> dict | None:
        return None

    def schema(self) -> dict:
        declared = self.view_class.form_class.base_fields
        schema = {
            "type": "object",
            "properties": {name: _documented(field_schema(field)) for name, field in declared.items()},
        }
        required = [name for name, field in declared.items() if field.required]
        return {**schema, "required": required} if required else schema

    def perform(self, activation, request, payload, files) -> None:
        view = self.page(activation, request)
        data = as_dict(payload)
        form = self.form(view, payload=data, files=files)  # the form reads `data` when validated, below
        _read_as_the_form_does(data, form.fields)
        if not form.is_valid():
            raise ValidationError(form_errors(form))
        view.perform(form)


def typed_number(sent, answer: dict):
    """A number answer as the client typed it: "80.0" or 80.0 stays 80.0 (the inspect page shows it so, issue 16
    item 5); DRF's DecimalField already checked it and would give 80.000."""
    raw = sent.get("number") if isinstance(sent, dict) else None
    if isinstance(raw, str | int | float) and not isinstance(raw, bool) and answer.get("number") is not None:
        return str(raw).strip()
    return answer.get("number", answer.get("value", ""))


def as_dict(payload) -> dict:
    if hasattr(payload, "dict"):  # a form body (QueryDict): one value per field
        return payload.dict()
    if not isinstance(payload, dict):
        raise ValidationError({"non_field_errors": [gettext("Send an object of the step's fields.")]})
    return dict(payload)


def form_errors(form) -> dict:
    return {
        "non_field_errors" if name == NON_FIELD_ERRORS else name: [str(message) for message in errors]
        for name, errors in form.errors.items()
    }


def _read_as_the_form_does(data: dict, fields) -> None:
    """The payload in place as the page's form reads it: only its fields (another key is an error),
    ISO 8601 dates as dates (the page's date fields read Buddhist-era dates as typed)."""
    unknown = sorted(set(data) - set(fields))
    if unknown:
        raise ValidationError({name: [gettext("Unknown field.")] for name in unknown})
    for name, value in data.items():
        if isinstance(fields[name], forms.DateField) and isinstance(value, str) and value:
            data[name] = iso_date(name, value)


def iso_date(name: str, value: str) -> date:
    try:
        parsed = parse_date(value)
    except ValueError:
        parsed = None
    if parsed is None:
        raise ValidationError({name: [gettext("Enter a date in ISO 8601, e.g. 2026-12-01.")]})
    return parsed


class InspectStep:
    """The inspect step: the checklist's answers (only the items sent are changed), the findings, the
    day of the visit and the evidence already uploaded (api: POST …/evidence/), then "submit for
    review" — the inspect page's services in its order (answers_save, inspection_submit), checked by
    its form (ChecklistForm). As on the page, a refused submission keeps nothing: the API's call is
    one change or none; `…/draft/` keeps answers without submitting."""

    def __init__(self, node):
        self.node = node

    @staticmethod
    def payload_serializer():
        from .serializers import InspectPayloadSerializer

        return InspectPayloadSerializer

    def fields(self, activation, request) -> list[dict]:
        serializer = self.payload_serializer()()
        return [
            {"name": name, "label": str(field.label or name), "required": field.required}
            for name, field in serializer.fields.items()
        ]

    def schema(self) -> dict:
        return {"$ref": "#/components/schemas/InspectPayloadRequest"}

    def perform(self, activation, request, payload, files) -> None:
        self.save(activation, request, payload)
        inspection_services.inspection_submit(inspection=activation.process.case, by=request.user)

    def save(self, activation, request, payload) -> None:
        """The answers, findings and day sent, kept as the draft (the page's "save draft")."""
        inspection = activation.process.case
        given = self.payload_serializer()(data=as_dict(payload))
        given.is_valid(raise_exception=True)
        data = given.validated_data
        items = {item.pk: item for item in inspection_services._items(inspection)}
        form_data, sent, where = {}, set(), {}
        for index, answer in enumerate(data["answers"]):
            item = items.get(answer["item"])
            if item is None:
                raise ValidationError({f"answers.{index}.item": [gettext("This item is not in the case's checklist.")]})
            sent.add(item.pk)
            where[f"item_{item.pk}"], where[f"note_{item.pk}"] = f"answers.{index}.value", f"answers.{index}.note"
            if item.answer_type == AnswerType.NUMBER:  # as sent ("80.0"), not as the serializer rounds it (80.000)
                form_data[f"item_{item.pk}"] = typed_number(given.initial_data["answers"][index], answer)
            elif item.answer_type != AnswerType.PHOTO:
                form_data[f"item_{item.pk}"] = answer.get("value", "")
            form_data[f"note_{item.pk}"] = answer.get("note", "")
        form_data["findings"] = data.get("findings", inspection.findings)
        form_data["inspected_on"] = data.get("inspected_on")
        form = ChecklistForm(data=form_data, files={}, items=list(items.values()), answers={})
        if not form.is_valid():
            raise ValidationError({where.get(name, name): messages for name, messages in form_errors(form).items()})
        evidence = set(data["evidence"])
        if evidence - set(inspection.evidence.filter(pk__in=evidence).values_list("pk", flat=True)):
            raise ValidationError({"evidence": [gettext("Evidence ids must be of this case (POST …/evidence/).")]})
        by = request.user
        answers = {pk: entry for pk, entry in form.answers().items() if pk in sent}
        inspection_services.answers_save(
            inspection=inspection, by=by, answers=answers, findings=form.cleaned_data["findings"],
            inspected_on=form.cleaned_data["inspected_on"],
        )  # fmt: skip

    def needs(self, activation) -> dict:
        """What the inspector works from: the pinned checklist with the answers so far, the factory's
        latest self-reported value of each item that has one, and the evidence uploaded."""
        inspection = activation.process.case
        items = list(inspection_services._items(inspection).order_by("section__order", "order", "pk"))
        answers = {answer.item_id: answer for answer in inspection.answers.all()}
        reported = crosscheck.latest_reported(inspection.factory, items)
        evidence = list(inspection.evidence.order_by("uploaded_at", "pk"))
        return {
            "checklist_version": inspection.checklist_id,
            "findings": inspection.findings,
            "inspected_on": _jsonable(inspection.inspected_on),
            "items": [_item(item, answers.get(item.pk), reported.get(item.pk), evidence) for item in items],
            "evidence": [evidence_row(file) for file in evidence],
        }


def _item(item, answer, reported, evidence) -> dict:
    return {
        "id": item.pk, "code": item.code, "section": item.section.title_th, "question_th": item.question_th,
        "question_en": item.question_en, "answer_type": item.answer_type, "unit": item.unit,
        "choices": list(item.choices or []), "photo_required": item.photo_required,
        "answer": None if answer is None else {
            "value": answer.value, "number": _jsonable(answer.number), "note": answer.note,
            "compliant": answer.compliant,
        },
        "reported": None if reported is None else {
            "value": _jsonable(reported.value), "unit": reported.unit, "kind": reported.kind_code,
            "kind_label": reported.kind_label, "period": reported.period_label, "report_id": reported.report_id,
        },
        "evidence": [file.pk for file in evidence if file.item_id == item.pk],
    }  # fmt: skip


def evidence_row(file) -> dict:
    from django.urls import reverse

    def degrees(value):
        return None if value is None else float(value)

    return {
        "id": file.pk, "item": file.item_id, "kind": file.kind, "name": file.original_name,
        "content_type": file.content_type, "size": file.size, "uploaded_at": _jsonable(file.uploaded_at),
        "taken_at": _jsonable(file.taken_at), "latitude": degrees(file.latitude),
        "longitude": degrees(file.longitude), "accuracy_m": file.accuracy_m,
        "signer_role": file.signer_role, "signer_name": file.signer_name, "signer_title": file.signer_title,
        "url": reverse("api:evidence-detail", args=[file.pk]),  # the file, for a token as for a session
    }  # fmt: skip


_STEPS: dict = {}


def step_of(node):
    """How the API does `node`: the inspect step's adapter, else the node's page's form and perform."""
    if node not in _STEPS:
        _STEPS[node] = InspectStep(node) if node is InspectionFlow.inspect else FormStep(node)
    return _STEPS[node]
