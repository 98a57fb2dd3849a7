"""Evidence files are served through the case's access check, never as public media URLs."""

from django.http import Http404
from django.shortcuts import get_object_or_404
from django.views import View

from permissions import access
from workflows.uploads import served

from .models import Evidence, Inspection


class EvidenceFileView(View):
    """The file, or (thumbnail=True) its thumbnail where it has one (else the file)."""

    thumbnail = False

    def get(self, request, pk):
        evidence = get_object_or_404(Evidence.objects.select_related("inspection"), pk=pk)
        visible = access.visible(request.user, Inspection.objects.filter(pk=evidence.inspection_id))
        if not visible.exists():
            raise Http404
        stored = evidence.thumbnail if self.thumbnail and evidence.thumbnail else evidence.file
        return served(stored, evidence.content_type, evidence.original_name)
