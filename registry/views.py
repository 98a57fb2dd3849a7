"""CSV import screens: upload, then a progress page that refreshes itself until the job ends."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404, redirect
from django.utils.translation import gettext as _
from django.views.generic import FormView, TemplateView

from permissions import access

from .errors import RegistryError
from .forms import ImportForm
from .imports import COLUMNS, REQUIRED
from .models import FactoryImport
from .services import import_start


class ImportCreateView(FormView):
    viewset = None
    form_class = ImportForm
    template_name = "registry/import_form.html"

    def dispatch(self, request, *args, **kwargs):
        if not access.can_anywhere(request.user, "change"):
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        recent = FactoryImport.objects.filter(created_by=self.request.user)[:10]
        return super().get_context_data(columns=COLUMNS, required=REQUIRED, recent=recent, **kwargs)

    def form_valid(self, form):
        try:
            job = import_start(by=self.request.user, upload=form.cleaned_data["file"])
        except RegistryError as exc:
            for message in exc.errors.values():
                form.add_error("file", message)
            return self.form_invalid(form)
        messages.info(self.request, _("File received: %(name)s") % {"name": job.original_name})
        return redirect("registry:factory:import_detail", pk=job.pk)


class ImportDetailView(TemplateView):
    viewset = None
    template_name = "registry/import_detail.html"

    def get_context_data(self, **kwargs):
        # An import belongs to the person who uploaded it.
        job = get_object_or_404(FactoryImport, pk=self.kwargs["pk"], created_by=self.request.user)
        return super().get_context_data(job=job, **kwargs)
