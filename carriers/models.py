"""The innovation carriers the first four documents build: institutes, complexes, incubation carriers, centres.

Each model carries what its document requires; the registers are filled by recognition
(carriers.recognition), assessed each year (the *Assessment models, IIC-13/14/15), and
measured against the targets (Target) and, for centres, the 附件2 indicators (IICIndicator).
"""
from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from rules.patterns import iic_name_ok

# IIC 第十一条（三）and（四）, as the facts vocabulary names them (fixtures/facts.yaml).
IIC_FUNCTIONS = ("rd_product", "commercialisation", "venture_incubation", "ip_operation")
IIC_MECHANISMS = ("talent_incentive", "result_sharing", "collaborative_innovation", "talent_service")
# PIC 二（二）: the complex_governance fact's four values.
PIC_GOVERNANCE = ("council", "expert_committee", "secretariat", "binding_charter")
# RIE 一（二）: the functions of an institute (the rie_functions fact).
RIE_FUNCTIONS = ("rd", "transfer", "pilot", "incubation", "services", "other")  # 等功能: other → officer


class Rating(models.TextChoices):
    """An assessment result, as the facts vocabulary's evaluation facts spell it."""

    EXCELLENT = "excellent", "优秀"
    GOOD = "good", "良好"
    PASS = "pass", "合格"
    FAIL = "fail", "不合格"


class Carrier(models.Model):
    name = models.CharField(max_length=120, unique=True)
    district = models.CharField(max_length=40, blank=True)
    future_industry_field = models.CharField(max_length=40, blank=True)
    recognised_on = models.DateField(null=True, blank=True)
    organisation = models.ForeignKey(
        "accounts.Organisation", on_delete=models.PROTECT, null=True, blank=True, related_name="+",
        help_text=_("The applicant organisation that runs or leads the carrier."),
    )
    application = models.OneToOneField(
        "subsidies.Application", on_delete=models.PROTECT, null=True, blank=True, related_name="+",
        help_text=_("The approved recognition application this entry was created from."),
    )
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

    def clean(self):
        unknown = [f for f in self.functions or [] if f not in RIE_FUNCTIONS]
        if unknown or not self.functions:
            raise ValidationError({"functions": _("State the institute's functions (RIE 一（二）).")}, code="rie_functions")


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
    formed_on = models.DateField(null=True, blank=True)
    operating_as_entity = models.BooleanField(default=False, help_text=_("FIM-2.5: built and run as an entity (实体化运行)."))

    @property
    def governance_complete(self) -> bool:
        return not self.missing_governance()

    def missing_governance(self) -> list[str]:
        """PIC-2's four requirements this complex lacks, as complex_governance values."""
        have = {
            "council": self.has_council,
            "expert_committee": self.has_expert_committee,
            "secretariat": self.has_secretariat,
            "binding_charter": self.charter_signed_on is not None,
        }
        return [item for item in PIC_GOVERNANCE if not have[item]]

    def clean(self):
        missing = self.missing_governance()
        if missing:
            raise ValidationError(
                _("PIC-2 requires a 理事会, a 专家委员会, a 秘书处 and a signed charter or agreement; missing: %(missing)s.")
                % {"missing": ", ".join(missing)},
                code="pic_governance",
            )


class ComplexMember(models.Model):
    complex = models.ForeignKey(InnovationComplex, on_delete=models.CASCADE, related_name="members")
    name = models.CharField(max_length=120)
    role = models.CharField(max_length=40, blank=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["complex", "name"], name="complex_member_unique")]

    def __str__(self):
        return self.name


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

    @property
    def family(self) -> str:
        """INC 一's two kinds: the incubator family (一（一）) or the start-up community (一（二）)."""
        return "community" if self.kind == self.Kind.COMMUNITY else "incubator"


def validate_iic_name(value: str) -> None:
    """IIC 第十二条: centres are named 重庆市××产业创新中心."""
    if not iic_name_ok(value or ""):  # the checker's own test of IIC-12's name condition
        raise ValidationError(_("The name must read 重庆市××产业创新中心."), code="iic_name")


def missing_iic_requirements(*, functions, mechanisms, has_leading_talent: bool, has_rd_facilities: bool) -> list[str]:
    """IIC 第十一条（二）–（四）: what a centre lacks, named by the facts they come from."""
    missing = []
    if not has_leading_talent:
        missing.append("iic_has_leading_talent")
    if not has_rd_facilities:
        missing.append("iic_has_rd_facilities")
    missing += [f"iic_functions.{f}" for f in IIC_FUNCTIONS if f not in (functions or [])]
    missing += [f"iic_mechanisms.{m}" for m in IIC_MECHANISMS if m not in (mechanisms or [])]
    return missing


class IndustryInnovationCentre(Carrier):
    """重庆市产业创新中心 (IIC), managed by its district 主管单位 and decided by 市发展改革委."""

    class Status(models.TextChoices):
        ACTIVE = "active", "正常运行"
        RECTIFYING = "rectifying", "限期整改"
        REMOVED = "removed", "撤销（调出）"

    lead_unit = models.CharField(max_length=120)
    supervising_bureau = models.ForeignKey(
        "catalogue.Bureau", on_delete=models.PROTECT, null=True, blank=True, related_name="supervised_centres"
    )
    legal_entity = models.BooleanField(default=True, help_text=_("第五条: normally run as a legal entity."))
    # 第十一条（二）–（四）
    has_leading_talent = models.BooleanField(default=False)
    has_rd_facilities = models.BooleanField(default=False)
    functions = models.JSONField(default=list, blank=True)
    mechanisms = models.JSONField(default=list, blank=True)
    status = models.CharField(max_length=12, choices=Status.choices, default=Status.ACTIVE,
                              help_text=_("第十四条、第十五条: dynamic adjustment after evaluation or verified fraud."))

    def missing_requirements(self) -> list[str]:
        return missing_iic_requirements(functions=self.functions, mechanisms=self.mechanisms,
                                        has_leading_talent=self.has_leading_talent, has_rd_facilities=self.has_rd_facilities)

    def clean(self):
        validate_iic_name(self.name)
        missing = self.missing_requirements()
        if missing:
            raise ValidationError(
                _("IIC 第十一条's basic requirements are not all met: %(missing)s.") % {"missing": ", ".join(missing)},
                code="iic_requirements",
            )


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


# ---------------------------------------------------------------- recognition packages


class RecognitionPackage(models.Model):
    """What a recognition application adds to its facts: the carrier's name and, for a complex, its members and charter.

    The applicant fills it while the application is a draft (or returned); recognition reads it.
    """

    application = models.OneToOneField("subsidies.Application", on_delete=models.CASCADE, related_name="recognition_package")
    name = models.CharField(max_length=120, blank=True, help_text=_("The carrier's name; the organisation's name if empty."))
    members = models.JSONField(default=list, blank=True, help_text=_("PIC: member units, [{name, role}]."))
    charter_signed_on = models.DateField(null=True, blank=True, help_text=_("PIC-2: the binding charter or agreement."))
    updated_at = models.DateTimeField(auto_now=True)


# 附件1 重庆市产业创新中心组建方案编制提纲: its eight sections and their sub-items, as printed.
IIC_PLAN_SUMMARY_MAX = 2500  # 一、摘要（2500 字以内）
IIC_PLAN_OUTLINE = (
    ("一、摘要（2500 字以内）", (("summary", "摘要"),)),
    ("二、组建依据、背景与意义", (
        ("basis_strategy", "1. 本产业领域在国家战略中的地位与作用"),
        ("basis_market", "2. 国内外产业发展状况、趋势与市场分析"),
        ("basis_problems", "3. 本产业进一步发展需要解决的主要问题"),
        ("basis_significance", "4. 建设产业创新中心的意义与作用"),
    )),
    ("三、组建单位概况和建设条件", (
        ("units_lead", "1. 牵头单位概况"),
        ("units_others", "2. 其他组建单位概况"),
        ("units_results", "3. 产业创新中心拟产业化的重要科技成果"),
        ("units_conditions", "4. 与产业创新中心建设相关的现有基础条件"),
    )),
    ("四、主要方向、任务与目标", (
        ("direction_main", "1. 产业创新中心的主要发展方向"),
        ("direction_tasks", "2. 产业创新中心的主要任务"),
        ("direction_strategy", "3. 产业创新中心的发展战略与经营思路"),
        ("direction_goals", "4. 产业创新中心的近期和中期目标"),
    )),
    ("五、组织机构、管理与运行机制", (
        ("organisation_structure", "1. 产业创新中心的机构设置与职责"),
        ("organisation_people", "2. 主要技术带头人、管理人员概况及技术队伍情况"),
        ("organisation_mechanisms", "3. 运行机制和激励机制"),
    )),
    ("六、建设方案", (
        ("construction_site", "1. 建设地点"),
        ("construction_content", "2. 建设内容"),
        ("construction_schedule", "3. 建设周期与进度安排"),
        ("construction_funding", "4. 资金来源和预算方案"),
        ("construction_benefits", "5. 经济社会效益与风险分析"),
    )),
    ("七、其它需要说明的问题", (("other_matters", "其它需要说明的问题"),)),
    ("八、附件", (
        ("charter", "1. 产业创新中心章程（或相应的公司章程）"),
        ("supporting_documents", "2. 其他配套文件（地方政府相关支持文件，参加组建的单位之间的合作协议等）"),
    )),
)
IIC_PLAN_TEXT_FIELDS = tuple(f for _section, items in IIC_PLAN_OUTLINE for f, _label in items
                             if f not in ("charter", "supporting_documents"))
IIC_PLAN_OPTIONAL = ("other_matters",)  # 七: only where there is something to say


class IICEstablishmentPlan(models.Model):
    """The 组建方案 of an IIC-12 application, one field per sub-item of 附件1's outline."""

    application = models.OneToOneField("subsidies.Application", on_delete=models.CASCADE, related_name="iic_plan")
    summary = models.TextField(blank=True)
    basis_strategy = models.TextField(blank=True)
    basis_market = models.TextField(blank=True)
    basis_problems = models.TextField(blank=True)
    basis_significance = models.TextField(blank=True)
    units_lead = models.TextField(blank=True)
    units_others = models.TextField(blank=True)
    units_results = models.TextField(blank=True)
    units_conditions = models.TextField(blank=True)
    direction_main = models.TextField(blank=True)
    direction_tasks = models.TextField(blank=True)
    direction_strategy = models.TextField(blank=True)
    direction_goals = models.TextField(blank=True)
    organisation_structure = models.TextField(blank=True)
    organisation_people = models.TextField(blank=True)
    organisation_mechanisms = models.TextField(blank=True)
    construction_site = models.TextField(blank=True)
    construction_content = models.TextField(blank=True)
    construction_schedule = models.TextField(blank=True)
    construction_funding = models.TextField(blank=True)
    construction_benefits = models.TextField(blank=True)
    other_matters = models.TextField(blank=True)
    charter = models.ForeignKey("subsidies.Attachment", on_delete=models.SET_NULL, null=True, blank=True, related_name="+")
    supporting_documents = models.ManyToManyField("subsidies.Attachment", blank=True, related_name="+")
    updated_at = models.DateTimeField(auto_now=True)

    def clean(self):
        if len(self.summary) > IIC_PLAN_SUMMARY_MAX:
            raise ValidationError({"summary": _("一、摘要 is at most 2,500 characters.")}, code="too_long")


class IICScoreSheet(models.Model):
    """An officer's 附件2 evaluation form for an IIC-12 application: one sheet per application and bureau."""

    application = models.ForeignKey("subsidies.Application", on_delete=models.CASCADE, related_name="iic_score_sheets")
    bureau = models.ForeignKey("catalogue.Bureau", on_delete=models.PROTECT, related_name="+")
    scored_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    scores = models.JSONField(default=dict, help_text=_("Third-level indicator key → score (a decimal string)."))
    bonus = models.JSONField(default=dict, help_text=_("Bonus item key → score."))
    base_total = models.DecimalField(max_digits=6, decimal_places=2)
    bonus_total = models.DecimalField(max_digits=6, decimal_places=2)
    total = models.DecimalField(max_digits=6, decimal_places=2)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["application", "bureau"], name="one_score_sheet_per_bureau")]


# ---------------------------------------------------------------- cited policy data


class IICIndicator(models.Model):
    """A row of 附件2: a first- or second-level indicator with its points, a third-level one or a bonus item with its weight."""

    class Level(models.TextChoices):
        FIRST = "first", "一级指标"
        SECOND = "second", "二级指标"
        THIRD = "third", "三级指标"
        BONUS_GROUP = "bonus_group", "加分项"
        BONUS = "bonus", "加分项目"

    key = models.CharField(max_length=40, unique=True)
    level = models.CharField(max_length=12, choices=Level.choices)
    parent = models.ForeignKey("self", on_delete=models.CASCADE, null=True, blank=True, related_name="children")
    position = models.PositiveSmallIntegerField()
    name_zh = models.CharField(max_length=120)
    name_en = models.CharField(max_length=200)
    points = models.PositiveSmallIntegerField(help_text=_("Points (first/second level), weight (third level), cap (bonus)."))
    document = models.CharField(max_length=8, default="IIC")
    article = models.CharField(max_length=16, default="A2")
    effective_from = models.DateField()
    effective_to = models.DateField(null=True, blank=True, help_text=_("Exclusive end date; empty when open-ended."))

    def __str__(self):
        return f"{self.key} {self.name_zh} ({self.points})"


class Target(models.Model):
    """A target the documents set for a year (PIC-3, RIE 一（四）), with the measure that computes the actual figure."""

    class Op(models.TextChoices):
        GTE = "gte", "≥"
        GT = "gt", ">"

    key = models.CharField(max_length=40)
    year = models.PositiveSmallIntegerField()
    document = models.CharField(max_length=8)
    article = models.CharField(max_length=16)
    clause = models.CharField(max_length=16, blank=True)
    quote = models.TextField(help_text=_("An exact passage of the cited article."))
    name_zh = models.CharField(max_length=60)
    name_en = models.CharField(max_length=120)
    op = models.CharField(max_length=4, choices=Op.choices)
    value = models.DecimalField(max_digits=12, decimal_places=2)
    unit = models.CharField(max_length=10)
    measure = models.CharField(max_length=40)
    position = models.PositiveSmallIntegerField(default=0)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["key", "year"], name="one_target_per_key_and_year")]

    def __str__(self):
        return f"{self.document} {self.key} {self.year} {self.get_op_display()}{self.value}{self.unit}"
