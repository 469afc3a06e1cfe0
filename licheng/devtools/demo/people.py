"""Chinese names and checksum-valid national IDs for demo people (not real people's)."""

from __future__ import annotations

import random

from licheng.lib import national_id

SURNAMES = "陳林黃張李王吳劉蔡楊許鄭謝洪郭邱曾廖賴徐周葉蘇莊呂江何蕭羅高潘簡朱鍾彭游詹胡施沈余盧梁趙顏柯翁魏孫戴"
GIVEN = [
    "冠宇",
    "承恩",
    "宥廷",
    "品睿",
    "柏翰",
    "宇翔",
    "彥廷",
    "家豪",
    "子軒",
    "俊傑",
    "承翰",
    "睿恩",
    "詠晴",
    "品妍",
    "子晴",
    "語彤",
    "芯瑜",
    "宜蓁",
    "欣妤",
    "思妤",
    "亭妤",
    "佳穎",
    "雨潔",
    "可馨",
    "書瑋",
    "昱辰",
    "宸睿",
    "楷翔",
    "沛綺",
    "羽彤",
    "采潔",
    "郁涵",
    "禹安",
    "以樂",
    "晨希",
    "若瑜",
]


class PeopleMaker:
    def __init__(self, seed: int):
        self.rng = random.Random(seed)
        self.used_ids: set[str] = set()

    def name(self) -> str:
        return self.rng.choice(SURNAMES) + self.rng.choice(GIVEN)

    def national_id(self) -> str:
        while True:
            nid = national_id.fake(self.rng)
            if nid not in self.used_ids:
                self.used_ids.add(nid)
                return nid
