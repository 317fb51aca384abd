"""The templates the apps declare, by kind (regions, villages, people, households, …)."""

from __future__ import annotations

from wuzaicun.core.errors import DomainError

from .spec import Template

_TEMPLATES: dict[str, Template] = {}


def register(template: Template) -> Template:
    if template.kind in _TEMPLATES:
        raise ValueError(f"template {template.kind} declared twice")
    _TEMPLATES[template.kind] = template
    return template


def get_template(kind: str) -> Template:
    try:
        return _TEMPLATES[kind]
    except KeyError:
        known = "、".join(sorted(_TEMPLATES))
        raise DomainError(f"未知的模板类型“{kind}”，可选：{known}", code="unknown_template") from None


def all_templates() -> list[Template]:
    return sorted(_TEMPLATES.values(), key=lambda t: t.kind)
