"""The `like` operator's patterns, and the one IIC naming rule the checker and the register both apply.

IIC 第十二条: "市产业创新中心命名统一为：“重庆市××产业创新中心”". The checker tests the clause's `like` condition
with `like_regex`; the carriers register validates a centre's name with `iic_name_ok`, which is the same
function applied to the same pattern (tests/unit/test_policy_reading.py holds clauses.yaml to IIC_NAME_PATTERN),
so a name the check accepts is never refused at approval, nor the other way round.
"""
from __future__ import annotations

import re
from functools import lru_cache

# A wildcard stands for one or more characters of a name: no spaces (ASCII or ideographic), no line breaks.
WILDCARD = r"\S+"
IIC_NAME_PATTERN = "重庆市*产业创新中心"


@lru_cache(maxsize=256)
def like_regex(pattern: str) -> re.Pattern:
    """`重庆市*产业创新中心`: each * stands for one or more characters other than whitespace; the whole value
    must match (use with fullmatch)."""
    return re.compile(WILDCARD.join(re.escape(part) for part in pattern.split("*")))


def iic_name_ok(name: str) -> bool:
    """IIC 第十二条: the name reads 重庆市××产业创新中心 (×× one or more characters, no spaces)."""
    return isinstance(name, str) and like_regex(IIC_NAME_PATTERN).fullmatch(name) is not None
