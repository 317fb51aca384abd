"""API of the orgs area: organisations and members, supervisory committees, social organisations,
e-commerce stations and their services. The same scope, rules and services as the pages."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.http import HttpRequest
from ninja import Field, Router, Schema
from ninja.responses import Status

from wuzaicun.core.api import Page, PageNumber, PageSize, paged
from wuzaicun.core.bounds import Id, Version, Year
from wuzaicun.core.params import region_param, year_param
from wuzaicun.responsibility.selectors import working_year

from ..models.orgs import (
    EcommerceStation,
    PartyOrganisation,
    ServiceRecord,
    SocialOrganisation,
    SupervisoryCommittee,
)
from ..rules.orgs import COMMITTEE_DUTIES
from ..selectors.orgs import (
    committee_duties,
    committee_members,
    committees_for,
    get_committee_for_user,
    get_organisation_for_user,
    get_social_org_for_user,
    get_station_for_user,
    members_of,
    organisation_tree,
    organisations_for,
    service_counts,
    services_for,
    social_orgs_for,
    stations_for,
    villages_without_committee,
)
from ..services.orgs import (
    add_members,
    create_committee,
    delete_committee,
    delete_organisation,
    delete_provider,
    delete_service,
    record_duties,
    record_service,
    remove_member,
    save_organisation,
    save_social_org,
    save_station,
    set_committee_members,
)

router = Router(tags=["党组织与社会组织"])


def _region(region: str) -> str:
    return region_param(region) or ""


# --- schemas ----------------------------------------------------------------------------------------------

class OrganisationOut(Schema):
    id: int
    name: str
    org_type: str
    org_type_label: str
    category: str
    category_label: str
    product: str
    parent_id: int | None
    parent_name: str | None
    region_code: str = Field(alias="region_id")
    region_name: str
    secretary_id: int | None
    secretary_name: str | None
    founded_on: dt.date | None
    version: int

    @staticmethod
    def resolve_org_type_label(obj: PartyOrganisation) -> str:
        return obj.get_org_type_display()

    @staticmethod
    def resolve_category_label(obj: PartyOrganisation) -> str:
        return obj.get_category_display()

    @staticmethod
    def resolve_parent_name(obj: PartyOrganisation) -> str | None:
        return obj.parent.name if obj.parent_id and obj.parent else None

    @staticmethod
    def resolve_region_name(obj: PartyOrganisation) -> str:
        return obj.region.name

    @staticmethod
    def resolve_secretary_name(obj: PartyOrganisation) -> str | None:
        return obj.secretary.name if obj.secretary_id and obj.secretary else None


class OrganisationIn(Schema):
    name: str = Field(min_length=1, max_length=100)
    org_type: str = Field(description="committee 党委 / general_branch 党总支 / branch 党支部")
    category: str = Field(description="village / industrial_park / migrant_workers / ecommerce / other")
    product: str = Field(default="", max_length=50)
    parent_id: Id | None = None
    region_code: str
    secretary_id: Id | None = None
    founded_on: dt.date | None = None


class OrganisationPatch(Schema):
    version: Version
    name: str | None = Field(default=None, min_length=1, max_length=100)
    org_type: str | None = None
    category: str | None = None
    product: str | None = Field(default=None, max_length=50)
    parent_id: Id | None = None
    region_code: str | None = None
    secretary_id: Id | None = None
    founded_on: dt.date | None = None


class MemberOut(Schema):
    person_id: int
    name: str
    resident_id: str
    political_status: str
    joined_on: dt.date | None

    @staticmethod
    def resolve_name(obj: Any) -> str:
        return str(obj.person.name)

    @staticmethod
    def resolve_resident_id(obj: Any) -> str:
        return str(obj.person.resident_id_masked)

    @staticmethod
    def resolve_political_status(obj: Any) -> str:
        return str(obj.person.political_status)


class TreeOut(Schema):
    organisation: OrganisationOut
    ancestors: list[OrganisationOut]
    children: list[OrganisationOut]
    members: list[MemberOut]


class MembersIn(Schema):
    person_ids: list[Id] = Field(min_length=1, max_length=500)
    joined_on: dt.date | None = None


class CommitteeOut(Schema):
    id: int
    village_code: str = Field(alias="village_id")
    village_name: str
    founded_on: dt.date | None
    member_count: int = 0
    duties_done: int = 0
    version: int

    @staticmethod
    def resolve_village_name(obj: SupervisoryCommittee) -> str:
        return obj.village.name


class CommitteeMemberIn(Schema):
    person_id: Id
    post: str = Field(default="member", description="chair 主任 / member 委员")


class CommitteeIn(Schema):
    village_code: str
    founded_on: dt.date | None = None
    members: list[CommitteeMemberIn] = Field(default_factory=list, max_length=20)


class CommitteeMembersIn(Schema):
    version: Version | None = None
    members: list[CommitteeMemberIn] = Field(max_length=20)


class DutyOut(Schema):
    duty: str
    done: bool


class CommitteeDetailOut(Schema):
    committee: CommitteeOut
    members: list[dict[str, Any]]
    year: int
    duties: list[DutyOut]


class DutiesIn(Schema):
    year: Year
    done: list[str] = Field(default_factory=list, max_length=len(COMMITTEE_DUTIES))


class VillageOut(Schema):
    code: str
    name: str
    township: str | None

    @staticmethod
    def resolve_township(obj: Any) -> str | None:
        return obj.parent.name if obj.parent else None


class SocialOrgOut(Schema):
    id: int
    name: str
    kind: str
    kind_label: str
    region_code: str = Field(alias="region_id")
    founded_on: dt.date | None
    version: int

    @staticmethod
    def resolve_kind_label(obj: SocialOrganisation) -> str:
        return obj.get_kind_display()


class SocialOrgIn(Schema):
    name: str = Field(min_length=1, max_length=100)
    kind: str = Field(description="cooperative / association / self_management / harmony / other")
    region_code: str
    founded_on: dt.date | None = None


class SocialOrgPatch(SocialOrgIn):
    version: Version


class StationOut(Schema):
    id: int
    name: str
    region_code: str = Field(alias="region_id")
    operator: str
    opened_on: dt.date | None
    version: int


class StationIn(Schema):
    name: str = Field(min_length=1, max_length=100)
    region_code: str
    operator: str = Field(default="", max_length=100)
    opened_on: dt.date | None = None


class StationPatch(StationIn):
    version: Version


class ServiceOut(Schema):
    id: int
    social_org_id: int | None
    station_id: int | None
    provider_name: str
    household_id: int
    household_head: str
    village_code: str
    kind: str
    kind_label: str
    served_on: dt.date
    note: str

    @staticmethod
    def resolve_provider_name(obj: ServiceRecord) -> str:
        provider = obj.social_org or obj.station
        return provider.name if provider else ""

    @staticmethod
    def resolve_household_head(obj: ServiceRecord) -> str:
        return obj.household.head_name

    @staticmethod
    def resolve_village_code(obj: ServiceRecord) -> str:
        return obj.household.region_id

    @staticmethod
    def resolve_kind_label(obj: ServiceRecord) -> str:
        return obj.get_kind_display()


class ServiceIn(Schema):
    social_org_id: Id | None = None
    station_id: Id | None = None
    household_id: Id
    kind: str = Field(description="training 培训 / market 市场对接 / skills 技能服务 / other 其他")
    served_on: dt.date
    note: str = Field(default="", max_length=300)


class ServiceCountsOut(Schema):
    year: int
    total: int
    households: int
    social_org_services: int
    station_services: int
    by_kind: dict[str, int]


# --- organisations ----------------------------------------------------------------------------------------

@router.get("/orgs", response=Page[OrganisationOut], summary="党组织列表")
def list_organisations(request: HttpRequest, q: str = "", category: str = "", org_type: str = "", region: str = "",
                       page: PageNumber = 1, page_size: PageSize = 20) -> dict[str, Any]:
    queryset = organisations_for(request.user, q=q, category=category, org_type=org_type,
                                 region=_region(region)).order_by("region_id", "name", "pk")
    return paged(queryset, page=page, page_size=page_size)


@router.get("/orgs/{org_id}", response=TreeOut, summary="党组织详情（上级、下级与党员）")
def get_organisation(request: HttpRequest, org_id: Id) -> dict[str, Any]:
    org = get_organisation_for_user(request.user, org_id)
    tree = organisation_tree(request.user, org)
    return {"organisation": org, "ancestors": [get_organisation_for_user(request.user, a.pk) for a in tree.ancestors],
            "children": tree.children, "members": tree.members}


@router.post("/orgs", response={201: OrganisationOut}, summary="新增党组织")
def create_organisation(request: HttpRequest, payload: OrganisationIn) -> Status[PartyOrganisation]:
    org = save_organisation(actor=request.user, **payload.dict())
    return Status(201, get_organisation_for_user(request.user, org.pk))


@router.patch("/orgs/{org_id}", response=OrganisationOut, summary="修改党组织（须带 version）")
def update_organisation(request: HttpRequest, org_id: Id, payload: OrganisationPatch) -> PartyOrganisation:
    current = get_organisation_for_user(request.user, org_id)
    changes = payload.dict(exclude_unset=True)
    version = changes.pop("version")
    values: dict[str, Any] = {
        "name": current.name, "org_type": current.org_type, "category": current.category, "product": current.product,
        "parent_id": current.parent_id, "region_code": current.region_id, "secretary_id": current.secretary_id,
        "founded_on": current.founded_on,
    } | {k: v for k, v in changes.items() if v is not None or k in ("parent_id", "secretary_id", "founded_on")}
    save_organisation(actor=request.user, org_id=org_id, expected_version=version, **values)
    return get_organisation_for_user(request.user, org_id)


@router.delete("/orgs/{org_id}", response={204: None}, summary="删除党组织（须无下级组织；党员的组织关系一并解除）")
def remove_organisation(request: HttpRequest, org_id: Id) -> Status[None]:
    delete_organisation(actor=request.user, org_id=org_id)
    return Status(204, None)


@router.get("/orgs/{org_id}/members", response=list[MemberOut], summary="党组织的党员")
def list_members(request: HttpRequest, org_id: Id) -> Any:
    return members_of(request.user, get_organisation_for_user(request.user, org_id))


@router.post("/orgs/{org_id}/members", response=dict[str, int], summary="加入党员（须为已登记的中共党员）")
def add_organisation_members(request: HttpRequest, org_id: Id, payload: MembersIn) -> dict[str, int]:
    added = add_members(actor=request.user, org_id=org_id, person_ids=payload.person_ids, joined_on=payload.joined_on)
    return {"added": added}


@router.delete("/orgs/{org_id}/members/{person_id}", response={204: None}, summary="移出党员")
def remove_organisation_member(request: HttpRequest, org_id: Id, person_id: Id) -> Status[None]:
    remove_member(actor=request.user, org_id=org_id, person_id=person_id)
    return Status(204, None)


# --- supervisory committees -------------------------------------------------------------------------------

@router.get("/committees", response=Page[CommitteeOut], summary="村务监督委员会列表（含当年履职项数）")
def list_committees(request: HttpRequest, year: str = "", region: str = "", q: str = "", page: PageNumber = 1,
                    page_size: PageSize = 20) -> dict[str, Any]:
    queryset = committees_for(request.user, year=year_param(year, default=working_year()), region=_region(region), q=q)
    return paged(queryset, page=page, page_size=page_size)


@router.get("/committees/missing", response=Page[VillageOut], summary="未建立村务监督委员会的村")
def list_villages_without_committee(request: HttpRequest, region: str = "", q: str = "", page: PageNumber = 1,
                                    page_size: PageSize = 20) -> dict[str, Any]:
    return paged(villages_without_committee(request.user, region=_region(region), q=q), page=page,
                 page_size=page_size)


def _committee_detail(request: HttpRequest, committee_id: int, year: int) -> dict[str, Any]:
    committee = committees_for(request.user, year=year).filter(pk=committee_id).first() or \
        get_committee_for_user(request.user, committee_id)
    members = [{"person_id": m.person_id, "name": m.person.name, "post": m.post, "post_label": m.get_post_display()}
               for m in committee_members(request.user, committee)]
    duties = committee_duties(request.user, committee, year)
    return {"committee": committee, "members": members, "year": year,
            "duties": [{"duty": d, "done": bool(duties.get(d) and duties[d].done)} for d in COMMITTEE_DUTIES]}


@router.get("/committees/{committee_id}", response=CommitteeDetailOut, summary="村务监督委员会详情（成员与履职）")
def get_committee(request: HttpRequest, committee_id: Id, year: str = "") -> dict[str, Any]:
    return _committee_detail(request, committee_id, year_param(year, default=working_year()))


@router.post("/committees", response={201: CommitteeDetailOut}, summary="新建村务监督委员会")
def add_committee(request: HttpRequest, payload: CommitteeIn) -> Status[dict[str, Any]]:
    committee = create_committee(actor=request.user, village_code=payload.village_code, founded_on=payload.founded_on,
                                 members=[(m.person_id, m.post) for m in payload.members])
    return Status(201, _committee_detail(request, committee.pk, working_year()))


@router.delete("/committees/{committee_id}", response={204: None}, summary="撤销村务监督委员会")
def remove_committee(request: HttpRequest, committee_id: Id) -> Status[None]:
    delete_committee(actor=request.user, committee_id=committee_id)
    return Status(204, None)


@router.put("/committees/{committee_id}/members", response=CommitteeDetailOut, summary="设置监委会成员")
def put_committee_members(request: HttpRequest, committee_id: Id, payload: CommitteeMembersIn) -> dict[str, Any]:
    set_committee_members(actor=request.user, committee_id=committee_id, expected_version=payload.version,
                          members=[(m.person_id, m.post) for m in payload.members])
    return _committee_detail(request, committee_id, working_year())


@router.put("/committees/{committee_id}/duties", response=CommitteeDetailOut, summary="登记年度履职清单")
def put_committee_duties(request: HttpRequest, committee_id: Id, payload: DutiesIn) -> dict[str, Any]:
    record_duties(actor=request.user, committee_id=committee_id, year=payload.year, done=payload.done)
    return _committee_detail(request, committee_id, payload.year)


# --- social organisations, stations, services -------------------------------------------------------------

@router.get("/social-orgs", response=Page[SocialOrgOut], summary="社会组织列表")
def list_social_orgs(request: HttpRequest, q: str = "", kind: str = "", region: str = "", page: PageNumber = 1,
                     page_size: PageSize = 20) -> dict[str, Any]:
    return paged(social_orgs_for(request.user, q=q, kind=kind, region=_region(region)), page=page,
                 page_size=page_size)


@router.post("/social-orgs", response={201: SocialOrgOut}, summary="新增社会组织")
def create_social_org(request: HttpRequest, payload: SocialOrgIn) -> Status[SocialOrganisation]:
    obj = save_social_org(actor=request.user, **payload.dict())
    return Status(201, get_social_org_for_user(request.user, obj.pk))


@router.put("/social-orgs/{social_org_id}", response=SocialOrgOut, summary="修改社会组织（须带 version）")
def update_social_org(request: HttpRequest, social_org_id: Id, payload: SocialOrgPatch) -> SocialOrganisation:
    data = payload.dict()
    version = data.pop("version")
    save_social_org(actor=request.user, social_org_id=social_org_id, expected_version=version, **data)
    return get_social_org_for_user(request.user, social_org_id)


@router.get("/stations", response=Page[StationOut], summary="电商服务站点列表")
def list_stations(request: HttpRequest, q: str = "", region: str = "", page: PageNumber = 1,
                  page_size: PageSize = 20) -> dict[str, Any]:
    return paged(stations_for(request.user, q=q, region=_region(region)), page=page, page_size=page_size)


@router.post("/stations", response={201: StationOut}, summary="新增电商服务站点")
def create_station(request: HttpRequest, payload: StationIn) -> Status[EcommerceStation]:
    obj = save_station(actor=request.user, **payload.dict())
    return Status(201, get_station_for_user(request.user, obj.pk))


@router.put("/stations/{station_id}", response=StationOut, summary="修改电商服务站点（须带 version）")
def update_station(request: HttpRequest, station_id: Id, payload: StationPatch) -> EcommerceStation:
    data = payload.dict()
    version = data.pop("version")
    save_station(actor=request.user, station_id=station_id, expected_version=version, **data)
    return get_station_for_user(request.user, station_id)


@router.get("/services", response=Page[ServiceOut], summary="服务贫困户记录")
def list_services(request: HttpRequest, year: str = "", region: str = "", kind: str = "",
                  social_org_id: Id | None = None, station_id: Id | None = None, page: PageNumber = 1,
                  page_size: PageSize = 20) -> dict[str, Any]:
    queryset = services_for(request.user, year=year_param(year, default=working_year()), region=_region(region),
                            kind=kind, social_org=social_org_id, station=station_id)
    return paged(queryset, page=page, page_size=page_size)


@router.get("/services/counts", response=ServiceCountsOut, summary="年度服务统计（按类型、服务主体、服务户数）")
def get_service_counts(request: HttpRequest, year: str = "", region: str = "") -> dict[str, Any]:
    counts = service_counts(request.user, year=year_param(year, default=working_year()), region=_region(region))
    return {"year": counts.year, "total": counts.total, "households": counts.households,
            "social_org_services": counts.social_org_services, "station_services": counts.station_services,
            "by_kind": counts.by_kind}


@router.post("/services", response={201: ServiceOut}, summary="登记服务贫困户记录")
def create_service(request: HttpRequest, payload: ServiceIn) -> Status[ServiceRecord]:
    service = record_service(actor=request.user, **payload.dict())
    return Status(201, services_for(request.user).get(pk=service.pk))


@router.delete("/social-orgs/{social_org_id}", response={204: None}, summary="删除社会组织（连同其服务记录）")
def remove_social_org(request: HttpRequest, social_org_id: Id) -> Status[None]:
    delete_provider(actor=request.user, kind="social_org", provider_id=social_org_id)
    return Status(204, None)


@router.delete("/stations/{station_id}", response={204: None}, summary="删除电商服务站点（连同其服务记录）")
def remove_station(request: HttpRequest, station_id: Id) -> Status[None]:
    delete_provider(actor=request.user, kind="station", provider_id=station_id)
    return Status(204, None)


@router.delete("/services/{service_id}", response={204: None}, summary="删除服务记录")
def remove_service(request: HttpRequest, service_id: Id) -> Status[None]:
    delete_service(actor=request.user, service_id=service_id)
    return Status(204, None)
