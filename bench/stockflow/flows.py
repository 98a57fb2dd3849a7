"""StockFlow: start → assign → inspect → review → approved? → sign-off → end, stock Viewflow only."""

from viewflow import this
from viewflow.workflow import act, flow
from viewflow.workflow.flow.views import UpdateProcessView

from .models import StockProcess


class StockFlow(flow.Flow):
    process_class = StockProcess
    process_title = "Stock inspection"
    # lock_impl left at Viewflow's default (no_lock), as a stock project would.

    start = flow.StartHandle(this.start_case).Next(this.assign)
    assign = (
        flow.View(UpdateProcessView.as_view(fields=["inspector"]))
        .Annotation(title="Assign an inspector")
        .Assign(this.head_of)
        .Next(this.inspect)
    )
    inspect = (
        flow.View(UpdateProcessView.as_view(fields=["findings"]))
        .Annotation(title="Inspect the factory")
        .Assign(this.inspector_of)
        .Next(this.review)
    )
    review = (
        flow.View(UpdateProcessView.as_view(fields=["approved"]))
        .Annotation(title="Review the report")
        .Assign(this.head_of)
        .Next(this.review_passed)
    )
    review_passed = flow.If(act.process.approved).Then(this.sign_off).Else(this.inspect)
    sign_off = (
        flow.View(UpdateProcessView.as_view(fields=[]))
        .Annotation(title="Sign off the report")
        .Assign(this.officer_of)
        .Next(this.end)
    )
    end = flow.End()

    def start_case(self, activation, **fields):
        for name, value in fields.items():
            setattr(activation.process, name, value)
        return activation.process

    def head_of(self, activation):
        return activation.process.head

    def inspector_of(self, activation):
        return activation.process.inspector

    def officer_of(self, activation):
        return activation.process.officer
