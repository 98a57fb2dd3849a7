# ruff: noqa: F811 (pytest fixtures imported from the inspection conftest are arguments of the test)
"""Every action the audit trail is written with has a label in Thai (and English) in the one place the
timeline maps them (workflows.models.audit: ACTION_LABELS, and what a changed key is called); the
timeline shows no bare action key nor a bare key of what changed for the newer entries (an escalation,
a moved due date, a stopped and resumed clock, an order's delivery)."""

import ast
import re
from pathlib import Path

import pytest
from django.template.loader import render_to_string
from django.utils import translation

from tests.factories import FactoryFactory
from tests.workflows.inspection.conftest import checklist, songkhla  # noqa: F401
from workflows import audit
from workflows.inspection import services
from workflows.models.approvals import RoundDecision
from workflows.models.audit import ACTION_LABELS, ADMIN_LABELS, EXTRA_LABELS, action_label

ROOT = Path(__file__).resolve().parents[2]
SOURCES = ("api", "dashboards", "org", "permissions", "project", "registry", "workflows")
WRITERS = {"record", "record_many", "record_changes"}
ADMIN_ACTIONS = ("add", "edit", "delete")


def _modules():
    for package in SOURCES:
        for path in sorted((ROOT / package).rglob("*.py")):
            if "migrations" not in path.parts:
                yield path, ast.parse(path.read_text(encoding="utf-8"))


def _constants(tree) -> dict[str, str]:
    return {
        target.id: node.value.value
        for node in tree.body
        if isinstance(node, ast.Assign) and isinstance(node.value, ast.Constant) and isinstance(node.value.value, str)
        for target in node.targets
        if isinstance(target, ast.Name)
    }


def _admin_prefixes() -> set[str]:
    """The `audit_action` of the admin classes (org.admin_forms writes `<audit_action>.<model>.<add|edit|delete>`)."""
    return {
        node.value.value
        for _path, tree in _modules()
        for node in ast.walk(tree)
        if isinstance(node, ast.Assign) and isinstance(node.value, ast.Constant)
        and any(isinstance(t, ast.Name) and t.id == "audit_action" for t in node.targets)
    }  # fmt: skip


def written_actions() -> dict[str, str]:
    """{action key: where it is written} for every record/record_many/record_changes call in the code,
    the keys of conditional expressions, module constants and the f-string families expanded."""
    found: dict[str, str] = {}
    admin = _admin_prefixes()
    for path, tree in _modules():
        constants = _constants(tree)
        for node in ast.walk(tree):
            if isinstance(node, ast.FunctionDef) and node.name == "record_changes":  # its default action
                names = [a.arg for a in node.args.kwonlyargs]
                for name, default in zip(names, node.args.kw_defaults, strict=True):
                    if name == "action" and isinstance(default, ast.Constant):
                        found[default.value] = f"{path.name}:{node.lineno}"
            if not isinstance(node, ast.Call):
                continue
            name = node.func.attr if isinstance(node.func, ast.Attribute) else getattr(node.func, "id", "")
            if name not in WRITERS:
                continue
            for keyword in (k for k in node.keywords if k.arg == "action"):
                where = f"{path.relative_to(ROOT)}:{node.lineno}"
                for key in _keys(keyword.value, constants, admin, where):
                    found[key] = where
    return found


def _keys(value, constants, admin, where) -> list[str]:
    if isinstance(value, ast.Constant):
        return [value.value]
    if isinstance(value, ast.IfExp):
        return _keys(value.body, constants, admin, where) + _keys(value.orelse, constants, admin, where)
    if isinstance(value, ast.Name) and value.id in constants:
        return [constants[value.id]]
    if isinstance(value, ast.Name) and value.id == "action" and where.startswith("workflows/audit.py"):
        return []  # record_changes handing its own argument on
    if isinstance(value, ast.Attribute) and value.attr == "audit_action":  # planning's admin: the action itself
        return [prefix for prefix in admin if prefix and not prefix.startswith("admin")]
    if isinstance(value, ast.JoinedStr):
        text = "".join(part.value if isinstance(part, ast.Constant) else "{}" for part in value.values)
        if text.startswith("{}."):  # org.admin_forms: <audit_action>.<model>.<add|edit|delete>
            prefixes = [prefix for prefix in admin if prefix.startswith("admin")]
            return [f"{prefix}.somemodel.{act}" for prefix in prefixes for act in ADMIN_ACTIONS]
        if text.count("{}") == 1 and text.endswith(".{}"):  # a round's decision: plan.approve, review.return
            return [text.replace("{}", decision) for decision in RoundDecision.values]
    raise AssertionError(f"{where}: read the action key of {ast.unparse(value)!r} into this test")


def test_every_action_key_written_anywhere_has_a_label():
    written = written_actions()
    assert {"task.escalate", "task.due_moved", "task.clock_stop", "task.clock_resume", "order.delivered"} <= set(
        written
    )
    assert "admin.org.somemodel.add" in written and "case.edit" in written  # the families were read
    missing = {key: where for key, where in written.items() if action_label(key) is None}
    assert missing == {}, f"add these to workflows.models.audit.ACTION_LABELS: {missing}"


@pytest.mark.parametrize("table", [ACTION_LABELS, ADMIN_LABELS, EXTRA_LABELS], ids=["actions", "admin", "changes"])
def test_every_label_reads_in_thai_and_in_english(table):
    untranslated = []
    for key, label in table.items():
        with translation.override(None):
            source = str(label)
        with translation.override("th"):
            thai = str(label)
        if thai == source or not re.search(r"[\u0e00-\u0e7f]", thai):
            untranslated.append((key, source))
    assert untranslated == []


def visible(html: str) -> str:
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html))


def test_the_newer_entries_read_in_thai_on_the_timeline_without_a_bare_key(songkhla, checklist):
    case = services.inspection_start(factory=FactoryFactory(), by=songkhla.head)
    step = {"task": 7, "step": "Inspect the factory"}
    audit.record_many(
        [(case, {**step, "held_by": "ก", "since": "1 ธ.ค. 2569 09:00", "due": "1 ธ.ค. 2569 16:30",
                 "escalated_to": "ข"})],
        action="task.escalate", label=ACTION_LABELS["task.escalate"],
    )  # fmt: skip
    audit.record(subject=case, action="task.clock_stop", label=ACTION_LABELS["task.clock_stop"],
                 after={**step, "waiting_for": "ใบอนุญาต", "due": "1 ธ.ค. 2569 16:30"})  # fmt: skip
    audit.record(subject=case, action="task.due_moved", label=ACTION_LABELS["task.due_moved"],
                 before={"due": "1 ธ.ค. 2569 16:30"},
                 after={**step, "due": "3 ธ.ค. 2569 16:30", "why": "x", "days": 2,
                        "waiting_for": "ใบอนุญาต"})  # fmt: skip
    audit.record(subject=case, action="order.delivered", label=ACTION_LABELS["order.delivered"],
                 after={"method": "mail", "received_on": "2026-12-01", "receiver": "", "tracking_no": "EA123456789TH",
                        "posted_on": "2026-11-28", "note": "", "deadline": "2026-12-31"})  # fmt: skip
    with translation.override("en"):  # written by a page read in English, with a value in it
        audit.record(subject=case, action="task.unheld", label="Step could be given to nobody: Inspect the factory")

    with translation.override("th"):
        text = visible(render_to_string("workflows/timeline.html", {"entries": audit.timeline(case)}))
    for key in ("task.", "order.delivered", "held_by", "escalated_to", "waiting_for", "received_on", "tracking_no",
                "posted_on", "deadline", "method", "Inspect the factory", "Step could be given"):  # fmt: skip
        assert key not in text, key
    for thai in ("งานเกินกำหนด", "หยุดนับเวลา", "เลื่อนวันครบกำหนด", "บันทึกการส่งคำสั่ง", "ตรวจโรงงาน",
                 "1 ธ.ค. 2569", "31 ธ.ค. 2569"):  # fmt: skip
        assert thai in text, thai

    with translation.override("en"):
        english = visible(render_to_string("workflows/timeline.html", {"entries": audit.timeline(case)}))
    assert "Overdue: escalated one level up" in english and "escalated to" in english and "31 Dec 2569 BE" in english
    assert "Step could be given to nobody: Inspect the factory" in english  # as written, in the reader's language
