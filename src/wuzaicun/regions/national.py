"""A synthetic division tree for the provinces other than Guizhou, for the country-scale synth (全国规模).

Only Guizhou's real 2023 tree is shipped. The other 30 provinces keep their real codes and names (public
constants); below them the prefectures, counties, townships and villages are generated: valid 12-digit codes laid
out as the statistical codes are (区 01–20, 县 21–80, 县级市 81–99; 街道 001–099, 镇 100–199, 乡 200–399; 社区
001–199, 村 200–399) and Chinese place names from a name generator, the same for the same province whatever else
is generated. A province's size (villages, poor villages) loosely follows the public figures of 2014–2016 and is
rescaled so that the nation has ≈ 130,000 poor villages with Guizhou's 9,000 (DESIGN.md).
"""

from __future__ import annotations

import math
import random
from collections.abc import Iterator
from dataclasses import dataclass

GUIZHOU = "52"
NATIONAL_POOR = 130_000
GUIZHOU_POOR = 9_000  # regions.synth.PROVINCE_POOR


@dataclass(frozen=True)
class ProvinceSize:
    name: str
    villages: int  # village-level units (村 and 社区), before the rescaling
    poor: int  # poor villages (贫困村), before the rescaling
    minorities: tuple[str, ...]  # the most numerous minorities, the most numerous first
    community_share: float  # of the village-level units, 社区 (居委会)


# Real province codes and names; sizes rounded from public yearbook figures (村委会 + 居委会, 建档立卡贫困村).
PROVINCES: dict[str, ProvinceSize] = {
    "11": ProvinceSize("北京市", 7_000, 234, ("回族", "满族"), 0.45),
    "12": ProvinceSize("天津市", 5_200, 500, ("回族", "满族"), 0.35),
    "13": ProvinceSize("河北省", 51_500, 7_366, ("满族", "回族", "蒙古族"), 0.08),
    "14": ProvinceSize("山西省", 30_500, 7_993, ("回族", "满族"), 0.10),
    "15": ProvinceSize("内蒙古自治区", 14_300, 2_834, ("蒙古族", "满族", "回族"), 0.20),
    "21": ProvinceSize("辽宁省", 15_900, 1_791, ("满族", "蒙古族", "回族", "朝鲜族"), 0.30),
    "22": ProvinceSize("吉林省", 11_500, 1_489, ("朝鲜族", "满族", "蒙古族"), 0.25),
    "23": ProvinceSize("黑龙江省", 14_500, 1_778, ("满族", "朝鲜族", "蒙古族"), 0.30),
    "31": ProvinceSize("上海市", 5_900, 100, ("回族", "满族"), 0.70),
    "32": ProvinceSize("江苏省", 20_800, 821, ("回族", "满族"), 0.35),
    "33": ProvinceSize("浙江省", 28_500, 400, ("畲族", "土家族", "苗族"), 0.15),
    "34": ProvinceSize("安徽省", 21_000, 3_000, ("回族", "满族"), 0.20),
    "35": ProvinceSize("福建省", 17_900, 2_201, ("畲族", "回族"), 0.15),
    "36": ProvinceSize("江西省", 20_700, 3_058, ("畲族", "回族"), 0.15),
    "37": ProvinceSize("山东省", 71_000, 7_005, ("回族", "满族"), 0.08),
    "41": ProvinceSize("河南省", 51_700, 9_536, ("回族", "蒙古族", "满族"), 0.08),
    "42": ProvinceSize("湖北省", 30_300, 4_821, ("土家族", "苗族", "回族"), 0.15),
    "43": ProvinceSize("湖南省", 43_500, 8_000, ("土家族", "苗族", "侗族", "瑶族"), 0.12),
    "44": ProvinceSize("广东省", 26_000, 2_277, ("壮族", "瑶族", "畲族"), 0.25),
    "45": ProvinceSize("广西壮族自治区", 16_200, 5_000, ("壮族", "瑶族", "苗族", "侗族"), 0.12),
    "46": ProvinceSize("海南省", 3_400, 300, ("黎族", "苗族"), 0.15),
    "50": ProvinceSize("重庆市", 11_100, 1_919, ("土家族", "苗族"), 0.28),
    "51": ProvinceSize("四川省", 53_700, 11_501, ("彝族", "藏族", "羌族"), 0.10),
    "53": ProvinceSize("云南省", 14_600, 8_502, ("彝族", "哈尼族", "白族", "傣族", "壮族"), 0.10),
    "54": ProvinceSize("西藏自治区", 5_700, 3_000, ("藏族", "门巴族", "珞巴族"), 0.05),
    "61": ProvinceSize("陕西省", 26_000, 8_808, ("回族", "满族"), 0.10),
    "62": ProvinceSize("甘肃省", 17_600, 6_220, ("回族", "藏族", "东乡族"), 0.10),
    "63": ProvinceSize("青海省", 4_600, 1_622, ("藏族", "回族", "土族", "撒拉族"), 0.10),
    "64": ProvinceSize("宁夏回族自治区", 2_900, 1_100, ("回族", "满族"), 0.15),
    "65": ProvinceSize("新疆维吾尔自治区", 12_900, 3_666, ("维吾尔族", "哈萨克族", "回族", "柯尔克孜族"), 0.20),
}
GUIZHOU_NAME = "贵州省"
MUNICIPALITIES = ("11", "12", "31", "50")

# Characters of Chinese place names: a name is one of the first pool then one of the second.
_FIRST = (
    "东西南北中上下新老大小长高平安永兴太宁清河江山石金龙凤白黄青红云林松柏桃杨花泉溪湖岩宝福"
    "庆丰和顺昌盛兰桂马鹿鹤双三五六八九万千合同广德仁义礼信文武光明阳华富贵"
)
_SECOND = (
    "山水河江湖溪泉坪坝沟湾坡岭塘田井桥寨庄屯堡营口门关店铺场集镇城阳安平宁丰兴和源林峰岗洲"
    "滩塔寺园乐台亭楼家川原谷"
)
_AUTONOMOUS_PROVINCES = ("15", "45", "54", "64", "65", "51", "53", "62", "63", "43", "42", "22")


def national_poor_targets() -> dict[str, int]:
    """Poor villages per province: Guizhou's 9,000, the others rescaled so that the nation has 130,000."""
    others = sum(size.poor for size in PROVINCES.values())
    rest = NATIONAL_POOR - GUIZHOU_POOR
    targets = {code: size.poor * rest // others for code, size in PROVINCES.items()}
    by_remainder = sorted(PROVINCES, key=lambda c: -(PROVINCES[c].poor * rest % others))
    for code in by_remainder[: rest - sum(targets.values())]:
        targets[code] += 1
    return targets | {GUIZHOU: GUIZHOU_POOR}


def province_name(code: str) -> str:
    return GUIZHOU_NAME if code == GUIZHOU else PROVINCES[code].name


def province_minorities(code: str) -> tuple[str, ...]:
    size = PROVINCES.get(code[:2])
    return size.minorities if size else ("苗族", "布依族")


class _Names:
    """Distinct two-character place names for the children of one parent, drawn from the parent's own generator."""

    def __init__(self, rng: random.Random) -> None:
        self.rng = rng
        self.used: set[str] = set()

    def new(self) -> str:
        while True:
            name = self.rng.choice(_FIRST) + self.rng.choice(_SECOND)
            if name[0] != name[1] and name not in self.used:
                self.used.add(name)
                return name


def _sizes(villages: int) -> tuple[int, int, int]:
    """Prefectures, counties and townships for a province of so many village-level units (≈ 16 per township,
    ≈ 15 townships per county, ≈ 9 counties per prefecture, as the national averages go)."""
    townships = max(1, math.ceil(villages / 16))
    counties = max(1, math.ceil(townships / 15))
    prefectures = max(1, min(20, math.ceil(counties / 9)))
    return prefectures, counties, townships


def _split(total: int, parts: int) -> list[int]:
    return [total // parts + (1 if i < total % parts else 0) for i in range(parts)]


def synthetic_province(code: str, *, seed: int = 2016) -> Iterator[tuple[str, str]]:
    """(code, name) of the province and every unit below it, parents before children, in code order."""
    size = PROVINCES[code]
    rng = random.Random(f"{seed}/national/{code}")
    yield code.ljust(12, "0"), size.name
    prefectures, counties, townships = _sizes(size.villages)
    municipality = code in MUNICIPALITIES
    if municipality:
        prefectures = 1
    names = _Names(rng)
    autonomous = code in _AUTONOMOUS_PROVINCES
    county_counts = _split(counties, prefectures)
    township_counts = _split(townships, counties)
    village_counts = _split(size.villages, townships)
    county_index = township_index = 0
    for p, n_counties in enumerate(county_counts):
        prefecture = f"{code}{p + 1:02d}"
        if municipality:
            yield prefecture.ljust(12, "0"), "市辖区"
        elif autonomous and p == len(county_counts) - 1 and p > 0:
            yield prefecture.ljust(12, "0"), f"{names.new()}{size.minorities[0][:-1]}族自治州"
        else:
            yield prefecture.ljust(12, "0"), f"{names.new()}市"
        districts = min(n_counties, max(1, n_counties // 5))
        if municipality:
            districts = min(20, n_counties // 2 or 1)
        cities = 1 if n_counties - districts >= 5 else 0
        county_names = _Names(random.Random(f"{seed}/national/{prefecture}"))
        for c in range(n_counties):
            if c < districts:
                number, suffix = 1 + c, "区"
            elif c >= n_counties - cities:
                number, suffix = 81 + (c - (n_counties - cities)), "市"
            else:
                number, suffix = 21 + (c - districts), "县"
                if autonomous and rng.random() < 0.15:
                    suffix = f"{size.minorities[-1][:-1]}族自治县"
            county = f"{prefecture}{number:02d}"
            yield county.ljust(12, "0"), county_names.new() + suffix
            township_names = _Names(random.Random(f"{seed}/national/{county}"))
            n_townships = township_counts[county_index]
            county_index += 1
            for t in range(n_townships):
                if suffix == "区" and t < n_townships // 2:
                    number_t, kind = 1 + t, "街道"
                elif t % 3 == 2:
                    number_t, kind = 200 + t, "乡"
                else:
                    number_t, kind = 100 + t, "镇"
                township = f"{county}{number_t:03d}"
                yield township.ljust(12, "0"), township_names.new() + kind
                village_names = _Names(random.Random(f"{seed}/national/{township}"))
                n_villages = village_counts[township_index]
                township_index += 1
                communities = round(n_villages * (0.8 if kind == "街道" else size.community_share))
                for v in range(n_villages):
                    if v < communities:
                        yield f"{township}{1 + v:03d}", f"{village_names.new()}社区居民委员会"
                    else:
                        yield f"{township}{200 + v - communities:03d}", f"{village_names.new()}村村民委员会"
