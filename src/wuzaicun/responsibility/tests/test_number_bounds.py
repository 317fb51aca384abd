"""目标值 and 完成值 are bounded by their columns: a huge value is refused and every ledger page keeps working."""

from __future__ import annotations

import json
from decimal import Decimal

import pytest

from wuzaicun.core.errors import DomainError
from wuzaicun.responsibility.models import LedgerLine, Reconciliation
from wuzaicun.responsibility.services import add_line, lock_line
from wuzaicun.testing.api import api_client
from wuzaicun.testing.lists import VILLAGE, YEAR, cover_village


@pytest.fixture
def locked_line(world, year_open):
    made = cover_village(world, VILLAGE)
    line = add_line(actor=world.users["township_a"], assignment_id=made["stationed"].pk, commitment="发展茶叶产业",
                    target_value=Decimal("50"), target_unit="亩")
    return lock_line(actor=world.users["township_a"], line_id=line.pk)


@pytest.mark.parametrize("progress", ["1e300", "NaN", "-Infinity"])
def test_a_huge_progress_value_is_refused_and_the_ledger_still_answers(world, locked_line, client_for, progress):
    reporter = api_client("reporter_a")
    refused = reporter.post(f"/api/responsibility/ledger/{locked_line.pk}/reconciliations",
                            data=f'{{"quarter": 1, "narrative": "进展", "progress_value": {progress}}}',
                            content_type="application/json")
    assert refused.status_code == 400, refused.content
    assert "完成值超出允许范围（0–9999999999.99）" in refused.json()["message"]
    assert not Reconciliation.objects_unscoped.exists()
    assert api_client("county_a").get(f"/api/responsibility/ledger?year={YEAR}").status_code == 200
    assert client_for("reporter_a").get(f"/responsibility/ledger/village/{VILLAGE}/?year={YEAR}").status_code == 200
    assert client_for("township_a").get("/responsibility/review/").status_code == 200


def test_the_reconcile_form_names_the_field_and_its_range(world, locked_line, client_for):
    page = client_for("reporter_a").post(f"/responsibility/ledger/lines/{locked_line.pk}/reconcile/", {
        "quarter": 1, "progress_value": "1e300", "on_track": "1", "narrative": "进展"})
    assert "完成值超出允许范围（0–9999999999.99）" in page.content.decode()
    assert not Reconciliation.objects_unscoped.exists()


def test_a_huge_target_is_refused_by_the_api_and_the_service(world, year_open):
    made = cover_village(world, VILLAGE)
    refused = api_client("township_a").post("/api/responsibility/ledger", data=json.dumps({
        "assignment_id": made["stationed"].pk, "commitment": "发展茶叶产业", "target_value": 1e300,
        "target_unit": "亩"}), content_type="application/json")
    assert refused.status_code == 400 and "目标值超出允许范围" in refused.json()["message"]
    with pytest.raises(DomainError, match="目标值超出允许范围"):
        add_line(actor=world.users["township_a"], assignment_id=made["stationed"].pk, commitment="发展茶叶产业",
                 target_value=Decimal("1E+300"), target_unit="亩")
    assert not LedgerLine.objects_unscoped.exists()
