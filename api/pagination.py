"""Pages of every API list: 50 rows unless `page_size` asks for another (at most 200). A page or page
size that is not a whole number of at least 1 is a 400 naming the parameter (no longer read as page
1); a page past the last one is a 404, as DRF answers it. The task lists page by cursor instead
(TaskCursor): the same cost on the first page and the hundredth, whatever the number of tasks."""

from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from rest_framework.exceptions import NotFound, ValidationError
from rest_framework.pagination import BasePagination, PageNumberPagination
from rest_framework.response import Response
from rest_framework.utils.urls import replace_query_param

from workflows import keyset


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


CURSOR_HELP = _("Cursor of the page to read: the `next` or `previous` URL of a page gives it; absent, the first page.")


class TaskCursor(BasePagination):
    """Keyset pages of the task lists (workflows.keyset): due date soonest first, then id, tasks without
    a due date last; `next`/`previous` are URLs with the cursor of the adjacent page. No COUNT over the
    caller's tasks: `count` is the number of tasks only when they all fit on the first page, else null.
    A cursor the list did not give is a 404, no such page (a 400 would refuse text the schema allows)."""

    page_query_param = "cursor"
    page_size_query_param = "page_size"
    page_size = 50
    max_page_size = 200
    column = "scheduled"

    def paginate_queryset(self, queryset, request, view=None):
        self.request = request
        size = whole_number(request, self.page_size_query_param, maximum=self.max_page_size) or self.page_size
        try:
            self.page = keyset.Seek(queryset, self.column, size).page(request.query_params.get(self.page_query_param))
        except keyset.BadCursor:  # no such page (DRF's cursor pages answer so): any text is a cursor's type
            raise NotFound(gettext("This cursor is not one this list gave.")) from None
        return self.page.rows

    def link(self, cursor: str | None) -> str | None:
        if cursor is None:
            return None
        return replace_query_param(self.request.build_absolute_uri(), self.page_query_param, cursor)

    def get_paginated_response(self, data):
        return Response(
            {
                "count": self.page.count,
                "next": self.link(self.page.next_cursor),
                "previous": self.link(self.page.previous_cursor),
                "results": data,
            }
        )

    def get_paginated_response_schema(self, schema):
        return {
            "type": "object",
            "required": ["count", "next", "previous", "results"],
            "properties": {
                "count": {
                    "type": "integer",
                    "nullable": True,
                    "description": "How many rows when they all fit on this first page, else null.",
                },
                "next": {"type": "string", "nullable": True, "format": "uri", "description": "The next page, or null."},
                "previous": {
                    "type": "string",
                    "nullable": True,
                    "format": "uri",
                    "description": "The previous page, or null.",
                },
                "results": schema,
            },
        }

    def get_schema_operation_parameters(self, view):
        return [
            {
                "name": self.page_query_param,
                "required": False,
                "in": "query",
                "description": str(CURSOR_HELP),
                "schema": {"type": "string"},
            },
            {
                "name": self.page_size_query_param,
                "required": False,
                "in": "query",
                "description": str(Pages.page_size_query_description),
                "schema": {"type": "integer", "minimum": 1, "maximum": self.max_page_size},
            },
        ]
