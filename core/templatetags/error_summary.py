"""The error summary at the top of every page whose form was refused (GOV.UK pattern).

It looks for bound forms and formsets with errors in the page's context, so every form
gets one without each template remembering to ask for it.
"""

from django import template
from django.forms import BaseForm, BaseFormSet
from django.utils.translation import gettext as _

register = template.Library()


def _forms_in(value):
    if isinstance(value, BaseForm | BaseFormSet):
        yield value
    elif isinstance(value, list | tuple):
        for item in value:
            if isinstance(item, BaseForm | BaseFormSet):
                yield item


def _anchor(bound_field) -> str:
    """The id of the element an error link lands on: the field itself, or the first box of a
    radio or checkbox group and the first input of a multi-part widget (their own id is empty
    so that no label points at one option only)."""
    if bound_field.id_for_label:
        return bound_field.id_for_label
    if bound_field.auto_id:
        return f"{bound_field.auto_id}_0" if bound_field.subwidgets else bound_field.auto_id
    return ""


def _form_errors(form: BaseForm):
    """(message, anchor) for each error of one form, fields in the order they are shown."""
    # A form may say where its own (non-field) errors belong, e.g. the checklist they are about.
    target = getattr(form, "non_field_errors_field", None)
    first = form[target] if target in form.fields else next(iter(form.visible_fields()), None)
    for message in form.non_field_errors():
        yield message, (_anchor(first) if first is not None else "")
    for bound_field in form:
        if bound_field.name in form.errors and not bound_field.is_hidden:
            for message in bound_field.errors:
                # Many messages ("This field is required.") only make sense next to their field.
                # A label written as a sentence ("I have read and accept these terms.") loses its
                # full stop before the colon.
                label = str(bound_field.label or bound_field.name).rstrip(" .:。")
                yield _("%(field)s: %(message)s") % {"field": label, "message": message}, _anchor(bound_field)
    for name in form.errors:
        if name != "__all__" and name in form.fields and form[name].is_hidden:
            # Nothing to type in a hidden field: the link leads to the form instead.
            for message in form.errors[name]:
                yield message, (_anchor(first) if first is not None else "")


def errors_in_context(context) -> list[tuple[str, str]]:
    seen: set[int] = set()
    errors: list[tuple[str, str]] = []
    for value in context.flatten().values():
        for form in _forms_in(value):
            if id(form) in seen or not form.is_bound:
                continue
            seen.add(id(form))
            if isinstance(form, BaseFormSet):
                errors.extend((message, "") for message in form.non_form_errors())
                for member in form.forms:
                    if id(member) not in seen:
                        seen.add(id(member))
                        errors.extend(_form_errors(member))
            else:
                errors.extend(_form_errors(form))
    unique: list[tuple[str, str]] = []
    for error in errors:
        if error not in unique:
            unique.append(error)
    return unique


@register.inclusion_tag("includes/error_summary.html", takes_context=True)
def error_summary(context):
    return {"errors": errors_in_context(context)}
