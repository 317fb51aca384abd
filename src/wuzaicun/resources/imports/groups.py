"""十户一体's sheet: the groups with their head, size and tied entities (export)."""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from typing import Any

from wuzaicun.tabular.registry import register
from wuzaicun.tabular.spec import Column, ExportContext, ExportOnlySink, Template

from ..selectors.groups import group_size_tolerance, groups_for


def _export_groups(ctx: ExportContext) -> Iterator[Sequence[Any]]:
    from wuzaicun.responsibility.selectors import working_year

    rows = groups_for(ctx.actor, region=ctx.region_code, q=ctx.filters.get("q", ""),
                      size=ctx.filters.get("size", ""), tolerance=group_size_tolerance(working_year()))
    for g in rows.iterator(chunk_size=2000):
        yield (g.village_id, g.village.name, g.name, g.head.name, g.member_count, g.entity_count,  # type: ignore[attr-defined]
               g.formed_on)


register(Template(
    kind="ten_household_groups", title="十户一体小组", object_type="ten_household_group",
    columns=(Column("区划代码", "village", width=16), Column("村", "village_name", width=16),
             Column("小组名称", "name", width=24), Column("党群连心户户长", "head", width=12),
             Column("成员户数", "members"), Column("经营主体数", "entities"), Column("成立日期", "formed_on")),
    sink=ExportOnlySink, export_rows=_export_groups, import_perm="edit_resources", importable=False,
    filters=(("q", "关键词"), ("size", "户数")),
))
