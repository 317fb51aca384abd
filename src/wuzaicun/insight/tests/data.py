"""Hand-built figures data: every mechanism's records in each county of the test world, `n` of each kind in a
county (county A gets 1, county B gets 2), plus records just outside the year that must not count.

`expected(n)` is what the figures of such a county are; the city's are A's and B's added up (`city()`).
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from wuzaicun.cadres.models import (
    Attendance,
    CadreGrade,
    CadreOutcome,
    Dispatch,
    ProjectSecretary,
    SecretaryProject,
    Talent,
    TalentVillage,
    TalentVisit,
    TrainingSession,
    WorkingGroup,
)
from wuzaicun.organization.models import (
    CollectiveEntity,
    EcommerceStation,
    EntityIncome,
    Guarantee,
    PartyOrganisation,
    RectificationCase,
    SocialOrganisation,
    SupervisoryCommittee,
)
from wuzaicun.regions.models import VillageYear
from wuzaicun.registry.models import Household, Unit
from wuzaicun.resources.models import (
    BranchPairing,
    Contribution,
    DecisionPayment,
    Enterprise,
    EnterpriseHelp,
    FundDecision,
    GroupMember,
    KinPairing,
    PairingSupport,
    Project,
    ProjectFunding,
    TenHouseholdGroup,
)
from wuzaicun.responsibility.duties import ListKind
from wuzaicun.responsibility.models import Assignment
from wuzaicun.testing import factories
from wuzaicun.testing.world import World
from wuzaicun.verification.models import (
    AssessmentResult,
    AssessmentScheme,
    Finding,
    Sanction,
    SpotCheckPick,
    SpotCheckPlan,
)

YEAR = 2016
JAN = dt.date(YEAR, 1, 1)
# (county, township, poor village, other village) of the test world
COUNTIES = {
    "a": ("520302000000", "520302001000", "520302001001", "520302001002"),
    "b": ("520303000000", "520303100000", "520303100201", "520303100202"),
}
CREDIT = {"a": "91520302MA6DK0000X", "b": "91520303MA6DK0001X"}


def populate(world: World, side: str, n: int) -> None:
    county_code, township_code, poor_code, other_code = COUNTIES[side]
    county, township = world.region(county_code), world.region(township_code)
    poor, other = world.region(poor_code), world.region(other_code)
    villages = [poor, other][:n]
    people = [factories.person(poor, name=f"{side}干部{i}") for i in range(n + 2)]
    households = world.households[poor_code]

    # villages and households: the poor village is weak, ethnic, a provincial site and exits in the year
    VillageYear.objects_unscoped.filter(village=poor, year=YEAR).update(
        is_weak_organisation=True, is_ethnic_minority=True, demonstration="provincial", exit_year=YEAR)
    for household in households[:n]:
        Household.objects_unscoped.filter(pk=household.pk).update(status="已脱贫", exit_year=YEAR)

    # 责任在村落实: n entries of each list in the poor village, one the year before
    assignments = [Assignment.objects_unscoped.create(year=YEAR, kind=kind, village=poor, person=people[i])
                   for kind in ListKind.values for i in range(n)]
    Assignment.objects_unscoped.create(year=YEAR - 1, kind=ListKind.TEAM, village=other, person=people[0])

    # 组织在村建强
    for i, village in enumerate(villages):
        RectificationCase.objects_unscoped.create(village=village, year=YEAR,
                                                  status="transformed" if i == 0 else "in_progress")
        SupervisoryCommittee.objects_unscoped.create(village=village, founded_on=JAN)
        Guarantee.objects_unscoped.create(
            village=village, year=YEAR, cadre_monthly_pay=Decimal(1999 if i == 0 else 2000),
            operating_funds=Decimal(45000), service_funds=Decimal(50000), activity_funds_per_member=Decimal(101),
            training_funds_per_cadre=Decimal(501), home_area=Decimal(301))
    RectificationCase.objects_unscoped.create(village=poor, year=YEAR - 1)
    village_org = PartyOrganisation.objects_unscoped.create(name=f"{poor.name}党支部", org_type="branch",
                                                            category="village", region=poor)
    park = None
    for i in range(n):
        park = PartyOrganisation.objects_unscoped.create(name=f"{side}园区党支部{i}", org_type="branch",
                                                         category="industrial_park", region=county)
        PartyOrganisation.objects_unscoped.create(name=f"{side}电商党支部{i}", org_type="branch",
                                                  category="ecommerce", region=township, founded_on=JAN)
        SocialOrganisation.objects_unscoped.create(name=f"{side}协会{i}", kind="association", region=poor)
        EcommerceStation.objects_unscoped.create(name=f"{side}站点{i}", region=poor, opened_on=JAN)
    PartyOrganisation.objects_unscoped.create(name=f"{side}次年园区党支部", org_type="branch",
                                              category="migrant_workers", region=county,
                                              founded_on=dt.date(YEAR + 1, 1, 1))
    entities = [CollectiveEntity.objects_unscoped.create(village=poor, name=f"{side}合作社{i}", kind="cooperative")
                for i in range(n)]
    company = CollectiveEntity.objects_unscoped.create(village=poor, name=f"{side}股份公司", kind="joint_stock")
    for entity in [*entities, company]:
        EntityIncome.objects_unscoped.create(entity=entity, year=YEAR, operating_income=Decimal(5000),
                                             collective_income=Decimal("1000.50"))

    # 干部在村成长
    unit = Unit.objects_unscoped.create(name=f"{county.name}农业局", region=county)
    for i in range(n):
        Dispatch.objects_unscoped.create(person=people[i], kind="first_secretary", unit=unit, village=poor, start=JAN)
    Dispatch.objects_unscoped.create(person=people[n], kind="resident", unit=unit, village=poor, start=JAN)
    Dispatch.objects_unscoped.create(person=people[n + 1], kind="resident", unit=unit, village=poor,
                                     start=dt.date(YEAR - 1, 1, 1), end=dt.date(YEAR - 1, 12, 31))
    WorkingGroup.objects_unscoped.create(village=poor, unit=unit, start=JAN, leader=people[n])
    for i in range(n):
        talent = Talent.objects_unscoped.create(person=people[i], region=county, field="agriculture", year=YEAR)
        TalentVillage.objects_unscoped.create(talent=talent, village=poor)
        TalentVisit.objects_unscoped.create(talent=talent, village=poor, date=JAN, content="技术指导")
        secretary = ProjectSecretary.objects_unscoped.create(person=people[i], region=poor, year=YEAR)
        SecretaryProject.objects_unscoped.create(secretary=secretary, role="lead", name=f"{side}领办{i}", village=poor)
        for j in range(2):
            SecretaryProject.objects_unscoped.create(secretary=secretary, role="drive", name=f"{side}带动{i}{j}",
                                                     village=poor)
        session = TrainingSession.objects_unscoped.create(
            name=f"{side}县级培训{i}", level="county", region=county, organiser="县委党校", topic="脱贫攻坚",
            start=JAN, end=JAN, year=YEAR)
        Attendance.objects_unscoped.create(session=session, person=people[i])
    for i in range(n):
        grade = CadreGrade.objects_unscoped.create(year=YEAR, role="village_secretary", person=people[i],
                                                   region=poor, grade="优")
        CadreOutcome.objects_unscoped.create(grade=grade, kind="promotion", reason="实绩突出", state="approved")
        CadreOutcome.objects_unscoped.create(grade=grade, kind="treatment", reason="实绩突出")  # still pending
    weak = CadreGrade.objects_unscoped.create(year=YEAR, role="resident", person=people[n], region=poor, grade="差")
    CadreOutcome.objects_unscoped.create(grade=weak, kind="org_handling", reason="考评为差", state="approved")

    # 资源在村整合
    for i in range(n):
        group = TenHouseholdGroup.objects_unscoped.create(village=poor, name=f"{side}十户一体{i}", head=people[i],
                                                          formed_on=JAN)
        GroupMember.objects_unscoped.create(group=group, household=households[i])
        Contribution.objects_unscoped.create(entity=company, household=households[i], kind="land",
                                             land_mu=Decimal("10.50"), shares=Decimal(10), contributed_on=JAN)
    Contribution.objects_unscoped.create(entity=company, kind="property", property_name="村活动室",
                                         shares=Decimal(5), contributed_on=JAN)
    kin = [KinPairing.objects_unscoped.create(person=people[i], household=households[i],
                                              village_id=households[i].region_id, since=YEAR)
           for i in range(n)]
    KinPairing.objects_unscoped.create(person=people[n], household=households[0], village_id=households[0].region_id,
                                       since=YEAR - 2, until=YEAR - 1)
    assert park is not None
    BranchPairing.objects_unscoped.create(helper=park, helped=village_org, since=YEAR - 1)
    for pairing in kin:
        PairingSupport.objects_unscoped.create(kin_pairing=pairing, village=poor, year=YEAR, kind="project",
                                               description="产业项目")
    PairingSupport.objects_unscoped.create(kin_pairing=kin[0], village=poor, year=YEAR, kind="money",
                                           description="慰问金", amount=Decimal("100.00"))
    enterprise = Enterprise.objects_unscoped.create(name=f"{side}企业", credit_code=CREDIT[side], region=county)
    for village in villages:
        EnterpriseHelp.objects_unscoped.create(enterprise=enterprise, village=village, year=YEAR,
                                               pledged=Decimal(1000), paid=Decimal("500.25"))
    for i in range(n):
        project = Project.objects_unscoped.create(name=f"{side}项目{i}", year=YEAR, county=county, township=township,
                                                  village=poor, region=poor, approved_on=JAN)
        ProjectFunding.objects_unscoped.create(project=project, source="poverty", amount=Decimal(10000))
    elsewhere = Project.objects_unscoped.create(name=f"{side}非贫困村项目", year=YEAR, county=county, village=other,
                                                region=other, approved_on=JAN)
    ProjectFunding.objects_unscoped.create(project=elsewhere, source="road", amount=Decimal(5000))
    decisions = [FundDecision.objects_unscoped.create(village=poor, year=YEAR, title=f"{side}决策{i}",
                                                      fund_kind="donation", amount=Decimal(2000),
                                                      status="done" if i == 0 else "in_progress")
                 for i in range(n)]
    DecisionPayment.objects_unscoped.create(decision=decisions[0], paid_on=JAN, amount=Decimal(1500), payee="施工队")

    # 成效在村检验: a closed plan with n picks (the first 不到位, with a sanction), an open one with a secret pick
    plans = [SpotCheckPlan.objects_unscoped.create(
        year=YEAR, quarter=quarter, region=county, rate=Decimal("0.100"), status=status, seed_sealed=b"x",
        seed_commitment="0" * 64, population_hash="0" * 64, population_size=10, pick_count=1)
        for quarter, status in ((1, "closed"), (2, "drawn"))]
    for i in range(n):
        pick = SpotCheckPick.objects_unscoped.create(plan=plans[0], assignment=assignments[i],
                                              village_id=assignments[i].village_id, stratum=county_code[:6])
        finding = Finding.objects_unscoped.create(pick=pick, visited_on=JAN, notes="抽查",
                                                  result="not_in_place" if i == 0 else "in_place")
        if i == 0:
            Sanction.objects_unscoped.create(finding=finding, kind="talk", decision="约谈记录", decided_on=JAN,
                                             task="整改", deadline=JAN)
    secret = SpotCheckPick.objects_unscoped.create(plan=plans[1], assignment=assignments[-1],
                                                   village_id=assignments[-1].village_id, stratum="x")
    Finding.objects_unscoped.create(pick=secret, visited_on=JAN, notes="抽查", result="not_in_place")
    scheme = AssessmentScheme.objects_unscoped.create(year=YEAR, level=5, county=county, name=f"{side}村考核")
    township_scheme = AssessmentScheme.objects_unscoped.create(year=YEAR, level=4, county=county,
                                                               name=f"{side}乡镇考核")
    for i, village in enumerate(villages):
        AssessmentResult.objects_unscoped.create(year=YEAR, scheme=scheme, subject=village, total=Decimal(95 - 10 * i),
                                                 rank=i + 1, grade="优" if i == 0 else "良")
    AssessmentResult.objects_unscoped.create(year=YEAR, scheme=township_scheme, subject=township, total=Decimal(70),
                                             rank=1, grade="中")


def expected(n: int) -> dict[str, Any]:
    """Every figure of a county populated with `n` (the test world: two villages, three households each)."""
    zero_money = Decimal("0.00")
    figures: dict[str, Any] = {
        "poor_villages": 1,
        **{f"entries_{kind}": n for kind in ListKind.values},
        **{f"poor_villages_with_{kind}": 1 for kind in ListKind.values},
        "rectified_organisations": n, "rectified_transformed": 1, "supervisory_committees": n,
        "new_organisations": n, "ecommerce_branches": n, "ecommerce_stations": n, "social_organisations": n,
        "guarantee_villages_recorded": n, "guarantee_villages_below_any": 1, "cadre_pay_meeting_standard": n - 1,
        "operating_funds_meeting_standard": n, "service_funds_meeting_standard": n,
        "activity_funds_meeting_standard": n, "training_funds_meeting_standard": n, "homes": n,
        "cooperatives": n, "joint_stock_companies": 1, "collective_entities": n + 1, "villages_with_entity": 1,
        "shell_villages": 1, "collective_income": Decimal("1000.50") * (n + 1),
        "dispatched": n + 1, "first_secretaries": n, "resident_cadres": 1, "working_groups": 1,
        "poor_villages_with_group": 1, "weak_villages_with_group": 1, "ethnic_villages_with_group": 1,
        "poor_villages_with_first_secretary": 1, "talents": n, "talent_villages": n, "talent_visits": n,
        "project_secretaries": n, "projects_led": n, "projects_driven": 2 * n,
        "city_training_sessions": 0, "city_training_person_times": 0, "county_training_sessions": n,
        "county_training_person_times": n, "graded_cadres": n + 1, "graded_excellent": n, "graded_good": 0,
        "graded_fair": 0, "graded_poor": 1, "promotions": n, "treatments": 0, "accountability": 1,
        "projects": n + 1, "projects_in_poor_villages": n, "project_funds": Decimal(10000 * n + 5000),
        "project_funds_poor_villages": Decimal(10000 * n), "ten_household_groups": n, "ten_household_members": n,
        "land_mu": Decimal("10.50") * n, "properties": 1, "share_money": zero_money, "share_entities": 1,
        "shareholder_households": n, "kin_pairs": n, "branch_pairings": 1, "pairing_supports": n + 1,
        "pairing_project_supports": n, "pairing_support_amount": Decimal("100.00"), "enterprises": 1,
        "enterprise_villages": n, "enterprise_funds_pledged": Decimal(1000 * n),
        "enterprise_funds_paid": Decimal("500.25") * n, "fund_decisions": n, "fund_decisions_done": 1,
        "fund_decision_amount": Decimal(2000 * n), "fund_decision_paid": Decimal(1500),
        "spot_check_plans": 2, "spot_check_picks": n, "findings": n, "findings_in_place": n - 1,
        "findings_mostly": 0, "findings_not_in_place": 1, "sanctions": 1, "sanctions_recall": 0,
        "sanctions_reassign": 0, "sanctions_talk": 1, "sanctions_accountability": 0,
        "assessed_villages": n, "assessed_townships": 1, "assessed_excellent": 1, "assessed_good": n - 1,
        "assessed_fair": 0, "assessed_poor": 0, "provincial_demonstrations": 1, "city_demonstrations": 0,
        "county_demonstrations": 0,
        "villages": 2, "poor_villages_exited": 1, "poor_villages_exited_share": Decimal("100.00"),
        "poor_households": 6, "households_exited": n, "households_still_poor": 6 - n,
    }
    return figures


def city() -> dict[str, Any]:
    """The city's figures: both counties added up (a share is recomputed, not added)."""
    total = {key: expected(1)[key] + value for key, value in expected(2).items()}
    total["poor_villages_exited_share"] = Decimal("100.00")
    return total
