from django.contrib import messages
from django.shortcuts import redirect
from django.utils.translation import gettext as _
from viewflow.workflow.exceptions import FlowLockFailed


def flow_lock_message(get_response):
    """Two people acting on one task at once: the loser gets a clear message, not a 500."""

    def middleware(request):
        return get_response(request)

    def process_exception(request, exception):
        if isinstance(exception, FlowLockFailed):
            messages.warning(request, _("Someone else is acting on this task right now. Please try again."))
            return redirect(request.get_full_path())
        return None

    middleware.process_exception = process_exception
    return middleware
