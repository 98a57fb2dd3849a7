"""Demo configuration as the process administrator would enter it: approval rules and SLAs."""

from viewflow.workflow.fields import get_task_ref

from .models import ApprovalRule, SlaRule

RULES = [
    # (name, subject, order kind, min severity, levels, priority)
    ("คำสั่ง ม.37 — อุตสาหกรรมจังหวัดลงนาม", "order", "s37", None, ["provincial_officer"], 0),
    ("คำสั่ง ม.37 ให้หยุดประกอบกิจการ — ผ่านผู้ช่วยปลัดกระทรวง", "order", "s37_stop", None,
     ["provincial_officer", "assistant_ps"], 5),
    ("คำสั่ง ม.37 ความรุนแรงวิกฤต — ผ่านผู้ช่วยปลัดกระทรวง", "order", "s37", 3, ["provincial_officer", "assistant_ps"], 6),
    ("คำสั่ง ม.39 — ถึงรองปลัดกระทรวง", "order", "s39", None, ["provincial_officer", "assistant_ps", "deputy_ps"], 10),
]  # fmt: skip
SLA_DAYS = {  # days allowed per step, by flow
    "inspection": {
        "assign": 2, "inspect": 14, "review": 3, "sign_off": 3, "draft_order": 5, "approve_order": 5, "follow_up": 7,
    },
    "complaint": {"triage": 3, "answer": 30, "answer_rejection": 7},
}  # fmt: skip


def load_demo_rules() -> int:
    created = 0
    for name, subject, kind, severity, levels, priority in RULES:
        _rule, made = ApprovalRule.objects.get_or_create(
            name=name,
            defaults={
                "subject": subject, "order_kind": kind, "min_severity": severity, "levels": levels,
                "priority": priority,
            },
        )  # fmt: skip
        created += made
    from .complaint.flows import ComplaintFlow
    from .inspection.flows import InspectionFlow

    flows = {"inspection": InspectionFlow, "complaint": ComplaintFlow}
    for flow, nodes in SLA_DAYS.items():
        for node, days in nodes.items():
            SlaRule.objects.get_or_create(flow_task=get_task_ref(getattr(flows[flow], node)), defaults={"days": days})
    return created
