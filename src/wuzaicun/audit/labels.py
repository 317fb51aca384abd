"""What users read in the audit trail: an object's kind and a changed field by their Chinese names, taken
from the models' own verbose names, and places by name — never a table name, a field name or `user #2`."""

from __future__ import annotations

from collections.abc import Sequence
from functools import cache
from typing import Any

from django.apps import apps
from django.core.exceptions import FieldDoesNotExist
from django.db import models

# Object types that are not one model's name, or name no model.
_ALIASES = {"spot_check_finding": "verification.Finding", "api_token": "accounts.ApiToken"}
_NOT_MODELS = {"assessment": "年度考核结果", "synth": "合成数据", "households": "农户", "people": "人员",
               "assignments": "责任清单", "villages": "村情", "regions": "行政区划", "entered_scores": "录入得分",
               "assessment_results": "考核结果", "spot_check_findings": "抽查结果", "coverage": "覆盖检查缺口",
               "annual_report": "年度报告", "stats": "数据概览"}
# Keys of `changes` that are not a model field.
_KEYS = {"households": "帮扶户", "rows": "行数", "region": "区划", "year": "年度", "full_ids": "完整身份证号",
         "reason": "原因", "note": "审核意见", "state": "状态", "scope": "管辖范围", "role": "角色",
         "rule": "规则", "quarter": "季度", "q": "关键词", "stratum": "分层", "plan": "抽查计划"}


@cache
def model_for(object_type: str) -> type[models.Model] | None:
    """The model an audit object type names: `ledger_line` → LedgerLine (names compared without `_`)."""
    if object_type in _ALIASES:
        return apps.get_model(_ALIASES[object_type])
    wanted = object_type.replace("_", "").lower()
    return next((m for m in apps.get_models() if m.__name__.lower() == wanted), None)


def object_label(object_type: str) -> str:
    if object_type in _NOT_MODELS:
        return _NOT_MODELS[object_type]
    model = model_for(object_type)
    return str(model._meta.verbose_name) if model is not None else (object_type or "—")


def field_label(object_type: str, key: str) -> str:
    model = model_for(object_type)
    if model is not None:
        try:
            return str(getattr(model._meta.get_field(key), "verbose_name", key))
        except FieldDoesNotExist:
            pass
    return _KEYS.get(key, key)


def describe(entries: Sequence[Any], *, user_names: dict[int, str], region_names: dict[str, str]) -> None:
    """Set on each entry of a page what the audit page shows: object, place and changes in Chinese."""
    for entry in entries:
        entry.object_label = object_label(entry.object_type)
        entry.object_name = user_names.get(int(entry.object_id)) if entry.object_type == "user" and str(
            entry.object_id).isdigit() else ""
        entry.region_name = region_names.get(entry.region_code, entry.region_code)
        entry.change_rows = [
            (field_label(entry.object_type, key), *(region_names.get(v, v) if isinstance(v, str) else v for v in (
                (value[0], value[1]) if isinstance(value, list) and len(value) > 1 else (None, value))))
            for key, value in (entry.changes or {}).items()]


def region_codes_in(entries: Sequence[Any]) -> set[str]:
    """Region codes a page of rows mentions (its regions, and codes among changed values, such as a scope)."""
    codes = {e.region_code for e in entries if e.region_code}
    for entry in entries:
        for value in (entry.changes or {}).values():
            for item in value if isinstance(value, list) else [value]:
                if isinstance(item, str) and len(item) == 12 and item.isdigit():
                    codes.add(item)
    return codes
