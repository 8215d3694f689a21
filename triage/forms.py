from crispy_forms.helper import FormHelper
from crispy_forms.layout import Field, Layout
from django import forms

from triage.engine import Question, get_ruleset


class AnswerForm(forms.Form):
    """One question of the self-check, answered by choosing one option."""

    answer = forms.ChoiceField(widget=forms.RadioSelect)

    def __init__(self, question: Question, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.question = question
        field = self.fields["answer"]
        field.label = question.text
        field.help_text = question.help
        field.choices = [(choice.value, choice.label) for choice in question.choices]
        field.error_messages = {"required": question.error, "invalid_choice": question.error}
        self.helper = FormHelper()
        self.helper.form_tag = False
        self.helper.disable_csrf = True
        # The question is the page's heading, so its legend is the h1.
        self.helper.layout = Layout(Field("answer", template="triage/_question_field.html"))

    def clean_answer(self) -> str:
        try:
            return get_ruleset().validate_answer(self.question.id, self.cleaned_data["answer"])
        except ValueError as error:
            raise forms.ValidationError(str(error)) from error
