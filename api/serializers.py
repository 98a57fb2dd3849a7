"""What the API shows and accepts. Serializers shape data only: reads come from selectors, writes go
through the services (api.views), whose rules decide what is valid."""

from django.urls import NoReverseMatch, reverse
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers
from rest_framework.authtoken.serializers import AuthTokenSerializer
from viewflow.workflow.models import Task

from org.models import Province, Unit
from permissions import access, operators
from project.choices import label
from registry.models import Factory, SelfReport
from registry.selfreports.models import ReportField, ReportKind
from workflows.complaint.services import DESCRIPTION_MAX, DESCRIPTION_MIN
from workflows.inspection.models import (
    CorrectiveOrder,
    DeviceCopy,
    DeviceCopyReason,
    EvidenceKind,
    Inspection,
    InspectionReason,
    SignerRole,
)
from workflows.processes import case_reference

from . import selectors
from .filters import MAX_ID
from .tokens import SCOPES


class ChoiceLabel(serializers.CharField):
    """`ChoiceLabel("status")`: the label of the model's choices field `status`, in the request's language
    (as `source="get_status_display"`, without rebuilding the field's choices for every row)."""

    def __init__(self, field: str, **kwargs):
        super().__init__(source=field, read_only=True, **kwargs)

    def bind(self, field_name, parent):
        super().bind(field_name, parent)
        self.model_field = parent.Meta.model._meta.get_field(self.source)

    def to_representation(self, value):
        return str(label(self.model_field, value))


def absolute(request, url: str) -> str:
    return request.build_absolute_uri(url) if request is not None else url


class PlaceSerializer(serializers.ModelSerializer):
    """A province, district or sub-district: its official code and both names."""

    # Declared, not the province's small-integer column: a sub-district's code has six digits (900202).
    code = serializers.IntegerField(read_only=True, help_text="The official code (province 2, district 4, "
                                    "sub-district 6 digits)")  # fmt: skip

    class Meta:
        model = Province
        fields = ["code", "name_th", "name_en"]


class OfficeSerializer(serializers.ModelSerializer):
    class Meta:
        model = Unit
        fields = ["id", "code", "name_th", "name_en"]


class FactoryRefSerializer(serializers.ModelSerializer):
    class Meta:
        model = Factory
        fields = ["id", "reg_no", "name"]


class FactorySerializer(serializers.ModelSerializer):
    factory_type_label = ChoiceLabel("factory_type")
    status_label = ChoiceLabel("status")
    office = OfficeSerializer(read_only=True, allow_null=True)
    province = PlaceSerializer(read_only=True)
    district = PlaceSerializer(read_only=True)
    sub_district = PlaceSerializer(read_only=True)
    web_url = serializers.SerializerMethodField()

    class Meta:
        model = Factory
        fields = [
            "id", "reg_no", "name", "operator", "factory_type", "factory_type_label", "category_code",
            "jurisdiction", "status", "status_label", "office", "address", "sub_district", "district", "province",
            "postcode", "latitude", "longitude", "machinery_hp", "workers", "licence_issued_on", "operating_since",
            "updated_at", "web_url",
        ]  # fmt: skip

    def get_web_url(self, factory) -> str:
        return absolute(self.context.get("request"), factory.get_absolute_url())


class CaseTaskSerializer(serializers.ModelSerializer):
    """An open task of a case: its step, who holds it (none: the office queue) and its due date."""

    step = serializers.SerializerMethodField()
    title = serializers.SerializerMethodField()
    owner = serializers.SerializerMethodField()
    due = serializers.DateTimeField(source="scheduled", allow_null=True)

    class Meta:
        model = Task
        fields = ["id", "step", "title", "owner", "status", "due"]

    def get_step(self, task) -> str:
        return task.flow_task.name

    def get_title(self, task) -> str:
        return str(task.flow_task.task_title or task.flow_task.name)

    def get_owner(self, task) -> str | None:
        return task.owner.display_name if task.owner_id else None


class OrderSerializer(serializers.ModelSerializer):
    kind_label = ChoiceLabel("kind")
    status_label = ChoiceLabel("status")

    class Meta:
        model = CorrectiveOrder
        fields = [
            "id", "kind", "kind_label", "status", "status_label", "requirement", "deadline", "letter_no", "issued_on",
        ]  # fmt: skip


class PublishedOrderSerializer(OrderSerializer):
    letter_url = serializers.SerializerMethodField()

    class Meta(OrderSerializer.Meta):
        fields = [*OrderSerializer.Meta.fields, "letter_url"]

    def get_letter_url(self, order) -> str:
        url = reverse("api:result-letter", args=[order.inspection_id, order.pk])  # for a token as for a session
        return absolute(self.context.get("request"), url)


class ResultSerializer(serializers.ModelSerializer):
    """A signed-off case as its factory's operator reads it: outcome, report, issued orders."""

    factory = FactoryRefSerializer(read_only=True)
    office = OfficeSerializer(read_only=True)
    outcome_label = ChoiceLabel("outcome")
    orders = PublishedOrderSerializer(source="issued_orders", many=True, read_only=True)
    report_url = serializers.SerializerMethodField()

    class Meta:
        model = Inspection
        fields = [
            "id", "ref_no", "factory", "office", "inspected_on", "signed_off_at", "outcome", "outcome_label",
            "report_url", "orders",
        ]  # fmt: skip

    def get_report_url(self, inspection) -> str:
        return absolute(self.context.get("request"), reverse("api:result-report", args=[inspection.pk]))


class CaseSerializer(serializers.ModelSerializer):
    factory = FactoryRefSerializer(read_only=True)
    office = OfficeSerializer(read_only=True)
    reason_label = ChoiceLabel("reason")
    outcome_label = ChoiceLabel("outcome")
    is_open = serializers.SerializerMethodField()
    inspector = serializers.SerializerMethodField()
    open_tasks = serializers.SerializerMethodField()
    orders = OrderSerializer(many=True, read_only=True)
    web_url = serializers.SerializerMethodField()

    class Meta:
        model = Inspection
        fields = [
            "id", "ref_no", "factory", "office", "reason", "reason_label", "is_open", "outcome", "outcome_label",
            "severity", "score", "inspector", "planned_on", "inspected_on", "created_at", "submitted_at",
            "signed_off_at", "closed_at", "open_tasks", "orders", "web_url",
        ]  # fmt: skip

    def get_is_open(self, inspection) -> bool:
        return inspection.closed_at is None

    def get_inspector(self, inspection) -> str | None:
        return inspection.inspector.display_name if inspection.inspector_id else None

    @extend_schema_field(CaseTaskSerializer(many=True))
    def get_open_tasks(self, inspection):
        tasks = [task for process in inspection.processes.all() for task in process.open_tasks]
        return CaseTaskSerializer(tasks, many=True, context=self.context).data

    def get_web_url(self, inspection) -> str:
        return absolute(self.context.get("request"), inspection.get_absolute_url())


class CaseRefSerializer(serializers.Serializer):
    type = serializers.CharField()
    id = serializers.IntegerField()
    reference = serializers.CharField()


class MyTaskSerializer(serializers.ModelSerializer):
    """One of the caller's open tasks, whatever the flow, with a link to its page."""

    flow = serializers.SerializerMethodField()
    flow_title = serializers.SerializerMethodField()
    step = serializers.SerializerMethodField()
    title = serializers.SerializerMethodField()
    case = serializers.SerializerMethodField()
    due = serializers.DateTimeField(source="scheduled", allow_null=True)
    url = serializers.SerializerMethodField()

    class Meta:
        model = Task
        fields = ["id", "flow", "flow_title", "step", "title", "case", "created", "due", "url"]

    def get_flow(self, task) -> str:
        return task.flow_task.flow_class.__name__

    def get_flow_title(self, task) -> str:
        return str(task.flow_task.flow_class.process_title)

    def get_step(self, task) -> str:
        return task.flow_task.name

    def get_title(self, task) -> str:
        return str(task.flow_task.task_title or task.flow_task.name)

    @extend_schema_field(CaseRefSerializer(allow_null=True))
    def get_case(self, task):
        case = selectors.case_of(task)
        if case is None:
            return None
        return {"type": case._meta.model_name, "id": case.pk, "reference": case_reference(case)}

    def get_url(self, task) -> str | None:
        try:
            return absolute(self.context.get("request"), task.reverse("execute"))
        except NoReverseMatch:  # a flow whose tasks have no page of their own
            return None


class ReportValueSerializer(serializers.Serializer):
    key = serializers.CharField()
    value = serializers.CharField(source="display")
    unit = serializers.CharField()


class SelfReportSerializer(serializers.ModelSerializer):
    factory = FactoryRefSerializer(read_only=True)
    kind = serializers.CharField(source="kind.code", read_only=True)
    kind_name = serializers.CharField(source="kind.name", read_only=True)
    form_ref = serializers.CharField(source="kind.form_ref", read_only=True)
    period = serializers.CharField(source="period.code", read_only=True)
    period_label = serializers.SerializerMethodField()
    due_on = serializers.DateField(read_only=True)
    was_late = serializers.BooleanField(read_only=True)
    values = ReportValueSerializer(many=True, read_only=True)
    web_url = serializers.SerializerMethodField()

    class Meta:
        model = SelfReport
        fields = [
            "id", "factory", "kind", "kind_name", "form_ref", "period", "period_label", "period_start", "period_end",
            "due_on", "revision", "first_filed_at", "filed_at", "was_late", "channel", "note", "values", "web_url",
        ]  # fmt: skip

    def get_period_label(self, report) -> str:
        return report.period.label()

    def get_web_url(self, report) -> str:
        return absolute(self.context.get("request"), report.get_absolute_url())


class BoundedPrimaryKeyRelatedField(serializers.PrimaryKeyRelatedField):
    """An id the database can hold (1 to 2⁶³−1): a larger number is "no such object", not an overflow
    inside the database driver (a 500 on SQLite)."""

    def to_internal_value(self, data):
        if isinstance(data, int | str) and not isinstance(data, bool):
            try:
                number = int(data)
            except ValueError:
                self.fail("incorrect_type", data_type=type(data).__name__)
            if not 1 <= number <= MAX_ID:
                self.fail("does_not_exist", pk_value=data)
        return super().to_internal_value(data)


class SelfReportFilingSerializer(serializers.Serializer):
    """A filing: the factory (one the caller may see), the kind by code, the period as written (`2567`,
    `2567-H1`, `2567-03`) and the figures by key. The figures are checked by the service."""

    factory = BoundedPrimaryKeyRelatedField(
        queryset=Factory.objects.all(),
        error_messages={"does_not_exist": _("No factory with this id is open to you.")},
    )
    kind = serializers.CharField(max_length=20, help_text=_("Report kind code, e.g. rw"))
    period = serializers.CharField(max_length=10, help_text=_("e.g. 2567, 2567-H1 or 2567-03"))
    values = serializers.DictField(
        child=serializers.CharField(allow_blank=True, allow_null=True, max_length=500),
        help_text=_('Figures by field key, e.g. {"bod": "18"}'),
    )
    amend = serializers.BooleanField(default=False, help_text=_("Amend a period already filed"))
    note = serializers.CharField(max_length=500, allow_blank=True, default="")

    def validate_factory(self, factory):
        user = self.context["request"].user
        if not operators.visible_factories(user, Factory.objects.filter(pk=factory.pk)).exists():
            self.fields["factory"].fail("does_not_exist", pk_value=factory.pk)
        return factory


CODE_MAX = 2**31 - 1


@extend_schema_field(
    {
        "type": "string",
        "minLength": DESCRIPTION_MIN,
        "maxLength": DESCRIPTION_MAX,
        "pattern": rf"^\S[\s\S]{{{DESCRIPTION_MIN - 2},}}\S$",
        "description": f"{DESCRIPTION_MIN} to {DESCRIPTION_MAX} characters, not counting spaces at either end",
    }
)
class DescriptionField(serializers.CharField):
    """The complaint's account: its length is the service's rule (with its message), stated in the
    schema so that a client knows it before sending."""

    def __init__(self, **kwargs):
        super().__init__(max_length=DESCRIPTION_MAX, **kwargs)


class ComplaintSubmitSerializer(serializers.Serializer):
    """The public complaint form's fields. Its rules (length, place, photos, rate) are the service's."""

    description = DescriptionField()
    # Bounded so that no number overflows the database driver; which codes exist is the service's rule.
    province = serializers.IntegerField(min_value=0, max_value=CODE_MAX, help_text=_("Official province code, e.g. 90"))
    district = serializers.IntegerField(min_value=0, max_value=CODE_MAX, help_text=_("Official district code"))
    factory_text = serializers.CharField(
        max_length=255, required=False, allow_blank=True, default="",
        help_text=_("Registration number or name of the factory, if known"),
    )  # fmt: skip
    contact_name = serializers.CharField(max_length=150, required=False, allow_blank=True, default="")
    contact_phone = serializers.CharField(max_length=30, required=False, allow_blank=True, default="")
    # No default: "" is not an e-mail address, so a document saying `default: ""` was invalid OpenAPI.
    contact_email = serializers.EmailField(required=False, allow_blank=True)
    photos = serializers.ListField(child=serializers.FileField(), required=False, default=list)


class ComplaintReceiptSerializer(serializers.Serializer):
    tracking_no = serializers.CharField()
    status_url = serializers.URLField()


class ComplaintStatusSerializer(serializers.Serializer):
    """Exactly what the public status page shows: no contact data, no staff, no internal notes."""

    tracking_no = serializers.CharField()
    status = serializers.CharField()
    status_code = serializers.CharField()
    received = serializers.DateTimeField()
    updated = serializers.DateTimeField()
    answered = serializers.DateTimeField(allow_null=True)
    answer = serializers.CharField()


class TokenRequestSerializer(AuthTokenSerializer):
    """A person's username and password (DRF's check: an inactive person gets none), and what the token
    is for: its scopes (all unless fewer are asked for) and a name."""

    scopes = serializers.ListField(
        child=serializers.ChoiceField(choices=list(SCOPES)), required=False, default=lambda: list(SCOPES),
        help_text=_("What the token may do; every scope unless fewer are named"),
    )  # fmt: skip
    name = serializers.CharField(max_length=100, required=False, allow_blank=True, default="")
    token = None  # DRF's serializer reads the token back; ours only issues


class TokenSerializer(serializers.Serializer):
    token = serializers.CharField(help_text=_("The key: shown once, only its digest is kept"))
    scopes = serializers.ListField(child=serializers.CharField())
    expires_at = serializers.DateTimeField(allow_null=True)


class AnswerInSerializer(serializers.Serializer):
    """One checklist answer: `value` (yes / no / na, a listed choice, or text) or `number` for an item
    that takes a number; a note."""

    item = serializers.IntegerField(min_value=1, max_value=MAX_ID, help_text=_("Checklist item id"))
    value = serializers.CharField(max_length=255, required=False, allow_blank=True)
    number = serializers.DecimalField(max_digits=14, decimal_places=3, required=False, allow_null=True)
    note = serializers.CharField(required=False, allow_blank=True, max_length=2000)


class InspectPayloadSerializer(serializers.Serializer):
    """The inspect step's payload: the answers to change (items not sent keep theirs), the findings, the
    day of the visit, and the evidence ids uploaded for the case (they must be the case's)."""

    answers = AnswerInSerializer(many=True, required=False, default=list)
    findings = serializers.CharField(required=False, allow_blank=True, max_length=10000)
    inspected_on = serializers.DateField(required=False, allow_null=True)
    evidence = serializers.ListField(
        child=serializers.IntegerField(min_value=1, max_value=MAX_ID), required=False, default=list, max_length=500
    )


class DeviceCopyAnswerSerializer(serializers.Serializer):
    """One item as the device kept it: its answer, number as typed, note, and the names of its photos left
    on the device (their files are not sent with the copy)."""

    item = serializers.IntegerField(min_value=1, max_value=MAX_ID)
    value = serializers.CharField(required=False, allow_blank=True, max_length=200, default="")
    number = serializers.CharField(required=False, allow_blank=True, max_length=40, default="")
    note = serializers.CharField(required=False, allow_blank=True, max_length=2000, default="")
    photos = serializers.ListField(
        child=serializers.CharField(max_length=255), required=False, default=list, max_length=50
    )


class DeviceCopyInSerializer(serializers.Serializer):
    """A device's copy of an inspect step that could not be sent (the reason: the code of the API's refusal)."""

    reason = serializers.ChoiceField(choices=DeviceCopyReason.choices)
    answers = DeviceCopyAnswerSerializer(many=True, max_length=500)
    findings = serializers.CharField(required=False, allow_blank=True, max_length=10000, default="")
    inspected_on = serializers.DateField(required=False, allow_null=True, default=None)


class DeviceCopySerializer(serializers.ModelSerializer):
    """A device's copy attached to a case: who, when, why, and the answers as the device kept them."""

    case = serializers.IntegerField(source="inspection_id", read_only=True)
    task = serializers.IntegerField(source="task_id", read_only=True, allow_null=True)
    author = serializers.CharField(source="author.display_name", read_only=True)
    reason_label = ChoiceLabel("reason")
    answers = DeviceCopyAnswerSerializer(many=True, read_only=True)

    class Meta:
        model = DeviceCopy
        fields = ["id", "case", "task", "author", "created_at", "reason", "reason_label", "answers", "findings",
                  "inspected_on"]  # fmt: skip
        read_only_fields = fields


class TaskSerializer(MyTaskSerializer):
    """A task in a list (mine, the queue): its step, case, state, holder and due date."""

    owner = serializers.SerializerMethodField()
    status = serializers.CharField(read_only=True, help_text=_("NEW (in the queue), ASSIGNED, DONE or CANCELED"))

    class Meta(MyTaskSerializer.Meta):
        fields = [*MyTaskSerializer.Meta.fields, "status", "owner"]

    def get_owner(self, task) -> str | None:
        return task.owner.display_name if task.owner_id else None


class PayloadFieldSerializer(serializers.Serializer):
    name = serializers.CharField()
    label = serializers.CharField()
    required = serializers.BooleanField()
    type = serializers.CharField(required=False)
    format = serializers.CharField(required=False)
    choices = serializers.ListField(child=serializers.DictField(), required=False)
    initial = serializers.JSONField(required=False, allow_null=True)


class TaskActionsSerializer(serializers.Serializer):
    claim = serializers.BooleanField(help_text=_("The caller may take it from the queue now"))
    complete = serializers.BooleanField(help_text=_("The caller holds it and its duty lets them complete it"))


class TaskDetailSerializer(TaskSerializer):
    """A task with what its step needs: the fields of its payload (with their choices, e.g. a review's
    decisions) and, for an inspection's inspect step, the checklist, the answers so far, the factory's
    latest reported values and the evidence."""

    actions = serializers.SerializerMethodField()
    payload = serializers.SerializerMethodField()
    needs = serializers.SerializerMethodField()

    class Meta(TaskSerializer.Meta):
        fields = [*TaskSerializer.Meta.fields, "actions", "payload", "needs"]

    @extend_schema_field(TaskActionsSerializer)
    def get_actions(self, task):
        return self.context["actions"]

    @extend_schema_field(PayloadFieldSerializer(many=True))
    def get_payload(self, task):
        return self.context["payload"]

    @extend_schema_field({"type": "object", "nullable": True, "additionalProperties": True})
    def get_needs(self, task):
        return self.context["needs"]


class EvidenceUploadSerializer(serializers.Serializer):
    """A photo (with, when the inspector agreed, when and where it was taken) or, with `signer_role`, a signature
    drawn on the device (a PNG, with its signer's name and position)."""

    file = serializers.FileField(help_text=_("A JPEG, PNG or WebP photo, or a PDF"))
    item = serializers.IntegerField(
        min_value=1, max_value=MAX_ID, required=False, allow_null=True, help_text=_("Checklist item id")
    )
    taken_at = serializers.DateTimeField(required=False, allow_null=True)
    latitude = serializers.FloatField(min_value=-90, max_value=90, required=False, allow_null=True)
    longitude = serializers.FloatField(min_value=-180, max_value=180, required=False, allow_null=True)
    accuracy = serializers.FloatField(min_value=0, max_value=100_000, required=False, allow_null=True)
    signer_role = serializers.ChoiceField(
        choices=SignerRole.choices, required=False, help_text=_("Only for a signature: who signs")
    )
    signer_name = serializers.CharField(max_length=200, required=False, allow_blank=True)
    signer_title = serializers.CharField(max_length=200, required=False, allow_blank=True)


class EvidenceSerializer(serializers.Serializer):
    """An evidence file of a case: a photo or PDF with its stamp (when and where it was taken, null when the
    inspector did not agree to one), or a signature with its signer (blank for a photo)."""

    id = serializers.IntegerField()
    item = serializers.IntegerField(allow_null=True)
    kind = serializers.SerializerMethodField()
    name = serializers.CharField()
    content_type = serializers.CharField()
    size = serializers.IntegerField()
    uploaded_at = serializers.DateTimeField()
    taken_at = serializers.DateTimeField(allow_null=True, help_text=_("When the photo was taken (the device's clock)"))
    latitude = serializers.FloatField(allow_null=True, help_text=_("Where it was taken (WGS 84 degrees)"))
    longitude = serializers.FloatField(allow_null=True)
    accuracy_m = serializers.IntegerField(allow_null=True, help_text=_("The position's accuracy in metres"))
    signer_role = serializers.CharField(help_text=_("A signature's signer: representative or inspector"))
    signer_name = serializers.CharField()
    signer_title = serializers.CharField()
    url = serializers.CharField(help_text=_("The file (GET, as the case page's link)"))

    # the values in words: another choice set is named `kind` (a report's), so an enum here would collide
    # (drf-spectacular W001) unless ENUM_NAME_OVERRIDES named both
    @extend_schema_field({"type": "string", "description": "One of: " + ", ".join(EvidenceKind.values)})
    def get_kind(self, row) -> str:
        return row["kind"]


class CaseStartSerializer(serializers.Serializer):
    """A new inspection case: a factory of an office where the caller works, why, and when planned."""

    factory = BoundedPrimaryKeyRelatedField(
        queryset=Factory.objects.all(),
        error_messages={"does_not_exist": _("No factory with this id is open to you.")},
    )
    reason = serializers.ChoiceField(choices=InspectionReason.choices, default=InspectionReason.ROUTINE)
    planned_on = serializers.DateField(required=False, allow_null=True, default=None)

    def validate_factory(self, factory):
        user = self.context["request"].user
        if not access.visible(user, Factory.objects.filter(pk=factory.pk), action="work").exists():
            self.fields["factory"].fail("does_not_exist", pk_value=factory.pk)
        return factory


class ReportFieldSerializer(serializers.ModelSerializer):
    class Meta:
        model = ReportField
        fields = ["key", "label_th", "label_en", "unit", "value_type", "min_value", "max_value", "required"]


class ReportKindSerializer(serializers.ModelSerializer):
    """A kind of self-report and the figures it takes (the `values` keys of a filing)."""

    fields = ReportFieldSerializer(many=True, read_only=True)

    class Meta:
        model = ReportKind
        fields = ["code", "form_ref", "name_th", "name_en", "frequency", "due_days", "factory_types", "fields"]


class TimelineEntrySerializer(serializers.Serializer):
    """One entry of a case's audit trail."""

    seq = serializers.IntegerField()
    at = serializers.DateTimeField()
    actor = serializers.SerializerMethodField()
    acting_for = serializers.CharField()
    action = serializers.CharField()
    label = serializers.CharField()
    comment = serializers.CharField()
    before = serializers.JSONField()
    after = serializers.JSONField()

    def get_actor(self, entry) -> str:
        return entry.actor.display_name if entry.actor_id else entry.actor_name
