"""The draw cannot be steered and an open plan's picks cannot be inferred: one plan per quarter and area
(voiding is public), exact rates, a witness's contribution, and no side channel (exclusion, indicators,
deletion errors, the ledger)."""

import io
import json
from decimal import Decimal

import pytest
from django.core.management import call_command
from django.test import Client

from wuzaicun.core.errors import DomainError, NotFound
from wuzaicun.responsibility.services import delete_entry
from wuzaicun.testing.lists import OTHER_POOR_VILLAGE, VILLAGE, YEAR, cover_village
from wuzaicun.verification.indicators import spot_check_findings
from wuzaicun.verification.models import PlanStatus, PopulationMember, SpotCheckPick, SpotCheckPlan
from wuzaicun.verification.sampling import Member, draw, draw_key
from wuzaicun.verification.selectors import get_plan_for_user, picks_for, plans_for
from wuzaicun.verification.services import (
    OutOfOrder,
    close_plan,
    draw_spot_check_plan,
    record_finding,
    verify_plan,
    void_plan,
    witness_plan,
)

CITY, COUNTY_A = "520300000000", "520302000000"


@pytest.fixture
def covered(world, year_open):
    made = cover_village(world, VILLAGE)
    cover_village(world, OTHER_POOR_VILLAGE)
    return made


def _draw(world, user="city", *, quarter=3, region=CITY, **options):
    return draw_spot_check_plan(actor=world.users[user], year=YEAR, quarter=quarter, region_code=region, **options)


def _picked(plan):
    return set(SpotCheckPick.objects_unscoped.filter(plan=plan).values_list("assignment_id", flat=True))


def _population(plan):
    return set(PopulationMember.objects_unscoped.filter(plan=plan).values_list("entry_id", flat=True))


# --- 1. leaving out "already checked" entries never reveals an open plan --------------------------------

def test_exclude_checked_leaves_out_only_the_picks_of_closed_plans(world, covered):
    open_plan = _draw(world, quarter=2)
    mine = _draw(world, "county_a", quarter=3, region=COUNTY_A, exclude_checked=True)
    close_plan(actor=world.users["county_a"], plan_id=mine.pk)
    # Subtracting this plan's public population from the county's entries gives nothing of the open plan.
    county_entries = set(PopulationMember.objects_unscoped.filter(plan=open_plan, county="520302").values_list(
        "entry_id", flat=True))
    assert _picked(open_plan) & county_entries
    assert _population(mine) == county_entries
    close_plan(actor=world.users["city"], plan_id=open_plan.pk)
    later = _draw(world, quarter=4, exclude_checked=True)
    assert _population(later) == _population(open_plan) - _picked(open_plan) - _picked(mine)


# --- 2. indicators read closed plans only --------------------------------------------------------------

def test_findings_of_an_open_plan_do_not_count_in_the_indicator_until_it_closes(world, covered):
    inspector = world.users["inspector_a"]
    plan = _draw(world, "county_a", region=COUNTY_A, inspector_ids=[inspector.pk])
    pick = SpotCheckPick.objects_unscoped.filter(plan=plan).first()
    import datetime as dt

    record_finding(actor=inspector, pick_id=pick.pk, visited_on=dt.date(2016, 8, 2), inspector_ids=[inspector.pk],
                   checklist={}, result="mostly", notes="走访记录不完整")
    assert spot_check_findings(YEAR, [VILLAGE], 5) == {VILLAGE: Decimal(100)}
    close_plan(actor=world.users["county_a"], plan_id=plan.pk)
    assert spot_check_findings(YEAR, [VILLAGE], 5) == {VILLAGE: Decimal(70)}


# --- 3. every entry of a frozen population answers alike ------------------------------------------------

def test_picked_and_unpicked_entries_of_a_population_give_the_same_refusal(world, covered):
    plan = _draw(world, "county_a", region=COUNTY_A)
    picked = _picked(plan)
    unpicked = _population(plan) - picked
    assert picked and unpicked
    messages = set()
    for entry_id in (min(picked), min(unpicked)):
        with pytest.raises(DomainError) as refused:
            delete_entry(actor=world.users["county_a"], entry_id=entry_id)
        messages.add((refused.value.code, refused.value.message))
    assert messages == {("in_use", "该清单条目已列入季度抽查的冻结总体，不能删除")}


# --- 4. one plan per quarter and area; voiding is public -----------------------------------------------

def test_a_second_plan_for_an_overlapping_area_is_refused_until_the_first_is_voided(world, covered):
    city_plan = _draw(world)
    for user, region in (("county_a", COUNTY_A), ("city", CITY), ("sysadmin", "520000000000")):
        with pytest.raises(DomainError, match="每季度每个地区只能抽取一次") as refused:
            _draw(world, user, region=region)
        assert refused.value.code == "plan_exists"
    assert SpotCheckPlan.objects_unscoped.count() == 1
    _draw(world, "county_a", quarter=4, region=COUNTY_A)  # another quarter is another draw
    with pytest.raises(DomainError, match="作废原因"):
        void_plan(actor=world.users["city"], plan_id=city_plan.pk, reason="  ")
    with pytest.raises(NotFound):
        void_plan(actor=world.users["county_a"], plan_id=city_plan.pk, reason="范围错误")
    voided = void_plan(actor=world.users["city"], plan_id=city_plan.pk, reason="抽查范围应为红花岗区")
    assert voided.status == PlanStatus.VOIDED and len(voided.revealed_seed) == 64 and voided.closed_at
    assert verify_plan(plan_id=voided.pk).ok
    redrawn = _draw(world, "county_a", region=COUNTY_A)
    assert redrawn.status == PlanStatus.DRAWN
    with pytest.raises(OutOfOrder):
        void_plan(actor=world.users["city"], plan_id=voided.pk, reason="再次作废")
    register = Client().get("/public/spotcheck/").text
    assert "抽查范围应为红花岗区" in register and "已作废（公开）" in register and register.count("已抽取（保密）") == 2


def test_a_plan_with_findings_cannot_be_voided(world, covered):
    import datetime as dt

    plan = _draw(world, "county_a", region=COUNTY_A)
    pick = SpotCheckPick.objects_unscoped.filter(plan=plan).first()
    record_finding(actor=world.users["county_a"], pick_id=pick.pk, visited_on=dt.date(2016, 8, 2), inspector_ids=[],
                   checklist={}, result="in_place", notes="到位")
    with pytest.raises(OutOfOrder, match="已录入检查结果"):
        void_plan(actor=world.users["county_a"], plan_id=plan.pk, reason="想重抽")
    assert SpotCheckPlan.objects_unscoped.get(pk=plan.pk).status == PlanStatus.DRAWN


# --- 6. rates have three decimals at most, and verify -------------------------------------------------

@pytest.mark.parametrize("rate", ["0.1234", "0.10001"])
def test_a_rate_with_more_than_three_decimals_is_refused(world, covered, rate):
    with pytest.raises(DomainError, match="最多保留三位小数"):
        _draw(world, rate=Decimal(rate))
    assert not SpotCheckPlan.objects_unscoped.exists()


def test_a_three_decimal_rate_is_stored_exactly_and_its_plan_verifies(world, covered):
    plan = _draw(world, rate=Decimal("0.345"))
    plan.refresh_from_db()
    assert plan.rate == Decimal("0.345")
    close_plan(actor=world.users["city"], plan_id=plan.pk)
    assert verify_plan(plan_id=plan.pk).ok
    page = Client().get(f"/public/spotcheck/{plan.pk}/").text
    assert "0.345" in page and "助村·红花岗区" in page and "helper:520302" in page


# --- 7. a witness: the picks exist only after the witness's contribution --------------------------------

def test_with_a_witness_the_picks_come_from_the_seed_and_the_contribution(world, covered):
    witness = world.users["leader_a"]
    plan = _draw(world, "county_a", region=COUNTY_A, witness_id=witness.pk)
    assert plan.status == PlanStatus.AWAITING_WITNESS and not _picked(plan) and plan.pick_count > 0
    with pytest.raises(OutOfOrder, match="见证人尚未提交"):
        close_plan(actor=world.users["county_a"], plan_id=plan.pk)
    for other in ("county_a", "inspector_a"):
        with pytest.raises(NotFound):
            witness_plan(actor=world.users[other], plan_id=plan.pk, contribution="123456")
    with pytest.raises(DomainError, match="见证随机数"):
        witness_plan(actor=witness, plan_id=plan.pk, contribution=" ")
    witnessed = witness_plan(actor=witness, plan_id=plan.pk, contribution="3 5 1 6 6 2 4")
    assert witnessed.status == PlanStatus.DRAWN and len(_picked(plan)) == plan.pick_count
    with pytest.raises(OutOfOrder):
        witness_plan(actor=witness, plan_id=plan.pk, contribution="again")
    assert picks_for(witness, get_plan_for_user(witness, plan.pk)) is None  # a witness does not see the picks
    closed = close_plan(actor=world.users["county_a"], plan_id=plan.pk)
    seed = bytes.fromhex(closed.revealed_seed)
    members = [Member(e, k, c) for e, k, c in PopulationMember.objects_unscoped.filter(plan=plan).values_list(
        "entry_id", "kind", "county")]
    assert _picked(plan) == {m.entry_id for m in draw(draw_key(seed, "3 5 1 6 6 2 4"), members, plan.rate)}
    assert verify_plan(plan_id=plan.pk).ok
    # Another contribution (one that changes the picks: small strata often give the same) fails verification.
    changed = next(c for c in (f"3 5 1 6 6 2 {i}" for i in range(100))
                   if {m.entry_id for m in draw(draw_key(seed, c), members, plan.rate)} != _picked(plan))
    SpotCheckPlan.objects_unscoped.filter(pk=plan.pk).update(witness_contribution=changed)
    assert not verify_plan(plan_id=plan.pk).checks["picks"]


def test_a_plan_voided_before_its_witness_verifies_without_picks(world, covered):
    plan = _draw(world, "county_a", region=COUNTY_A, witness_id=world.users["leader_a"].pk)
    void_plan(actor=world.users["county_a"], plan_id=plan.pk, reason="见证人无法到场")
    result = verify_plan(plan_id=plan.pk)
    assert result.ok and "picks" not in result.checks


def test_the_witness_is_another_person_in_scope(world, covered):
    with pytest.raises(DomainError, match="另一人"):
        _draw(world, "county_a", region=COUNTY_A, witness_id=world.users["county_a"].pk)
    with pytest.raises(DomainError, match="见证人不存在"):
        _draw(world, "county_a", region=COUNTY_A, witness_id=world.users["county_b"].pk)


def test_the_command_line_witnesses_and_voids(world, covered):
    out = io.StringIO()
    call_command("spotcheck", "draw", "--quarter", "2016Q3", "--region", "520302", "--witness", "leader_a",
                 "--as", "county_a", stdout=out, stderr=io.StringIO())
    plan_id = int(out.getvalue())
    call_command("spotcheck", "witness", str(plan_id), "--value", "骰子 4 2 6", "--as", "leader_a",
                 stderr=io.StringIO())
    call_command("spotcheck", "void", str(plan_id), "--reason", "演练", "--as", "county_a", stderr=io.StringIO())
    out = io.StringIO()
    call_command("spotcheck", "verify", str(plan_id), "--json", stdout=out, stderr=io.StringIO())
    assert json.loads(out.getvalue())["checks"]["picks"] is True


# --- the inspector's plans (issue 9) --------------------------------------------------------------------

def test_a_county_inspector_on_a_city_plan_sees_the_picks_of_the_county_and_closed_plans_covering_it(world, covered):
    inspector = world.users["inspector_a"]
    assigned = _draw(world, inspector_ids=[inspector.pk])
    other = _draw(world, quarter=2)
    assert set(plans_for(inspector)) == {assigned}
    picks = picks_for(inspector, get_plan_for_user(inspector, assigned.pk))
    assert picks is not None and picks.exists() and {p.assignment.village_id[:6] for p in picks} == {"520302"}
    close_plan(actor=world.users["city"], plan_id=other.pk)
    assert set(plans_for(inspector)) == {assigned, other}
    assert set(plans_for(world.users["county_b"])) == {other}


# --- 8. the outsider's script in docs/sampling.md redraws a real plan ----------------------------------

def test_the_script_in_docs_sampling_redraws_a_witnessed_plan_from_the_public_page_alone(
        world, covered, tmp_path, monkeypatch, capsys):
    import re
    from pathlib import Path

    import wuzaicun

    plan = _draw(world, "county_a", region=COUNTY_A, rate=Decimal("0.345"), witness_id=world.users["leader_a"].pk)
    witness_plan(actor=world.users["leader_a"], plan_id=plan.pk, contribution="六 3 1")
    plan = close_plan(actor=world.users["county_a"], plan_id=plan.pk)
    anonymous = Client()
    (tmp_path / "population.csv").write_bytes(
        anonymous.get(f"/public/spotcheck/{plan.pk}/?download=population").content)
    doc = (Path(wuzaicun.__file__).parents[2] / "docs" / "sampling.md").read_text(encoding="utf-8")
    script = re.search(r"```python\n(.*?)```", doc, re.S)[1]
    script = re.sub(r'seed = bytes\.fromhex\("[^"]*"\)', f'seed = bytes.fromhex("{plan.revealed_seed}")', script)
    script = script.replace('rate = Decimal("0.10")', f'rate = Decimal("{plan.rate}")')
    script = script.replace('contribution = ""', 'contribution = "六 3 1"')
    monkeypatch.chdir(tmp_path)
    exec(compile(script, "sampling.md", "exec"), {})  # noqa: S102 - the documented script, run as an outsider would
    printed = capsys.readouterr().out
    assert f"population hash {plan.population_hash}" in printed and f"commitment      {plan.seed_commitment}" in printed
    assert f"picks: {sorted(_picked(plan))}" in printed
