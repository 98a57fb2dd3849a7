"""The process diagram (templates/viewflow/workflow/graph.svg, drawn by Viewflow's chart) reads in Thai on a phone
(issue 16 item 5): the labels in the bundled Sarabun at 14-15 px, a task's title in an HTML box so that the browser
breaks Thai lines between words, the If gateway's branches ใช่/ไม่ใช่, and the diagram at its own size (the page
scrolls it in its box, tests/e2e/test_csp.py) instead of shrunk to the width of the screen."""

import re

from django.utils import translation
from viewflow.workflow import chart

from workflows.inspection.flows import InspectionFlow


def _diagram() -> tuple[chart.Grid, str]:
    with translation.override("th"):
        grid = chart.calc_layout_data(InspectionFlow)
        return grid, chart.grid_to_svg(grid)


def test_the_diagram_is_drawn_at_its_own_size():
    grid, svg = _diagram()
    root = re.search(r"<svg [^>]*>", svg).group(0)
    assert f'width="{grid.width}"' in root and f'height="{grid.height}"' in root, root
    assert 'width="100%"' not in root


def test_the_labels_are_in_sarabun_at_a_readable_size():
    _grid, svg = _diagram()
    style = re.search(r"<style[^>]*>(.*?)</style>", svg, re.S).group(1)
    assert "Arial" not in svg
    for rule in ["div.task-label", "text.edge-label", "text.gateway-marker"]:
        body = re.search(re.escape(rule) + r"\s*{([^}]*)}", style).group(1)
        assert "font-family: 'Sarabun', sans-serif;" in body, rule
    sizes = [int(size) for size in re.findall(r"font-size: (\d+)px", style)]
    assert sizes and min(sizes) >= 14, sizes
    assert 'font-size="11px"' not in svg and 'font-size="12px"' not in svg


def test_task_titles_and_branches_are_thai():
    _grid, svg = _diagram()
    labels = re.findall(r'<div xmlns="http://www.w3.org/1999/xhtml" class="task-label">(.*?)</div>', svg)
    with translation.override("th"):
        assert str(InspectionFlow.inspect.task_title) in labels
        assert str(InspectionFlow.draft_order.task_title) in labels  # whole: no line broken inside a Thai word
    assert all(re.search(r"[\u0e00-\u0e7f]", label) for label in labels), labels
    assert "<title>เริ่ม</title>" in svg  # the start event's tooltip: Viewflow's "Start", in its Thai catalogue
    branches = re.findall(r'<text class="edge-label"[^>]*>(.*?)</text>', svg)
    assert branches and set(branches) == {"ใช่", "ไม่ใช่"}, branches
