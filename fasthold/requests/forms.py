from django import forms
from django.utils.translation import gettext_lazy as _

from fasthold.meetings.forms import lock_field

REQUIRED_PURPOSE = _("Write a few words about what the meeting should be about.")
REQUIRED_BODY = _("Write your message.")
REQUIRED_ANSWER = _("Write your answer.")


def _too_long(limit: int):
    return _("Keep it under %(limit)s characters.") % {"limit": limit}


class MeetingRequestForm(forms.Form):
    purpose = forms.CharField(
        label=_("What would you like to talk about?"),
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 4}),
        error_messages={"required": REQUIRED_PURPOSE},
    )
    interpreter = forms.BooleanField(label=_("I would like an interpreter"), required=False)
    health_professional = forms.BooleanField(label=_("I would like a health professional present"), required=False)
    video = forms.BooleanField(label=_("I would like to take part by video"), required=False)
    share_with_employer = forms.BooleanField(label=_("My workplace may see this request"), required=False)

    def __init__(self, *args, employee: bool, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["purpose"].error_messages["max_length"] = _too_long(1000)
        if employee:
            self.fields["purpose"].help_text = _("A few words are enough.")
            self.fields["share_with_employer"].help_text = _(
                "If you do not tick this, only your coordinator and the professionals helping you see it."
            )
        else:
            del self.fields["share_with_employer"]
            self.fields["purpose"].help_text = _(
                "Do not write anything about the employee's health or illness: describe the work situation."
            )
            self.fields["interpreter"].label = _("An interpreter is needed")
            self.fields["health_professional"].label = _("A health professional should be present")
            self.fields["video"].label = _("Some will take part by video")


class MessageForm(forms.Form):
    body = forms.CharField(
        label=_("Your message"),
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 5}),
        error_messages={"required": REQUIRED_BODY},
    )
    share_with_employer = forms.BooleanField(label=_("My workplace may read this message"), required=False)

    def __init__(self, *args, employee: bool, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["body"].error_messages["max_length"] = _too_long(2000)
        if employee:
            self.fields["share_with_employer"].help_text = _(
                "If you do not tick this, only your coordinator and the professionals helping you read it."
            )
        else:
            del self.fields["share_with_employer"]
            self.fields["body"].help_text = _(
                "Your coordinator reads this. Do not write anything about the employee's health or illness."
            )


class AnswerForm(forms.Form):
    lock = lock_field()
    answer = forms.CharField(
        label=_("Your answer"),
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 5}),
        error_messages={"required": REQUIRED_ANSWER},
    )
    share_with_employee = forms.BooleanField(
        label=_("Show my answer (not the message) to the employee"),
        required=False,
        help_text=_("Only your answer is shown. Write nothing in it the employee should not read."),
    )
    share_with_employer = forms.BooleanField(
        label=_("Let the workplace read my answer too"),
        required=False,
        help_text=_(
            "The employee shares her message with the workplace, not your answer. If you tick this, the "
            "workplace reads your answer: write nothing in it about her health."
        ),
    )

    def __init__(self, *args, from_employer: bool, shared_by_employee: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["answer"].error_messages["max_length"] = _too_long(2000)
        if not from_employer:
            del self.fields["share_with_employee"]
        if from_employer or not shared_by_employee:
            del self.fields["share_with_employer"]


class LockForm(forms.Form):
    lock = lock_field()
