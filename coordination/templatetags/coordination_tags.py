from django import template

register = template.Library()


@register.filter
def get_item(mapping, key):
    """``{{ row.tps|get_item:cls }}``: a dict value by a variable key."""
    return mapping.get(key) if mapping is not None else None
