"""Complaints. The public files one (POST /complaints/, no login: the form's rules and per-address limit,
workflows.complaint.services.complaint_submit); the office reads those of the offices it may see
(permissions.access on the complaint's office, the complaint pages' rule) and triages one (POST
/complaints/{id}/triage/) through the triage step of its flow — the triage page's form and service
(complaint_triage), the step's duty (a group head of the office) and lock, as /tasks/{id}/complete/."""

import django_filters
from django.db.models import Q
from django.http import Http404
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema, extend_schema_field
from rest_framework import mixins, parsers, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import Throttled
from rest_framework.permissions import AllowAny
from rest_framework.response import Response

from permissions import access
from workflows.complaint import services as complaint_services
from workflows.complaint.errors import RateLimited
from workflows.complaint.flows import ComplaintFlow
from workflows.complaint.models import Complaint, ComplaintProcess, ComplaintStatus
from workflows.complaint.public import client_ip
from workflows.uploads import served

from . import idempotency, steps
from .base import ID_IN_PATH, ApiView
from .filters import IdFilter, StrictFilterSet, UpdatedSinceFilter
from .schema import StepActionSchema
from .serializers import (
    CaseTaskSerializer,
    ChoiceLabel,
    ComplaintReceiptSerializer,
    ComplaintSubmitSerializer,
    FactoryRefSerializer,
    OfficeSerializer,
    PlaceSerializer,
    absolute,
)
from .task_views import CONFLICTS

TRIAGE_PARSERS = [parsers.JSONParser, parsers.MultiPartParser]


class ComplaintFilter(StrictFilterSet):
    office = IdFilter(field_name="office_id", label=_("Office id"))
    status = django_filters.ChoiceFilter(choices=ComplaintStatus.choices, label=_("Status"))
    updated_since = UpdatedSinceFilter(changed=lambda since: Q(updated_at__gte=since))

    class Meta:
        model = Complaint
        fields = ["office", "status", "updated_since"]


class ComplaintCaseSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    ref_no = serializers.CharField()


class ComplaintPhotoSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    content_type = serializers.CharField()
    size = serializers.IntegerField()
    url = serializers.SerializerMethodField(help_text="The photo (GET, as the complaint page's link)")

    def get_url(self, photo) -> str:
        return absolute(
            self.context.get("request"), reverse("api:complaint-photo", args=[photo.complaint_id, photo.pk])
        )


PHOTO_FILE = OpenApiResponse({"type": "string", "format": "binary"}, description="The photo as the complainant sent it")
PHOTO_IN_PATH = OpenApiParameter(
    "photo", {"type": "integer", "format": "int64", "minimum": 0, "maximum": 10**18 - 1}, OpenApiParameter.PATH,
    description="The photo's id (`photos[].id` of the complaint)",
)  # fmt: skip


class ComplaintSerializer(serializers.ModelSerializer):
    """A complaint as the office reads it (contact included: staff only)."""

    office = OfficeSerializer(read_only=True)
    province = PlaceSerializer(read_only=True)
    district = PlaceSerializer(read_only=True)
    factory = FactoryRefSerializer(read_only=True, allow_null=True)
    status = serializers.CharField(read_only=True, help_text="One of: " + ", ".join(ComplaintStatus.values))
    status_label = ChoiceLabel("status")
    case = serializers.SerializerMethodField()
    photos = ComplaintPhotoSerializer(many=True, read_only=True)
    web_url = serializers.SerializerMethodField()

    class Meta:
        model = Complaint
        fields = [
            "id", "tracking_no", "status", "status_label", "description", "office", "province", "district",
            "factory", "factory_text", "contact_name", "contact_phone", "contact_email", "reject_reason", "answer",
            "case", "photos", "created_at", "updated_at", "answered_at", "closed_at", "web_url",
        ]  # fmt: skip

    @extend_schema_field(ComplaintCaseSerializer(allow_null=True))
    def get_case(self, complaint):
        inspection = complaint.inspection
        return None if inspection is None else {"id": inspection.pk, "ref_no": inspection.ref_no}

    def get_web_url(self, complaint) -> str:
        return absolute(self.context.get("request"), complaint.get_absolute_url())


class ComplaintDetailSerializer(ComplaintSerializer):
    open_tasks = serializers.SerializerMethodField()

    class Meta(ComplaintSerializer.Meta):
        fields = [*ComplaintSerializer.Meta.fields, "open_tasks"]

    @extend_schema_field(CaseTaskSerializer(many=True))
    def get_open_tasks(self, complaint):
        tasks = steps.case_tasks(ComplaintProcess, complaint).filter(status__in=steps.OPEN).select_related("owner")
        return CaseTaskSerializer(tasks.order_by("pk"), many=True, context=self.context).data


class ComplaintViewSet(ApiView, mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    """The complaints of the caller's offices, newest first; filing one (public); triage."""

    serializer_class = ComplaintSerializer
    filterset_class = ComplaintFilter
    write_scope = "tasks:write"
    public_actions = ("create",)  # for the schema (api.schema): no credentials read
    parser_classes = [parsers.JSONParser, parsers.MultiPartParser, parsers.FormParser]
    schema = StepActionSchema()
    step_actions = {"triage": lambda: ComplaintFlow.triage}  # the schema documents its payload

    def initialize_request(self, request, *args, **kwargs):
        self.public = getattr(self, "action_map", {}).get(request.method.lower()) == "create"
        return super().initialize_request(request, *args, **kwargs)

    def get_authenticators(self):
        # filing is public: no session read (so no CSRF check), a stale token does not get in the way
        return [] if getattr(self, "public", False) else super().get_authenticators()

    def get_permissions(self):
        return [AllowAny()] if getattr(self, "public", False) else super().get_permissions()

    def get_serializer_class(self):
        if self.action == "create":
            return ComplaintSubmitSerializer
        return ComplaintDetailSerializer if self.action == "retrieve" else ComplaintSerializer

    def get_queryset(self):
        complaints = Complaint.objects.select_related(
            "office", "province", "district", "factory", "inspection"
        ).prefetch_related("photos")
        return access.visible(self.request.user, complaints).order_by("-created_at", "-pk")

    @extend_schema(
        # Offered as multipart only, the one encoding that carries the photos; a JSON body without
        # photos is still accepted (README), but a client generated from the document sends multipart.
        request={"multipart/form-data": ComplaintSubmitSerializer},
        parameters=[idempotency.PARAMETER],
        responses={
            201: OpenApiResponse(ComplaintReceiptSerializer, description="Filed; `Location` is its status URL"),
            400: OpenApiResponse(description="Per-field errors (Thai); nothing stored"),
            429: OpenApiResponse(description="Too many complaints from this address within the hour"),
            **idempotency.RESPONSES,
        },
        filters=False,
    )
    @idempotency.idempotent("complaint-submit")
    def create(self, request):
        """File a complaint from the public (no login): the tracking number to follow it with. The same
        rules and per-address limit as the public form (workflows.complaint.services)."""
        form = ComplaintSubmitSerializer(data=request.data)
        form.is_valid(raise_exception=True)
        data = {"contact_email": "", **form.validated_data}
        photos = data.pop("photos")
        try:  # the form's per-address limit, answered as 429
            complaint = complaint_services.complaint_submit(data=data, photos=photos, source_ip=client_ip(request))
        except RateLimited as exc:
            raise Throttled(detail=exc.message) from None
        status_url = reverse("api:complaint-status", args=[complaint.tracking_no])
        receipt = {"tracking_no": complaint.tracking_no, "status_url": request.build_absolute_uri(status_url)}
        body = ComplaintReceiptSerializer(receipt).data
        return Response(body, status=status.HTTP_201_CREATED, headers={"Location": receipt["status_url"]})

    @extend_schema(
        parameters=[PHOTO_IN_PATH],
        responses={(200, media_type): PHOTO_FILE for media_type in sorted(complaint_services.PHOTO_TYPES)},
        filters=False,
    )
    @action(detail=True, url_path=rf"photos/(?P<photo>{ID_IN_PATH})", url_name="photo", filter_backends=[],
            pagination_class=None)  # fmt: skip
    def photo(self, request, pk=None, photo=None):
        """A photo of the complaint, to whoever may see the complaint (permissions.access, as the complaint
        page's link: workflows.complaint.views.PhotoFileView); a photo of another complaint is a 404."""
        found = next((p for p in self.get_object().photos.all() if p.pk == int(photo)), None)
        if found is None:
            raise Http404
        return served(found.file, found.content_type)

    @extend_schema(
        parameters=[idempotency.PARAMETER],
        responses={200: ComplaintDetailSerializer, **CONFLICTS},
        description=(
            "Accept (`decision: accept`; the factory by `factory_reg_no` when the complainant named none: a case "
            "is opened, or the factory's open case joined) or reject with a `reason`. The step must be the "
            "caller's (claim it from /tasks/queue/ when it waits in the office queue: 409 task_unclaimed)."
        ),
        filters=False,
    )
    @action(detail=True, methods=["post"], filter_backends=[], parser_classes=TRIAGE_PARSERS)
    @idempotency.idempotent("complaint-triage")
    def triage(self, request, pk=None):
        complaint = self.get_object()
        steps.complete_case_step(steps.case_tasks(ComplaintProcess, complaint), ComplaintFlow.triage, request)
        triaged = self.get_queryset().get(pk=complaint.pk)
        return Response(ComplaintDetailSerializer(triaged, context=self.get_serializer_context()).data)
