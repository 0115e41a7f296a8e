"""Forms of the information exchange register's pages: input rules from
kpu_polda.base.forms; the services decide the rest."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from coordination import policies
from coordination.choices import Classification, ExchangeKind
from coordination.models import Agency
from kpu_polda.base.forms import Form

from . import DATE, SELECT, TEXT

FILE_TYPES = ".pdf,.docx,.pptx,.xlsx,.odt,.odp,.ods,.jpg,.jpeg,.png"
FILE_HELP = _("PDF, office document or image.")


def _agencies(queryset):
    return queryset.select_related("jurisdiction").defer("jurisdiction__boundary")


def sender_choices(user):
    """The agencies ``user`` may record for: their own, or for the secretariat every
    agency inside its scope."""
    if policies.is_secretariat(user):
        return _agencies(policies.scope_agencies_below(Agency.objects.all(), user))
    return _agencies(Agency.objects.filter(pk=user.agency_id))


class ExchangeForm(Form):
    kind = forms.ChoiceField(label=_("Kind"), choices=ExchangeKind.choices, widget=forms.Select(attrs=SELECT))
    from_agency = forms.ModelChoiceField(label=_("From (sending agency)"), queryset=Agency.objects.none(),
                                         widget=forms.Select(attrs=SELECT))
    to_agency = forms.ModelChoiceField(label=_("To (receiving agency)"), queryset=Agency.objects.none(),
                                       widget=forms.Select(attrs=SELECT))
    subject = forms.CharField(label=_("Subject"), max_length=200, widget=forms.TextInput(attrs=TEXT))
    purpose = forms.CharField(label=_("Purpose"), widget=forms.Textarea(attrs={**TEXT, "rows": 3}),
                              help_text=_("What the information is needed for, or why it is shared."))
    legal_basis = forms.CharField(label=_("Legal basis"), max_length=300, required=False,
                                  widget=forms.TextInput(attrs=TEXT),
                                  help_text=_("The rule that allows it, e.g. UU 27/2022 Pelindungan Data Pribadi, "
                                              "PKPU 8/2022. Required for a limited or confidential request."))
    classification = forms.ChoiceField(label=_("Classification"), choices=Classification.choices,
                                       initial=Classification.PUBLIC, widget=forms.Select(attrs=SELECT),
                                       help_text=_("Limited and confidential entries are seen by the two agencies "
                                                   "and the secretariat only; every look at a confidential one "
                                                   "is logged."))
    response_due_on = forms.DateField(label=_("Answer due by"), required=False, widget=DATE,
                                      help_text=_("For a request: the date the answer is due (WITA)."))
    content = forms.CharField(label=_("Information shared"), required=False,
                              widget=forms.Textarea(attrs={**TEXT, "rows": 4}),
                              help_text=_("For information shared: what is given."))
    attachment = forms.FileField(label=_("Attachment (optional)"), required=False, help_text=FILE_HELP,
                                 widget=forms.ClearableFileInput(attrs={**TEXT, "accept": FILE_TYPES}))
    attachment_title = forms.CharField(label=_("Attachment title"), max_length=200, required=False,
                                       widget=forms.TextInput(attrs=TEXT))

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["from_agency"].queryset = sender_choices(user)
        self.fields["to_agency"].queryset = _agencies(policies.scope_agencies(Agency.objects.all(), user))


class AnswerForm(Form):
    answer = forms.CharField(label=_("Answer"), widget=forms.Textarea(attrs={**TEXT, "rows": 4}))


class WithdrawForm(Form):
    reason = forms.CharField(label=_("Reason"), max_length=500, widget=forms.TextInput(attrs=TEXT))


class AttachmentForm(Form):
    file = forms.FileField(label=_("File"), help_text=FILE_HELP,
                           widget=forms.ClearableFileInput(attrs={**TEXT, "accept": FILE_TYPES}))
    title = forms.CharField(label=_("Title"), max_length=200, required=False, widget=forms.TextInput(attrs=TEXT),
                            help_text=_("The file's name when left empty."))
