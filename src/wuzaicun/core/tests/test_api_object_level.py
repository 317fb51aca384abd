"""Object-level authorization of the API, fuzzed (#14 point 7): schemathesis generates every operation whose path
names an object (a household, a person, a region by code, a project, a case, a dispatch, a job...), authenticated
as county A's administrator, and every object in the path is pointed at county B's object of that kind. No answer
may be a success, a 5xx, or carry anything of county B: out of scope is 404 (or 403), a body breaking a rule
before the lookup 400/422.

`PATH_OBJECTS` maps each path (not just the parameter's name: `project_id` is a resources project and a secretary's
project, `pairing_id` a branch and a kin pairing) to the model of each object it names; a route added without a
mapping fails `test_every_object_naming_path_parameter_is_mapped`. County B's objects come from the world and
insight's `populate(world, "b", 2)`; the kinds it lacks are made here. Jobs belong to a user: county B's user's.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

import pytest
import schemathesis
from django.core.wsgi import get_wsgi_application
from django.db import models
from hypothesis import HealthCheck, settings

from wuzaicun.cadres import models as cadres
from wuzaicun.jobs.models import Job
from wuzaicun.organization import models as organization
from wuzaicun.registry.models import Household, Person
from wuzaicun.resources import models as resources
from wuzaicun.responsibility import models as responsibility
from wuzaicun.testing.api import wsgi_bearer
from wuzaicun.testing.world import World
from wuzaicun.verification import models as verification

B_COUNTY = "520303"
B_VILLAGE = "520303100201"
B_NAMES = ("汇川区", "高坪镇", "丙村", "丁村")
REGION = object()  # a region named by its code
# Path parameters that name no object: a year, a rule's or a standard's item code, a funding source, a step.
NOT_OBJECTS = {"year", "source", "step"}
ITEM_CODES = ("/api/responsibility/years/{year}/rules/{code}", "/api/organization/guarantees/standards/{year}/{code}")

PATH_OBJECTS: dict[str, type[models.Model] | object] = {
    "/api/regions/{code}": REGION,
    "/api/households/{household_id}": Household,
    "/api/people/{person_id}": Person,
    "/api/responsibility/entries/{entry_id}": responsibility.Assignment,
    "/api/responsibility/ledger/{line_id}": responsibility.LedgerLine,
    "/api/responsibility/reconciliations/{reconciliation_id}": responsibility.Reconciliation,
    "/api/verification/plans/{plan_id}": verification.SpotCheckPlan,
    "/api/verification/plans/{plan_id}/picks/{pick_id}": verification.SpotCheckPick,
    "/api/organization/orgs/{org_id}": organization.PartyOrganisation,
    "/api/organization/committees/{committee_id}": organization.SupervisoryCommittee,
    "/api/organization/social-orgs/{social_org_id}": organization.SocialOrganisation,
    "/api/organization/stations/{station_id}": organization.EcommerceStation,
    "/api/organization/services/{service_id}": organization.ServiceRecord,
    "/api/organization/rectification/rounds/{round_id}": organization.RankingRound,
    "/api/organization/rectification/cases/{case_id}": organization.RectificationCase,
    "/api/organization/rectification/cases/{case_id}/progress/{progress_id}": organization.CaseProgress,
    "/api/organization/guarantees/{guarantee_id}": organization.Guarantee,
    "/api/organization/entities/{entity_id}": organization.CollectiveEntity,
    "/api/cadres/dispatches/{dispatch_id}": cadres.Dispatch,
    "/api/cadres/groups/{group_id}": cadres.WorkingGroup,
    "/api/cadres/placements/{placement_id}": cadres.Placement,
    "/api/cadres/talents/{talent_id}": cadres.Talent,
    "/api/cadres/talent-visits/{visit_id}": cadres.TalentVisit,
    "/api/cadres/secretaries/{secretary_id}": cadres.ProjectSecretary,
    "/api/cadres/secretary-projects/{project_id}": cadres.SecretaryProject,
    "/api/cadres/trainings/{session_id}": cadres.TrainingSession,
    "/api/cadres/grading/grades/{grade_id}": cadres.CadreGrade,
    "/api/cadres/grading/outcomes/{outcome_id}": cadres.CadreOutcome,
    "/api/resources/projects/{project_id}": resources.Project,
    "/api/resources/groups/{group_id}": resources.TenHouseholdGroup,
    "/api/resources/groups/{group_id}/entities/{entity_id}": resources.GroupEntity,
    "/api/resources/share-entities/{entity_id}": organization.CollectiveEntity,
    "/api/resources/contributions/{contribution_id}": resources.Contribution,
    "/api/resources/dividends/{dividend_id}": resources.Dividend,
    "/api/resources/branch-pairings/{pairing_id}": resources.BranchPairing,
    "/api/resources/kin-pairings/{pairing_id}": resources.KinPairing,
    "/api/resources/supports/{support_id}": resources.PairingSupport,
    "/api/resources/enterprises/{enterprise_id}": resources.Enterprise,
    "/api/resources/enterprise-helps/{help_id}": resources.EnterpriseHelp,
    "/api/resources/decisions/{decision_id}": resources.FundDecision,
    "/api/jobs/{job_id}": Job,
}
# A person or a household named after another object (a member, an attendee, a beneficiary) is a registry's.
TAIL_OBJECTS: dict[str, type[models.Model]] = {"person_id": Person, "household_id": Household}


def objects_of(path: str) -> dict[str, type[models.Model] | object]:
    """Each object-naming parameter of `path` and the model of the object it names (KeyError when unmapped)."""
    found: dict[str, type[models.Model] | object] = {}
    for match in re.finditer(r"\{(\w+)\}", path):
        name = match.group(1)
        if name in NOT_OBJECTS or (name == "code" and path.startswith(ITEM_CODES)):
            continue
        prefix = path[:match.end()]
        if prefix in PATH_OBJECTS:
            found[name] = PATH_OBJECTS[prefix]
        elif name in TAIL_OBJECTS and found:
            found[name] = TAIL_OBJECTS[name]
        else:
            raise KeyError(f"{prefix}: no model for {{{name}}}")
    return found


def _names_objects(path: str) -> bool:
    try:
        return bool(objects_of(path))
    except KeyError:
        return True  # unmapped: fuzzed too, and failed by the mapping test


def _schema_paths() -> list[str]:
    from wuzaicun.api import api

    return list(api.get_openapi_schema()["paths"])


OBJECT_PATHS = [p for p in _schema_paths() if _names_objects(p)]
# Paths naming two objects (a plan and its pick, an organisation and its member...): also fuzzed mixed, one object
# county A's own and the other county B's, each way round.
MIXED_PATHS = [p for p in OBJECT_PATHS if _names_objects(p) and len(objects_of(p)) > 1]
_all_operations = schemathesis.openapi.from_wsgi("/api/openapi.json", get_wsgi_application())
schema = _all_operations.include(path_regex="^(?:" + "|".join(re.escape(p) for p in OBJECT_PATHS) + ")$")
mixed_schema = _all_operations.include(path_regex="^(?:" + "|".join(re.escape(p) for p in MIXED_PATHS) + ")$")

# Each county's code, a village of it (what a region path is pointed at), its administrator, and a word for the
# objects made here (county B's carry a name the fuzz looks for in the answers; county A's do not).
SIDES = {"a": ("520302", "520302001001", "county_a", "甲村"), "b": (B_COUNTY, B_VILLAGE, "county_b", "丙村")}


def _county_object(model: type[models.Model], world: World, side: str) -> models.Model | None:
    county, _, owner, _ = SIDES[side]
    if model is Job:
        return Job.objects_unscoped.filter(user=world.users[owner]).order_by("pk").first()
    path = model.scope_path
    return (model.objects_unscoped
            .filter(**{f"{path}__startswith": county}).order_by("pk").first())


def _objects_of_county(world: World, side: str) -> dict[Any, Any]:
    """One object of each kind a path names, all of the county `side` (made here when the world lacks it)."""
    from wuzaicun.insight.tests.data import populate

    populate(world, side, 2)
    make_missing(world, side)
    found: dict[Any, Any] = {REGION: SIDES[side][1]}
    for model in {m for m in [*PATH_OBJECTS.values(), *TAIL_OBJECTS.values()] if m is not REGION}:
        obj = _county_object(model, world, side)
        assert obj is not None, f"county {side.upper()} has no {model.__name__}"
        found[model] = str(obj.pk) if model is Job else obj.pk
    return found


@pytest.fixture
def county_b(world: World) -> dict[Any, Any]:
    """What the paths are pointed at: county B's object of each kind."""
    return _objects_of_county(world, "b")


@pytest.fixture
def county_a(world: World) -> dict[Any, Any]:
    """County A's own object of each kind (the other half of a mixed path)."""
    return _objects_of_county(world, "a")


def make_missing(world: World, side: str = "b") -> None:
    """A county's objects of the kinds `populate` does not make (what a user there would have entered)."""
    import datetime as dt
    from decimal import Decimal

    from django.utils import timezone

    county_code, village_code, owner, word = SIDES[side]
    village, county = world.region(village_code), world.region(county_code + "000000")
    household, person = world.households[village_code][0], world.people[village_code][0]
    today = dt.date(2025, 6, 1)
    case = organization.RectificationCase.objects_unscoped.filter(village__code__startswith=county_code).first()
    assert case is not None
    organization.CaseProgress.objects_unscoped.create(case=case, reported_on=today, narrative=f"{word}整顿进展")
    organization.RankingRound.objects_unscoped.create(year=2025, region=county, count=1)
    station = organization.EcommerceStation.objects_unscoped.filter(region__code__startswith=county_code).first()
    organization.ServiceRecord.objects_unscoped.create(household=household, kind=organization.ServiceKind.values[0],
                                                       served_on=today, station=station)
    entity = organization.CollectiveEntity.objects_unscoped.filter(village__code__startswith=county_code).first()
    assert entity is not None
    resources.Dividend.objects_unscoped.create(entity=entity, year=2025, total=Decimal(1000), total_shares=Decimal(100),
                                               holders=1)
    group = resources.TenHouseholdGroup.objects_unscoped.filter(village__code__startswith=county_code).first()
    assert group is not None
    resources.GroupEntity.objects_unscoped.create(group=group, name=f"{word}合作社",
                                                  kind=resources.BusinessKind.values[0])
    assignment = responsibility.Assignment.objects_unscoped.filter(village__code__startswith=county_code).first()
    assert assignment is not None
    line = responsibility.LedgerLine.objects_unscoped.create(assignment=assignment, year=2025,
                                                             commitment=f"{word}承诺事项")
    responsibility.Reconciliation.objects_unscoped.create(line=line, quarter=1, narrative=f"{word}对账",
                                                          submitted_at=timezone.now())
    cadres.Placement.objects_unscoped.create(person=person, kind=cadres.PlacementKind.values[0], region=village,
                                             start=today)
    Job.objects_unscoped.create(kind="export", label=f"{county.name}导出", user=world.users[owner],
                                region_code=county_code + "000000")


@pytest.fixture
def bearer_a(world: World) -> Iterator[dict[str, str]]:
    with wsgi_bearer(world.users["county_a"]) as headers:
        yield headers


def test_every_object_naming_path_parameter_is_mapped() -> None:
    unmapped = []
    for path in _schema_paths():
        try:
            objects_of(path)
        except KeyError as exc:
            unmapped.append(str(exc))
    assert not unmapped, "add these to PATH_OBJECTS (or NOT_OBJECTS): " + "; ".join(unmapped)
    assert objects_of("/api/cadres/secretary-projects/{project_id}") == {"project_id": cadres.SecretaryProject}
    assert objects_of("/api/resources/projects/{project_id}/beneficiaries/{household_id}") == {
        "project_id": resources.Project, "household_id": Household}
    assert objects_of("/api/resources/kin-pairings/{pairing_id}/end") == {"pairing_id": resources.KinPairing}


def test_the_fuzzed_operations_are_every_one_naming_an_object() -> None:
    operations = [r.ok() for r in schema.get_all_operations()]
    paths = {op.path for op in operations}
    assert {"/api/households/{household_id}", "/api/jobs/{job_id}/result", "/api/resources/dividends/{dividend_id}",
            "/api/cadres/secretary-projects/{project_id}"} <= paths
    assert paths == set(OBJECT_PATHS) and len(operations) >= 125


def test_the_objects_pointed_at_are_real_ones_county_b_sees(world: World, county_b: dict[Any, Any]) -> None:
    """The control: county B's user reads each object-naming GET with the same ids and gets it (a wrong mapping
    would make the fuzz above pass for nothing)."""
    from django.test import Client

    from wuzaicun.testing.api import token_for

    client = Client(headers={"Authorization": f"Bearer {token_for('county_b')}"})
    missed = []
    for path in OBJECT_PATHS:
        if "get" not in _operations(path):
            continue
        url = path
        for name, model in objects_of(path).items():
            url = url.replace("{" + name + "}", str(county_b[model]))
        if "{" in url or url.endswith("/result"):
            continue  # a year or an item code in the path as well; a queued job has no result yet
        response = client.get(url)
        if response.status_code != 200:
            missed.append(f"{url} → {response.status_code}")
    assert not missed, missed


def _operations(path: str) -> list[str]:
    from wuzaicun.api import api

    return list(api.get_openapi_schema()["paths"][path])


def _b_names() -> list[str]:
    return [*B_NAMES, *Household.objects_unscoped.filter(region__code__startswith=B_COUNTY)
            .values_list("head_name", flat=True),
            *Person.objects_unscoped.filter(region__code__startswith=B_COUNTY).values_list("name", flat=True)]


def _assert_refused(case: Any, headers: dict[str, str], names: list[str]) -> None:
    response = case.call(headers=headers)
    label = f"{case.method} {case.formatted_path}"
    assert response.status_code < 500, f"{label} → {response.status_code}"
    assert response.status_code in (400, 403, 404, 405, 409, 422), f"{label} → {response.status_code}: {response.text[:200]}"
    for name in names:
        assert name not in response.text, f"{label} showed {name}"


@schema.parametrize()
@settings(max_examples=3, derandomize=True, deadline=None, database=None, suppress_health_check=list(HealthCheck))
def test_no_operation_gives_county_a_an_object_of_county_b(case: Any, world: World, county_b: dict[Any, Any],
                                                           bearer_a: dict[str, str]) -> None:
    case.path_parameters = {**(case.path_parameters or {}),
                            **{name: county_b[model] for name, model in objects_of(case.path).items()}}
    _assert_refused(case, bearer_a, _b_names())


def test_the_mixed_paths_are_every_one_naming_two_objects() -> None:
    paths = {r.ok().path for r in mixed_schema.get_all_operations()}
    assert paths == set(MIXED_PATHS)
    assert {"/api/verification/plans/{plan_id}/picks/{pick_id}/finding",
            "/api/organization/orgs/{org_id}/members/{person_id}",
            "/api/resources/projects/{project_id}/beneficiaries/{household_id}"} <= paths


@mixed_schema.parametrize()
@settings(max_examples=3, derandomize=True, deadline=None, database=None, suppress_health_check=list(HealthCheck))
def test_no_operation_mixing_an_object_of_county_a_with_one_of_county_b_succeeds(
        case: Any, world: World, county_a: dict[Any, Any], county_b: dict[Any, Any],
        bearer_a: dict[str, str]) -> None:
    """A path naming two objects, one county A's own and the other county B's (each in turn): refused, as if the
    foreign one did not exist; the operation must not act on A's object under B's parent, nor on B's under A's."""
    objects = objects_of(case.path)
    names = _b_names()
    for foreign in objects:
        case.path_parameters = {**(case.path_parameters or {}),
                                **{name: (county_b if name == foreign else county_a)[model]
                                   for name, model in objects.items()}}
        _assert_refused(case, bearer_a, names)
