"""factory_boy factories for people and applications."""
import factory
from django.contrib.auth import get_user_model

from accounts.credit_code import check_digit
from accounts.models import Organisation, Profile, Role
from catalogue.models import Bureau


def credit_code(n: int) -> str:
    first17 = f"915001{n:011d}"
    return first17 + check_digit(first17)


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = get_user_model()

    username = factory.Sequence(lambda n: f"user{n}")
    email = factory.LazyAttribute(lambda u: f"{u.username}@example.test")
    password = factory.django.Password("pw-123456!")


class OrganisationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Organisation

    name = factory.Sequence(lambda n: f"重庆测试科技有限公司{n}")
    credit_code = factory.Sequence(credit_code)
    district = "渝北区"
    org_type = "enterprise"
    status = "verified"


def applicant(organisation=None, **kwargs):
    user = UserFactory(**kwargs)
    Profile.objects.create(user=user, role=Role.APPLICANT, organisation=organisation or OrganisationFactory())
    return user


def officer(bureau: str, **kwargs):
    user = UserFactory(**kwargs)
    Profile.objects.create(user=user, role=Role.OFFICER, bureau=Bureau.objects.get(short_name_zh=bureau))
    return user


# An enterprise that qualifies for FIM-4.2 (lead drafter of an international standard) on 2026-06-01.
STANDARD_FACTS = {
    "org_type": "enterprise",
    "registered_in_chongqing": True,
    "future_industry_field": "embodied_ai",
    "intl_standard_role": "lead",
    "intl_standard_field": "embodied_ai",  # FIM-4.2 tests the standard's own field (issue 9, finding 8)
    "intl_standard_published_on": "2026-03-01",
}


_items = iter(range(10_001, 99_999))


def standard_item() -> str:
    """A new international standard's number: what a FIM-4.2 application is for (就新、不重复 needs one to submit)."""
    return f"ISO {next(_items)}:2026"
