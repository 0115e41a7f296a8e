"""What the logistics forms share: their widgets' classes."""

from django import forms

SELECT = {"class": "form-select"}
TEXT = {"class": "form-control"}
SMALL_SELECT = forms.Select(attrs={"class": "form-select form-select-sm"})
