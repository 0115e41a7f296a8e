"""Small helpers for what a person sees: class labels for the stacked phone tables, the
region picker's names, and coordinates in words."""

from decimal import Decimal

from django import template
from django.urls import reverse
from django.utils.translation import gettext as _

from coordination import selectors
from coordination.choices import PolriClass

register = template.Library()


@register.filter
def polri_class_label(value):
    """The label of a Polri class code ("" and unknown codes read as unclassified)."""
    try:
        return PolriClass(value).label
    except ValueError:
        return _("Unclassified")


@register.filter
def zip_with(first, second):
    """``{% for stage, score in columns|zip_with:row.cells %}``: two lists side by side."""
    return zip(first, second, strict=True)  # one cell per column, by construction


@register.inclusion_tag("coordination/partials/region_options.html", takes_context=True)
def region_options(context):
    """A datalist of the regions a filter can be narrowed to (selectors.region_picker_options),
    so it can be filled by typing a name (the option's label) while it still sends the code."""
    return {"regions": selectors.region_picker_options(context["request"].user)}


def _coordinate(value, positive: str, negative: str) -> str:
    number = Decimal(value)
    hemisphere = positive if number >= 0 else negative
    return f"{abs(number):.5f}° {hemisphere}"


@register.simple_tag
def coordinates(latitude, longitude):
    """"0.49500° S, 117.15000° E" in the current language (LU/LS, BT/BB in Indonesian),
    or "" when either is missing."""
    if latitude is None or longitude is None:
        return ""
    # Translators: hemisphere letters after a latitude/longitude.
    north, south, east, west = _("N"), _("S"), _("E"), _("W")
    return f"{_coordinate(latitude, north, south)}, {_coordinate(longitude, east, west)}"


@register.simple_tag
def map_url(latitude, longitude):
    """The project's own map page, centred on the point (no external map site)."""
    return f"{reverse('coordination:risk-map')}?lat={Decimal(latitude):.6f}&lon={Decimal(longitude):.6f}"
