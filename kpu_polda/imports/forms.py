from django import forms
from django.utils.translation import gettext_lazy as _

from coordination import selectors
from coordination.models import Election
from kpu_polda.base.forms import Form


class ImportUploadForm(Form):
    """The upload of one kind; the election is asked only of kinds that have one."""

    election = forms.ModelChoiceField(queryset=Election.objects.order_by("-voting_day"), label=_("Election"),
                                      required=False, widget=forms.Select(attrs={"class": "form-select"}))
    file = forms.FileField(label=_("CSV file"), widget=forms.ClearableFileInput(
        attrs={"class": "form-control", "accept": ".csv,text/csv"}))

    def __init__(self, *args, kind, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.kind = kind
        if kind.needs_election:
            self.fields["election"].required = True
            self.fields["election"].queryset = selectors.elections_for(user).order_by("-voting_day")
        else:
            del self.fields["election"]
        self.fields["file"].help_text = kind.help_text
