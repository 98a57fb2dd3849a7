"""Offline inspections in headless Chromium on a phone (issue 16, item 3): songkhla.inspector1 makes her inspect
task available offline (/offline/inspections/, through the v1 API with her session), the network is cut
(context.set_offline), she answers, writes a note and adds two photos, reloads (nothing lost), queues the answers;
back online the queue drains through the API with Idempotency-Keys and the server has the answers and photos once;
the queue sent again (every item back to waiting, as after answers lost on the way) creates nothing twice. A second
case is given to another inspector while she is offline: her sync fails with the reason in Thai, the conflict screen
shows it, her answers stay on the device for export, and nothing reaches the server; she attaches the device's copy
to the case and the group head reads it on the case's page."""

import re
from decimal import Decimal
from pathlib import Path

import pytest
from django.test import Client
from django.urls import reverse
from playwright.sync_api import Browser, Page, expect

from api.models import IdempotencyKey
from org.models import Person
from registry.models import Factory
from tests.e2e.conftest import TIMEOUT_MS, draw_signature, shoot, th
from tests.workflows.inspection.test_flow_paths import do, open_task
from workflows.inspection import services
from workflows.inspection.models import Answer, AnswerType, DeviceCopy, Evidence
from workflows.models import AuditEntry

pytestmark = pytest.mark.e2e

PHONE = {"width": 390, "height": 844}
HEAD, INSPECTOR, OTHER = "songkhla.head", "songkhla.inspector1", "songkhla.inspector2"
SONGKHLA = 90
PAGE = "/offline/inspections/"
REPRESENTATIVE = "นายประเสริฐ มั่นคง"
PLACE = {"latitude": 7.0086, "longitude": 100.4747, "accuracy": 12}

# Every queued item back to "waiting", as if each answer from the server had been lost on the way: the next sync
# sends each one again with the same Idempotency-Key.
REPLAY_QUEUE = """async () => {
  const db = await window.KamkapIDB.openDB("kamkap-offline");
  const items = await db.getAll("queue");
  for (const item of items) { item.status = "pending"; await db.put("queue", item); }
  db.close();
  return items.length;
}"""
PRECACHED = """async () => {
  for (const name of await caches.keys()) {
    for (const request of await (await caches.open(name)).keys()) {
      if (new URL(request.url).pathname === "/offline/inspections/") return true;
    }
  }
  return false;
}"""


@pytest.fixture
def phone(browser: Browser, live_server, inspection_demo):
    context = browser.new_context(
        base_url=live_server.url, viewport=PHONE, locale="th-TH", timezone_id="Asia/Bangkok", is_mobile=True
    )
    context.set_default_timeout(TIMEOUT_MS)
    yield context
    context.close()


def assigned_case(index: int = 0):
    """A new case for a Songkhla factory, assigned by the group head to the inspector (the assign page)."""
    factory = Factory.objects.filter(province_id=SONGKHLA, office__isnull=False).order_by("pk")[index]
    head, inspector = Person.objects.get(username=HEAD), Person.objects.get(username=INSPECTOR)
    inspection = services.inspection_start(factory=factory, by=head)
    do(Client(), head, inspection, "assign", {"inspector": inspector.pk})
    return inspection, open_task(inspection, "inspect")


def items_by_type(inspection) -> dict:
    found = {}
    for item in services._items(inspection).order_by("section__order", "order", "pk"):
        found.setdefault(item.answer_type, item)
    return found


def log_in(page: Page, password: str, username: str = INSPECTOR) -> None:
    page.goto("/accounts/login/")
    form = page.locator("form.vf-form")
    form.locator('input[name="username"]').fill(username)
    form.locator('input[name="password"]').fill(password)
    form.locator('button[type="submit"]').click()
    expect(page).to_have_url(re.compile(r"^https?://[^/]+/$"))


def wait_until(page: Page, script: str, what: str) -> None:
    for _ in range(TIMEOUT_MS // 100):
        if page.evaluate(script):
            return
        page.wait_for_timeout(100)  # polling the page's caches, not timing anything
    pytest.fail(what)


def make_available(page: Page, task_pk: int) -> None:
    page.goto(PAGE)
    wait_until(page, "navigator.serviceWorker.controller !== null", "the service worker does not control the page")
    wait_until(page, PRECACHED, "the offline inspections page is not precached")
    page.locator(f'[data-testid="server-task"][data-task="{task_pk}"] button').click()
    expect(page.locator(f'[data-testid="saved-inspection"][data-task="{task_pk}"]')).to_be_visible()
    expect(page.locator(f'[data-testid="server-task"][data-task="{task_pk}"] button')).to_have_text(
        th("Saved on this device · refresh")
    )


def open_saved(page: Page, task_pk: int) -> None:
    page.locator(f'[data-testid="saved-inspection"][data-task="{task_pk}"] a').click()
    expect(page.locator("[data-kk-kept]")).to_be_visible()


def saved_then_offline(phone, password: str, task_pk: int) -> Page:
    """A new page of the inspector's with the task saved on the device, then no signal, the page reloaded
    and the saved inspection opened from the device."""
    page = phone.new_page()
    log_in(page, password)
    make_available(page, task_pk)
    phone.set_offline(True)
    page.reload()
    open_saved(page, task_pk)
    return page


def sign_both(page: Page) -> None:
    """The factory's representative acknowledges and the inspector signs, each kept on the device."""
    expect(page.get_by_test_id("signatures")).to_have_attribute("data-kk-pads-ready", "")
    page.locator('[data-kk-sign-name="representative"]').fill(REPRESENTATIVE)
    draw_signature(page, "pad-representative")
    kept_after(page, lambda: page.get_by_test_id("keep-representative").click())
    draw_signature(page, "pad-inspector")
    kept_after(page, lambda: page.get_by_test_id("keep-inspector").click())


def kept_after(page: Page, action) -> None:
    """Does `action`, then waits until the page says it wrote it to IndexedDB."""
    kept = page.locator("[data-kk-kept]")
    before = int(kept.get_attribute("data-saved"))
    action()
    expect(kept).not_to_have_attribute("data-saved", str(before))


def rows() -> tuple[int, int, int, int]:
    return Answer.objects.count(), Evidence.objects.count(), AuditEntry.objects.count(), IdempotencyKey.objects.count()


def queue_states(page: Page) -> list[str]:
    return page.locator('[data-testid="queue-item"]').evaluate_all("(rows) => rows.map((r) => r.dataset.status)")


def test_offline_answers_survive_a_reload_and_sync_once(phone, inspection_demo, photo, tmp_path):
    inspection, task = assigned_case()
    items = items_by_type(inspection)
    yes_no, number, choice, text = (items[kind] for kind in ("yes_no", "number", "choice", "text"))
    phone.grant_permissions(["geolocation"])
    phone.set_geolocation(PLACE)
    page = phone.new_page()
    log_in(page, inspection_demo.password)
    make_available(page, task.pk)
    shoot(page, "offline-inspections-390")
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]

    # No signal: the page and the saved inspection open from the device; answers, a note, two photos.
    phone.set_offline(True)
    page.reload()
    expect(page.locator("[data-kk-net]")).to_have_attribute("data-state", "offline")
    open_saved(page, task.pk)
    expect(page.get_by_test_id("factory")).to_contain_text(inspection.factory.name)
    page.get_by_test_id("stamp-consent-box").check()  # her consent: photos stamped with time and position
    card = page.get_by_test_id(f"item-{yes_no.code}")
    kept_after(page, lambda: card.get_by_role("radio", name=th("Compliant (yes)")).check())
    kept_after(page, lambda: page.locator(f'input[name="item_{number.pk}"]').fill("80.0"))
    kept_after(page, lambda: page.locator(f'select[name="item_{choice.pk}"]').select_option(index=1))
    kept_after(page, lambda: page.locator(f'textarea[name="item_{text.pk}"]').fill("ผลิตตามใบอนุญาต"))
    kept_after(page, lambda: card.locator(f'textarea[name="note_{yes_no.pk}"]').fill("ทางออกฉุกเฉินสองทาง"))
    second = tmp_path / "exit-door.png"
    second.write_bytes(photo.read_bytes())  # the same picture under another name
    kept_after(page, lambda: card.locator("input[type=file]").set_input_files([photo, second]))
    expect(card.get_by_test_id("photo")).to_have_count(2)
    # The factory's representative acknowledges, the inspector signs: both kept on the device, queued as evidence.
    sign_both(page)

    page.reload()  # still offline: everything comes back from IndexedDB
    expect(card.get_by_role("radio", name=th("Compliant (yes)"))).to_be_checked()
    expect(page.locator(f'[name="item_{number.pk}"]')).to_have_value("80.0")
    expect(page.get_by_test_id("signature-representative")).to_contain_text(REPRESENTATIVE)
    expect(page.get_by_test_id("signature-inspector")).to_contain_text(th("Signature kept"))
    # A kept signature is shown as the picture kept, labelled, in the pad's place (the name with it); "Sign again"
    # opens the pad, and the signature kept again replaces the one not yet sent: still one per signer in the queue.
    for role in ("representative", "inspector"):
        expect(page.get_by_test_id(f"signature-{role}")).to_contain_text(th("waiting to be sent"))
        expect(page.get_by_test_id(f"pad-{role}")).to_be_hidden()
        drawn = f"""[...document.querySelectorAll('[data-testid="signed-{role}"] img')]
          .every((img) => img.complete && img.naturalWidth > 0)"""
        wait_until(page, drawn, f"the kept {role}'s signature is not drawn")
    expect(page.locator('[data-kk-sign-name="representative"]')).to_have_value(REPRESENTATIVE)
    page.get_by_test_id("sign-again-inspector").click()
    expect(page.get_by_test_id("pad-inspector")).to_be_visible()
    draw_signature(page, "pad-inspector")
    again = page.get_by_test_id("keep-inspector")
    expect(again).to_have_text(th("Keep this signature instead"))
    kept_after(page, again.click)
    expect(page.get_by_test_id("signed-inspector")).to_have_count(1)
    expect(page.get_by_test_id("pad-inspector")).to_be_hidden()
    expect(page.locator(f'textarea[name="note_{yes_no.pk}"]')).to_have_value("ทางออกฉุกเฉินสองทาง")
    expect(card.get_by_test_id("photo")).to_have_count(2)
    chosen = page.locator(f'select[name="item_{choice.pk}"]').input_value()
    page.get_by_role("button", name=th("Save the answers (sent when online)")).click()
    expect(page.locator("[data-kk-queue-note]")).to_have_text(th("Added to the queue."))
    shoot(page, "offline-inspection-card-390")
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]

    page.goto(PAGE)
    expect(page.get_by_test_id("queue-item")).to_have_count(5)  # two photos, two signatures, the answers
    assert queue_states(page) == ["pending"] * 5
    assert not Answer.objects.filter(inspection=inspection).exists()
    shoot(page, "offline-queue-390")
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]

    # Back online: the queue drains through the API, the server has the answers and both photos.
    phone.set_offline(False)
    page.get_by_role("button", name=th("Send now")).click()
    expect(page.locator('[data-testid="queue-item"][data-status="sent"]')).to_have_count(5)
    answers = {a.item_id: a for a in Answer.objects.filter(inspection=inspection)}
    assert answers[yes_no.pk].value == "yes" and answers[yes_no.pk].note == "ทางออกฉุกเฉินสองทาง"
    assert answers[number.pk].number == Decimal("80") and answers[number.pk].number_shown == "80.0"  # as typed
    assert answers[choice.pk].value == chosen and answers[text.pk].value == "ผลิตตามใบอนุญาต"
    evidence = Evidence.objects.filter(inspection=inspection, kind="photo")
    assert sorted(evidence.values_list("original_name", flat=True)) == ["exit-door.jpg", "factory-front.jpg"]  # resized
    assert set(evidence.values_list("item_id", flat=True)) == {yes_no.pk}
    assert {(e.latitude, e.accuracy_m) for e in evidence} == {(Decimal("7.008600"), 12)}
    signed = Evidence.objects.filter(inspection=inspection, kind="signature")
    assert signed.count() == 2  # the inspector's first signature, replaced on the device, never left it
    assert dict(signed.values_list("signer_role", "signer_name")) == {
        "representative": REPRESENTATIVE,
        "inspector": Person.objects.get(username=INSPECTOR).display_name,
    }
    counts = rows()
    assert counts[3] == 5  # one key per queued item

    # The queue sent again, twice (the page syncs by itself when it opens online): the server answers each item
    # from its key (Idempotent-Replayed) and nothing is created or written again.
    replayed = []
    page.on("response", lambda r: replayed.append(r.url) if r.headers.get("idempotent-replayed") == "true" else None)
    for rounds in (1, 2):
        assert page.evaluate(REPLAY_QUEUE) == 5
        page.reload()
        expect(page.locator("[data-kk-sync-note]")).to_have_text(th("Everything was sent."))
        expect(page.locator('[data-testid="queue-item"][data-status="sent"]')).to_have_count(5)
        assert len(replayed) == 5 * rounds, replayed
        assert rows() == counts


def test_a_task_reassigned_while_offline_fails_with_the_reason_and_keeps_the_answers(
    phone, inspection_demo, browser: Browser, live_server
):
    inspection, task = assigned_case(1)
    yes_no = items_by_type(inspection)[AnswerType.YES_NO]
    page = saved_then_offline(phone, inspection_demo.password, task.pk)
    card = page.get_by_test_id(f"item-{yes_no.code}")
    kept_after(page, lambda: card.get_by_role("radio", name=th("Not compliant (no)")).check())
    kept_after(page, lambda: card.locator(f'textarea[name="note_{yes_no.pk}"]').fill("ประตูหนีไฟถูกล็อก"))
    page.get_by_role("button", name=th("Save the answers (sent when online)")).click()
    expect(page.locator("[data-kk-queue-note]")).to_have_text(th("Added to the queue."))

    # Meanwhile the group head gives the task to another inspector.
    task.refresh_from_db()
    services.task_reassign(
        task=task, to=Person.objects.get(username=OTHER), by=Person.objects.get(username=HEAD)
    )  # fmt: skip
    audit_before = AuditEntry.objects.count()

    phone.set_offline(False)
    page.goto(PAGE)
    page.get_by_role("button", name=th("Send now")).click()
    failed = page.locator('[data-testid="queue-item"][data-status="failed"]')
    expect(failed).to_have_count(1)
    expect(failed.get_by_test_id("queue-reason")).to_contain_text(
        th("The task was given to someone else while you were offline.")
    )
    assert not Answer.objects.filter(inspection=inspection).exists()
    assert AuditEntry.objects.count() == audit_before

    # The conflict screen: the reason, the answers still on the device, to copy or export; sending again sends nothing.
    open_saved(page, task.pk)
    conflict = page.get_by_test_id("conflict")
    expect(conflict).to_be_visible()
    expect(conflict).to_contain_text(th("The task was given to someone else while you were offline."))
    expect(card.get_by_role("radio", name=th("Not compliant (no)"))).to_be_checked()
    expect(page.locator(f'textarea[name="note_{yes_no.pk}"]')).to_have_value("ประตูหนีไฟถูกล็อก")
    expect(conflict.locator("[data-kk-export]")).to_have_attribute("href", re.compile(r"^blob:"))
    shoot(page, "offline-conflict-390")
    page.goto(PAGE)
    page.get_by_role("button", name=th("Send now")).click()
    expect(page.locator('[data-testid="queue-item"][data-status="failed"]')).to_have_count(1)
    assert not Answer.objects.filter(inspection=inspection).exists()

    # She attaches the device's copy to the case (the Idempotency-Key kept with it); the case's answers stay as
    # they were, and the group head reads the copy on the case's page.
    open_saved(page, task.pk)
    attach = page.get_by_test_id("attach-copy")
    attach.click()
    expect(page.get_by_test_id("attach-note")).to_have_text(
        th("Attached to the case: your group head sees it on the case's page.")
    )
    expect(attach).to_be_disabled()
    copy = DeviceCopy.objects.get(inspection=inspection)
    assert copy.author.username == INSPECTOR and copy.reason == "task_taken"
    assert [(a["value"], a["note"]) for a in copy.answers if a["item"] == yes_no.pk] == [("no", "ประตูหนีไฟถูกล็อก")]
    assert not Answer.objects.filter(inspection=inspection).exists()
    page.reload()
    expect(page.get_by_test_id("attach-copy")).to_be_disabled()  # attached once, kept so on the device

    head = browser.new_context(
        base_url=live_server.url, viewport=PHONE, locale="th-TH", timezone_id="Asia/Bangkok", is_mobile=True
    )
    head.set_default_timeout(TIMEOUT_MS)
    head_page = head.new_page()
    log_in(head_page, inspection_demo.password, HEAD)
    head_page.goto(reverse("inspection:case", args=[inspection.pk]))
    shown = head_page.get_by_test_id("device-copy")
    expect(shown).to_have_count(1)
    expect(shown).to_contain_text(copy.author.display_name)
    expect(shown).to_contain_text("ประตูหนีไฟถูกล็อก")
    expect(shown.locator("tbody tr")).to_have_count(len(copy.answers))
    assert head_page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    shown.first.scroll_into_view_if_needed()
    shoot(head_page, "case-device-copy-390")
    head.close()


def answer_offline(page: Page, item, photo: Path) -> int:
    """Answers `item` on the offline page as a compliant inspector would (a photo where one is needed: its only
    answer, or required); each change waits until it is written to IndexedDB. Returns the photos added."""
    card = page.get_by_test_id(f"item-{item.code}")
    field = page.locator(f'[name="item_{item.pk}"]')
    if item.answer_type == AnswerType.YES_NO:
        kept_after(page, lambda: card.locator(f'input[name="item_{item.pk}"][value="yes"]').check())
    elif item.answer_type == AnswerType.NUMBER:
        kept_after(page, lambda: field.fill(str(item.compliant_min or item.compliant_max or 12)))
    elif item.answer_type == AnswerType.CHOICE:
        ok = [c for c in field.locator("option").evaluate_all("(o) => o.map((x) => x.value)") if c]
        value = next((c for c in ok if c not in (item.noncompliant_answers or [])), ok[0])
        kept_after(page, lambda: field.select_option(value))
    elif item.answer_type == AnswerType.TEXT:
        kept_after(page, lambda: field.fill(f"ตรวจแล้ว {item.code}"))
    if item.answer_type == AnswerType.PHOTO or item.photo_required:
        kept_after(page, lambda: card.locator("input[type=file]").set_input_files(photo))
        expect(card.get_by_test_id("photo")).to_have_count(1)
        return 1
    return 0


def test_every_item_answered_offline_is_submitted_and_the_head_sees_answers_and_photos(
    phone, inspection_demo, photo, browser: Browser, live_server
):
    """The whole walk of issue 16's first e2e: every item of the pinned checklist answered offline (with the photos
    it needs and both signatures), kept through a reload, synced, then submitted online; the group head's review
    page shows every answer and every photo."""
    inspection, task = assigned_case(3)
    items = list(services._items(inspection).order_by("section__order", "order", "pk"))
    assert len(items) == 14  # the demo checklist
    page = saved_then_offline(phone, inspection_demo.password, task.pk)
    photos = sum(answer_offline(page, item, photo) for item in items)
    assert photos >= 1
    kept_after(page, lambda: page.locator("[data-kk-findings]").fill("ครบทุกรายการ"))
    sign_both(page)
    page.reload()  # nothing lost: every answer comes back from IndexedDB
    names = [f"item_{item.pk}" for item in items if item.answer_type != AnswerType.PHOTO]
    answered = f"""{names!r}.every((name) => [...document.getElementsByName(name)]
      .some((f) => (f.type === "radio" ? f.checked : f.value !== "")))"""
    wait_until(page, answered, "an answer was lost in the reload")
    expect(page.get_by_test_id("photo")).to_have_count(photos)
    page.get_by_role("button", name=th("Save the answers (sent when online)")).click()
    expect(page.locator("[data-kk-queue-note]")).to_have_text(th("Added to the queue."))

    phone.set_offline(False)
    page.goto(PAGE)
    expect(page.locator('[data-testid="queue-item"][data-status="sent"]')).to_have_count(photos + 3)
    assert Answer.objects.filter(inspection=inspection).count() == len(items) - sum(
        item.answer_type == AnswerType.PHOTO for item in items
    )

    # Online, the inspect page shows what was synced; she submits it for review.
    url = reverse("inspection:flow:inspect:execute", args=[task.process_id, task.pk])
    page.goto(url)
    expect(page.get_by_test_id("checklist-progress")).to_have_text(f"{len(items)} / {len(items)}")
    page.locator('button[name="_submit"]').click()
    expect(page).to_have_url(re.compile(r"/inspection/inbox/"))
    inspection.refresh_from_db()
    assert inspection.submitted_at is not None
    review = open_task(inspection, "review")
    assert review.owner.username == HEAD

    # The group head's review page: every answer and every photo (their thumbnails drawn), both signatures.
    head = browser.new_context(
        base_url=live_server.url, viewport=PHONE, locale="th-TH", timezone_id="Asia/Bangkok", is_mobile=True
    )
    head.set_default_timeout(TIMEOUT_MS)
    head_page = head.new_page()
    log_in(head_page, inspection_demo.password, HEAD)
    head_page.goto(reverse("inspection:flow:review:execute", args=[review.process_id, review.pk]))
    shown = head_page.get_by_test_id("case-answers")
    for item in items:
        row = shown.locator("tr", has_text=item.code).first
        if item.answer_type == AnswerType.PHOTO:  # its photo is its answer
            expect(row.locator("figure img")).to_have_count(1)
        else:
            expect(row.locator("td").nth(1)).not_to_have_text("—")
        if item.answer_type == AnswerType.TEXT:
            expect(row).to_contain_text(f"ตรวจแล้ว {item.code}")
    evidence = Evidence.objects.filter(inspection=inspection, kind="photo")
    assert evidence.count() == photos
    for shot in evidence:
        thumb = shown.get_by_test_id(f"photo-{shot.pk}").locator("img")
        thumb.scroll_into_view_if_needed()
        expect(thumb).to_be_visible()
        drawn = f"""[...document.querySelectorAll('[data-testid="photo-{shot.pk}"] img')]
          .every((img) => img.complete && img.naturalWidth > 0)"""
        wait_until(head_page, drawn, f"photo {shot.pk} is not drawn (lazy: it loads once scrolled to)")
    expect(shown).to_contain_text(REPRESENTATIVE)
    shown.get_by_test_id("signatures").scroll_into_view_if_needed()
    shoot(head_page, "review-offline-answers-390")
    assert head_page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    head.close()


KEPT_FOR = """caches.open("kk-who").then((c) => c.match("/__kk_who__")).then((r) => (r ? r.text() : null))"""
QUEUE_ROWS = """async () => {
  const db = await window.KamkapIDB.openDB("kamkap-offline");
  const items = await db.getAll("queue");
  db.close();
  return items.map((i) => [i.kind, i.status, i.reason, i.tried]);
}"""


def test_an_answer_lost_on_the_way_and_an_expired_session_send_once_later(phone, inspection_demo):
    inspection, task = assigned_case(2)
    yes_no = items_by_type(inspection)[AnswerType.YES_NO]
    page = phone.new_page()
    log_in(page, inspection_demo.password)
    make_available(page, task.pk)
    open_saved(page, task.pk)
    card = page.get_by_test_id(f"item-{yes_no.code}")
    kept_after(page, lambda: card.get_by_role("radio", name=th("Compliant (yes)")).check())

    # The server saves the draft but its answer never reaches the phone (the signal drops on the way back).
    lost = []

    def lose_the_first_answer(route):
        if lost:
            route.continue_()
            return
        lost.append(route.fetch().status)
        route.abort("internetdisconnected")

    phone.route("**/api/v1/tasks/*/draft/", lose_the_first_answer)
    page.get_by_role("button", name=th("Save the answers (sent when online)")).click()
    tried = f"({QUEUE_ROWS})().then((rows) => rows.length === 1 && rows[0][1] === 'pending' && rows[0][3])"
    wait_until(page, tried, "the draft whose answer was lost is not waiting to be sent again")
    assert lost == [200] and Answer.objects.get(inspection=inspection, item=yes_no).value == "yes"
    assert page.evaluate(QUEUE_ROWS) == [["draft", "pending", "reason_network", True]]
    written = rows()

    # The next sync sends it again with its key: the server answers from the key and writes nothing more.
    page.goto(PAGE)
    expect(page.locator('[data-testid="queue-item"][data-status="sent"]')).to_have_count(1)
    assert rows() == written

    # Logged out meanwhile (the session ended): the item waits, saying to log in, and goes once she has.
    open_saved(page, task.pk)
    kept_after(page, lambda: card.get_by_role("radio", name=th("Not compliant (no)")).check())
    phone.clear_cookies()
    page.get_by_role("button", name=th("Save the answers (sent when online)")).click()
    queued = f"({QUEUE_ROWS})().then((rows) => rows.length === 2 && rows.some((r) => r[1] === 'pending'))"
    wait_until(page, queued, "the draft saved after the session ended is not queued")
    page.goto(PAGE)
    waiting = page.locator('[data-testid="queue-item"][data-status="pending"]')
    expect(waiting.get_by_test_id("queue-reason")).to_contain_text(th("Log in again; it is sent afterwards."))
    assert Answer.objects.get(inspection=inspection, item=yes_no).value == "yes"
    log_in(page, inspection_demo.password)
    page.goto(PAGE)
    expect(page.locator('[data-testid="queue-item"][data-status="sent"]')).to_have_count(2)
    assert Answer.objects.get(inspection=inspection, item=yes_no).value == "no"
    assert IdempotencyKey.objects.count() == 2

    # Someone else logs in on this phone: her inspection and queue are neither shown to them nor sent as theirs.
    log_in(page, inspection_demo.password, OTHER)
    other = str(Person.objects.get(username=OTHER).pk)
    wait_until(page, f"{KEPT_FOR}.then((who) => who === {other!r})", "the worker was not told who is logged in")
    page.goto(PAGE)
    expect(page.get_by_test_id("others-saved")).to_contain_text("1")
    expect(page.get_by_test_id("saved-inspection")).to_have_count(0)
    expect(page.get_by_test_id("queue-item")).to_have_count(0)
