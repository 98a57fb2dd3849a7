"""What every Kamkap flow shares: the blocking row lock (VIEWFLOW.md trap 1: the stock default is no
lock), each human task stamped with its SLA due date and announced to its owner, and process pages
scoped through permissions.access (stock Viewflow shows every process to anyone with the flow)."""

from viewflow.workflow import flow

from workflows import engine, notify, sla


class KamkapFlow(flow.Flow):
    lock_impl = engine.ProcessLock(attempts=2)

    def task_created(self, activation):
        """onCreate of a human task: its due date from the SLA rule, and the e-mail to its owner."""
        sla.stamp(activation.task)
        notify.task_created(activation.task)

    def has_view_permission(self, user, obj=None):
        from permissions import access

        if obj is None:
            return access.can_anywhere(user, "view")
        return access.can(user, "view", obj)
