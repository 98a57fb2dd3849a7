"""The case page's flow diagram (selectors.case_chart): each step coloured by its latest task, the same
drawing as Viewflow's own (chart.calc_cell_status on a fresh layout), drawn once per set of statuses
and language and still following the case as it moves on."""

import re

import pytest
from django.utils import translation
from viewflow.workflow import chart

from tests.factories import FactoryFactory
from tests.workflows.inspection.test_flow_paths import checklist_answers, do
from workflows.inspection import selectors, services
from workflows.inspection.flows import InspectionFlow

pytestmark = pytest.mark.django_db


def viewflows_own(inspection) -> str:
    grid = chart.calc_layout_data(InspectionFlow)
    chart.calc_cell_status(InspectionFlow, grid, inspection.processes.get().pk)
    return chart.grid_to_svg(grid)


def step_class(svg: str, name: str) -> str | None:
    found = re.search(rf'<g id="{name}" [^>]*?(?: class="([a-z]+)")?>', svg)
    return found.group(1) if found else None


def test_the_diagram_follows_the_case_as_viewflow_draws_it(client, songkhla, checklist):
    inspection = services.inspection_start(factory=FactoryFactory(), by=songkhla.head)
    seen = []
    for name, person, data in [
        ("assign", songkhla.head, {"inspector": songkhla.inspector.pk}),
        ("inspect", songkhla.inspector, None),
        ("review", songkhla.head, {"decision": "return", "comments": "แก้ไข"}),
        ("inspect", songkhla.inspector, None),
    ]:
        for language in ("th", "en"):
            with translation.override(language):
                assert selectors.case_chart(inspection) == viewflows_own(inspection)
        seen.append(selectors.case_chart(inspection))
        do(client, person, inspection, name, data or checklist_answers(inspection, exit_ok=True))
    assert step_class(seen[0], "assign") == "assigned" and step_class(seen[0], "inspect") is None
    assert step_class(seen[1], "assign") == "done" and step_class(seen[1], "inspect") == "assigned"
    # returned once: the second inspect task (open) colours the step, not the first (done)
    assert step_class(seen[3], "review") == "done" and step_class(seen[3], "inspect") == "assigned"
    assert len(set(seen)) == 4
