"""The innovation carriers the first four documents build: institutes, complexes, incubation carriers, centres.

Each model carries what its document requires; registers and assessments build on these.
"""
import re

from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _

IIC_NAME_RE = re.compile(r"^重庆市.+产业创新中心$")


class Carrier(models.Model):
    name = models.CharField(max_length=120, unique=True)
    district = models.CharField(max_length=40, blank=True)
    future_industry_field = models.CharField(max_length=40, blank=True)
    recognised_on = models.DateField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        abstract = True

    def __str__(self):
        return self.name


class IndustryResearchInstitute(Carrier):
    """产业研究院 (RIE 一（三）): one of four development modes."""

    class Mode(models.TextChoices):
        GOVERNMENT_LED = "government_led", "政府及国有平台主导类"
        ACADEMIC_LED = "academic_led", "高校及科研院所主导类"
        ENTERPRISE_LED = "enterprise_led", "企业主导类"
        INSTITUTION_LED = "institution_led", "专业机构主导类"

    mode = models.CharField(max_length=20, choices=Mode.choices)
    functions = models.JSONField(default=list, blank=True, help_text=_("技术研发, 成果转化, 中试验证, 企业孵化, 专业服务"))


class InnovationComplex(Carrier):
    """产业创新综合体 (PIC): a non-independent legal entity bound by a charter or agreement (PIC 一（一）)."""

    class Kind(models.TextChoices):
        ENTERPRISE_LED = "enterprise_led", "科技型企业主导型"
        RESEARCH_LED = "research_led", "科研机构、高等学校主导型"

    kind = models.CharField(max_length=20, choices=Kind.choices)
    lead_unit = models.CharField(max_length=120)
    # PIC 二（二）: 理事会, 专家委员会, 秘书处, and a legally binding charter or agreement.
    has_council = models.BooleanField(default=False)
    has_expert_committee = models.BooleanField(default=False)
    has_secretariat = models.BooleanField(default=False)
    charter_signed_on = models.DateField(null=True, blank=True)

    @property
    def governance_complete(self) -> bool:
        return self.has_council and self.has_expert_committee and self.has_secretariat and self.charter_signed_on is not None


class ComplexMember(models.Model):
    complex = models.ForeignKey(InnovationComplex, on_delete=models.CASCADE, related_name="members")
    name = models.CharField(max_length=120)
    role = models.CharField(max_length=40, blank=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["complex", "name"], name="complex_member_unique")]


class IncubationCarrier(Carrier):
    """产业创新孵化载体 (INC 一): incubators (incl. specialised, accelerators, institutes) or start-up communities."""

    class Kind(models.TextChoices):
        INCUBATOR = "incubator", "科技型企业孵化器"
        SPECIALISED = "specialised_incubator", "特色孵化器"
        ACCELERATOR = "accelerator", "加速器"
        RESEARCH_INSTITUTE = "research_institute", "产业研究院"
        COMMUNITY = "community", "创业孵化社区"

    class Level(models.TextChoices):
        NONE = "none", "未认定"
        DISTRICT = "district", "区县级"
        MUNICIPAL = "municipal", "市级"
        NATIONAL = "national", "国家级"

    class MiitGrade(models.TextChoices):
        NONE = "none", "无"
        STANDARD = "standard", "标准级"
        EXCELLENT = "excellent", "卓越级"

    kind = models.CharField(max_length=24, choices=Kind.choices)
    level = models.CharField(max_length=10, choices=Level.choices, default=Level.NONE)
    miit_grade = models.CharField(max_length=10, choices=MiitGrade.choices, default=MiitGrade.NONE)


def validate_iic_name(value: str) -> None:
    """IIC 第十二条: centres are named 重庆市××产业创新中心."""
    if not IIC_NAME_RE.fullmatch(value or ""):
        raise ValidationError(_("The name must read 重庆市××产业创新中心."), code="iic_name")


class IndustryInnovationCentre(Carrier):
    """重庆市产业创新中心 (IIC), managed by its district 主管单位 and decided by 市发展改革委."""

    lead_unit = models.CharField(max_length=120)
    supervising_bureau = models.ForeignKey(
        "subsidies.Bureau", on_delete=models.PROTECT, null=True, blank=True, related_name="supervised_centres"
    )
    legal_entity = models.BooleanField(default=True, help_text=_("第五条: normally run as a legal entity."))

    def clean(self):
        validate_iic_name(self.name)


class CentreChange(models.Model):
    """IIC-16: a rename, change of lead unit, bankruptcy or restructuring, to be reported within 30 working days."""

    class Kind(models.TextChoices):
        RENAME = "rename", "更名"
        LEAD_UNIT = "lead_unit_change", "牵头单位变更"
        BANKRUPTCY = "bankruptcy", "破产"
        RESTRUCTURING = "restructuring", "重组"

    centre = models.ForeignKey(IndustryInnovationCentre, on_delete=models.CASCADE, related_name="changes")
    kind = models.CharField(max_length=20, choices=Kind.choices)
    registered_on = models.DateField(help_text=_("Date the change registration (变更登记) was completed."))
    due_on = models.DateField(help_text=_("30 working days after registration, on the official calendar."))
    due_provisional = models.BooleanField(default=False)
    reported_on = models.DateField(null=True, blank=True)
    last_reminded_on = models.DateField(null=True, blank=True)


class CentreAnnualReport(models.Model):
    """IIC-13: the 主管单位's annual assessment, reported to 市发展改革委 before year end."""

    centre = models.ForeignKey(IndustryInnovationCentre, on_delete=models.CASCADE, related_name="annual_reports")
    year = models.PositiveSmallIntegerField()
    submitted_on = models.DateField(null=True, blank=True)
    last_reminded_on = models.DateField(null=True, blank=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["centre", "year"], name="one_annual_report_per_year")]
