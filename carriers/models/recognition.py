"""What an applicant adds to a recognition application (the carrier's name and members; an IIC-12 组建方案 following
附件1) and the officers' 附件2 score sheets."""
from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _

from policy_portal.messages import Message

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
            raise ValidationError({"summary": ValidationError(Message("too_long", limit=IIC_PLAN_SUMMARY_MAX),
                                                              code="too_long")})


class ScoredForm(models.Model):
    """The 附件2 evaluation form's figures, as an officer or the applicant filled them in."""

    scores = models.JSONField(default=dict, help_text=_("Third-level indicator key → score (a decimal string)."))
    bonus = models.JSONField(default=dict, help_text=_("Bonus item key → score."))
    base_total = models.DecimalField(max_digits=6, decimal_places=2)
    bonus_total = models.DecimalField(max_digits=6, decimal_places=2)
    total = models.DecimalField(max_digits=6, decimal_places=2)

    class Meta:
        abstract = True


class IICScoreSheet(ScoredForm):
    """An officer's 附件2 evaluation form for an IIC-12 application: one sheet per application and bureau."""

    application = models.ForeignKey("subsidies.Application", on_delete=models.CASCADE, related_name="iic_score_sheets")
    bureau = models.ForeignKey("catalogue.Bureau", on_delete=models.PROTECT, related_name="+")
    scored_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["application", "bureau"], name="one_score_sheet_per_bureau")]


class IICSelfAssessment(ScoredForm):
    """The applicant's own 附件2 evaluation form, part of an IIC-12 application and required before it is submitted;
    both stages of reviewers (the district 主管单位, then 市发展改革委) read it beside their own score sheets."""

    application = models.OneToOneField("subsidies.Application", on_delete=models.CASCADE, related_name="iic_self_assessment")
    scored_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    updated_at = models.DateTimeField(auto_now=True)

    def __str__(self):
        return f"{self.application_id}: {self.total}"
