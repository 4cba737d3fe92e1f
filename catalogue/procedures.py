"""Clauses that are requirements of another clause's application, not applications of their own.

IIC 第十条 (the lead unit) and 第十一条 (the four basic requirements) state what a centre must be; 第十二条 is the
one procedure that applies for it. The checker shows no apply button for a requirement, only the way to the
application it belongs to, and /applications/new/ opens that application instead.
"""
PART_OF = {"IIC-10": "IIC-12", "IIC-11": "IIC-12"}


def application_clause(code: str) -> str:
    """The clause applied for when `code` is checked: itself, or the application it is a requirement of."""
    return PART_OF.get(code, code)
