"""The base of every human task page, in every flow: the case beside the task's form, four lines of
intent in each task (validate → one service → activation.execute() → back to the flow's list)."""

from django.contrib import messages
from django.shortcuts import redirect
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.generic import FormView

from org.errors import DomainError


class FlowTaskView(FormView):
    """A flow's task base sets `template_name`, `done_url` (where the person lands afterwards), `load()`
    (the case of the process) and `case_context()`; each task sets `form_class`, `title`, `perform()`."""

    title = ""
    submit_label = gettext_lazy("Save and send on")
    done_url = ""

    def dispatch(self, request, *args, **kwargs):
        self.activation = request.activation
        self.load(self.activation.process)
        return super().dispatch(request, *args, **kwargs)

    def load(self, process) -> None:
        """Keep what the task is about (the case) on self."""

    def case_context(self) -> dict:
        return {}

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context.update(title=self.title, submit_label=self.submit_label, task=self.activation.task)
        context.update(self.case_context())
        return context

    def perform(self, form) -> None:
        raise NotImplementedError

    def get_success_url(self) -> str:
        return self.done_url

    def form_valid(self, form):
        try:
            self.perform(form)
        except DomainError as exc:  # the service rolled back its own change; the form keeps what was typed
            form.add_error(exc.field if exc.field in form.fields else None, exc.message)
            return self.form_invalid(form)
        self.activation.execute()
        messages.success(self.request, _("Done: %(task)s") % {"task": self.title})
        return redirect(self.get_success_url())
