from django.views.generic import TemplateView

from .selectors import home_summary


class HomeView(TemplateView):
    template_name = "kamkap/home.html"

    def get_context_data(self, **kwargs):
        return super().get_context_data(**home_summary(self.request.user), **kwargs)
