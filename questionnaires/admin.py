from django.contrib import admin

from core.admin_mixins import ReadOnlyAdminMixin

from .models import Option, Question, Questionnaire, QuestionnaireVersion, Section


@admin.register(Questionnaire)
class QuestionnaireAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    """Raw data only: versions are drafted, edited and published in the product's editor."""

    list_display = ["key", "order"]
    readonly_fields = ["key", "names", "order"]


@admin.register(QuestionnaireVersion)
class QuestionnaireVersionAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    list_display = ["questionnaire", "number", "status", "created_at", "published_at"]
    list_filter = ["questionnaire", "status"]
    list_select_related = ["questionnaire"]
    readonly_fields = ["questionnaire", "number", "status", "created_at", "created_by", "published_at"]


@admin.register(Section)
class SectionAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    list_display = ["version", "key", "order"]
    list_filter = ["version__questionnaire"]
    list_select_related = ["version__questionnaire"]
    readonly_fields = ["version", "key", "order", "titles"]


@admin.register(Question)
class QuestionAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    list_display = ["version", "section", "key", "type", "required", "is_criterion", "order"]
    list_filter = ["version__questionnaire", "type", "is_criterion"]
    list_select_related = ["version__questionnaire", "section__version__questionnaire"]
    search_fields = ["key"]
    readonly_fields = [
        "version",
        "section",
        "key",
        "order",
        "type",
        "labels",
        "help_texts",
        "required",
        "is_criterion",
    ]


@admin.register(Option)
class OptionAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    list_display = ["question", "value", "order"]
    list_select_related = ["question__version__questionnaire"]
    search_fields = ["value", "question__key"]
    readonly_fields = ["question", "value", "order", "labels"]
