"""The registry's picker kinds: people, leadership teams and households, by name, ID tail or full ID."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from django.db.models import Q, QuerySet
from django.urls import reverse_lazy

from wuzaicun.accounts.scope import scoped
from wuzaicun.core.pickers import RESULT_LIMIT, Choice, PickerSource, labels_of
from wuzaicun.regions.codes import is_code, prefix_of
from wuzaicun.regions.models import Level, Region

from .fields import resident_id_hash
from .models import Household, LeadershipTeam, Person
from .rules import normalise_resident_id

KINDS = ("people", "teams", "households")
_MASKED_TAIL = 4


def _place(region: Region) -> str:
    """County and the region itself (红花岗区甲村); a county or above is named alone."""
    names = [region.name]
    parent = region.parent
    while parent is not None and parent.level >= Level.COUNTY:
        if parent.level == Level.COUNTY:
            names.insert(0, parent.name)
        parent = parent.parent
    return "".join(names)


def _term_filter(term: str, name_field: str) -> Q:
    """A name fragment; the last four characters of an ID (as shown masked); a masked ID as shown; or a
    whole ID, found through its blind index (never decrypted, never compared in the clear)."""
    text = normalise_resident_id(term)
    if len(text) == 18 and text[:17].isdigit():
        return Q(resident_id_hash=resident_id_hash(text))
    if len(text) == 18 and "*" in text:
        return Q(resident_id_masked=text)
    if len(text) == _MASKED_TAIL and text[:3].isdigit() and (text[3].isdigit() or text[3] == "X"):
        return Q(resident_id_masked__endswith=text) | Q(**{f"{name_field}__icontains": term})
    return Q(**{f"{name_field}__icontains": term})


def _within(queryset: QuerySet[Any], within: str) -> QuerySet[Any]:
    return queryset.filter(region__code__within=prefix_of(within)) if is_code(within) else queryset


def _limited(queryset: QuerySet[Any], ids: Sequence[str] | None) -> QuerySet[Any]:
    """A search answers one more than RESULT_LIMIT (so the page can say there are more); labels, all."""
    return queryset if ids is not None else queryset[: RESULT_LIMIT + 1]


def person_choices(user: Any, term: str, *, within: str = "", ids: Sequence[str] | None = None) -> list[Choice]:
    queryset = _within(scoped(Person, user), within).select_related("region__parent__parent", "unit")
    if ids is not None:
        queryset = queryset.filter(pk__in=[int(i) for i in ids if str(i).isdigit()])
    elif term:
        queryset = queryset.filter(_term_filter(term, "name"))
    else:
        return []
    choices = []
    for person in _limited(queryset.order_by("name", "pk"), ids):
        what = "，".join(x for x in (person.unit.name if person.unit else "", person.post, person.rank) if x)
        context = "，".join(x for x in (_place(person.region), what, f"身份证 {person.resident_id_masked}") if x)
        choices.append(Choice(str(person.pk), person.name, context))
    return choices


def team_choices(user: Any, term: str, *, within: str = "", ids: Sequence[str] | None = None) -> list[Choice]:
    queryset = _within(scoped(LeadershipTeam, user), within).select_related("region__parent__parent")
    if ids is not None:
        queryset = queryset.filter(pk__in=[int(i) for i in ids if str(i).isdigit()])
    elif term:
        queryset = queryset.filter(name__icontains=term)
    else:
        return []
    return [Choice(str(t.pk), t.name, _place(t.region)) for t in _limited(queryset.order_by("name", "pk"), ids)]


def household_choices(user: Any, term: str, *, within: str = "", ids: Sequence[str] | None = None) -> list[Choice]:
    """Households in scope; with `within` (the chosen village) an empty term lists that village's."""
    queryset = _within(scoped(Household, user), within).select_related("region__parent__parent")
    if ids is not None:
        queryset = queryset.filter(pk__in=[int(i) for i in ids if str(i).isdigit()])
    elif term:
        queryset = queryset.filter(_term_filter(term, "head_name"))
    elif not is_code(within):
        return []
    rows = _limited(queryset.order_by("region_id", "head_name", "pk"), ids)
    return [Choice(str(h.pk), f"{h.head_name}户",
                   f"{_place(h.region)}，{h.members}人，{h.status}，身份证 {h.resident_id_masked}") for h in rows]


SEARCHES = {"people": person_choices, "teams": team_choices, "households": household_choices}


def person_labels(user: Any, ids: Sequence[str]) -> dict[str, str]:
    return labels_of(person_choices(user, "", ids=ids))


def team_labels(user: Any, ids: Sequence[str]) -> dict[str, str]:
    return labels_of(team_choices(user, "", ids=ids))


def household_labels(user: Any, ids: Sequence[str]) -> dict[str, str]:
    return labels_of(household_choices(user, "", ids=ids))


PERSON_PICKER = PickerSource(
    reverse_lazy("registry:pick", args=["people"]), person_labels, "输入姓名、身份证后4位或完整身份证号搜索")
TEAM_PICKER = PickerSource(
    reverse_lazy("registry:pick", args=["teams"]), team_labels, "输入班子名称搜索")
HOUSEHOLD_PICKER = PickerSource(
    reverse_lazy("registry:pick", args=["households"]), household_labels, "输入户主姓名、身份证后4位或完整身份证号搜索")
