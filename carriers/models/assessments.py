"""Annual assessments of the registers' entries (RIE-2, PIC-4, INC-2, IIC-13/14/15) and the registers' audit trail."""
from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from .registers import IncubationCarrier, IndustryInnovationCentre, IndustryResearchInstitute, InnovationComplex, Rating


class Assessment(models.Model):
    """One year's assessment of one carrier, entered by an officer of a responsible bureau."""

    year = models.PositiveSmallIntegerField()
    notes = models.TextField(blank=True)
    bureau = models.ForeignKey("catalogue.Bureau", on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    assessed_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        abstract = True


class InstituteAssessment(Assessment):
    """RIE-2 (RIE 三（三）): 按年度分类别开展研究院绩效评估，重点考察未来产业孵化培育等情况."""

    institute = models.ForeignKey(IndustryResearchInstitute, on_delete=models.CASCADE, related_name="assessments")
    category = models.CharField(max_length=20, choices=IndustryResearchInstitute.Mode.choices,
                                help_text=_("The category the institute is assessed in: its development mode."))
    rating = models.CharField(max_length=10, choices=Rating.choices)
    incubated_future_enterprises = models.PositiveIntegerField(default=0)
    technical_services = models.PositiveIntegerField(default=0, help_text=_("含委托研发、技术转让等 (RIE 一（四）)."))

    class Meta:
        constraints = [models.UniqueConstraint(fields=["institute", "year"], name="one_institute_assessment_per_year")]


class ComplexAssessment(Assessment):
    """PIC-4 (PIC 三（三）): 工作效能评估; 对绩效评价优秀的综合体予以命名授牌."""

    complex = models.ForeignKey(InnovationComplex, on_delete=models.CASCADE, related_name="assessments")
    rating = models.CharField(max_length=10, choices=Rating.choices)
    named = models.BooleanField(default=False, help_text=_("Named and given a plaque (命名授牌): rated 优秀."))
    operating_as_entity = models.BooleanField(default=False)
    # The year's figures behind PIC-3's targets (PIC 一（二）).
    rd_spend_yuan = models.BigIntegerField(default=0)
    revenue_yuan = models.BigIntegerField(default=0)
    new_product_sales_yuan = models.BigIntegerField(default=0)
    key_tech_tasks = models.PositiveIntegerField(default=0)
    needs_solved = models.PositiveIntegerField(default=0)
    typical_cases = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["complex", "year"], name="one_complex_assessment_per_year"),
            models.CheckConstraint(
                condition=Q(rd_spend_yuan__gte=0) & Q(revenue_yuan__gte=0) & Q(new_product_sales_yuan__gte=0),
                name="complex_assessment_money_not_negative",
            ),
        ]


class IncubatorAssessment(Assessment):
    """INC-2 (INC 三（二）): 从成果转化率、企业存活率、孵化企业估值等维度进行评价."""

    carrier = models.ForeignKey(IncubationCarrier, on_delete=models.CASCADE, related_name="assessments")
    conversion_rate = models.DecimalField(max_digits=5, decimal_places=2, help_text=_("成果转化率 (%)"))
    survival_rate = models.DecimalField(max_digits=5, decimal_places=2, help_text=_("企业存活率 (%)"))
    incubated_valuation_yuan = models.BigIntegerField(help_text=_("孵化企业估值 (yuan)"))
    rating = models.CharField(max_length=10, choices=Rating.choices)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["carrier", "year"], name="one_incubator_assessment_per_year"),
            models.CheckConstraint(
                condition=Q(conversion_rate__gte=0, conversion_rate__lte=100, survival_rate__gte=0, survival_rate__lte=100)
                & Q(incubated_valuation_yuan__gte=0),
                name="incubator_assessment_in_range",
            ),
        ]


class CentreAnnualReport(models.Model):
    """IIC-13: the 主管单位's annual assessment, reported to 市发展改革委 before year end."""

    centre = models.ForeignKey(IndustryInnovationCentre, on_delete=models.CASCADE, related_name="annual_reports")
    year = models.PositiveSmallIntegerField()
    submitted_on = models.DateField(null=True, blank=True)
    last_reminded_on = models.DateField(null=True, blank=True)
    rating = models.CharField(max_length=10, choices=Rating.choices, blank=True, help_text=_("The 主管单位's 考核 result."))
    summary = models.TextField(blank=True, help_text=_("建设运行情况, and problems coordinated (第十三条)."))
    bureau = models.ForeignKey("catalogue.Bureau", on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    submitted_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+")

    class Meta:
        constraints = [models.UniqueConstraint(fields=["centre", "year"], name="one_annual_report_per_year")]


class Adjustment(models.TextChoices):
    """第十四条 动态调整 and 第十五条 调整: what happens to a centre."""

    RETAIN = "retain", "保留"
    RECTIFY = "rectify", "限期整改"
    REMOVE = "remove", "撤销（调出）"


class CentreEvaluation(models.Model):
    """IIC-14: a third-party evaluation commissioned by 市发展改革委, and the dynamic adjustment that follows."""

    centre = models.ForeignKey(IndustryInnovationCentre, on_delete=models.CASCADE, related_name="evaluations")
    year = models.PositiveSmallIntegerField()
    evaluator = models.CharField(max_length=120, help_text=_("The third-party body (第三方机构)."))
    result = models.CharField(max_length=10, choices=Rating.choices)
    adjustment = models.CharField(max_length=10, choices=Adjustment.choices, default=Adjustment.RETAIN)
    feedback = models.TextField(blank=True, help_text=_("Fed back to the centre and its 主管单位."))
    bureau = models.ForeignKey("catalogue.Bureau", on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["centre", "year"], name="one_centre_evaluation_per_year")]


class CentreFraudFinding(models.Model):
    """IIC-15: verified fraud or violations; the centre is adjusted and the units listed on the credit platform."""

    centre = models.ForeignKey(IndustryInnovationCentre, on_delete=models.CASCADE, related_name="fraud_findings")
    verified_on = models.DateField()
    description = models.TextField()
    adjustment = models.CharField(max_length=10, choices=Adjustment.choices)
    credit_platform_listed = models.BooleanField(default=True, help_text=_("纳入国家统一的信用信息平台."))
    bureau = models.ForeignKey("catalogue.Bureau", on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [models.CheckConstraint(condition=~Q(adjustment="retain"), name="fraud_is_adjusted")]


class CarrierEvent(models.Model):
    """The audit trail of the registers: recognition, assessments, scoring — who, what, when."""

    kind = models.CharField(max_length=12, help_text=_("institute, complex, incubator, centre or application"))
    object_id = models.PositiveBigIntegerField()
    action = models.CharField(max_length=30)
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    bureau = models.ForeignKey("catalogue.Bureau", on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    data = models.JSONField(default=dict, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        indexes = [models.Index(fields=["kind", "object_id"])]

    def __str__(self):
        return f"{self.kind}#{self.object_id} {self.action}"
