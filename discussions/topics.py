"""The topic spaces discussions start with: one per investigative workflow step, then the hub's
two cross-cutting topics. Plain data and a pure function, so the data migration can use them."""


def topic_space_specs(workflow_steps: list[tuple[str, dict]]) -> list[tuple[str, dict, int]]:
    """(slug, names, order) of the seeded topic spaces: one per workflow step (named as the
    questionnaire's option, found again by its value), then the hub's two cross-cutting topics."""
    specs = [(value, dict(labels), index) for index, (value, labels) in enumerate(workflow_steps)]
    base = len(specs)
    specs.append((WELLBEING, dict(WELLBEING_NAMES), base))
    specs.append((RESPONSIBLE_AI, dict(RESPONSIBLE_AI_NAMES), base + 1))
    return specs


WELLBEING = "investigator-wellbeing"
RESPONSIBLE_AI = "responsible-use-of-ai"
# Content, like the questionnaire's option labels: stored on the space and editable by coordinators.
WELLBEING_NAMES = {
    "en": "Investigator wellbeing",
    "fr": "Bien-être des enquêteurs",
    "es": "Bienestar de los investigadores",
    "ar": "رفاه المحققين",
    "ru": "Благополучие следователей",
    "zh-hans": "调查人员身心健康",
}
RESPONSIBLE_AI_NAMES = {
    "en": "Responsible use of AI",
    "fr": "Usage responsable de l’IA",
    "es": "Uso responsable de la IA",
    "ar": "الاستخدام المسؤول للذكاء الاصطناعي",
    "ru": "Ответственное использование ИИ",
    "zh-hans": "负责任地使用人工智能",
}
