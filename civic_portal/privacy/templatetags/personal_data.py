from django import template

from civic_portal.privacy.register import DataKind, kinds_in_order

register = template.Library()


@register.simple_tag
def personal_data_kinds() -> list[DataKind]:
    """Return the kinds of personal data in the order the register lists them."""
    return kinds_in_order()
