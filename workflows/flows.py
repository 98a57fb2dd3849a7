"""What every Kamkap flow shares: the blocking row lock that loads the process (workflows.engine;
VIEWFLOW.md trap 1: the stock default is no lock), each human task announced to its owner (nodes.View), and
process pages scoped through permissions.access (stock Viewflow shows every process to anyone with
the flow). Flows are written with workflows.nodes (due dates, gateways without task rows)."""

from viewflow.workflow import flow

from workflows import engine

# Guardian permissions on an office that a task asks of whoever takes it from the queue.
OFFICE_QUEUE = "org.work_in_office"  # the office's own people
OVERSEE = "org.oversee_office"  # the levels above it (assistant and deputy PS)


class KamkapFlow(flow.Flow):
    lock_impl = engine.ProcessLock(attempts=2)

    def has_manage_permission(self, user, obj=None):
        """Nobody's, a superuser's included: Viewflow's manage actions (cancel, undo and revive pages on
        every node's tasks) would change a case outside its services, with no audit entry and unseen
        by the dashboards' summaries. A case changes through its services (the process cancel has no
        URL at all: workflows.viewsets)."""
        return False

    def has_view_permission(self, user, obj=None):
        from permissions import access

        if obj is None:
            return access.can_anywhere(user, "view")
        return access.can(user, "view", obj)


def every_flow() -> tuple:
    """Kamkap's flows, for what concerns all of them (service levels in the admin, the duties matrix)."""
    from .budget.flows import DirectiveFlow, EscalationFlow, ProgressFlow, ProjectFlow
    from .complaint.flows import ComplaintFlow
    from .inspection.flows import InspectionFlow
    from .planning.flows import PlanFlow

    return InspectionFlow, ComplaintFlow, PlanFlow, ProjectFlow, ProgressFlow, DirectiveFlow, EscalationFlow


def human_steps() -> list:
    """(flow, node) of every human step of every flow."""
    from .nodes import View

    return [(flow, node) for flow in every_flow() for node in flow.instance.nodes() if isinstance(node, View)]
