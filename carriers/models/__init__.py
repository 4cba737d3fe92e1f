"""The innovation carriers the first four documents build: institutes, complexes, incubation carriers, centres.

Each model carries what its document requires; the registers are filled by recognition
(carriers.recognition), assessed each year (the *Assessment models, IIC-13/14/15), and
measured against the targets (Target) and, for centres, the 附件2 indicators (IICIndicator).
One module per concern; every name is re-exported here, so imports and migrations read carriers.models.
"""
from .assessments import (  # noqa: F401
    Adjustment,
    Assessment,
    CarrierEvent,
    CentreAnnualReport,
    CentreEvaluation,
    CentreFraudFinding,
    ComplexAssessment,
    IncubatorAssessment,
    InstituteAssessment,
)
from .policy_data import (  # noqa: F401
    IICIndicator,
    Target,
)
from .recognition import (  # noqa: F401
    IIC_PLAN_OPTIONAL,
    IIC_PLAN_OUTLINE,
    IIC_PLAN_SUMMARY_MAX,
    IIC_PLAN_TEXT_FIELDS,
    IICEstablishmentPlan,
    IICScoreSheet,
    IICSelfAssessment,
    RecognitionPackage,
)
from .registers import (  # noqa: F401
    IIC_FUNCTIONS,
    IIC_MECHANISMS,
    PIC_GOVERNANCE,
    RIE_FUNCTIONS,
    Carrier,
    CentreChange,
    ComplexMember,
    IncubationCarrier,
    IndustryInnovationCentre,
    IndustryResearchInstitute,
    InnovationComplex,
    Rating,
    RegisterStatus,
    missing_iic_requirements,
    validate_iic_name,
)
