"""The REST API. Every view asks permissions/ (access, operators) for what the caller may see, reads
through selectors and writes through the services; every error is answered by api.errors."""

from django.db.models import Prefetch
from django.http import Http404
from django.urls import reverse
from django.utils.translation import gettext as _
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework import mixins, parsers, status, viewsets
from rest_framework.authtoken.models import Token
from rest_framework.decorators import action
from rest_framework.exceptions import PermissionDenied, ValidationError
from rest_framework.generics import GenericAPIView
from rest_framework.permissions import AllowAny, IsAuthenticated
from rest_framework.response import Response
from rest_framework.throttling import ScopedRateThrottle

from permissions import access, operators
from registry.errors import RegistryError
from registry.models import Factory
from registry.selfreports.models import Channel, ReportField, ReportKind
from registry.selfreports.services import selfreport_submit
from workflows import audit
from workflows.complaint import selectors as complaint_selectors
from workflows.inspection import pdfs
from workflows.inspection import services as inspection_services
from workflows.inspection.models import Evidence
from workflows.inspection.selectors import published_results
from workflows.inspection.services import EVIDENCE_TYPES
from workflows.uploads import served

from . import filters, idempotency, pushes, registration, selectors, serializers, tokens
from .authentication import ExpiringTokenAuthentication
from .base import ID_IN_PATH, ApiView
from .errors import DocumentPending, field_errors
from .models import ApiToken

REG_NO_IN_PATH = r"^[0-9][-0-9]{0,29}$"  # digits, with the dashes people write


class FactoryViewSet(ApiView, viewsets.ReadOnlyModelViewSet):
    """Factories of the caller's offices (officers) or their own factories (operators); the registration
    system creates or updates one by its registration number (api.registration)."""

    serializer_class = serializers.FactorySerializer
    filterset_class = filters.FactoryFilter
    write_scope = "factories:write"

    def get_queryset(self):
        factories = Factory.objects.select_related("office", "province", "district", "sub_district")
        return operators.visible_factories(self.request.user, factories).order_by("name", "pk")

    @extend_schema(
        request=registration.FactoryPushSerializer,
        parameters=[idempotency.PARAMETER],
        responses={
            201: OpenApiResponse(registration.FactoryPushResultSerializer, description="Every row registered"),
            **idempotency.RESPONSES,
        },
        filters=False,
    )
    @action(detail=False, methods=["post"], filter_backends=[], pagination_class=None)
    @idempotency.idempotent("factory-push")
    def bulk(self, request):
        """Up to 1,000 new factories (the registration system's push), each a row of the factories CSV
        with its `reg_no`. **All or nothing**, as the CSV import: every row is checked by the import's
        rules; one bad row is a 400 whose `fields` name each bad row and column (`factories.12.workers`)
        and nothing is saved; else all are registered together. A number already registered is such an
        error: update a factory with PUT by-reg-no/{reg_no}/."""
        form = registration.FactoryPushSerializer(data=request.data)
        form.is_valid(raise_exception=True)
        factories = registration.factories_push(rows=form.validated_data["factories"], by=request.user)
        body = {"created": len(factories), "factories": [{"id": f.pk, "reg_no": f.reg_no} for f in factories]}
        return Response(registration.FactoryPushResultSerializer(body).data, status=status.HTTP_201_CREATED)

    @extend_schema(
        request=registration.FactoryUpsertSerializer,
        parameters=[
            OpenApiParameter(
                "reg_no", {"type": "string", "pattern": REG_NO_IN_PATH}, OpenApiParameter.PATH,
                description="The registration number (14 digits; dashes allowed)",
            ),
            idempotency.PARAMETER,
        ],
        responses={
            200: OpenApiResponse(serializers.FactorySerializer, description="Updated"),
            201: OpenApiResponse(serializers.FactorySerializer, description="Registered; `Location` is the factory"),
            **idempotency.RESPONSES,
        },
        filters=False,
    )  # fmt: skip
    @action(detail=False, methods=["put"], url_path=f"by-reg-no/(?P<reg_no>{REG_NO_IN_PATH.strip('^$')})",
            filter_backends=[])  # fmt: skip
    @idempotency.idempotent("factory-upsert")
    def upsert(self, request, reg_no: str):
        """Create or update a factory by its registration number, as one row of the factories CSV: the
        import's checks and messages, the registry's services, audited."""
        form = registration.FactoryUpsertSerializer(data=request.data)
        form.is_valid(raise_exception=True)
        factory, created = registration.factory_upsert(reg_no=reg_no, row=form.validated_data, by=request.user)
        body = self.get_serializer(self.get_queryset().get(pk=factory.pk)).data
        if not created:
            return Response(body)
        location = request.build_absolute_uri(reverse("api:factory-detail", args=[factory.pk]))
        return Response(body, status=status.HTTP_201_CREATED, headers={"Location": location})


class CaseViewSet(ApiView, viewsets.ReadOnlyModelViewSet):
    """Inspection cases of the offices the caller may see: outcome, open tasks and orders. A group head
    opens one (POST), as on the start page: the case's flow starts with its assign step."""

    serializer_class = serializers.CaseSerializer
    filterset_class = filters.CaseFilter
    write_scope = "cases:write"

    def get_queryset(self):
        return selectors.visible_cases(self.request.user)

    @extend_schema(
        request=serializers.CaseStartSerializer,
        parameters=[idempotency.PARAMETER],
        responses={201: OpenApiResponse(serializers.CaseSerializer, description="Opened; `Location` is the case"),
                   **idempotency.RESPONSES},
    )  # fmt: skip
    @idempotency.idempotent("case-start")
    def create(self, request, *args, **kwargs):
        if not access.can_anywhere(request.user, "change"):  # the start page's rule (inspection.views.StartView)
            raise PermissionDenied(_("Cases are opened by the offices' group heads."))
        form = serializers.CaseStartSerializer(data=request.data, context=self.get_serializer_context())
        form.is_valid(raise_exception=True)
        data = form.validated_data
        inspection = inspection_services.inspection_start(
            factory=data["factory"], by=request.user, reason=data["reason"], planned_on=data["planned_on"]
        )
        body = self.get_serializer(self.get_queryset().get(pk=inspection.pk)).data
        location = request.build_absolute_uri(reverse("api:case-detail", args=[inspection.pk]))
        return Response(body, status=status.HTTP_201_CREATED, headers={"Location": location})

    @extend_schema(responses=serializers.TimelineEntrySerializer(many=True), filters=False)
    @action(detail=True, filter_backends=[])
    def timeline(self, request, pk=None):
        """The case's audit trail, oldest first: who did what and when (acting for whom), with what
        changed — what the case page's timeline shows."""
        entries = self.paginate_queryset(audit.timeline(self.get_object()))
        return self.get_paginated_response(serializers.TimelineEntrySerializer(entries, many=True).data)


ORDER_IN_PATH = OpenApiParameter(
    "order", {"type": "integer", "format": "int64", "minimum": 0, "maximum": 10**18 - 1}, OpenApiParameter.PATH,
    description="The order's id (`orders[].id` of the result)",
)  # fmt: skip
EVIDENCE_FILE = OpenApiResponse(
    {"type": "string", "format": "binary"}, description="The file as uploaded (a photo or a PDF)"
)


class EvidenceViewSet(ApiView, viewsets.GenericViewSet):
    """An inspection's evidence file (a photo or PDF of its checklist), served to whoever may see the
    case (permissions.access, as the case page's link does); any other id is a 404."""

    filter_backends = []
    pagination_class = None

    def get_queryset(self):
        return Evidence.objects.filter(inspection__in=selectors.visible_cases(self.request.user).values("pk"))

    @extend_schema(
        responses={(200, media_type): EVIDENCE_FILE for media_type in sorted(EVIDENCE_TYPES)},
        filters=False,
    )
    def retrieve(self, request, pk=None):
        evidence = self.get_object()
        return served(evidence.file, evidence.content_type, evidence.original_name)


class ReportKindViewSet(ApiView, viewsets.ReadOnlyModelViewSet):
    """The kinds of self-report in use and the figures each takes: what a filing's `kind` and `values`
    keys may be (by code, e.g. /report-kinds/rw/)."""

    serializer_class = serializers.ReportKindSerializer
    filter_backends = []
    lookup_field = "code"
    lookup_value_regex = r"[-a-zA-Z0-9_]{1,20}"

    def get_queryset(self):
        fields = Prefetch("fields", ReportField.objects.order_by("order", "pk"))
        return ReportKind.objects.filter(active=True).prefetch_related(fields).order_by("order", "code")


PDF_FILE = OpenApiResponse({"type": "string", "format": "binary"}, description="The PDF as issued and signed")
DOCUMENT_PENDING = OpenApiResponse(
    description="The signed document is not ready: the time-stamp service does not answer (`document_pending`; "
    "`Retry-After` seconds)"
)


def document(request, page, **kwargs):
    """A case's document (workflows.inspection.pdfs) served by its page's own view — who may read it
    (operators.visible_results: the factory's operator once signed off, the case's offices), the signed
    copy as issued — which a token caller cannot reach through the site's login; its 503 page is the
    API's `document_pending`, its 404 the API's."""
    response = page.as_view()(request._request, **kwargs)
    if response.status_code == status.HTTP_503_SERVICE_UNAVAILABLE:
        raise DocumentPending(wait=int(response["Retry-After"]))
    return response


class ResultViewSet(ApiView, mixins.ListModelMixin, viewsets.GenericViewSet):
    """A factory operator's signed-off inspection results with the orders issued to their factories, and
    their documents: the signed report and the order letters (PDF)."""

    serializer_class = serializers.ResultSerializer
    filterset_class = filters.ResultFilter

    def get_queryset(self):
        return published_results(operators.factory_ids(self.request.user))

    def list(self, request, *args, **kwargs):
        if not operators.is_operator(request.user):
            raise PermissionDenied(_("Inspection results are for the factories' operators."))
        return super().list(request, *args, **kwargs)

    @extend_schema(responses={(200, "application/pdf"): PDF_FILE, 503: DOCUMENT_PENDING}, filters=False)
    @action(detail=True, filter_backends=[], pagination_class=None)
    def report(self, request, pk=None):
        """The case's inspection report (PDF), signed as issued, to whoever may read the case's documents
        (the factory's operator once it is signed off; the case's offices): the report page's rule."""
        return document(request, pdfs.ReportPdfView, pk=int(pk))

    @extend_schema(
        parameters=[ORDER_IN_PATH],
        responses={(200, "application/pdf"): PDF_FILE, 503: DOCUMENT_PENDING},
        filters=False,
    )
    @action(detail=True, url_path=rf"orders/(?P<order>{ID_IN_PATH})/letter", url_name="letter", filter_backends=[],
            pagination_class=None)  # fmt: skip
    def letter(self, request, pk=None, order=None):
        """An issued order's letter (PDF), signed as issued (a draft or an order awaiting approval has none:
        404), to whoever may read the case's documents: the letter page's rule."""
        return document(request, pdfs.OrderPdfView, pk=int(pk), order_pk=int(order))


class SelfReportViewSet(ApiView, mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    """Current self-reports the caller may see; operators and office staff file new ones."""

    serializer_class = serializers.SelfReportSerializer
    filterset_class = filters.SelfReportFilter
    write_scope = "selfreports:write"

    def get_queryset(self):
        return selectors.visible_reports(self.request.user)

    @extend_schema(
        request=serializers.SelfReportFilingSerializer,
        parameters=[idempotency.PARAMETER],
        responses={
            201: serializers.SelfReportSerializer,
            400: OpenApiResponse(description="Per-field errors"),
            **idempotency.RESPONSES,
        },
    )
    @idempotency.idempotent("selfreport-create")
    def create(self, request, *args, **kwargs):
        filing = serializers.SelfReportFilingSerializer(data=request.data, context=self.get_serializer_context())
        filing.is_valid(raise_exception=True)
        data = filing.validated_data
        try:
            report = selfreport_submit(
                factory=data["factory"], kind_code=data["kind"], period=data["period"], values=data["values"],
                by=request.user, amend=data["amend"], note=data["note"], channel=Channel.API,
            )  # fmt: skip
        except RegistryError as exc:
            raise ValidationError(field_errors(exc, nested="values", known=frozenset(filing.fields))) from None
        report = self.get_queryset().get(pk=report.pk)
        body = self.get_serializer(report).data
        location = request.build_absolute_uri(reverse("api:selfreport-detail", args=[report.pk]))
        return Response(body, status=status.HTTP_201_CREATED, headers={"Location": location})

    @extend_schema(
        request=pushes.PushSerializer,
        parameters=[idempotency.PARAMETER],
        responses={200: pushes.PushResultSerializer, **idempotency.RESPONSES},
        filters=False,
    )
    @action(detail=False, methods=["post"], filter_backends=[], pagination_class=None)
    @idempotency.idempotent("selfreport-bulk")
    def bulk(self, request):
        """Up to 1,000 self-reports by registration number, kind code and period (iSingleForm's push).
        Per-row results: the good rows are filed together, each refused row comes back with its error
        (`code`: unknown_factory, unknown_kind, invalid_period, already_filed, duplicate_row, no_change
        or invalid, with `fields`); a request that is not a list of rows is a 400 and files nothing."""
        form = pushes.PushSerializer(data=request.data)
        form.is_valid(raise_exception=True)
        answer = pushes.selfreports_push(rows=form.validated_data["reports"], by=request.user)
        return Response(pushes.PushResultSerializer(answer).data)


class ComplaintStatusView(ApiView, GenericAPIView):
    """A complaint's status and answer, as the public status page shows them (no personal data)."""

    authentication_classes = []
    permission_classes = [AllowAny]
    throttle_classes = [ScopedRateThrottle]
    throttle_scope = "lookup"
    serializer_class = serializers.ComplaintStatusSerializer

    def get(self, request, tracking_no: str):
        found = complaint_selectors.public_status(tracking_no[:30])
        if found is None:
            raise Http404
        return Response(self.get_serializer(found).data)


class TokenView(ApiView, GenericAPIView):
    """POST: username and password → a new token of the person (send it as `Authorization: Token <key>`),
    with the scopes asked for (all by default), for API_TOKEN_DAYS (30 by default). DELETE: revoke the
    token the call is made with. Service accounts get theirs in the admin (api.tokens)."""

    authentication_classes = [ExpiringTokenAuthentication]
    permission_classes = [IsAuthenticated]
    public_methods = ("POST",)  # for the schema (api.schema)
    throttle_classes = [ScopedRateThrottle]
    throttle_scope = "login"
    serializer_class = serializers.TokenRequestSerializer
    parser_classes = [parsers.JSONParser, parsers.FormParser, parsers.MultiPartParser]

    def initialize_request(self, request, *args, **kwargs):
        self.issuing = request.method == "POST"
        return super().initialize_request(request, *args, **kwargs)

    def get_authenticators(self):
        # issuing needs no credentials (and a stale session or token does not get in the way)
        return [] if getattr(self, "issuing", False) else super().get_authenticators()

    def get_permissions(self):
        return [] if getattr(self, "issuing", False) else super().get_permissions()

    def get_throttles(self):
        return super().get_throttles() if getattr(self, "issuing", False) else []

    @extend_schema(auth=[], request=serializers.TokenRequestSerializer, responses={200: serializers.TokenSerializer})
    def post(self, request, *args, **kwargs):
        form = self.get_serializer(data=request.data)
        form.is_valid(raise_exception=True)
        data = form.validated_data
        token, key = tokens.token_issue(user=data["user"], scopes=data["scopes"], name=data["name"])
        return Response({"token": key, "scopes": token.scopes, "expires_at": token.expires_at})

    @extend_schema(request=None, responses={204: None})
    def delete(self, request, *args, **kwargs):
        if not isinstance(request.auth, ApiToken):  # a session or a legacy key: nothing of ours to revoke
            if isinstance(request.auth, Token):
                request.auth.delete()
                return Response(status=status.HTTP_204_NO_CONTENT)
            raise ValidationError(_("Revoke a token by calling with it (Authorization: Token <key>)."))
        tokens.token_revoke(token=request.auth, by=request.user)
        return Response(status=status.HTTP_204_NO_CONTENT)
