from subsidies.loading import policies_load
from subsidies.models import Clause


def test_loading_twice_changes_nothing(db):
    report = policies_load()

    assert not report.changed
    assert report.version == 1


def test_every_catalogue_code_is_loaded(db):
    codes = set(Clause.objects.values_list("code", flat=True))

    assert len(codes) == 52
    assert {"FIM-1.1", "FIM-7", "FIM-8", "FIM-14", "RIE-1", "PIC-2", "INC-2", "IIC-A2"} <= codes
