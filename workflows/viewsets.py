"""Flow URLs without Viewflow's stock dashboard and lists, shared by every flow app.

The stock lists are not scoped per office and do not scale (VIEWFLOW.md traps 2 and 3); task detail
pages ask the flow's has_view_permission, which asks permissions.access. The flow's index sends the
person to the app's own list (`home`, a URL name). A process's chart and its "detail" address (linked
from the stock task pages) ask the same has_view_permission of the process first."""

from django.http import Http404
from django.shortcuts import get_object_or_404, redirect
from django.urls import path
from django.views import View
from django.views.generic import RedirectView
from viewflow.workflow.flow import FlowViewset
from viewflow.workflow.flow.views import FlowChartView


def _visible_process(flow_class, user, process_pk):
    process = get_object_or_404(flow_class.process_class, pk=process_pk)
    if not flow_class.instance.has_view_permission(user, process):
        raise Http404
    return process


class ScopedChartView(FlowChartView):
    """The stock chart colours one process's tasks after asking only "may see some process"."""

    def dispatch(self, request, *args, **kwargs):
        if kwargs.get("process_pk") is not None:
            _visible_process(self.flow_class, request.user, kwargs["process_pk"])
        return super().dispatch(request, *args, **kwargs)


class ProcessHomeView(View):
    """Stands in for the stock process detail (a link target of the task pages): the app's own list."""

    flow_class = None
    home = None

    def get(self, request, process_pk: int):
        _visible_process(self.flow_class, request.user, process_pk)
        return redirect(self.home)


class ScopedFlowViewset(FlowViewset):
    process_list_path = None
    task_list_path = None
    process_cancel_path = None
    chart_view_class = ScopedChartView

    def __init__(self, flow_class, *, home: str, **kwargs):
        self.home = home
        super().__init__(flow_class, **kwargs)

    @property
    def index_path(self):
        return path("", RedirectView.as_view(pattern_name=self.home), name="index")

    @property
    def process_detail_path(self):
        view = ProcessHomeView.as_view(flow_class=self._flow_class, home=self.home)
        return path("<int:process_pk>/", view, name="process_detail")
