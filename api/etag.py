"""`ETag` / `If-None-Match` on the API's detail reads: a GET of one object answers with the SHA-256 of
its body as a strong ETag; sent back in If-None-Match while the object (as this caller reads it, in
this language) has not changed, the answer is a 304 without a body. The tag is of the representation,
so anything that changes what the caller reads (a field, a label, an open task) changes it; nothing is
stored."""

import hashlib

from django.http import HttpResponseNotModified
from django.utils.http import parse_etags
from rest_framework.renderers import JSONRenderer

HEADER = "If-None-Match"
PARAMETER = {
    "in": "header",
    "name": HEADER,
    "required": False,
    "schema": {"type": "string"},
    "description": "The ETag of an earlier answer: 304 without a body while the object has not changed",
}
ETAG_HEADER = {"schema": {"type": "string"}, "description": "A tag of this answer, for If-None-Match"}
NOT_MODIFIED = {"description": "Not modified since the ETag sent in If-None-Match", "headers": {"ETag": ETAG_HEADER}}


def etag_of(data) -> str:
    return '"' + hashlib.sha256(JSONRenderer().render(data)).hexdigest()[:40] + '"'


def matches(header: str, etag: str) -> bool:
    tags = parse_etags(header)
    return "*" in tags or etag in tags or etag in (tag.removeprefix("W/") for tag in tags)


def is_detail_read(view, request) -> bool:
    return request.method in ("GET", "HEAD") and getattr(view, "action", None) == "retrieve"


class ETagged:
    """Mixin of the API views: tags a detail read's 200, answers 304 when If-None-Match has that tag."""

    def finalize_response(self, request, response, *args, **kwargs):
        response = super().finalize_response(request, response, *args, **kwargs)
        if not is_detail_read(self, request) or response.status_code != 200 or getattr(response, "data", None) is None:
            return response
        etag = etag_of(response.data)
        if HEADER in request.headers and matches(request.headers[HEADER], etag):
            not_modified = HttpResponseNotModified()
            not_modified["ETag"] = etag
            for name in ("Vary", "Allow"):
                if name in response:
                    not_modified[name] = response[name]
            return not_modified
        response["ETag"] = etag
        return response
