"""Ledger pages: the village board, a reconciliation with a photo, the township's review queue (htmx)."""

from decimal import Decimal

from django.core.files.uploadedfile import SimpleUploadedFile

from wuzaicun.responsibility.models import Reconciliation
from wuzaicun.responsibility.services import add_line, lock_line
from wuzaicun.testing.lists import VILLAGE, cover_village

PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64


def _locked_line(world):
    made = cover_village(world, VILLAGE)
    line = add_line(actor=world.users["township_a"], assignment_id=made["stationed"].pk, commitment="发展茶叶产业",
                    target_value=Decimal("50"), target_unit="亩")
    return lock_line(actor=world.users["township_a"], line_id=line.pk)


def test_reconcile_with_a_photo_then_the_township_returns_it_with_a_note(world, year_open, client_for, settings):
    line = _locked_line(world)
    reporter = client_for("reporter_a")
    board = reporter.get(f"/responsibility/ledger/village/{VILLAGE}/?year=2016&quarter=2")
    assert "发展茶叶产业" in board.text and "待对账" in board.text
    response = reporter.post(f"/responsibility/ledger/lines/{line.pk}/reconcile/", {
        "quarter": 2, "progress_value": "20", "on_track": "1", "narrative": "已种植20亩",
        "attachments": [SimpleUploadedFile("茶园.png", PNG, content_type="image/png")],
    })
    assert response.status_code == 302, response.content.decode()[:500]
    entry = Reconciliation.objects_unscoped.get(line=line, quarter=2)
    assert entry.evidence.count() == 1
    queue = client_for("township_a").get("/responsibility/review/")
    assert "已种植20亩" in queue.text
    reply = client_for("township_a").post(f"/responsibility/review/{entry.pk}/",
                                          {"decision": "returned", "note": "照片不清晰"},
                                          headers={"HX-Request": "true"})
    assert reply.status_code == 200 and "退回" in reply.text and "<html" not in reply.text
    assert Reconciliation.objects_unscoped.get(pk=entry.pk).state == "returned"
    board = reporter.get(f"/responsibility/ledger/village/{VILLAGE}/?year=2016&quarter=2")
    assert "照片不清晰" in board.text


def test_the_queue_and_boards_are_scoped(world, year_open, client_for):
    _locked_line(world)
    assert client_for("county_b").get(f"/responsibility/ledger/village/{VILLAGE}/").status_code == 404
    assert client_for("reporter_a").get("/responsibility/review/").status_code == 403


def test_missed_visits_are_flagged_on_the_board(world, year_open, client_for):
    cover_village(world, VILLAGE)
    page = client_for("township_a").get(f"/responsibility/ledger/village/{VILLAGE}/?year=2016&quarter=1").text
    assert "甲村户主0户" in page and "记录走访" in page


def test_a_helper_registered_in_the_county_is_reachable_from_the_village(world, year_open, client_for):
    from wuzaicun.responsibility.services import create_entry
    from wuzaicun.testing import factories

    cadre = factories.person(world.regions["520302000000"], name="县派干部", rank="县处级")
    create_entry(actor=world.users["county_a"], year=2016, kind="leader", village_code=VILLAGE, person_id=cadre.pk,
                 household_ids=[world.households[VILLAGE][0].pk], duties=["结对帮扶"])
    assert client_for("reporter_a").get(f"/responsibility/ledger/person/{cadre.pk}/?year=2016").status_code == 200
    assert client_for("county_b").get(f"/responsibility/ledger/person/{cadre.pk}/?year=2016").status_code == 404
