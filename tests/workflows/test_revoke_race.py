"""Two revocations of the same document at the same moment, on PostgreSQL (real row locks): one
document.revoke entry in the case's audit trail, the other told it was revoked already."""

import pytest
from django.conf import settings
from django.db import connection
from django.utils import timezone

from tests.factories import FactoryFactory
from tests.races import both_at_once
from tests.workflows.inspection.conftest import checklist, songkhla  # noqa: F401
from workflows import audit
from workflows.inspection import issued, services
from workflows.inspection.models import DocumentKind, IssuedDocument
from workflows.inspection.models.issued import new_reference
from workflows.models import AuditEntry

ROUNDS = 10

pytestmark = [
    pytest.mark.postgres,
    pytest.mark.skipif(
        not settings.DATABASES["default"]["ENGINE"].endswith("postgresql"),
        reason="row locks are tested on PostgreSQL (make test runs the suite there too)",
    ),
]


def revoke_twice(document, people) -> list:
    return both_at_once(
        lambda index: issued.revoke(document, by=people[index], reason=f"ผิด {index}"),
        expected=(issued.RevocationError,),
    )


@pytest.mark.django_db(transaction=True)
def test_a_document_revoked_twice_at_once_is_revoked_once(reference_data, songkhla, checklist):  # noqa: F811
    for _ in range(ROUNDS):
        inspection = services.inspection_start(factory=FactoryFactory(), by=songkhla.head)
        document = IssuedDocument.objects.create(
            kind=DocumentKind.REPORT, inspection=inspection, office=inspection.office,
            issued_on=timezone.localdate(), file="issued/r.pdf", sha256="0" * 64, signed_at=timezone.now(),
            reference=new_reference(),
        )  # fmt: skip
        results = revoke_twice(document, [songkhla.officer, songkhla.head])
        assert sorted(type(result).__name__ for result in results) == ["AuditEntry", "RevocationError"]
        entries = AuditEntry.objects.filter(chain=audit.chain_key(inspection), action=issued.REVOKE)
        assert entries.count() == 1
    assert audit.verify() == []
    connection.close()
