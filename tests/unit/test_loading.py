from catalogue.loading import policies_load
from catalogue.models import Clause


def test_loading_twice_changes_nothing(db):
    report = policies_load()

    assert not report.changed
    assert report.version == 1


def test_every_catalogue_code_is_loaded(db):
    codes = set(Clause.objects.values_list("code", flat=True))

    assert len(codes) == 52
    assert {"FIM-1.1", "FIM-7", "FIM-8", "FIM-14", "RIE-1", "PIC-2", "INC-2", "IIC-A2"} <= codes


def test_a_condition_with_an_unknown_key_is_refused(db, tmp_path):
    import shutil

    import pytest

    from catalogue.loading import FIXTURES, FixtureError

    shutil.copytree(FIXTURES, tmp_path / "fixtures")
    clauses = tmp_path / "fixtures" / "clauses.yaml"
    text = clauses.read_text(encoding="utf-8")
    # the mistake this guards against: an unquoted comma splits a flow-style value into a new key
    clauses.write_text(text.replace('en: "Registered in Chongqing (a municipal policy)"',
                                    "en: Registered in Chongqing, a municipal policy", 1), encoding="utf-8")

    with pytest.raises(FixtureError, match="unknown keys"):
        policies_load(root=tmp_path / "fixtures")


def test_english_condition_messages_are_whole_sentences(db):
    from rules.models import Condition

    message = Condition.objects.filter(clause_rule__clause__code="FIM-1.1", fact="key_core_tech_project",
                                       operator="eq").values_list("message_en", flat=True).first()

    assert message.endswith("the enterprise joint action plan")
