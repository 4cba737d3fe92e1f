"""Writes on the registers: assessments, status (dynamic management), recognition packages, IIC score sheets, and the IIC-13 / IIC-16 reminders.

Each service is keyword-only with an explicit actor, atomic, and writes its CarrierEvent in
the same transaction. Recognition itself is `carriers.recognition.register_from_application`.
"""
from .assessments import (  # noqa: F401
    centre_annual_report_record,
    centre_evaluation_record,
    centre_fraud_record,
    complex_assessment_record,
    incubator_assessment_record,
    institute_assessment_record,
)
from .changes import centre_change_confirm, centre_change_declare, centre_change_report  # noqa: F401
from .packages import iic_plan_save, plan_missing, recognition_package_save  # noqa: F401
from .reminders import (  # noqa: F401
    annual_report_reminders_send,
    centre_change_register,
    change_report_reminders_send,
)
from .registers import STATUS_ACTIONS, register_status_change  # noqa: F401
from .score_sheets import iic_score_sheet_save, iic_self_assessment_save  # noqa: F401
