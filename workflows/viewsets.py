"""Flow URLs without Viewflow's stock dashboard and lists, shared by every flow app.

The stock lists are not scoped per office and do not scale (VIEWFLOW.md traps 2 and 3); task detail
pages ask the flow's has_view_permission, which asks permissions.access. The flow's index sends the
person to the app's own list (`home`, a URL name)."""

from django.urls import path
from django.views.generic import RedirectView
from viewflow.workflow.flow import FlowViewset


class ScopedFlowViewset(FlowViewset):
    process_list_path = None
    task_list_path = None
    process_detail_path = None
    process_cancel_path = None

    def __init__(self, flow_class, *, home: str, **kwargs):
        self.home = home
        super().__init__(flow_class, **kwargs)

    @property
    def index_path(self):
        return path("", RedirectView.as_view(pattern_name=self.home), name="index")
