from django import template

register = template.Library()


@register.filter
def split_words(text):
    return text.split()


@register.filter
def field_value(form, name):
    """The value a form's field was given (for re-submitting filters as hidden inputs)."""
    return form[name].value() if name in form.fields else None


@register.filter
def get_item(mapping, key):
    """``{{ row.tps|get_item:cls }}``: a dict value by a variable key."""
    return mapping.get(key) if mapping is not None else None
