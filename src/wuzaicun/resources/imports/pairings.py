"""Templates of 结对帮扶 and 企业帮扶 (docs/resources-pairings.md, Templates).

`pairings`: one row a pairing in a year, with an optional support. 结对类型 支部结对 names the 结对党组织 (by name,
among the importer's scope) and the village (区划代码; its village party organisation, or the one named in 村党组织
when it has several); 干群结亲 names the cadre (干部身份证号 + 干部姓名, registered people) and the household
(结亲户户主身份证号, of that village). A pairing active in 年度 is found, else one is made from 年度 on. With 帮扶类型,
帮扶内容 and 折合金额（元） the row adds that support in 年度, unless the same support is there already — so an
export re-imports without doubling anything.

`enterprise_help`: one row an enterprise's help to a village in a year, upserted by enterprise × village × year;
the enterprise is found by its credit code (GB 32100) and made when new (企业名称 and 注册地区划代码 then
describe it; for a known code the name must be the registered one).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterator, Sequence
from decimal import Decimal
from typing import Any

from django.db.models import Q

from wuzaicun.accounts.scope import narrowed, scoped
from wuzaicun.core.text import ParseError
from wuzaicun.organization.models import PartyOrganisation
from wuzaicun.regions.models import Level, Region
from wuzaicun.registry.fields import open_resident_id, resident_id_hash
from wuzaicun.registry.models import Household, Person
from wuzaicun.registry.rules import masked_id_error, normalise_resident_id, resident_id_error
from wuzaicun.tabular.bulk import insert_rows
from wuzaicun.tabular.registry import register
from wuzaicun.tabular.spec import (
    Column,
    ExportContext,
    ImportContext,
    RowErrors,
    RowIssue,
    Template,
    bounded_text,
    choice,
    money,
    text,
    year,
)

from ..models.pairings import (
    BranchPairing,
    Enterprise,
    EnterpriseHelp,
    KinPairing,
    PairingSupport,
    SupportKind,
)
from ..rules.pairings import credit_code_issue, help_problems, support_problems

BRANCH, KIN = "支部结对", "干群结亲"
KIND_BY_LABEL = {label: value for value, label in SupportKind.choices}


def _resident_id(raw: Any) -> str:
    number = normalise_resident_id(text(raw))
    if error := masked_id_error(number) or resident_id_error(number):
        raise ParseError(error)
    return number


def _code(raw: Any) -> str:
    value = text(raw)
    if len(value) != 12 or not value.isdigit():
        raise ParseError(f"“{value}”不是12位区划代码")
    return value


def _credit(raw: Any) -> str:
    value = text(raw).upper()
    if issue := credit_code_issue(value):
        raise ParseError(issue)
    return value


def _active(year_: int) -> Q:
    return Q(since__lte=year_) & (Q(until__isnull=True) | Q(until__gte=year_))


class PairingSink:
    """Rows of both kinds; look-ups by batch (organisations by name, people and households by blind index)."""

    checks_partial_rows = True

    def __init__(self, ctx: ImportContext) -> None:
        self.ctx = ctx
        villages = narrowed(scoped(Region, ctx.actor), ctx.region_code).filter(level=Level.VILLAGE)
        self.villages = dict(villages.values_list("code", "name"))
        self.seen: dict[tuple[Any, ...], int] = {}
        self.pairings = 0
        self.supports = 0
        self.skipped = 0

    def check(self, row: dict[str, Any], line: int) -> dict[str, Any]:
        problems: list[tuple[str, str]] = []
        kind = row["kind"]
        if row["village"] is not None and row["village"] not in self.villages:
            problems.append(("村区划代码", f"“{row['village']}”不是村级区划代码，或不在您的管辖范围内"))
        if kind == BRANCH and row.get("helper") is None:
            problems.append(("结对党组织", "支部结对须填写结对党组织"))
        if kind == KIN:
            for key, header in (("person", "干部身份证号"), ("person_name", "干部姓名"),
                                ("household", "结亲户户主身份证号")):
                if row.get(key) is None:  # blank (a value that did not parse has its own message first)
                    problems.append((header, f"干群结亲须填写{header}"))
        has_support = any(row.get(k) for k in ("support_kind", "description")) or row.get("amount") is not None
        if has_support:
            support_kind = KIND_BY_LABEL.get(row.get("support_kind") or "", row.get("support_kind") or "")
            found = support_problems(kind=support_kind, description=row.get("description") or "",
                                     amount=row.get("amount") if row.get("amount") is not None else Decimal(0),
                                     year=row["year"] or 2016, since=row["year"] or 2016, until=None, pairing="")
            problems += [("折合金额" if field == "折合金额（元）" else field, message) for field, message in found
                         if field != "年度"]
        if problems:
            raise RowErrors(problems)
        row["has_support"] = has_support
        seen_key: tuple[Any, ...] = (kind, row["year"], row.get("helper"), row.get("helped_org"), row.get("person"), row.get("household"),
               row["village"], row.get("support_kind"), row.get("description"), row.get("amount"))
        if (first := self.seen.get(seen_key)) is not None:
            raise RowErrors([("结对类型", f"与第{first}行重复")])
        self.seen[seen_key] = line
        return row

    def _lookups(self, batch: list[tuple[int, dict[str, Any]]]) -> dict[str, Any]:
        rows = [r for _, r in batch]
        actor = self.ctx.actor
        branch = [r for r in rows if r["kind"] == BRANCH]
        kin = [r for r in rows if r["kind"] == KIN]
        helpers: dict[str, list[int]] = defaultdict(list)
        for pk, name in (scoped(PartyOrganisation, actor).filter(name__in={r["helper"] for r in branch})
                         .exclude(category="village").values_list("pk", "name")):
            helpers[name].append(pk)
        village_orgs: dict[str, list[tuple[int, str]]] = defaultdict(list)
        for pk, region, name in (scoped(PartyOrganisation, actor).filter(
                region_id__in={r["village"] for r in branch}, category="village").values_list("pk", "region_id", "name")):
            village_orgs[region].append((pk, name))
        people = {digest: (pk, name) for pk, digest, name in scoped(Person, actor).filter(
            resident_id_hash__in={resident_id_hash(r["person"]) for r in kin}).values_list(
            "pk", "resident_id_hash", "name")}
        households = {digest: (pk, region, name) for pk, digest, region, name in scoped(Household, actor).filter(
            resident_id_hash__in={resident_id_hash(r["household"]) for r in kin}).values_list(
            "pk", "resident_id_hash", "region_id", "head_name")}
        return {"helpers": helpers, "village_orgs": village_orgs, "people": people, "households": households}

    def _resolve(self, batch: list[tuple[int, dict[str, Any]]], found: dict[str, Any]) -> list[RowIssue]:
        issues: list[RowIssue] = []
        for line, r in batch:
            r["left"], r["right"] = None, None
            if r["kind"] == BRANCH:
                helpers = found["helpers"].get(r["helper"], [])
                if len(helpers) != 1:
                    reason = "不存在或不在您的管辖范围内" if not helpers else f"有{len(helpers)}个同名，请在系统中核对"
                    issues.append(RowIssue(line, "结对党组织", f"党组织“{r['helper']}”{reason}"))
                else:
                    r["left"] = helpers[0]
                orgs = found["village_orgs"].get(r["village"], [])
                if r.get("helped_org"):
                    orgs = [o for o in orgs if o[1] == r["helped_org"]]
                village = self.villages.get(r["village"], r["village"])
                if len(orgs) != 1:
                    what = f"没有名为“{r['helped_org']}”的村党组织" if r.get("helped_org") else (
                        "尚无村党组织" if not orgs else "有多个村党组织，请填写村党组织名称")
                    issues.append(RowIssue(line, "村党组织", f"{village}{what}"))
                else:
                    r["right"] = orgs[0][0]
            else:
                person = found["people"].get(resident_id_hash(r["person"]))
                if person is None:
                    issues.append(RowIssue(line, "干部身份证号", "该身份证号未登记为人员，或不在您的管辖范围内"))
                elif person[1] != r["person_name"]:
                    issues.append(RowIssue(line, "干部姓名", f"姓名“{r['person_name']}”与该身份证号登记的姓名"
                                                          f"“{person[1]}”不一致"))
                else:
                    r["left"] = person[0]
                household = found["households"].get(resident_id_hash(r["household"]))
                if household is None:
                    issues.append(RowIssue(line, "结亲户户主身份证号", "该身份证号未登记为农户户主，或不在您的管辖范围内"))
                elif household[1] != r["village"]:
                    issues.append(RowIssue(line, "结亲户户主身份证号", f"{household[2]}户不是"
                                           f"{self.villages.get(r['village'], r['village'])}的农户"))
                else:
                    r["right"] = household[0]
        return issues

    def _later(self, batch: list[tuple[int, dict[str, Any]]]) -> list[RowIssue]:
        """A row that would start a pairing in 年度 while the same two already have one starting later (the new one,
        open-ended, would overlap it: R2) is refused naming the later year."""
        issues: list[RowIssue] = []
        for kind, model, left, right, column in ((BRANCH, BranchPairing, "helper_id", "helped_id", "村党组织"),
                                                 (KIN, KinPairing, "person_id", "household_id", "结亲户户主身份证号")):
            rows = [(line, r) for line, r in batch if r["kind"] == kind and r["left"] and r["right"]]
            if not rows:
                continue
            spans: dict[tuple[int, int], list[tuple[int, int | None]]] = defaultdict(list)
            for a, b, since, until in model.objects_unscoped.filter(
                    **{f"{left}__in": {r["left"] for _, r in rows}, f"{right}__in": {r["right"] for _, r in rows}}
            ).values_list(left, right, "since", "until"):
                spans[(a, b)].append((since, until))
            for line, r in rows:
                mine = spans.get((r["left"], r["right"]), [])
                if any(since <= r["year"] and (until is None or until >= r["year"]) for since, until in mine):
                    continue
                if later := sorted(since for since, _ in mine if since > r["year"]):
                    issues.append(RowIssue(line, column, f"这两方已于{later[0]}年起结对，{r['year']}年不能再新建结对"
                                           "（同一年度不能重复结对），请改填年度或先调整已有结对"))
        return issues

    def flush(self, batch: list[tuple[int, Any]]) -> list[RowIssue]:
        return self._resolve(batch, self._lookups(batch)) or self._later(batch)

    def write(self, batch: list[tuple[int, Any]]) -> list[RowIssue]:
        issues = self._resolve(batch, self._lookups(batch)) or self._later(batch)
        if issues:
            return issues
        for kind, model, left, right in ((BRANCH, BranchPairing, "helper_id", "helped_id"),
                                         (KIN, KinPairing, "person_id", "household_id")):
            rows = [r for _, r in batch if r["kind"] == kind]
            if not rows:
                continue
            ids = self._pairings(model, left, right, rows)
            self._supports(kind, rows, ids)
        return []

    def _pairings(self, model: Any, left: str, right: str, rows: list[dict[str, Any]]) -> dict[tuple[int, int, int], int]:
        """(left, right, year) → the pairing active in that year, made from that year on when none is."""
        def existing() -> dict[tuple[int, int, int], int]:
            out: dict[tuple[int, int, int], int] = {}
            pairs = model.objects_unscoped.filter(**{f"{left}__in": {r["left"] for r in rows},
                                                     f"{right}__in": {r["right"] for r in rows}})
            spans = list(pairs.values_list("pk", left, right, "since", "until"))
            for r in rows:
                for pk, a, b, since, until in spans:
                    if (a, b) == (r["left"], r["right"]) and since <= r["year"] and (until is None or until >= r["year"]):
                        out[(a, b, r["year"])] = pk
            return out

        ids = existing()
        # a pair once: the earliest year of the file starts it, later rows of the same pair find it
        first: dict[tuple[int, int], int] = {}
        for a, b, y in ((r["left"], r["right"], r["year"]) for r in rows):
            if (a, b, y) not in ids:
                first[(a, b)] = min(y, first.get((a, b), y))
        if model is KinPairing:
            # each household's village as it stands now, held until commit: a move cannot pass the new pairings
            # by (D46; later moves are the trigger's, resources/triggers.py)
            village = dict(Household.objects_unscoped.select_for_update().filter(pk__in={b for _, b in first})
                           .values_list("pk", "region_id"))
            insert_rows(model._meta.db_table, (left, right, "village_id", "since"),
                        [(a, b, village[b], y) for (a, b), y in first.items()])
        else:
            insert_rows(model._meta.db_table, (left, right, "since"), [(a, b, y) for (a, b), y in first.items()])
        self.pairings += len(first)
        return existing()

    def _supports(self, kind: str, rows: list[dict[str, Any]], ids: dict[tuple[int, int, int], int]) -> None:
        column = "branch_pairing_id" if kind == BRANCH else "kin_pairing_id"
        wanted = [(ids[(r["left"], r["right"], r["year"])], r) for r in rows if r["has_support"]]
        if not wanted:
            return
        present = set(PairingSupport.objects_unscoped.filter(**{f"{column}__in": {pk for pk, _ in wanted}})
                      .values_list(column, "year", "kind", "description", "amount"))
        new = []
        for pk, r in wanted:
            key = (pk, r["year"], KIND_BY_LABEL[r["support_kind"]], r["description"], r["amount"] or Decimal(0))
            if key in present:
                self.skipped += 1
                continue
            present.add(key)
            new.append((pk if kind == BRANCH else None, pk if kind == KIN else None, r["village"], *key[1:]))
        insert_rows(PairingSupport._meta.db_table,
                    ("branch_pairing_id", "kin_pairing_id", "village_id", "year", "kind", "description", "amount"), new)
        self.supports += len(new)

    def summary(self) -> str:
        return f"（新增结对 {self.pairings} 对、帮扶 {self.supports} 条，已登记跳过 {self.skipped} 条）"


def _export_pairings(ctx: ExportContext) -> Iterator[Sequence[Any]]:
    """The list as filtered: pairings active in the year, one row each, plus one row per support of the year."""
    from wuzaicun.responsibility.selectors import working_year

    from ..selectors.pairings import branch_pairings, kin_pairings

    shown = ctx.year or working_year()
    tab, q = ctx.filters.get("tab", ""), ctx.filters.get("q", "")
    labels = dict(SupportKind.choices)
    if tab in ("", "branch"):
        rows = branch_pairings(ctx.actor, year=shown, region=ctx.region_code, q=q)
        supports: dict[int, list[tuple[str, str, Decimal | None]]] = defaultdict(list)
        for pk, kind, what, amount in scoped(PairingSupport, ctx.actor).filter(
                year=shown, branch_pairing__in=rows.values("pk")).values_list(
                "branch_pairing_id", "kind", "description", "amount").order_by("pk"):
            supports[pk].append((labels[kind], what, amount))
        for p in rows.iterator(chunk_size=2000):
            base = (BRANCH, shown, p.helper.name, "", "", p.helped.region_id, p.helped.name, "")
            for support in supports.get(p.pk) or [("", "", None)]:
                yield (*base, *support)
    if tab in ("", "kin"):
        kin = kin_pairings(ctx.actor, year=shown, region=ctx.region_code, q=q,
                           poor=ctx.filters.get("poor") == "1").order_by("pk")
        kin_supports: dict[int, list[tuple[str, str, Decimal | None]]] = defaultdict(list)
        for pk, kind, what, amount in narrowed(scoped(PairingSupport, ctx.actor), ctx.region_code).filter(
                year=shown, kin_pairing__isnull=False).values_list(
                "kin_pairing_id", "kind", "description", "amount").order_by("pk").iterator(chunk_size=5000):
            kin_supports[pk].append((labels[kind], what, amount))
        for (pk, p_sealed, p_masked, p_name, village, h_sealed, h_masked) in kin.values_list(
                "pk", "person__resident_id_sealed", "person__resident_id_masked", "person__name",
                "village_id", "household__resident_id_sealed", "household__resident_id_masked").iterator(
                chunk_size=5000):
            person = open_resident_id(p_sealed) if ctx.full_ids else p_masked
            household = open_resident_id(h_sealed) if ctx.full_ids else h_masked
            base = (KIN, shown, "", person, p_name, village, "", household)
            for support in kin_supports.get(pk) or [("", "", None)]:
                yield (*base, *support)


PAIRINGS = register(Template(
    kind="pairings", title="结对帮扶", object_type="kin_pairing",
    columns=(
        Column("结对类型", "kind", choice((BRANCH, KIN)), note="支部结对或干群结亲"),
        Column("年度", "year", year, note="结对所在年度；新结对自该年度起"),
        Column("结对党组织", "helper", bounded_text(100), required=False, width=28, note="支部结对填写：机关单位或乡镇党组织名称"),
        Column("干部身份证号", "person", _resident_id, required=False, width=22, note="干群结亲填写：已登记人员"),
        Column("干部姓名", "person_name", bounded_text(50), required=False, note="干群结亲填写"),
        Column("村区划代码", "village", _code, width=16, note="受援村（支部结对的村党组织、结亲户所在村）"),
        Column("村党组织", "helped_org", bounded_text(100), required=False, width=24,
               note="支部结对：该村有多个村党组织时填写名称"),
        Column("结亲户户主身份证号", "household", _resident_id, required=False, width=22, note="干群结亲填写"),
        Column("帮扶类型", "support_kind", choice(SupportKind.labels), required=False, note="项目、资金或物资；可空"),
        Column("帮扶内容", "description", bounded_text(300), required=False, width=30),
        Column("折合金额", "amount", money, required=False, note="单位：元；资金帮扶须大于0"),
    ),
    sink=PairingSink, export_rows=_export_pairings, needs_year=True, import_perm="edit_resources",
    carries_ids=True, filters=(("tab", "结对类型"), ("q", "关键词"), ("poor", "结亲户")),
))


class EnterpriseHelpSink:
    checks_partial_rows = True

    def __init__(self, ctx: ImportContext) -> None:
        self.ctx = ctx
        regions = narrowed(scoped(Region, ctx.actor), ctx.region_code)
        self.regions = {code: (name, level) for code, name, level in regions.values_list("code", "name", "level")}
        self.seen: dict[tuple[str, str, int], int] = {}
        self.names: dict[str, tuple[str, int]] = {}
        self.enterprises = 0
        self.created = 0
        self.updated = 0

    def check(self, row: dict[str, Any], line: int) -> dict[str, Any]:
        problems: list[tuple[str, str]] = []
        if row["region"] is not None and row["region"] not in self.regions:
            problems.append(("注册地区划代码", f"“{row['region']}”不存在或不在您的管辖范围内"))
        village = self.regions.get(row["village"] or "")
        if row["village"] is not None and village is None:
            problems.append(("帮扶村区划代码", f"“{row['village']}”不存在或不在您的管辖范围内"))
        elif village is not None:
            problems += [p for p in help_problems(village_name=village[0], village_level=village[1], year=2016,
                                                  pledged=Decimal(0), paid=Decimal(0)) if p[0] == "帮扶村"]
            problems = [(("帮扶村区划代码", m) if f == "帮扶村" else (f, m)) for f, m in problems]
        code = row["credit_code"]
        if code is not None and row["name"] is not None:
            known = self.names.get(code)
            if known is not None and known[0] != row["name"]:
                problems.append(("企业名称", f"与第{known[1]}行同一统一社会信用代码的企业名称“{known[0]}”不一致"))
        key = (code, row["village"], row["year"])
        if None not in key and (first := self.seen.get(key)) is not None:
            problems.append(("帮扶村区划代码", f"与第{first}行是同一企业同一年度对同一村的帮扶"))
        if problems:
            raise RowErrors(problems)
        self.seen[key] = line
        self.names.setdefault(code, (row["name"], line))
        row["note"] = row.get("note") or ""
        return row

    def _lookups(self, batch: list[tuple[int, dict[str, Any]]]) -> dict[str, tuple[int, str, bool]]:
        codes = {r["credit_code"] for _, r in batch}
        mine = set(scoped(Enterprise, self.ctx.actor).filter(credit_code__in=codes).values_list("pk", flat=True))
        return {code: (pk, name, pk in mine) for pk, code, name in
                Enterprise.objects_unscoped.filter(credit_code__in=codes).values_list("pk", "credit_code", "name")}

    def _resolve(self, batch: list[tuple[int, dict[str, Any]]],
                 known: dict[str, tuple[int, str, bool]]) -> list[RowIssue]:
        issues = []
        for line, r in batch:
            found = known.get(r["credit_code"])
            if found is None:
                continue
            if not found[2]:
                issues.append(RowIssue(line, "统一社会信用代码", f"统一社会信用代码“{r['credit_code']}”已由其他地区登记，"
                                                                "请联系其注册地的管理员"))
            elif found[1] != r["name"]:
                issues.append(RowIssue(line, "企业名称", f"企业名称“{r['name']}”与该统一社会信用代码登记的名称"
                                                      f"“{found[1]}”不一致"))
        return issues

    def flush(self, batch: list[tuple[int, Any]]) -> list[RowIssue]:
        return self._resolve(batch, self._lookups(batch))

    def write(self, batch: list[tuple[int, Any]]) -> list[RowIssue]:
        known = self._lookups(batch)
        if issues := self._resolve(batch, known):
            return issues
        new = {r["credit_code"]: (r["name"], r["credit_code"], r["region"]) for _, r in batch
               if r["credit_code"] not in known}
        insert_rows(Enterprise._meta.db_table, ("name", "credit_code", "region_id"), list(new.values()))
        self.enterprises += len(new)
        ids = {code: pk for code, (pk, _, _) in self._lookups(batch).items()}
        existing = {(h.enterprise_id, h.village_id, h.year): h for h in EnterpriseHelp.objects_unscoped.filter(
            enterprise_id__in=set(ids.values()), village_id__in={r["village"] for _, r in batch})}
        created, changed = [], []
        for _, r in batch:
            key = (ids[r["credit_code"]], r["village"], r["year"])
            if (h := existing.get(key)) is None:
                created.append((*key, r["pledged"], r["paid"], r["note"]))
            elif (h.pledged, h.paid, h.note) != (r["pledged"], r["paid"], r["note"]):
                h.pledged, h.paid, h.note = r["pledged"], r["paid"], r["note"]
                changed.append(h)
        insert_rows(EnterpriseHelp._meta.db_table, ("enterprise_id", "village_id", "year", "pledged", "paid", "note"),
                    created)
        EnterpriseHelp.objects_unscoped.bulk_update(changed, ["pledged", "paid", "note"])
        self.created += len(created)
        self.updated += len(changed)
        return []

    def summary(self) -> str:
        return f"（新增企业 {self.enterprises} 家，新增帮扶 {self.created} 条，更新 {self.updated} 条）"


def _export_helps(ctx: ExportContext) -> Iterator[Sequence[Any]]:
    """The enterprises list as filtered: each enterprise's helps of the year to villages in scope."""
    from wuzaicun.responsibility.selectors import working_year

    from ..selectors.pairings import enterprises_for

    shown = ctx.year or working_year()
    chosen = enterprises_for(ctx.actor, year=shown, region=ctx.region_code, q=ctx.filters.get("q", ""))
    rows = scoped(EnterpriseHelp, ctx.actor).filter(year=shown, enterprise__in=chosen.values("pk")).order_by(
        "enterprise__name", "enterprise_id", "village_id").values_list(
        "enterprise__name", "enterprise__credit_code", "enterprise__region_id", "village_id", "year", "pledged",
        "paid", "note")
    yield from rows.iterator(chunk_size=5000)


ENTERPRISE_HELP = register(Template(
    kind="enterprise_help", title="企业帮扶", object_type="enterprise",
    columns=(
        Column("企业名称", "name", bounded_text(200), width=30),
        Column("统一社会信用代码", "credit_code", _credit, width=22, note="18位，按GB 32100校验"),
        Column("注册地区划代码", "region", _code, width=16),
        Column("帮扶村区划代码", "village", _code, width=16),
        Column("年度", "year", year),
        Column("承诺资金", "pledged", money, note="单位：元"),
        Column("到位资金", "paid", money, note="单位：元；可大于承诺资金（超额到位）"),
        Column("帮扶内容", "note", bounded_text(300), required=False, width=30),
    ),
    sink=EnterpriseHelpSink, export_rows=_export_helps, needs_year=True, import_perm="edit_resources",
    filters=(("q", "关键词"),),
))
