"""A batch of signed reports issued by real Celery workers (issue 18: `pdf_batch_1w_s`, `pdf_batch_2w_s`):
the wall-clock seconds from handing BATCH issue_report_document tasks to the broker until every report
is rendered, signed, stored and audited, with one worker process and then with two (each `celery
worker -P solo`: one task at a time, as many processes as workers). Each run takes its own signed-off
cases of the generated history that have no issued report yet.

The broker is Redis (as in production): BENCH_BROKER_URL, by default redis://127.0.0.1:6379/13, on a
queue of this run's own name, deleted afterwards with its bindings; nothing else there is read or removed. The workers
run bench.settings (the bench database, DEBUG off) with the broker and a temporary key store whose
demo CA and signer certificates are made before the timing. BENCH_PDF_BATCH sets the batch (1,000 by
default; fewer when the history holds fewer unissued signed-off cases than two batches and warm-ups)."""

import os
import secrets
import signal
import subprocess
import tempfile
import time
from pathlib import Path

from django.db import connection
from django.test import override_settings

from workflows import signing
from workflows.inspection.models import Inspection, IssuedDocument

from ..load.run import ROOT, VENV_BIN

TASK = "workflows.inspection.tasks.issue_report_document"
BATCH = int(os.environ.get("BENCH_PDF_BATCH", "1000"))
BROKER = os.environ.get("BENCH_BROKER_URL", "redis://127.0.0.1:6379/13")
WORKERS = (1, 2)
WARM_UP = 2  # tasks per worker before the timing (the first rendering of a process loads WeasyPrint, fonts, templates)
SECONDS_PER_REPORT = 5  # give up after this much per report (a stuck worker must not hang the bench)
SETTINGS = """from bench.settings import *  # noqa: F403

CELERY_BROKER_URL = {broker!r}
CELERY_TASK_ALWAYS_EAGER = False
CELERY_RESULT_BACKEND = None
SIGNING_DIR = {signing!r}
SIGNING_DEMO_CA = True
"""


def _cases(count: int) -> list[Inspection]:
    cases = Inspection.objects.filter(signed_off_at__isnull=False, signed_off_by__isnull=False).exclude(
        issued_documents__kind="report"
    )
    return list(cases.select_related("office", "signed_off_by").order_by("pk")[:count])


def _app():
    from celery import Celery

    return Celery("bench-pdf-batch", broker=BROKER, set_as_current=False)


def _issued(ids: list[int]) -> int:
    return IssuedDocument.objects.filter(kind="report", inspection_id__in=ids).count()


def _wait(ids: list[int], timeout: float, workers: list[subprocess.Popen]) -> None:
    deadline = time.monotonic() + timeout
    while _issued(ids) < len(ids):
        if time.monotonic() > deadline:
            raise RuntimeError(f"{len(ids) - _issued(ids)} of {len(ids)} reports not issued within {timeout:.0f} s")
        if any(worker.poll() is not None for worker in workers):
            raise RuntimeError("a Celery worker stopped")
        time.sleep(0.1)
        connection.close()  # a fresh snapshot each time (SQLite) and no transaction held open


def _start(count: int, workdir: Path, queue: str) -> list[subprocess.Popen]:
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "pdf_batch_settings",
        "PYTHONPATH": os.pathsep.join([str(workdir), str(ROOT)]),
    }
    workers = []
    for index in range(count):
        log = (workdir / f"worker{index}.log").open("w")
        command = [
            str(VENV_BIN / "celery"), "-A", "project", "worker", "-P", "solo", "-Q", queue,
            "-n", f"pdfbatch{index}-{queue}@%h", "--without-gossip", "--without-mingle", "--without-heartbeat",
            "-l", "WARNING",
        ]  # fmt: skip
        workers.append(
            subprocess.Popen(command, cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT, start_new_session=True)
        )
    return workers


def _stop(workers: list[subprocess.Popen]) -> None:
    for worker in workers:
        if worker.poll() is None:
            worker.send_signal(signal.SIGTERM)
    for worker in workers:
        try:
            worker.wait(30)
        except subprocess.TimeoutExpired:
            worker.kill()
            worker.wait()


def _run(app, cases: list[Inspection], count: int, workdir: Path, queue: str) -> float:
    """Seconds for `cases[WARM_UP * count:]` with `count` workers, warmed up on the first ones."""
    warm, timed = cases[: WARM_UP * count], cases[WARM_UP * count :]
    workers = _start(count, workdir, queue)
    try:
        for case in warm:
            app.send_task(TASK, args=[case.pk], queue=queue)
        _wait([c.pk for c in warm], 120, workers)
        started = time.perf_counter()
        for case in timed:
            app.send_task(TASK, args=[case.pk], queue=queue)
        _wait([c.pk for c in timed], SECONDS_PER_REPORT * len(timed) + 60, workers)
        return time.perf_counter() - started
    finally:
        _stop(workers)


def measure(cast) -> tuple[dict, dict]:
    app = _app()
    try:
        with app.connection_for_write() as conn:
            conn.ensure_connection(max_retries=1)
    except Exception as exc:  # noqa: BLE001 (any broker failure: the measure is skipped, and says why)
        return {}, {"report batch": f"skipped: no broker at {BROKER} ({exc})"}
    need = [WARM_UP * count for count in WORKERS]
    found = _cases(BATCH * len(WORKERS) + sum(need))
    batch = min(BATCH, (len(found) - sum(need)) // len(WORKERS))
    if batch < 10:
        return {}, {"report batch": f"skipped: {len(found)} signed-off cases without an issued report"}
    queue = f"bench-pdf-{secrets.token_hex(4)}"
    figures, runs = {}, []
    with tempfile.TemporaryDirectory() as folder, override_settings(SIGNING_DIR=str(Path(folder) / "signing")):
        workdir = Path(folder)
        (workdir / "pdf_batch_settings.py").write_text(SETTINGS.format(broker=BROKER, signing=str(workdir / "signing")))
        with override_settings(SIGNING_DEMO_CA=True):
            for person, office in {(c.signed_off_by, c.office) for c in found}:
                signing.signer_credentials(person, office)  # the demo CA and every signer's certificate, untimed
        offset = 0
        try:
            for count in WORKERS:
                chunk = found[offset : offset + WARM_UP * count + batch]
                offset += len(chunk)
                seconds = _run(app, chunk, count, workdir, queue)
                figures[f"pdf_batch_{count}w_s"] = round(seconds, 1)
                each = seconds / batch * 1000
                runs.append(f"{count} worker{'s' if count > 1 else ''}: {seconds:.1f} s, {each:.0f} ms a report")
        finally:
            with app.connection_for_write() as conn:
                channel = conn.default_channel
                channel.queue_delete(queue)
                channel.exchange_delete(queue)
                leftovers = [f"_kombu.binding.{queue}", f"_kombu.binding_permanent.{queue}"]
                channel.client.delete(*leftovers)  # this run's own keys; nothing else is touched
    speedup = figures["pdf_batch_1w_s"] / figures["pdf_batch_2w_s"]
    load = ", ".join(f"{value:.2f}" for value in os.getloadavg())
    evidence = {
        "report batch": f"{batch} signed reports (rendered, signed, stored, audited) per run, Celery -P solo workers "
        f"on Redis; " + "; ".join(runs) + f"; two workers {speedup:.2f}× one; {os.cpu_count()} CPUs, load {load}; "
        f"{connection.vendor}",
    }
    return figures, evidence
