"""Pages of every API list: 50 rows unless `page_size` asks for another (at most 200). A page or page
size that is not a whole number of at least 1 is a 400 naming the parameter (no longer read as page
1); a page past the last one is a 404, as DRF answers it."""

from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from rest_framework.exceptions import ValidationError
from rest_framework.pagination import PageNumberPagination


def whole_number(request, name: str, *, maximum: int | None = None) -> int | None:
    """The query parameter `name` as a whole number ≥ 1 (≤ maximum), None when absent."""
    if name not in request.query_params:
        return None
    text = request.query_params[name].strip()
    if not text.isdigit() or not text.isascii() or int(text) < 1:
        raise ValidationError({name: [gettext("Enter a whole number of at least 1.")]})
    number = int(text)
    if maximum is not None and number > maximum:
        raise ValidationError({name: [gettext("At most %(maximum)d.") % {"maximum": maximum}]})
    return number


class Pages(PageNumberPagination):
    page_size_query_param = "page_size"
    max_page_size = 200
    page_query_description = _("Page number, from 1; past the last page is a 404.")
    page_size_query_description = _("Rows per page (default 50, at most 200).")

    def get_page_size(self, request):
        return whole_number(request, self.page_size_query_param, maximum=self.max_page_size) or self.page_size

    def get_page_number(self, request, paginator):
        if request.query_params.get(self.page_query_param) in self.last_page_strings:
            return paginator.num_pages
        return whole_number(request, self.page_query_param) or 1

    def get_schema_operation_parameters(self, view):
        parameters = super().get_schema_operation_parameters(view)
        for parameter in parameters:
            parameter["schema"]["minimum"] = 1
            if parameter["name"] == self.page_size_query_param:
                parameter["schema"]["maximum"] = self.max_page_size
        return parameters
