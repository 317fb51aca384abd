"""A small real-shaped world with data on both sides of every scope boundary.

遵义市 (5203) with two counties, 红花岗区 (520302) and 汇川区 (520303); each county has one
township with two villages; each village has households and people; one user per role in
county A, plus a county admin in county B, a city admin and a system admin. The users whose role requires
two-factor login (the system, security and audit administrators) hold an authenticator with the known key
`testing.twofa.TOTP_KEY`.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import lru_cache

from django.contrib.auth.hashers import make_password

from wuzaicun.accounts.models import User
from wuzaicun.regions.codes import level_of, parent_code
from wuzaicun.regions.models import Region, VillageYear
from wuzaicun.registry.models import Household, Person

from . import factories

PASSWORD = "Test@2016wzc"

REGIONS = [
    ("520000000000", "贵州省"),
    ("520300000000", "遵义市"),
    ("520302000000", "红花岗区"),
    ("520302001000", "老城街道"),
    ("520302001001", "甲村"),
    ("520302001002", "乙村"),
    ("520303000000", "汇川区"),
    ("520303100000", "高坪镇"),
    ("520303100201", "丙村"),
    ("520303100202", "丁村"),
]


@dataclass
class World:
    regions: dict[str, Region]
    households: dict[str, list[Household]] = field(default_factory=dict)
    people: dict[str, list[Person]] = field(default_factory=dict)
    users: dict[str, User] = field(default_factory=dict)

    def region(self, code: str) -> Region:
        return self.regions[code]


def build_world(*, households_per_village: int = 3, year: int = 2016) -> World:
    regions: dict[str, Region] = {}
    for code, name in REGIONS:
        parent = parent_code(code)
        regions[code] = Region.objects_unscoped.create(
            code=code, name=name, level=level_of(code), parent=regions.get(parent) if parent else None
        )
    world = World(regions=regions)
    for code, region in regions.items():
        if region.level != 5:
            continue
        VillageYear.objects_unscoped.create(village=region, year=year, is_poor=code.endswith("1"))
        world.households[code] = [
            factories.household(region, head_name=f"{region.name}户主{i}") for i in range(households_per_village)
        ]
        world.people[code] = [factories.person(region, name=f"{region.name}党员{i}") for i in range(2)]
    hashed = _password_hash()
    from wuzaicun.accounts import policy

    from .twofa import enrol

    for username, role, scope in ROLES:
        user = User(username=username, role=role, scope=regions[scope], full_name=username, password=hashed)
        user.save()
        world.users[username] = user
        if role in policy.current().require_2fa_roles:  # the administrators sign in with a second factor
            enrol(user)
    return world


# (username, role, scope) of the world's users.
ROLES: list[tuple[str, str, str]] = [
    ("sysadmin", "system_admin", "520000000000"),
    ("city", "city_admin", "520300000000"),
    ("county_a", "county_admin", "520302000000"),
    ("county_b", "county_admin", "520303000000"),
    ("township_a", "township_admin", "520302001000"),
    ("reporter_a", "village_reporter", "520302001001"),
    ("inspector_a", "inspector", "520302000000"),
    ("leader_a", "leader", "520302000000"),
    ("security", "security_admin", "520000000000"),
    ("auditor", "audit_admin", "520000000000"),
    ("auditor_a", "audit_admin", "520302000000"),
    ("auditor_b", "audit_admin", "520303000000"),
]


@lru_cache(maxsize=1)
def _password_hash() -> str:
    """Argon2 is slow on purpose: hash the shared test password once per run, not once per user."""
    return make_password(PASSWORD)


def county_a_household(world: World) -> Household:
    return world.households["520302001001"][0]


def county_b_household(world: World) -> Household:
    return world.households["520303100201"][0]


__all__ = ["PASSWORD", "ROLES", "World", "build_world", "county_a_household", "county_b_household"]
