# Free-text search of learning content, as for the catalogue's tools (catalogue migrations 0002
# and 0004): one search-text row per published language version; on SQLite an FTS5 mirror kept
# by triggers, on PostgreSQL a stored tsvector column with a GIN index read through a function.
# Both see the same pre-tokenised, lower-cased words (discovery.search.normalise_words).
# Also the first topics, which coordinators then edit.

from django.db import migrations

SQLITE_FORWARD = [
    "CREATE VIRTUAL TABLE learning_itemsearch_fts USING fts5(text, tokenize='unicode61 remove_diacritics 2')",
    """CREATE TRIGGER learning_itemsearch_ai AFTER INSERT ON learning_itemsearchtext BEGIN
         INSERT INTO learning_itemsearch_fts(rowid, text) VALUES (new.id, new.text);
       END""",
    """CREATE TRIGGER learning_itemsearch_au AFTER UPDATE ON learning_itemsearchtext BEGIN
         DELETE FROM learning_itemsearch_fts WHERE rowid = old.id;
         INSERT INTO learning_itemsearch_fts(rowid, text) VALUES (new.id, new.text);
       END""",
    """CREATE TRIGGER learning_itemsearch_ad AFTER DELETE ON learning_itemsearchtext BEGIN
         DELETE FROM learning_itemsearch_fts WHERE rowid = old.id;
       END""",
]
SQLITE_BACKWARD = [
    "DROP TRIGGER IF EXISTS learning_itemsearch_ad",
    "DROP TRIGGER IF EXISTS learning_itemsearch_au",
    "DROP TRIGGER IF EXISTS learning_itemsearch_ai",
    "DROP TABLE IF EXISTS learning_itemsearch_fts",
]
POSTGRES_FORWARD = [
    "ALTER TABLE learning_itemsearchtext ADD COLUMN search_vector tsvector "
    "GENERATED ALWAYS AS (to_tsvector('simple'::regconfig, COALESCE(text, ''))) STORED",
    "CREATE INDEX learning_itemsearch_vector_gin ON learning_itemsearchtext USING gin (search_vector)",
    "CREATE FUNCTION learning_search_ids(query tsquery) RETURNS SETOF bigint "
    "LANGUAGE sql STABLE SET enable_seqscan = off AS $$ "
    "SELECT id FROM learning_itemsearchtext WHERE search_vector @@ query $$",
]
POSTGRES_BACKWARD = [
    "DROP FUNCTION IF EXISTS learning_search_ids(tsquery)",
    "DROP INDEX IF EXISTS learning_itemsearch_vector_gin",
    "ALTER TABLE learning_itemsearchtext DROP COLUMN IF EXISTS search_vector",
]

TOPICS = [
    (
        "responsible-ai",
        {
            "en": "Responsible use of AI",
            "fr": "Usage responsable de l’IA",
            "es": "Uso responsable de la IA",
            "ru": "Ответственное использование ИИ",
            "zh-hans": "负责任地使用人工智能",
            "ar": "الاستخدام المسؤول للذكاء الاصطناعي",
        },
    ),
    (
        "wellbeing",
        {
            "en": "Investigator wellbeing",
            "fr": "Bien-être des enquêteurs",
            "es": "Bienestar de los investigadores",
            "ru": "Благополучие следователей",
            "zh-hans": "调查人员身心健康",
            "ar": "رفاه المحققين",
        },
    ),
    (
        "data-protection",
        {
            "en": "Data protection",
            "fr": "Protection des données",
            "es": "Protección de datos",
            "ru": "Защита данных",
            "zh-hans": "数据保护",
            "ar": "حماية البيانات",
        },
    ),
    (
        "digital-forensics",
        {
            "en": "Digital forensics",
            "fr": "Criminalistique numérique",
            "es": "Informática forense",
            "ru": "Цифровая криминалистика",
            "zh-hans": "数字取证",
            "ar": "الأدلة الجنائية الرقمية",
        },
    ),
    (
        "victim-identification",
        {
            "en": "Victim identification",
            "fr": "Identification des victimes",
            "es": "Identificación de víctimas",
            "ru": "Установление личности жертв",
            "zh-hans": "受害者识别",
            "ar": "تحديد هوية الضحايا",
        },
    ),
]


def _run(statements_by_vendor):
    def run(apps, schema_editor):
        for statement in statements_by_vendor.get(schema_editor.connection.vendor, []):
            schema_editor.execute(statement)

    return run


def add_topics(apps, schema_editor):
    Topic = apps.get_model("learning", "Topic")
    for order, (slug, names) in enumerate(TOPICS):
        Topic.objects.get_or_create(slug=slug, defaults={"names": names, "order": order})


class Migration(migrations.Migration):
    dependencies = [
        ("learning", "0001_initial"),
    ]

    operations = [
        migrations.RunPython(
            _run({"sqlite": SQLITE_FORWARD, "postgresql": POSTGRES_FORWARD}),
            _run({"sqlite": SQLITE_BACKWARD, "postgresql": POSTGRES_BACKWARD}),
        ),
        migrations.RunPython(add_topics, migrations.RunPython.noop),
    ]
