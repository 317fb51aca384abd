"""The orgs area's templates for the one tabular engine: `organizations` (import and export) and the
export-only sheets of committees, villages without one, social organisations, stations and services.

`organizations` updates an organisation already registered in scope under the same (区划代码, 组织名称)
(D6's spirit: export → edit → re-import); 上级组织 names a parent found earlier in the same file or
registered in scope; 书记身份证号 must be a registered party member (named when refused).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from typing import Any

from django.db.models import F, Q

from wuzaicun.accounts.scope import scoped
from wuzaicun.core.text import ParseError, parse_date
from wuzaicun.regions.codes import level_of, prefix_of
from wuzaicun.regions.models import Region
from wuzaicun.registry.fields import open_resident_id, resident_id_hash
from wuzaicun.registry.models import Person
from wuzaicun.registry.rules import masked_id_error, normalise_resident_id
from wuzaicun.tabular.registry import register
from wuzaicun.tabular.spec import (
    Column,
    ExportContext,
    ExportOnlySink,
    ImportContext,
    RowErrors,
    RowIssue,
    Template,
    bounded_text,
    choice,
    text,
)

from ..models.orgs import OrgCategory, OrgType, PartyOrganisation, ServiceKind, SocialOrgKind
from ..rules.orgs import (
    CATEGORY_BY_LABEL,
    COMMITTEE_DUTIES,
    TYPE_BY_LABEL,
    category_problem,
    cycle_problem,
    parent_problem,
    party_member_problem,
)

ORGANIZATIONS_HEADERS = ("组织名称", "组织类型", "类别", "上级组织", "区划代码", "书记身份证号", "成立日期")
_TYPE_RANK: dict[str, int] = {"committee": 0, "general_branch": 1, "branch": 2}


def _resident_id(raw: Any) -> str:
    number = normalise_resident_id(text(raw))
    if error := masked_id_error(number):
        raise ParseError(error)
    return number


def _date(raw: Any) -> dt.date:
    return parse_date(raw)


@dataclass
class _OrgRow:
    line: int
    name: str
    org_type: str
    category: str
    product: str
    parent_name: str
    region: str
    secretary_hash: str
    founded_on: dt.date | None
    # filled by flush (re-done by write): the stored ids
    existing_id: int | None = None
    parent_id: int | None = None
    secretary_id: int | None = None
    parent_key: tuple[str, str] | None = None  # the parent's (region, name) when it is a row of the file


class OrganisationSink:
    """Checks and writes organisation rows; parents are resolved by name in the file, then in scope."""

    checks_partial_rows = False

    def __init__(self, ctx: ImportContext) -> None:
        self.ctx = ctx
        self.regions = frozenset(scoped(Region, ctx.actor).values_list("code", flat=True))
        self.in_file: dict[tuple[str, str], tuple[int, str]] = {}  # (region, name) → (line, org type)
        self.names_in_file: dict[str, list[tuple[int, str, str]]] = {}  # name → [(line, region, org type)]
        self.written: dict[tuple[str, str], int] = {}
        self.inserted = 0
        self.updated = 0

    def check(self, row: dict[str, Any], line: int) -> _OrgRow:
        problems: list[tuple[str, str]] = []
        region = row["region_code"]
        if region not in self.regions:
            problems.append(("区划代码", f"“{region}”不存在或不在您的管辖范围内"))
        org_type, category = TYPE_BY_LABEL[row["org_type"]], CATEGORY_BY_LABEL[row["category"]]
        product = row.get("product") or ""
        if problem := category_problem(category=category, org_type=org_type, product=product):
            problems.append(("组织类型" if "组织类型" in problem else "类别", problem))
        key = (region, row["name"])
        if (first := self.in_file.get(key)) is not None:
            problems.append(("组织名称", f"与第{first[0]}行的组织重复（同一区划下组织名称不能重复）"))
        parent_name = row.get("parent") or ""
        if parent_name == row["name"]:
            problems.append(("上级组织", "上级组织不能是本组织"))
        if problems:
            raise RowErrors(problems)
        self.in_file[key] = (line, org_type)
        self.names_in_file.setdefault(row["name"], []).append((line, region, org_type))
        secretary = row.get("secretary") or ""
        return _OrgRow(line, row["name"], org_type, category, product, parent_name, region,
                       resident_id_hash(secretary) if secretary else "", row.get("founded_on"))

    def _resolve(self, batch: list[tuple[int, _OrgRow]]) -> list[RowIssue]:
        """The stored ids a batch refers to (existing organisation, parent, secretary) and the issues."""
        rows = [r for _, r in batch]
        visible = scoped(PartyOrganisation, self.ctx.actor)
        keys = Q()
        for r in rows:
            keys |= Q(region_id=r.region, name=r.name)
        existing = {(region, name): (pk, parent) for pk, region, name, parent in
                    visible.filter(keys).values_list("pk", "region_id", "name", "parent_id")}
        parent_names = {r.parent_name for r in rows if r.parent_name}
        stored_parents: dict[str, list[tuple[int, str, str]]] = {}
        for pk, name, region, org_type in visible.filter(name__in=parent_names).values_list(
                "pk", "name", "region_id", "org_type"):
            stored_parents.setdefault(name, []).append((pk, region, org_type))
        digests = {r.secretary_hash for r in rows if r.secretary_hash}
        people = {digest: (pk, name, status) for pk, digest, name, status in scoped(Person, self.ctx.actor).filter(
            resident_id_hash__in=digests).values_list("pk", "resident_id_hash", "name", "political_status")}
        tree: dict[int, int | None] | None = None
        issues: list[RowIssue] = []
        for r in rows:
            found = existing.get((r.region, r.name))
            r.existing_id = found[0] if found else None
            if r.secretary_hash:
                person = people.get(r.secretary_hash)
                if person is None:
                    issues.append(RowIssue(r.line, "书记身份证号", "该身份证号未登记为人员，或不在您的管辖范围内，请先登记人员"))
                elif problem := party_member_problem(person[1], person[2]):
                    issues.append(RowIssue(r.line, "书记身份证号", f"书记{problem}"))
                else:
                    r.secretary_id = person[0]
            r.parent_id, r.parent_key = None, None
            if not r.parent_name:
                continue
            parent_type, problem = self._parent(r, stored_parents.get(r.parent_name, []))
            if problem:
                issues.append(RowIssue(r.line, "上级组织", problem))
                continue
            if problem := parent_problem(org_type=r.org_type, parent_type=parent_type):
                issues.append(RowIssue(r.line, "上级组织", problem))
            elif r.existing_id is not None and r.parent_id is not None:
                if tree is None:
                    tree = dict(visible.values_list("pk", "parent_id"))
                if problem := cycle_problem(r.existing_id, r.parent_id, tree):
                    issues.append(RowIssue(r.line, "上级组织", problem))
        return issues

    def _parent(self, r: _OrgRow, stored: list[tuple[int, str, str]]) -> tuple[str | None, str | None]:
        """The parent's org type, or a problem; sets r.parent_id (stored) or r.parent_key (a row above).
        Candidates are rows above this one and stored organisations, in this row's region or above it;
        the closest region wins."""
        here = {(region, t) for line, region, t in self.names_in_file.get(r.parent_name, [])
                if line < r.line and r.region.startswith(prefix_of(region))}
        above = {region for region, _ in here}
        there = [(pk, region, t) for pk, region, t in stored
                 if r.region.startswith(prefix_of(region)) and region not in above]
        candidates = [(level_of(region), region, t, None) for region, t in here] + \
                     [(level_of(region), region, t, pk) for pk, region, t in there]
        if not candidates:
            return None, (f"上级组织“{r.parent_name}”不存在：须为本文件中排在本行之前的组织，或在本组织所属区划"
                          "及其上级区划已登记的党组织")
        deepest = max(c[0] for c in candidates)
        closest = [c for c in candidates if c[0] == deepest]
        if len(closest) > 1:
            return None, f"上级组织“{r.parent_name}”不唯一，请核对名称"
        _, region, org_type, pk = closest[0]
        r.parent_id = pk
        r.parent_key = (region, r.parent_name) if pk is None else None
        return org_type, None

    def flush(self, batch: list[tuple[int, _OrgRow]]) -> list[RowIssue]:
        return self._resolve(batch)

    def write(self, batch: list[tuple[int, _OrgRow]]) -> list[RowIssue]:
        issues = self._resolve(batch)  # again, under the lock
        if issues:
            return issues
        fresh: list[tuple[_OrgRow, PartyOrganisation]] = []
        for _, r in batch:
            parent_id = r.parent_id
            if r.parent_name and parent_id is None:
                assert r.parent_key is not None
                parent_id = self.written[r.parent_key]
            values = {"name": r.name, "org_type": r.org_type, "category": r.category, "product": r.product,
                      "region_id": r.region, "parent_id": parent_id, "secretary_id": r.secretary_id,
                      "founded_on": r.founded_on}
            if r.existing_id is None:
                org = PartyOrganisation(**values)
                fresh.append((r, org))
            else:
                scoped(PartyOrganisation, self.ctx.actor).filter(pk=r.existing_id).update(
                    **values, version=F("version") + 1)
                self.written[(r.region, r.name)] = r.existing_id
                self.updated += 1
            if r.existing_id is None:  # saved in order so that a later row of the batch can name it
                org.save()
                self.written[(r.region, r.name)] = org.pk
                self.inserted += 1
        return []

    def summary(self) -> str:
        return f"（新增 {self.inserted}，更新 {self.updated}）"


def _label_or_value(raw: str, choices: Sequence[tuple[str, str]]) -> str:
    for value, label in choices:
        if raw in (value, label):
            return value
    return ""


def _export_organisations(ctx: ExportContext) -> Iterator[Sequence[Any]]:
    """Parents before children (by region level, then 党委, 党总支, 党支部), so the file imports back."""
    from ..selectors.orgs import organisations_for

    queryset = organisations_for(
        ctx.actor, q=ctx.filters.get("q", ""), region=ctx.region_code or "",
        category=_label_or_value(ctx.filters.get("category", ""), OrgCategory.choices),
        org_type=_label_or_value(ctx.filters.get("org_type", ""), OrgType.choices))
    rows = list(queryset.values_list("name", "org_type", "category", "parent__name", "region_id",
                                     "secretary__resident_id_sealed", "secretary__resident_id_masked",
                                     "founded_on", "product"))
    rows.sort(key=lambda r: (level_of(r[4]), _TYPE_RANK[r[1]], r[4], r[0]))
    types, categories = dict(OrgType.choices), dict(OrgCategory.choices)
    for name, org_type, category, parent, region, sealed, masked, founded, product in rows:
        secretary = (open_resident_id(sealed) if ctx.full_ids else masked) if sealed else ""
        yield (name, types[org_type], categories[category], parent or "", region, secretary, founded, product)


ORGANIZATIONS = register(Template(
    kind="organizations",
    title="党组织",
    object_type="party_organisation",
    columns=(
        Column("组织名称", "name", bounded_text(100), width=30),
        Column("组织类型", "org_type", choice(OrgType.labels), choices=tuple(OrgType.labels)),
        Column("类别", "category", choice(OrgCategory.labels), choices=tuple(OrgCategory.labels), width=18),
        Column("上级组织", "parent", bounded_text(100), required=False, note="上级组织的名称", width=30),
        Column("区划代码", "region_code", note="12位统计用区划代码", width=16),
        Column("书记身份证号", "secretary", _resident_id, required=False, note="须为已登记的中共党员", width=22),
        Column("成立日期", "founded_on", _date, required=False),
        Column("特色产品", "product", bounded_text(50), required=False, note="电商特色党支部填写"),
    ),
    sink=OrganisationSink,
    export_rows=_export_organisations,
    import_perm="edit_organization",
    carries_ids=True,
    filters=(("q", "组织名称"), ("category", "类别"), ("org_type", "组织类型")),
))


# --- export-only sheets -----------------------------------------------------------------------------------

def _year(ctx: ExportContext) -> int:
    from wuzaicun.responsibility.selectors import working_year

    return ctx.year or working_year()


def _export_committees(ctx: ExportContext) -> Iterator[Sequence[Any]]:
    from ..selectors.orgs import committees_for

    year = _year(ctx)
    committees = committees_for(ctx.actor, year=year, region=ctx.region_code or "", q=ctx.filters.get("q", ""))
    members: dict[int, list[tuple[str, str]]] = {}
    done: dict[int, set[str]] = {}
    from ..models.orgs import CommitteeDuty, CommitteeMember

    ids = list(committees.values_list("pk", flat=True))
    for committee, name, post in scoped(CommitteeMember, ctx.actor).filter(committee_id__in=ids).values_list(
            "committee_id", "person__name", "post").order_by("committee_id", "post", "person__name"):
        members.setdefault(committee, []).append((name, post))
    for committee, duty in scoped(CommitteeDuty, ctx.actor).filter(committee_id__in=ids, year=year,
                                                                  done=True).values_list("committee_id", "duty"):
        done.setdefault(committee, set()).add(duty)
    for c in committees:
        people = members.get(c.pk, [])
        ticked = done.get(c.pk, set())
        yield (c.village_id, c.village.name, c.village.parent.name if c.village.parent else "", len(people),
               "、".join(n for n, p in people if p == "chair"), "、".join(n for n, p in people if p != "chair"),
               year, len(ticked), "、".join(d for d in COMMITTEE_DUTIES if d not in ticked), c.founded_on)


register(Template(
    kind="supervisory_committees", title="村务监督委员会", object_type="supervisory_committee",
    columns=(
        Column("区划代码", "village", width=16), Column("村", "village_name", width=16),
        Column("乡（镇、街道）", "township", width=16), Column("成员数", "members"), Column("主任", "chair"),
        Column("委员", "others", width=30), Column("年度", "year"), Column("已履行职责数", "done"),
        Column("未履行的职责", "missing", width=40), Column("成立日期", "founded_on"),
    ),
    sink=ExportOnlySink, export_rows=_export_committees, needs_year=True, import_perm="edit_organization",
    importable=False, filters=(("q", "村名"),),
))


def _export_villages_without(ctx: ExportContext) -> Iterator[Sequence[Any]]:
    from ..selectors.orgs import villages_without_committee

    villages = villages_without_committee(ctx.actor, region=ctx.region_code or "", q=ctx.filters.get("q", ""))
    for v in villages.select_related("parent__parent").iterator(chunk_size=2000):
        township = v.parent
        county = township.parent if township else None
        yield (v.code, v.name, township.name if township else "", county.name if county else "")


register(Template(
    kind="villages_without_committee", title="未建立村务监督委员会的村", object_type="region",
    columns=(Column("区划代码", "code", width=16), Column("村", "name", width=16),
             Column("乡（镇、街道）", "township", width=16), Column("县（市、区）", "county", width=16)),
    sink=ExportOnlySink, export_rows=_export_villages_without, import_perm="edit_organization", importable=False,
    filters=(("q", "村名"),),
))


def _export_social(ctx: ExportContext) -> Iterator[Sequence[Any]]:
    from ..selectors.orgs import social_orgs_for

    year = _year(ctx)
    kind = _label_or_value(ctx.filters.get("kind", ""), SocialOrgKind.choices)
    labels = dict(SocialOrgKind.choices)
    rows = social_orgs_for(ctx.actor, q=ctx.filters.get("q", ""), kind=kind, region=ctx.region_code or "",
                           year=year).values_list("name", "kind", "region_id", "region__name", "founded_on",
                                                  "service_count", "household_count")  # type: ignore[misc]
    for name, kind_, region, region_name, founded, services, households in rows:
        yield (name, labels[kind_], region, region_name, founded, year, services, households)


register(Template(
    kind="social_organisations", title="社会组织", object_type="social_organisation",
    columns=(Column("名称", "name", width=30), Column("类型", "kind", width=18), Column("区划代码", "region", width=16),
             Column("所属区划", "region_name", width=16), Column("成立日期", "founded_on"), Column("年度", "year"),
             Column("服务次数", "services"), Column("服务贫困户数", "households")),
    sink=ExportOnlySink, export_rows=_export_social, needs_year=True, import_perm="edit_organization",
    importable=False, filters=(("q", "名称"), ("kind", "类型")),
))


def _export_stations(ctx: ExportContext) -> Iterator[Sequence[Any]]:
    from ..selectors.orgs import stations_for

    year = _year(ctx)
    rows = stations_for(ctx.actor, q=ctx.filters.get("q", ""), region=ctx.region_code or "", year=year).values_list(
        "name", "region_id", "region__name", "operator", "opened_on", "service_count",  # type: ignore[misc]
        "household_count")
    for name, region, region_name, operator, opened, services, households in rows:
        yield (name, region, region_name, operator, opened, year, services, households)


register(Template(
    kind="ecommerce_stations", title="电商服务站点", object_type="ecommerce_station",
    columns=(Column("站点名称", "name", width=30), Column("区划代码", "region", width=16),
             Column("所属区划", "region_name", width=16), Column("运营主体", "operator", width=24),
             Column("开办日期", "opened_on"), Column("年度", "year"), Column("服务次数", "services"),
             Column("服务贫困户数", "households")),
    sink=ExportOnlySink, export_rows=_export_stations, needs_year=True, import_perm="edit_organization",
    importable=False, filters=(("q", "名称"),),
))


def _export_services(ctx: ExportContext) -> Iterator[Sequence[Any]]:
    from ..selectors.orgs import services_for

    kind = _label_or_value(ctx.filters.get("kind", ""), ServiceKind.choices)
    labels = dict(ServiceKind.choices)
    records = services_for(ctx.actor, year=_year(ctx), region=ctx.region_code or "", kind=kind)
    for s in records.iterator(chunk_size=2000):
        provider = s.social_org or s.station
        household = s.household
        number = open_resident_id(household.resident_id_sealed) if ctx.full_ids else household.resident_id_masked
        yield (s.served_on, "社会组织" if s.social_org_id else "电商服务站点", provider.name if provider else "",
               household.head_name, number, household.region_id, household.region.name, labels[s.kind], s.note)


register(Template(
    kind="org_services", title="社会组织与电商站点服务记录", object_type="service_record",
    columns=(Column("服务日期", "served_on"), Column("服务主体类型", "provider_kind", width=14),
             Column("服务主体", "provider", width=30), Column("户主姓名", "head"),
             Column("户主身份证号", "resident_id", width=22), Column("区划代码", "region", width=16),
             Column("村", "village", width=16), Column("服务类型", "kind"), Column("服务内容", "note", width=40)),
    sink=ExportOnlySink, export_rows=_export_services, needs_year=True, import_perm="edit_organization",
    importable=False, carries_ids=True, filters=(("kind", "服务类型"),),
))

__all__ = ["ORGANIZATIONS", "ORGANIZATIONS_HEADERS", "OrganisationSink"]
