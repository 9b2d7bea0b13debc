"""Form helpers shared by the apps."""


def kept_as_initial(form, **current) -> dict:
    """What the user typed into a valid form that came too late (someone else acted first).

    Returned as initial values for a fresh form on the page that now shows the current state,
    so nothing typed is lost; `current` replaces the hidden version fields, so that submitting
    again acts on what the page now shows.
    """
    typed = {name: value for name, value in form.cleaned_data.items() if value not in (None, "")}
    return {**typed, **current}


class OwnIdsMixin:
    """For a form that shares its page with other forms having fields of the same names.

    Its fields get ids of their own, `id_<ids>_<field>`, so labels, hints and error-summary
    links reach this form's field; the field names, which the view reads, stay unprefixed.
    """

    ids = ""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("auto_id", f"id_{self.ids}_%s")
        super().__init__(*args, **kwargs)
