"""What every API view shares: DRF authenticates (token or session) and answers 401/403 as JSON, so
the site's LoginRequiredMiddleware must let API requests through instead of redirecting to the login
page; every error is answered in one shape by api.errors (the setting names it here: exception_handler)."""

from django.contrib.auth.decorators import login_not_required
from django.utils.translation import gettext
from django.views.decorators.csrf import csrf_exempt
from rest_framework.authentication import SessionAuthentication
from rest_framework.exceptions import ValidationError

from . import errors, tokens
from .authentication import ExpiringTokenAuthentication
from .etag import ETagged
from .pagination import Pages
from .schema import ApiSchema

# An object id in a path: digits a primary key can hold. `/api/cases/0.5/` or an id too large for the
# database is no route at all, answered by not_found below instead of reaching the database.
ID_IN_PATH = r"[0-9]{1,18}"


exception_handler = errors.exception_handler


class ApiView(ETagged):
    """Mixin of every API view class: its view function is exempt from LoginRequiredMiddleware
    (the view's own authentication and permission classes decide). Its lists page with api.pagination;
    its detail reads carry an ETag (api.etag)."""

    authentication_classes = [ExpiringTokenAuthentication, SessionAuthentication]
    pagination_class = Pages
    schema = ApiSchema()
    lookup_value_regex = ID_IN_PATH

    def known_query_parameters(self) -> set[str]:
        known = set()
        if getattr(self, "filterset_class", None) is not None and self.filter_backends:
            known.update(self.filterset_class.base_filters)
        if self.pagination_class is not None:
            known.update({self.pagination_class.page_query_param, self.pagination_class.page_size_query_param})
        return known

    def initial(self, request, *args, **kwargs):
        """After authentication, permissions and throttles: a GET's query parameter that this endpoint
        does not know (a misspelt filter, `office[x]=`) is a 400 naming it rather than silently ignored."""
        super().initial(request, *args, **kwargs)
        tokens.require_scope(self, request)  # a token's scopes: 403 scope_missing outside them
        if request.method == "GET":
            unknown = sorted(set(request.query_params) - self.known_query_parameters())
            if unknown:
                raise ValidationError({name: [gettext("Unknown parameter.")] for name in unknown})

    @classmethod
    def as_view(cls, *args, **kwargs):
        return login_not_required(super().as_view(*args, **kwargs))


@csrf_exempt
@login_not_required
def not_found(request, *args, **kwargs):
    """Any path under /api/ that no endpoint serves: a JSON 404 like the endpoints' own, whatever the
    method, instead of Django's HTML page."""
    return errors.not_found_response()
