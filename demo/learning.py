"""Demo content of the Learning Centre, in the project's own words and marked as demo text.

A short responsible-use module and a wellbeing article in all six languages, items for six
workflow steps in English only (so readers in other languages see the fallback notice), one
item translated into French only, and one item overdue for review. Idempotent: an item whose
address name exists is left alone. Everything goes through the Learning Centre's services, so
versions, search index and audit records are real.
"""

from __future__ import annotations

import datetime

from django.utils import timezone

from accounts.models import User
from learning import services
from learning.models import Item, ItemText, Kind, Level, Section, Topic

MODULE = {
    "en": (
        "Demo text — Using AI tools responsibly",
        "Demo text: a short module for investigators who consider an AI tool.",
        "Demo text, written for the demo hub.\n\n"
        "## Inclusion is not endorsement\n\n"
        "A tool listed in the catalogue has been described by its provider. The coordinators have not "
        "tested, assessed or certified it. Read every answer, and every missing answer, as the provider's own claim.\n\n"
        "## Questions to ask a provider\n\n"
        "- On which data was the model trained, and was that data obtained lawfully?\n"
        "- How were errors and bias measured, on which test set, and by whom?\n"
        "- Can the tool run inside your agency, without sending material elsewhere?\n\n"
        "## Data protection and human oversight\n\n"
        "A tool suggests; an investigator decides. Keep a person reviewing every result that affects a case, "
        "and record what the tool did so that the decision can be explained later.\n",
        "? Does inclusion in the catalogue mean a tool was assessed by the coordinators?\n"
        "- Yes\n* No\n\n"
        "? Who takes the decision when a tool flags material?\n"
        "* An investigator\n- The tool\n- The provider\n",
    ),
    "fr": (
        "Texte de démonstration — Utiliser les outils d’IA de façon responsable",
        "Texte de démonstration : un court module pour les enquêteurs qui envisagent un outil d’IA.",
        "Texte de démonstration, écrit pour le hub de démonstration.\n\n"
        "## Figurer au catalogue n’est pas une recommandation\n\n"
        "Un outil du catalogue est décrit par son fournisseur. Les coordinateurs ne l’ont ni testé, ni évalué, "
        "ni certifié. Lisez chaque réponse, et chaque absence de réponse, comme une affirmation du fournisseur.\n\n"
        "## Questions à poser à un fournisseur\n\n"
        "- Sur quelles données le modèle a-t-il été entraîné, et ont-elles été obtenues légalement ?\n"
        "- Comment les erreurs et les biais ont-ils été mesurés, sur quel jeu de test, et par qui ?\n"
        "- L’outil peut-il fonctionner dans votre service, sans envoyer de contenu ailleurs ?\n\n"
        "## Protection des données et contrôle humain\n\n"
        "Un outil suggère ; un enquêteur décide. Faites vérifier par une personne chaque résultat qui touche "
        "une affaire, et consignez ce que l’outil a fait pour pouvoir expliquer la décision.\n",
        "? Figurer au catalogue signifie-t-il que les coordinateurs ont évalué l’outil ?\n"
        "- Oui\n* Non\n\n"
        "? Qui décide lorsqu’un outil signale un contenu ?\n"
        "* Un enquêteur\n- L’outil\n- Le fournisseur\n",
    ),
    "es": (
        "Texto de demostración — Usar herramientas de IA de forma responsable",
        "Texto de demostración: un módulo breve para investigadores que evalúan una herramienta de IA.",
        "Texto de demostración, escrito para el hub de demostración.\n\n"
        "## Estar en el catálogo no es un aval\n\n"
        "Cada herramienta del catálogo la describe su proveedor. Los coordinadores no la han probado, evaluado "
        "ni certificado. Lea cada respuesta, y cada respuesta que falta, como una afirmación del proveedor.\n\n"
        "## Preguntas para un proveedor\n\n"
        "- ¿Con qué datos se entrenó el modelo y se obtuvieron de forma legal?\n"
        "- ¿Cómo se midieron los errores y los sesgos, con qué conjunto de prueba y quién lo hizo?\n"
        "- ¿Puede la herramienta funcionar dentro de su organismo, sin enviar material a otro lugar?\n\n"
        "## Protección de datos y supervisión humana\n\n"
        "La herramienta sugiere; el investigador decide. Que una persona revise cada resultado que afecte a un "
        "caso, y registre lo que hizo la herramienta para poder explicar la decisión.\n",
        "? ¿Estar en el catálogo significa que los coordinadores evaluaron la herramienta?\n"
        "- Sí\n* No\n\n"
        "? ¿Quién decide cuando una herramienta señala un material?\n"
        "* Un investigador\n- La herramienta\n- El proveedor\n",
    ),
    "ru": (
        "Демонстрационный текст — Ответственное использование инструментов ИИ",
        "Демонстрационный текст: короткий модуль для следователей, выбирающих инструмент ИИ.",
        "Демонстрационный текст, написанный для демонстрационной платформы.\n\n"
        "## Включение в каталог — не одобрение\n\n"
        "Инструмент в каталоге описан его поставщиком. Координаторы его не проверяли, не оценивали и не "
        "сертифицировали. Читайте каждый ответ и каждое отсутствие ответа как заявление поставщика.\n\n"
        "## Вопросы поставщику\n\n"
        "- На каких данных обучалась модель и получены ли они законно?\n"
        "- Как измерялись ошибки и предвзятость, на каком наборе данных и кем?\n"
        "- Может ли инструмент работать внутри вашего ведомства, не отправляя материалы наружу?\n\n"
        "## Защита данных и контроль человека\n\n"
        "Инструмент предлагает, решает следователь. Каждый результат, влияющий на дело, должен проверять "
        "человек; записывайте, что сделал инструмент, чтобы решение можно было объяснить.\n",
        "? Означает ли включение в каталог, что координаторы оценили инструмент?\n"
        "- Да\n* Нет\n\n"
        "? Кто принимает решение, когда инструмент отмечает материал?\n"
        "* Следователь\n- Инструмент\n- Поставщик\n",
    ),
    "zh-hans": (
        "演示文本 — 负责任地使用人工智能工具",
        "演示文本：为考虑使用人工智能工具的调查人员准备的简短模块。",
        "演示文本，为演示平台编写。\n\n"
        "## 收录不等于认可\n\n"
        "目录中的工具由其提供方自行描述。协调方没有测试、评估或认证这些工具。"
        "请把每一个回答以及每一个缺失的回答都视为提供方自己的说法。\n\n"
        "## 向提供方提出的问题\n\n"
        "- 模型使用哪些数据训练？这些数据是否合法取得？\n"
        "- 错误和偏差如何测量？使用哪个测试集？由谁测量？\n"
        "- 该工具能否在本机构内部运行，而不把材料发送到别处？\n\n"
        "## 数据保护与人工监督\n\n"
        "工具提出建议，调查人员作出决定。凡影响案件的结果都应由人复核，并记录工具做了什么，以便日后解释决定。\n",
        "? 被收录进目录是否意味着协调方评估过该工具？\n- 是\n* 否\n\n? 工具标记出材料时，由谁作出决定？\n* 调查人员\n- 工具\n- 提供方\n",
    ),
    "ar": (
        "نص تجريبي — استخدام أدوات الذكاء الاصطناعي بمسؤولية",
        "نص تجريبي: وحدة قصيرة للمحققين الذين يفكرون في استخدام أداة ذكاء اصطناعي.",
        "نص تجريبي كُتب للمنصة التجريبية.\n\n"
        "## الإدراج في الدليل ليس تزكية\n\n"
        "يصف كل أداة في الدليل مزوّدُها. لم يختبرها المنسقون ولم يقيّموها ولم يعتمدوها. "
        "اقرأ كل إجابة، وكل إجابة غائبة، على أنها قول المزوّد نفسه.\n\n"
        "## أسئلة تطرحها على المزوّد\n\n"
        "- على أي بيانات دُرّب النموذج، وهل حُصل عليها بصورة قانونية؟\n"
        "- كيف قيست الأخطاء والتحيز، وعلى أي مجموعة اختبار، ومن قاسها؟\n"
        "- هل يمكن تشغيل الأداة داخل جهازك دون إرسال المواد إلى جهة أخرى؟\n\n"
        "## حماية البيانات والإشراف البشري\n\n"
        "الأداة تقترح والمحقق يقرر. اجعل شخصًا يراجع كل نتيجة تؤثر في قضية، "
        "وسجّل ما فعلته الأداة كي يمكن شرح القرار لاحقًا.\n",
        "? هل يعني الإدراج في الدليل أن المنسقين قيّموا الأداة؟\n- نعم\n* لا\n\n"
        "? من يتخذ القرار عندما تشير الأداة إلى مادة ما؟\n* المحقق\n- الأداة\n- المزوّد\n",
    ),
}

WELLBEING = {
    "en": (
        "Demo text — After a day of reviewing material",
        "Demo text: small habits that help investigators who review distressing material.",
        "Demo text, written for the demo hub.\n\n"
        "Reviewing abuse material affects everyone who does it. Plan short breaks away from the screen, "
        "switch to other work before the end of the day, and talk to your agency's support service early, "
        "not only when things feel heavy.\n",
    ),
    "fr": (
        "Texte de démonstration — Après une journée d’examen de contenus",
        "Texte de démonstration : de petites habitudes qui aident les enquêteurs exposés à des contenus pénibles.",
        "Texte de démonstration, écrit pour le hub de démonstration.\n\n"
        "Examiner des contenus d’abus affecte toutes celles et ceux qui le font. Prévoyez de courtes pauses loin "
        "de l’écran, passez à d’autres tâches avant la fin de la journée et parlez tôt au service de soutien de "
        "votre institution, pas seulement quand cela devient lourd.\n",
    ),
    "es": (
        "Texto de demostración — Después de un día revisando material",
        "Texto de demostración: pequeños hábitos que ayudan a quienes revisan material perturbador.",
        "Texto de demostración, escrito para el hub de demostración.\n\n"
        "Revisar material de abuso afecta a todas las personas que lo hacen. Planifique pausas breves lejos de "
        "la pantalla, cambie a otras tareas antes de terminar la jornada y hable pronto con el servicio de apoyo "
        "de su organismo, no solo cuando la carga pese.\n",
    ),
    "ru": (
        "Демонстрационный текст — После дня просмотра материалов",
        "Демонстрационный текст: простые привычки для тех, кто просматривает тяжёлые материалы.",
        "Демонстрационный текст, написанный для демонстрационной платформы.\n\n"
        "Просмотр материалов о насилии сказывается на каждом, кто этим занимается. Делайте короткие перерывы "
        "вдали от экрана, переключайтесь на другую работу до конца дня и обращайтесь в службу поддержки "
        "своего ведомства заранее, а не только когда становится тяжело.\n",
    ),
    "zh-hans": (
        "演示文本 — 审看材料的一天之后",
        "演示文本：帮助审看令人不安材料的调查人员的一些小习惯。",
        "演示文本，为演示平台编写。\n\n"
        "审看虐待材料会影响每一位从事这项工作的人。请安排离开屏幕的短暂休息，在一天结束前转做其他工作，"
        "并尽早联系本机构的支持服务，而不是等到感到沉重时才联系。\n",
    ),
    "ar": (
        "نص تجريبي — بعد يوم من مراجعة المواد",
        "نص تجريبي: عادات بسيطة تساعد المحققين الذين يراجعون مواد مؤلمة.",
        "نص تجريبي كُتب للمنصة التجريبية.\n\n"
        "تؤثر مراجعة مواد الاعتداء في كل من يقوم بها. خطّط لاستراحات قصيرة بعيدًا عن الشاشة، "
        "وانتقل إلى عمل آخر قبل نهاية اليوم، وتحدّث مبكرًا مع خدمة الدعم في جهازك، لا فقط حين يثقل عليك الأمر.\n",
    ),
}

# (slug, step, title, body): English only, so that other readers see the fallback notice.
STEP_ITEMS = [
    (
        "demo-referral-intake",
        "referral-intake",
        "Demo text — Reading a referral before acting on it",
        "Demo text. Check where a referral comes from, what it contains and what is missing before you plan "
        "any step; note every identifier exactly as received.",
    ),
    (
        "demo-triage-queue",
        "triage",
        "Demo text — Ordering a triage queue",
        "Demo text. Put first the cases where a child may be at risk now; a tool's score is one input to that "
        "decision, never the decision.",
    ),
    (
        "demo-acquisition-notes",
        "acquisition-extraction",
        "Demo text — Notes that make an extraction repeatable",
        "Demo text. Write down the device, the tool and its version, and every setting, so that another examiner "
        "could repeat the extraction.",
    ),
    (
        "demo-victim-identification",
        "victim-identification",
        "Demo text — Clues in the background of an image",
        "Demo text. Objects, signs and light in the background can narrow down a place; share findings only "
        "through your agency's channels.",
    ),
    (
        "demo-osint-footprint",
        "offender-identification",
        "Demo text — Your own footprint during open-source research",
        "Demo text. Use the research set-up your agency provides; every visit to a site can leave a trace.",
    ),
    (
        "demo-case-file",
        "case-building",
        "Demo text — Describing a tool's role in a case file",
        "Demo text. Say which tool was used, for what, and which person checked its results.",
    ),
]

FRENCH_ONLY_TRANSLATION = (
    "demo-triage-queue",
    "Texte de démonstration — Ordonner une file de tri",
    "Texte de démonstration. Traitez d’abord les affaires où un enfant peut être en danger maintenant ; le score "
    "d’un outil est un élément de cette décision, jamais la décision.",
)
OVERDUE_SLUG = "demo-case-file"


def _publish_all(item: Item, texts: dict, coordinator: User) -> None:
    for code, values in texts.items():
        title, summary, body = values[:3]
        check_text = values[3] if len(values) > 3 else ""
        if code == item.original_language:
            text = ItemText.objects.get(item=item, language=code)
        else:
            text = services.save_text(
                item, code, coordinator, title=title, summary=summary, body=body, check_text=check_text
            )
        services.publish(services.submit(text, coordinator), coordinator)


def seed_learning(coordinator: User) -> None:
    topics = {topic.slug: topic for topic in Topic.objects.all()}
    if not Item.objects.filter(slug="demo-responsible-ai").exists():
        title, summary, body, check_text = MODULE["en"]
        item = services.create_item(
            coordinator,
            slug="demo-responsible-ai",
            kind=Kind.MODULE,
            section=Section.RESPONSIBLE_AI,
            level=Level.INTRODUCTORY,
            reading_minutes=10,
            original_language="en",
            topics=[topics[slug] for slug in ("responsible-ai", "data-protection") if slug in topics],
            steps=["triage", "media-review"],
            title=title,
            summary=summary,
            body=body,
            check_text=check_text,
        )
        _publish_all(item, MODULE, coordinator)
    if not Item.objects.filter(slug="demo-wellbeing").exists():
        title, summary, body = WELLBEING["en"]
        item = services.create_item(
            coordinator,
            slug="demo-wellbeing",
            kind=Kind.ARTICLE,
            section=Section.WELLBEING,
            level=Level.INTRODUCTORY,
            reading_minutes=3,
            original_language="en",
            distressing=True,
            topics=[topics[slug] for slug in ("wellbeing",) if slug in topics],
            steps=["media-review", "investigator-wellbeing"],
            title=title,
            summary=summary,
            body=body,
        )
        _publish_all(item, WELLBEING, coordinator)
    for slug, step, title, body in STEP_ITEMS:
        if Item.objects.filter(slug=slug).exists():
            continue
        item = services.create_item(
            coordinator,
            slug=slug,
            kind=Kind.ARTICLE,
            section=Section.GENERAL,
            level=Level.PRACTITIONER,
            reading_minutes=2,
            original_language="en",
            topics=[topics["digital-forensics"]] if "digital-forensics" in topics else [],
            steps=[step],
            title=title,
            body=body,
        )
        texts = {"en": (title, "", body)}
        if slug == FRENCH_ONLY_TRANSLATION[0]:
            texts["fr"] = (FRENCH_ONLY_TRANSLATION[1], "", FRENCH_ONLY_TRANSLATION[2])
        _publish_all(item, texts, coordinator)
        if slug == OVERDUE_SLUG:
            # Shows on the coordinators' overdue list (and in their inbox once the worker runs).
            Item.objects.filter(pk=item.pk).update(last_reviewed_on=timezone.localdate() - datetime.timedelta(days=400))
