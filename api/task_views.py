"""Tasks through the API: the caller's own, their offices' queue, one task with what its step needs,
and claim / complete / evidence — each through api.steps, which asks the node's own rules (its duty)
and calls the step's own service, as the task's page does."""

from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import mixins, parsers, status, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import NotFound, ValidationError
from rest_framework.response import Response
from viewflow.workflow.models import Task
from viewflow.workflow.status import STATUS

from org.errors import DomainError
from workflows.inspection import services as inspection_services
from workflows.inspection.flows import InspectionFlow

from . import filters, idempotency, selectors, serializers, steps
from .base import ApiView
from .errors import field_errors
from .pagination import TaskCursor
from .schema import TaskSchema

CONFLICTS = {
    403: OpenApiResponse(description="The step's duty does not let the caller do this (`not_your_duty`)"),
    409: OpenApiResponse(
        description="Someone else holds the task (`task_taken`), it is closed (`task_closed`), still in the queue "
        "(`task_unclaimed`), someone is acting on it (`task_busy`), or the Idempotency-Key is in progress"
    ),
    422: idempotency.RESPONSES[422],
}


class TaskViewSet(ApiView, mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    """The caller's own open tasks in every flow (the list), due first, each with its case and the URL
    of its page; the queue of their offices; a task with what its step needs; claim and complete."""

    serializer_class = serializers.TaskSerializer
    filterset_class = filters.TaskFilter
    pagination_class = TaskCursor  # keyset pages: no COUNT over the caller's tasks
    write_scope = "tasks:write"
    parser_classes = [parsers.JSONParser, parsers.MultiPartParser]
    schema = TaskSchema()

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):  # the schema generator has no person
            return Task.objects.none()
        user = self.request.user
        if self.action == "list":
            return selectors.my_open_tasks(user)
        if self.action == "queue":
            return selectors.queue(user)
        return selectors.visible_tasks(user)

    def get_serializer_class(self):
        return serializers.TaskDetailSerializer if self.action == "retrieve" else serializers.TaskSerializer

    def task(self) -> Task:
        task = self.get_object()
        task.process = task.process.coerced  # the flow's own process, its case joined (selectors.with_cases)
        return task

    def answer(self, task_pk: int, code: int = status.HTTP_200_OK) -> Response:
        task = selectors.visible_tasks(self.request.user).get(pk=task_pk)
        return Response(serializers.TaskSerializer(task, context=self.get_serializer_context()).data, status=code)

    @extend_schema(responses=serializers.TaskSerializer(many=True))
    @action(detail=False, filterset_class=filters.TaskFilter)
    def queue(self, request):
        """The unowned tasks of the offices where the caller works, due first: claim one to hold it."""
        return self.list(request)

    def retrieve(self, request, *args, **kwargs):
        task = self.task()
        node, user = task.flow_task, request.user
        activation = node.activation_class(task)
        step, is_open = steps.step_of(node), task.status in steps.OPEN
        context = {
            **self.get_serializer_context(),
            "actions": {
                "claim": task.status == STATUS.NEW and task.owner_id is None and node.can_assign(user, task),
                "complete": task.status == STATUS.ASSIGNED and node.can_execute(user, task),
            },
            "payload": step.fields(activation, request) if is_open else [],
            "needs": step.needs(activation) if is_open else None,
        }
        return Response(serializers.TaskDetailSerializer(task, context=context).data)

    @extend_schema(
        request=None, parameters=[idempotency.PARAMETER], responses={200: serializers.TaskSerializer, **CONFLICTS}
    )
    @action(detail=True, methods=["post"])
    @idempotency.idempotent("task-claim")
    def claim(self, request, pk=None):
        """Take the task from the office queue, if the step's duty lets the caller hold it."""
        task = self.task()
        steps.claim(task, request.user)
        return self.answer(task.pk)

    @extend_schema(parameters=[idempotency.PARAMETER], responses={200: serializers.TaskSerializer, **CONFLICTS})
    @action(detail=True, methods=["post"])
    @idempotency.idempotent("task-complete")
    def complete(self, request, pk=None):
        """Do the step with its own payload (see the task's `payload`; the schema lists each step's)
        and send the case on, as the task's page does. A refused payload changes nothing."""
        task = self.task()
        steps.complete_with_request(task, request)
        return self.answer(task.pk)

    @extend_schema(
        request=serializers.InspectPayloadSerializer,
        parameters=[idempotency.PARAMETER],
        responses={200: serializers.TaskSerializer, **CONFLICTS},
    )
    @action(detail=True, methods=["post"], parser_classes=[parsers.JSONParser])
    @idempotency.idempotent("task-draft")
    def draft(self, request, pk=None):
        """An inspect step's answers, findings and day kept as a draft, the task staying open (the
        page's "save draft"): the same payload as its completion, which submits it."""
        task = self.task()
        steps.save_draft(task, request, request.data)
        return self.answer(task.pk)

    @extend_schema(
        request={"multipart/form-data": serializers.EvidenceUploadSerializer},
        parameters=[idempotency.PARAMETER],
        responses={201: serializers.EvidenceSerializer, **CONFLICTS},
    )
    @action(detail=True, methods=["post"], parser_classes=[parsers.MultiPartParser])
    @idempotency.idempotent("task-evidence")
    def evidence(self, request, pk=None):
        """A photo (or PDF) for the case's checklist, optionally for one item, by whoever holds the
        inspect step: its id goes into the step's `evidence` when completing."""
        task = self.task()
        upload = serializers.EvidenceUploadSerializer(data=request.data)
        upload.is_valid(raise_exception=True)
        data = upload.validated_data
        file = steps.add_evidence(task, request.user, upload=data["file"], item_id=data.get("item"), details=data)
        body = serializers.EvidenceSerializer(steps.evidence_row(file)).data
        return Response(body, status=status.HTTP_201_CREATED)

    @extend_schema(
        request=serializers.DeviceCopyInSerializer,
        parameters=[idempotency.PARAMETER],
        responses={201: serializers.DeviceCopySerializer, **idempotency.RESPONSES},
    )
    @action(detail=True, methods=["post"], url_path="device-copy", parser_classes=[parsers.JSONParser])
    @idempotency.idempotent("task-device-copy")
    def device_copy(self, request, pk=None):
        """The answers an inspector kept on their device for an inspect step and could not send (the task was
        handed to another, completed, or the case closed or cancelled meanwhile), attached to the case as they
        were: nothing of the case is overwritten; the case's page shows the copy to whoever may see the case.
        Whoever held the task, or is the case's inspector, may attach it although the step is no longer
        theirs; anyone else who sees the case is refused (403). Photos stay on the device: their names only."""
        task = self.task()
        if task.flow_task is not InspectionFlow.inspect:
            raise NotFound
        given = serializers.DeviceCopyInSerializer(data=request.data)
        given.is_valid(raise_exception=True)
        try:
            copy = inspection_services.device_copy_attach(
                inspection=task.process.case, task=task, by=request.user, **given.validated_data
            )
        except DomainError as exc:
            raise ValidationError(field_errors(exc)) from None
        return Response(serializers.DeviceCopySerializer(copy).data, status=status.HTTP_201_CREATED)
