from crispy_forms.helper import FormHelper
from django import forms
from django.urls import reverse

from content.search import MAX_QUERY


class SearchInput(forms.TextInput):
    input_type = "search"


class SearchForm(forms.Form):
    """The guides' search box. With htmx, results update as a person types on the
    search page; elsewhere the box simply submits."""

    q = forms.CharField(
        label="Search the guides",
        max_length=MAX_QUERY,
        required=False,
        widget=SearchInput(attrs={"class": "govuk-input govuk-input--width-20"}),
    )

    def __init__(self, *args, live: bool = False, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        if live:
            self.fields["q"].widget.attrs |= {
                "hx-get": reverse("content:search"),
                "hx-trigger": "input changed delay:300ms, search",
                "hx-target": "#search-results",
                "hx-swap": "outerHTML",
                "hx-push-url": "true",
            }
        self.helper = FormHelper()
        self.helper.form_tag = False
        self.helper.disable_csrf = True
