"""Summary tables of the executive dashboard (dashboards.summary keeps them): what a dashboard reads
instead of counting cases, so that a page costs the same few statements at a thousand cases or a
million. Every row is recomputed whole from the cases of its bucket (never incremented), so it always
equals a direct count of them; `manage.py rebuild_dashboards` recomputes them all."""

from django.db import models
from django.utils.translation import gettext_lazy as _

from org.models import Unit


class OfficeMonth(models.Model):
    """One office's counts of one month of a fiscal year (month 1 is October, 12 September)."""

    office = models.ForeignKey(Unit, models.CASCADE, related_name="+")
    fiscal_year = models.PositiveSmallIntegerField()
    month = models.PositiveSmallIntegerField()
    opened = models.PositiveIntegerField(default=0)  # inspection cases opened
    signed_off = models.PositiveIntegerField(default=0)  # inspections signed off
    closed = models.PositiveIntegerField(default=0)  # cases closed
    compliant = models.PositiveIntegerField(default=0)  # of those, found compliant
    orders_issued = models.PositiveIntegerField(default=0)  # corrective orders issued (s.37 and s.39)
    complaints = models.PositiveIntegerField(default=0)  # complaints received
    answered = models.PositiveIntegerField(default=0)  # complaints answered (answer or rejection step done)
    answered_in_time = models.PositiveIntegerField(default=0)  # of those, by the step's due date
    planned = models.PositiveIntegerField(default=0)  # items of the approved plan of the quarter beginning this month
    plan_done = models.PositiveIntegerField(default=0)  # of those, signed off

    class Meta:
        verbose_name = _("office month summary")
        constraints = [
            models.UniqueConstraint(fields=["office", "fiscal_year", "month"], name="one_summary_per_office_month")
        ]
        indexes = [models.Index(fields=["fiscal_year", "office"], name="officemonth_fy_office")]

    def __str__(self):
        return f"{self.office_id} {self.fiscal_year}/{self.month}"


class OfficeState(models.Model):
    """One office as of now: its cases, those open, the orders in force (with their deadlines, so that the
    orders past their deadline are counted on the day they are read) and its open human tasks by due
    instant (so that those past due are counted at the instant read, without reading the tasks)."""

    office = models.OneToOneField(Unit, models.CASCADE, primary_key=True, related_name="+")
    cases = models.PositiveIntegerField(default=0)  # every case of the office, open or closed
    open_cases = models.PositiveIntegerField(default=0)
    orders_s37 = models.PositiveIntegerField(default=0)
    orders_s39 = models.PositiveIntegerField(default=0)
    order_deadlines = models.JSONField(default=list)  # ISO dates, one per order in force
    # its open human tasks by due date, to the instant for today and tomorrow (summary.task_dues): a few
    # hundred numbers whatever the number of tasks; a task without a due date is not here
    task_dues = models.JSONField(default=dict)

    class Meta:
        verbose_name = _("office state summary")

    def __str__(self):
        return str(self.office_id)


class TaskWatermark(models.Model):
    """How far the summary worker has read the task table (one row, written by the migration): the tasks
    created since are the steps done since (every completion creates the next task of its process, an end
    included), so their offices' open tasks are recounted without a mark in the completion's transaction
    (summary.scan_tasks). `gaps`: ids below `last_id` not yet seen (a transaction still open when the pass
    read, or rolled back), read again by the next passes until GAP_SPAN ids behind. `last_id` None: never
    read (every office recounted)."""

    last_id = models.BigIntegerField(null=True)
    gaps = models.JSONField(default=list)  # (shown nowhere: no verbose name to translate)

    def __str__(self):
        return str(self.last_id)


class OfficeBudget(models.Model):
    """One office's approved or closed budget projects of a fiscal year, as the dashboard sums and lists
    them; `reports`: [due date, late once due] of each monthly progress report, counted against the
    day read."""

    office = models.ForeignKey(Unit, models.CASCADE, related_name="+")
    fiscal_year = models.PositiveSmallIntegerField()
    projects = models.PositiveIntegerField(default=0)
    behind = models.PositiveIntegerField(default=0)
    allocation = models.DecimalField(max_digits=16, decimal_places=2, default=0)
    disbursed = models.DecimalField(max_digits=16, decimal_places=2, default=0)
    reports = models.JSONField(default=list)
    rows = models.JSONField(default=list)  # each project as the office page lists it (summary.budget_of)

    class Meta:
        verbose_name = _("office budget summary")
        constraints = [models.UniqueConstraint(fields=["office", "fiscal_year"], name="one_budget_summary_per_year")]

    def __str__(self):
        return f"{self.office_id} {self.fiscal_year}"


class StaleBucket(models.Model):
    """A bucket changed by a committed transaction and not yet recomputed: written by
    dashboards.summary.touch in the change's transaction, taken and deleted by summary.settle (the
    worker). `inspection_id`: the case changed (its plan's fiscal year is recomputed too)."""

    office_id = models.PositiveIntegerField()  # no foreign key: a mark is a note, never joined
    fiscal_year = models.PositiveSmallIntegerField()
    budget = models.BooleanField(default=False)  # the office-year's budget summary (a project changed)
    inspection_id = models.PositiveIntegerField(null=True)
    tasks = models.BooleanField(default=False)  # only the office's open tasks (summary.scan_tasks found new ones)

    class Meta:  # (shown nowhere: no verbose name to translate)
        indexes = [models.Index(fields=["office_id"], name="stalebucket_office")]

    def __str__(self):
        return f"{self.office_id} {self.fiscal_year}"
