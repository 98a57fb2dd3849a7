"""The case's work after a commit, through the outbox (workflows.outbox): the documents signed at the
moment they are issued (workflows.inspection.issued)."""

import logging

from celery import shared_task

from workflows.signing import SigningUnavailable

from . import issued

logger = logging.getLogger(__name__)


@shared_task
def issue_order_document(order_id: int) -> str:
    """The issued order's letter rendered, signed by its signer and kept (idempotent: one per order).
    Without a certificate nothing is signed, and the letter is served unsigned until there is one."""
    try:
        return issued.issue_order_by_pk(order_id).reference
    except SigningUnavailable as exc:
        logger.warning("Order %s issued unsigned: %s", order_id, exc)
        return ""


@shared_task
def issue_report_document(inspection_id: int) -> str:
    """The signed-off report rendered, signed by the officer who signed it off and kept (idempotent)."""
    try:
        document = issued.issue_report_by_pk(inspection_id)
    except SigningUnavailable as exc:
        logger.warning("Report of case %s signed off unsigned: %s", inspection_id, exc)
        return ""
    return document.reference if document is not None else ""
