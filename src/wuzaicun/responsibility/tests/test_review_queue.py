"""The review queue pages (共 N 条, the same count as the home page's to-do), filters, and approves in batches
all or none."""

import datetime as dt
from decimal import Decimal

import pytest

from wuzaicun.core.errors import PermissionDenied
from wuzaicun.responsibility.models import Reconciliation
from wuzaicun.responsibility.services import (
    add_line,
    approve_reconciliations,
    lock_line,
    submit_reconciliation,
)
from wuzaicun.testing.lists import VILLAGE, YEAR, cover_village

JUNE = dt.date(YEAR, 6, 1)


@pytest.fixture
def pending(world, year_open):
    made = cover_village(world, VILLAGE)
    township, reporter = world.users["township_a"], world.users["reporter_a"]
    done = []
    for index, key in enumerate(("stationed", "team", "leader")):
        line = add_line(actor=township, assignment_id=made[key].pk, commitment=f"承诺事项{index}",
                        target_value=Decimal("10"), target_unit="户")
        lock_line(actor=township, line_id=line.pk)
        done.append(submit_reconciliation(actor=reporter, line_id=line.pk, quarter=1, narrative="进展", today=JUNE))
    return done


def test_the_queue_pages_and_counts_as_the_home_page_does(world, pending, client_for):
    client = client_for("township_a")
    home = client.get("/").text
    assert f"{YEAR}年待审核的季度对账" in home
    page = client.get("/responsibility/review/", {"page_size": 10}).text
    assert "共 3 条" in page and "承诺事项2" in page
    searched = client.get("/responsibility/review/", {"q": "承诺事项1"}).text
    assert "共 1 条" in searched and "承诺事项2" not in searched
    assert "共 0 条" in client.get("/responsibility/review/", {"year": YEAR - 1}).text


def test_batch_approval_approves_every_ticked_one(world, pending, client_for):
    response = client_for("township_a").post("/responsibility/review/batch/",
                                              {"ids": [r.pk for r in pending[:2]], "year": YEAR})
    assert response.status_code == 302
    states = dict(Reconciliation.objects_unscoped.values_list("pk", "state"))
    assert [states[r.pk] for r in pending] == ["approved", "approved", "pending"]


def test_a_batch_with_one_refused_approves_none_and_names_it(world, pending):
    reporter_made = pending[0]
    Reconciliation.objects_unscoped.filter(pk=reporter_made.pk).update(submitted_by=world.users["township_a"])
    with pytest.raises(PermissionDenied, match=r"承诺事项0.*本次未通过任何对账"):
        approve_reconciliations(actor=world.users["township_a"], reconciliation_ids=[r.pk for r in pending])
    assert set(Reconciliation.objects_unscoped.values_list("state", flat=True)) == {"pending"}


def test_a_batch_outside_the_scope_is_refused(world, pending):
    from wuzaicun.core.errors import NotFound

    with pytest.raises(NotFound):
        approve_reconciliations(actor=world.users["county_b"], reconciliation_ids=[pending[0].pk])
    assert Reconciliation.objects_unscoped.get(pk=pending[0].pk).state == "pending"


def test_the_queue_exports_as_filtered(world, pending):
    import io

    from openpyxl import load_workbook

    from wuzaicun.tabular.engine import export_to_xlsx
    from wuzaicun.tabular.registry import get_template
    from wuzaicun.tabular.spec import ExportContext

    target = io.BytesIO()
    export_to_xlsx(get_template("review_queue"), ExportContext(actor=world.users["township_a"], year=YEAR,
                                                                filters={"q": "承诺事项1"}), target)
    target.seek(0)
    rows = [[c.value for c in r] for r in load_workbook(target).active.iter_rows()]
    assert len(rows) == 2 and rows[1][4] == "承诺事项1" and rows[1][3] == "甲村"
