"""Decision forms whose extra fields depend on the outcome chosen (review, vetting, moderation,
concerns).

The form names, per group of fields, the outcomes they belong to (`outcome_groups`); the page
shows each group as a fieldset whose legend says which outcomes it is for, so without CSS or
JavaScript every field is visible and clearly grouped. static/css/app.css hides, with `:has()`,
the groups that do not belong to the chosen outcome (the browser needs no script), and turns the
submit button red only when the chosen outcome is marked dangerous (`data-danger` on its radio).
Hidden fields keep what was typed in them: choosing another outcome and back loses nothing.
"""

from __future__ import annotations

from dataclasses import dataclass

from django import forms


class OutcomeRadioSelect(forms.RadioSelect):
    """Radios whose dangerous outcomes (a suspension, a removal) carry `data-danger`."""

    def __init__(self, *args, danger=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.danger = {str(value) for value in danger}

    def __deepcopy__(self, memo):
        copy = super().__deepcopy__(memo)
        copy.danger = set(self.danger)
        return copy

    def create_option(self, name, value, label, selected, index, subindex=None, attrs=None):
        option = super().create_option(name, value, label, selected, index, subindex=subindex, attrs=attrs)
        if str(value) in self.danger:
            option["attrs"]["data-danger"] = "true"
        return option


@dataclass(frozen=True)
class OutcomeGroup:
    outcomes: tuple[str, ...]
    legend: str
    fields: tuple[str, ...]


class OutcomeFieldsMixin:
    """Lays a decision form out as: the outcome radios, the fields every outcome uses, then one
    fieldset per group of outcome-specific fields (`outcome_layout` in the template)."""

    outcome_field = "outcome"
    outcome_groups: tuple[OutcomeGroup, ...] = ()

    def outcome_layout(self) -> dict:
        offered = {str(value) for value, _label in self.fields[self.outcome_field].choices}
        grouped = {name for group in self.outcome_groups for name in group.fields}
        common = [
            self[name]
            for name, field in self.fields.items()
            if name != self.outcome_field and name not in grouped and not field.widget.is_hidden
        ]
        groups = []
        for group in self.outcome_groups:
            outcomes = [str(outcome) for outcome in group.outcomes if str(outcome) in offered]
            fields = [self[name] for name in group.fields if name in self.fields]
            if outcomes and fields:
                groups.append(
                    {
                        "outcomes": outcomes,
                        # One class a outcome: app.css shows the group when a radio of that value is checked.
                        "classes": " ".join(f"for-{outcome}" for outcome in outcomes),
                        "legend": group.legend,
                        "fields": fields,
                    }
                )
        return {"choice": self[self.outcome_field], "common": common, "groups": groups}
