"""The four registers the documents build: institutes, complexes, incubation carriers, centres; what each requires
of an entry (RIE 一（二）, PIC-2, IIC 第十一条、第十二条) and the centres' reported changes (IIC-16)."""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from policy_portal.messages import Message
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


class RegisterStatus(models.TextChoices):
    """Where an entry stands in its register (动态管理): RIE 三（三） "动态运行管理机制", PIC 二（二） "动态管理、容错和退出
    机制", INC 三（二） "动态运行管理机制", IIC 第十四条 "动态调整" and 第十五条 "调整". carriers.services.registers moves it."""

    ACTIVE = "active", "在册运行"
    WARNED = "warned", "预警（限期整改）"
    EXITED = "exited", "退出（撤销、调出）"


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
    status = models.CharField(max_length=12, choices=RegisterStatus.choices, default=RegisterStatus.ACTIVE,
                              help_text=_("Dynamic management: active, warned (rectification ordered) or exited."))
    status_changed_on = models.DateField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        abstract = True

    @property
    def in_register(self) -> bool:
        """Recognised and not exited: what the facts and the targets count."""
        return self.recognised_on is not None and self.status != RegisterStatus.EXITED

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
            raise ValidationError({"functions": ValidationError(Message("rie_functions"), code="rie_functions")})


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
            raise ValidationError(Message("pic_governance", missing=missing), code="pic_governance")


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
        raise ValidationError(Message("iic_name"), code="iic_name")


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

    Status = RegisterStatus  # 第十四条、第十五条: retain → active, 限期整改 → warned, 撤销（调出） → exited

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

    def missing_requirements(self) -> list[str]:
        return missing_iic_requirements(functions=self.functions, mechanisms=self.mechanisms,
                                        has_leading_talent=self.has_leading_talent, has_rd_facilities=self.has_rd_facilities)

    def clean(self):
        validate_iic_name(self.name)
        missing = self.missing_requirements()
        if missing:
            raise ValidationError(Message("iic_requirements", missing=missing), code="iic_requirements")


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
    description = models.TextField(blank=True, help_text=_("What changed (the new name, the new lead unit, …)."))
    declared_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True,
                                    related_name="+")
    reported_on = models.DateField(null=True, blank=True,
                                   help_text=_("The day the 主管单位 reported it to 市发展改革委."))
    reported_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True,
                                    related_name="+")
    confirmed_on = models.DateField(null=True, blank=True, help_text=_("The day 市发展改革委 confirmed it (确认)."))
    confirmed_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True,
                                     related_name="+")
    last_reminded_on = models.DateField(null=True, blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    class State(models.TextChoices):
        PENDING = "pending", "待报送"
        OVERDUE = "overdue", "逾期未报送"
        REPORTED = "reported", "已报送"
        REPORTED_LATE = "reported_late", "逾期报送"
        CONFIRMED = "confirmed", "已确认"

    class Meta:
        indexes = [models.Index(fields=["reported_on", "due_on"], name="centre_change_due_idx")]
        constraints = [
            models.CheckConstraint(condition=Q(reported_on__isnull=True) | Q(reported_on__gte=models.F("registered_on")),
                                   name="centre_change_reported_after_registration"),
            models.CheckConstraint(condition=Q(confirmed_on__isnull=True) | Q(reported_on__isnull=False),
                                   name="centre_change_confirmed_after_report"),
        ]

    def state(self, today) -> str:
        """IIC-16 on `today`: reported (on time or late), confirmed, or still to report (pending or overdue)."""
        if self.confirmed_on:
            return self.State.CONFIRMED
        if self.reported_on:
            return self.State.REPORTED if self.reported_on <= self.due_on else self.State.REPORTED_LATE
        return self.State.OVERDUE if today > self.due_on else self.State.PENDING
